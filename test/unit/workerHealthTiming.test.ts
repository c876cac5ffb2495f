import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { named, resetRecorded, settle } from "../mocks";
import { WorkerGroup } from "../../components/workerGroup";
import { DEFAULT_HEALTH_TIMING } from "../../components/schemas/healthTiming";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";

/** A worker group's healthcheck timing: each part settable on its own, the rest from the one default. */
describe("worker healthcheck timing", () => {
    beforeEach(resetRecorded);

    /** A bot worker group with the given timing (none: the default). */
    function botGroup(healthcheckTiming?: Record<string, unknown>): WorkerGroup {
        return new WorkerGroup("bot", {
            command: ["python3", "bot.py"],
            healthcheckCommand: ["python3", "/app/healthcheck.py", "bot"],
            imageId: "sha256:0123",
            environment: { plain: {}, secret: {} },
            networks: ["private"],
            migration: new pulumi.ComponentResource("test:index:Migration", "migrate"),
            ...(healthcheckTiming === undefined ? {} : { healthcheckTiming }),
        } as never);
    }

    async function healthcheckOf(healthcheckTiming?: Record<string, unknown>) {
        botGroup(healthcheckTiming);
        await settle();
        return named("bot-1").inputs.healthcheck;
    }

    it("uses the shared default when the group sets none", async () => {
        expect(DEFAULT_HEALTH_TIMING).toEqual({ interval: "3s", timeout: "3s", retries: 10, startPeriod: "1m0s" });
        expect(await healthcheckOf()).toMatchObject({
            interval: "3s",
            timeout: "3s",
            retries: 10,
            startPeriod: "1m0s",
        });
    });

    it("takes each part the group sets, in Docker's spelling, and keeps the defaults of the others", async () => {
        expect(await healthcheckOf({ startPeriod: "300s", timeout: "10s" })).toMatchObject({
            tests: ["CMD", "python3", "/app/healthcheck.py", "bot"],
            interval: "3s",
            timeout: "10s",
            retries: 10,
            startPeriod: "5m0s",
        });
    });

    it("refuses a bad timing in the component, naming the part", () => {
        expect(() => botGroup({ retries: 0 })).toThrow(
            "bot: healthcheckTiming.retries must be a whole number of at least 1, got 0.",
        );
    });

    function stackProblems(healthcheckTiming: Record<string, unknown>): string[] {
        const raw = {
            environment: "development",
            domain: "localhost",
            backend: { image: "example/app:1.0.0", migrationCommand: ["app", "migrate"] },
            workers: {
                bot: { command: ["python3", "bot.py"], healthcheckCommand: ["CMD", "true"], healthcheckTiming },
            },
        };
        try {
            parseStackConfig(raw, { stack: "dev", secretKeys: [] }, (value) => value);
        } catch (error) {
            if (error instanceof StackConfigError) return error.message.split("\n").slice(1);
            throw error;
        }
        return [];
    }

    it.each([
        [{ interval: "10" }, "interval"],
        [{ timeout: "0s" }, "timeout"],
        [{ startPeriod: "5 minutes" }, "startPeriod"],
    ])("refuses %j in stack config, naming the key", (timing, part) => {
        expect(stackProblems(timing)).toEqual([
            `  - webplatform:workers.bot.healthcheckTiming.${part}: must be a duration of at least 1 s such as "10s" or "1m30s". Fix: correct the value; the README lists every key and its form.`,
        ]);
    });

    it("refuses an unknown part in stack config", () => {
        expect(stackProblems({ startInterval: "1s" })).toEqual([
            "  - webplatform:workers.bot.healthcheckTiming.startInterval: is not a setting this project knows (a typo?). Fix: remove it or correct its name; the README lists every key.",
        ]);
    });
});
