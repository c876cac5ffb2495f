/** How a container runs over time: a real healthcheck, resource ceilings, bounded restarts and rotated logs. */
import { Props, healthcheckTests, probes } from "../containerProps";
import { Finding } from "../finding";
import { isUnknown, knownObject, knownString } from "../unknownValue";

export function healthcheckPresent(props: Props): Finding[] {
    const tests = healthcheckTests(props);
    if (tests === undefined || probes(tests)) {
        return [];
    }
    return [
        {
            key: "healthcheck",
            problem:
                tests.length === 0
                    ? "is not set, so Docker and `wait: true` cannot tell a hung service from a healthy one."
                    : "is disabled (NONE), so Docker cannot tell a hung service from a healthy one.",
            fix: "add a healthcheck that fails when the service cannot do its job, e.g. an HTTP probe of its health endpoint.",
        },
    ];
}

function positiveNumber(value: unknown): boolean {
    const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
    return Number.isFinite(number) && number > 0;
}

export function resourceLimits(props: Props): Finding[] {
    const findings: Finding[] = [];
    if (!isUnknown(props.memory) && !positiveNumber(props.memory)) {
        findings.push({
            key: "memory",
            problem: "is not set, so one leaking process can exhaust the host's memory and take every service down.",
            fix: "set memory (MiB) to a ceiling the service never needs to exceed, and memorySwap to the same value.",
        });
    }
    if (!isUnknown(props.cpus) && !positiveNumber(props.cpus)) {
        findings.push({
            key: "cpus",
            problem: "is not set, so one busy process can starve every other container of CPU.",
            fix: 'set cpus to a decimal number of cores, e.g. "1" or "0.5".',
        });
    }
    return findings;
}

export function boundedRestart(props: Props, maxRetries: number): Finding[] {
    const restart = props.restart;
    const retries = props.maxRetryCount;
    if (isUnknown(restart)) {
        return [];
    }
    const policy = knownString(restart) ?? "no";
    if (policy === "always" || policy === "unless-stopped") {
        return [
            {
                key: "restart",
                problem: `is "${policy}", so a crash-looping container restarts forever and the failure never surfaces.`,
                fix: `set restart to "on-failure" with maxRetryCount between 1 and ${maxRetries}.`,
            },
        ];
    }
    if (policy !== "on-failure") {
        return [
            {
                key: "restart",
                problem: `is "${policy}", so the service stays down after a crash or a host reboot.`,
                fix: `set restart to "on-failure" with maxRetryCount between 1 and ${maxRetries}.`,
            },
        ];
    }
    if (isUnknown(retries)) {
        return [];
    }
    const count = typeof retries === "number" ? retries : 0;
    if (!Number.isInteger(count) || count < 1 || count > maxRetries) {
        return [
            {
                key: "maxRetryCount",
                problem:
                    count < 1
                        ? "is not set, so on-failure restarts without limit."
                        : `is ${count}, more than ${maxRetries} restarts before the failure surfaces.`,
                fix: `set maxRetryCount between 1 and ${maxRetries}.`,
            },
        ];
    }
    return [];
}

/** Log drivers that ship logs off the host, so the host's disk does not fill. */
export const REMOTE_LOG_DRIVERS: readonly string[] = [
    "syslog",
    "journald",
    "gelf",
    "fluentd",
    "awslogs",
    "splunk",
    "etwlogs",
    "gcplogs",
    "logentries",
    "loki",
];

/** Docker size strings such as "10m" or "1g". */
const SIZE = /^\d+(\.\d+)?[kmg]?b?$/i;

export function logRotation(props: Props): Finding[] {
    const driver = props.logDriver;
    const options = props.logOpts;
    if (isUnknown(driver)) {
        return [];
    }
    const name = (knownString(driver) ?? "json-file").toLowerCase();
    if (name === "none") {
        return [
            {
                key: "logDriver",
                problem: 'is "none", so the container keeps no logs and a failure cannot be diagnosed.',
                fix: 'use "json-file" with logOpts max-size and max-file, "local", or a remote driver.',
            },
        ];
    }
    // "local" rotates by default (20m x 5); remote and plugin drivers keep nothing on the host.
    if (name !== "json-file") {
        return [];
    }
    if (isUnknown(options)) {
        return [];
    }
    const maxSize = knownString(knownObject(options)?.["max-size"]);
    if (maxSize === undefined || !SIZE.test(maxSize.trim()) || Number.parseFloat(maxSize) <= 0) {
        return [
            {
                key: 'logOpts["max-size"]',
                problem:
                    maxSize === undefined
                        ? "is not set, so the json-file log grows until the host's disk is full."
                        : `is "${maxSize}", not a positive size, so the json-file log is not rotated.`,
                fix: 'set logOpts { "max-size": "10m", "max-file": "5" } (or use the "local" driver).',
            },
        ];
    }
    return [];
}

/** True when a host address only listens on the loopback interface. */
