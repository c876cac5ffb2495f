import { describe, expect, it } from "vitest";
import {
    DEFAULT_HEALTH_TIMING,
    dockerCpus,
    dockerDuration,
    healthBudgetSeconds,
    healthcheck,
} from "../../components/hardening";

describe("values written the way Docker reports them back", () => {
    it.each([
        ["3s", "3s"],
        ["60s", "1m0s"],
        ["90s", "1m30s"],
        ["1m", "1m0s"],
        ["2m5s", "2m5s"],
    ])("duration %s is %s", (input, expected) => {
        expect(dockerDuration(input)).toBe(expected);
    });

    it("gives a container its start period plus every failed probe's interval and timeout to become healthy", () => {
        // 60 s start period + 10 retries × (3 s interval + 3 s timeout): the wait for healthy of app containers.
        expect(healthBudgetSeconds(DEFAULT_HEALTH_TIMING)).toBe(120);
        expect(healthBudgetSeconds({ interval: "1m", timeout: "5s", retries: 2, startPeriod: "1m30s" })).toBe(220);
    });

    it("refuses a duration it cannot read", () => {
        expect(() => dockerDuration("10 seconds")).toThrow('duration "10 seconds" is not of the form 90s or 1m30s');
    });

    it.each([
        ["1", "1.0"],
        ["2", "2.0"],
        ["0.5", "0.5"],
        ["1.50", "1.5"],
    ])("cpus %s is %s", (input, expected) => {
        expect(dockerCpus(input)).toBe(expected);
    });

    it("refuses a CPU count that is not positive", () => {
        expect(() => dockerCpus("0")).toThrow('cpus "0" is not a positive number');
    });

    it("puts CMD in front of a bare healthcheck command and keeps Docker's own forms", () => {
        expect(healthcheck(["sample-app", "healthcheck", "worker"]).tests).toEqual([
            "CMD",
            "sample-app",
            "healthcheck",
            "worker",
        ]);
        expect(healthcheck(["CMD-SHELL", "exit 0"]).tests).toEqual(["CMD-SHELL", "exit 0"]);
    });
});
