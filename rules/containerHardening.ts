import { Props, healthcheckTests, isWithin, labelsOf, mountsOf, normalisePath, probes } from "./containerProps";
import { WRITABLE_ROOTFS_LABEL } from "./containerRole";
import { Finding } from "./finding";
import { isUnknown, knownArray, knownObject, knownString } from "./unknownValue";

/**
 * Container hardening in the spirit of docker-bench-security section 5, Kyverno's pod-security rules and Checkov's
 * Docker checks, over @pulumi/docker Container inputs. Each function returns the findings for one guard and skips
 * values that are not known yet.
 */

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

const ROOT_USERS = new Set(["", "root", "0"]);

export function nonRootUser(props: Props): Finding[] {
    const user = props.user;
    if (isUnknown(user)) {
        return [];
    }
    const text = knownString(user);
    const account = text === undefined ? "" : text.split(":")[0].trim();
    if (!ROOT_USERS.has(account)) {
        return [];
    }
    return [
        {
            key: "user",
            problem:
                text === undefined || text.trim() === ""
                    ? "is not set, so the process runs as the image's default user, usually root."
                    : `is "${text}", so the process runs as root.`,
            fix: 'set user to a non-root account, e.g. "10001:10001" or the image\'s service user.',
        },
    ];
}

export function notPrivileged(props: Props): Finding[] {
    return props.privileged === true
        ? [
              {
                  key: "privileged",
                  problem: "is true, which gives the container every capability and the host's devices.",
                  fix: "set privileged to false and add back only the capabilities the process needs.",
              },
          ]
        : [];
}

const NAMESPACE_PROPERTIES = [
    ["networkMode", "network", "shares the host's network stack, bypassing Docker networks and port publishing"],
    ["pidMode", "PID", "lets the container see and signal every process on the host"],
    ["ipcMode", "IPC", "shares the host's shared memory and semaphores"],
    ["usernsMode", "user", "turns off user-namespace remapping for the container"],
] as const;

export function noHostNamespaces(props: Props): Finding[] {
    return NAMESPACE_PROPERTIES.filter(([property]) => knownString(props[property])?.toLowerCase() === "host").map(
        ([property, namespace, effect]) => ({
            key: property,
            problem: `is "host", which ${effect}.`,
            fix:
                property === "networkMode"
                    ? "remove networkMode and attach Docker networks with networksAdvanced, so the container keeps its own network namespace."
                    : `remove ${property} so the container keeps its own ${namespace} namespace.`,
        }),
    );
}

/** Host paths no container may mount: the root, system directories, and the Docker engine's socket and data. */
export const FORBIDDEN_HOST_PATHS: readonly string[] = [
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/root",
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/lib/docker",
    "/run/containerd",
    "/var/run/containerd",
];

/** The forbidden path a host path hits, if any. "/" matches only itself; the others match their subtrees too. */
export function forbiddenHostPath(hostPath: string, forbidden: readonly string[]): string | undefined {
    const path = normalisePath(hostPath);
    return forbidden.find((entry) => {
        const normalised = normalisePath(entry);
        return normalised === "/" ? path === "/" : isWithin(path, normalised);
    });
}

export function noSensitiveHostMounts(props: Props, forbidden: readonly string[] = FORBIDDEN_HOST_PATHS): Finding[] {
    return mountsOf(props)
        .mounts.filter((mount) => mount.kind === "bind" && mount.source !== undefined)
        .flatMap((mount) => {
            const hit = forbiddenHostPath(mount.source!, forbidden);
            if (hit === undefined) {
                return [];
            }
            const socket = hit.endsWith(".sock");
            return [
                {
                    key: mount.key,
                    problem: socket
                        ? `mounts the Docker socket (${mount.source}), which gives the container root on the host.`
                        : `mounts the host path ${mount.source} (inside ${hit}), exposing the host's system files to the container.`,
                    fix: "mount a named volume or a dedicated data directory instead of a host system path.",
                },
            ];
        });
}

/** securityOpts entries, or undefined when unknown. */
function securityOptions(props: Props): readonly string[] | undefined {
    const options = props.securityOpts;
    if (options === undefined || options === null) {
        return [];
    }
    const list = knownArray(options);
    if (!list || list.some((option) => isUnknown(option))) {
        return undefined;
    }
    return list.filter((option): option is string => typeof option === "string");
}

export function noNewPrivileges(props: Props): Finding[] {
    const options = securityOptions(props);
    if (options === undefined) {
        return [];
    }
    const enabled = options.some((option) => /^no-new-privileges([:=]true)?$/i.test(option.trim()));
    if (enabled) {
        return [];
    }
    return [
        {
            key: "securityOpts",
            problem: "does not contain no-new-privileges, so a setuid binary can raise the process's privileges.",
            fix: 'add "no-new-privileges:true" to securityOpts.',
        },
    ];
}

export function confinedSecurityProfiles(props: Props): Finding[] {
    const options = securityOptions(props);
    if (options === undefined) {
        return [];
    }
    return options
        .filter((option) => /^(seccomp|apparmor)[:=]unconfined$|^label[:=]disable$/i.test(option.trim()))
        .map((option) => ({
            key: "securityOpts",
            problem: `contains "${option}", which removes a kernel confinement profile.`,
            fix: `remove "${option}" so Docker's default seccomp/AppArmor/SELinux profile applies.`,
        }));
}

/** Capabilities that amount to host control or let a container tamper with the network or kernel. */
export const DANGEROUS_CAPABILITIES: readonly string[] = [
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "NET_ADMIN",
    "NET_RAW",
    "DAC_READ_SEARCH",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "BPF",
    "PERFMON",
];

function capabilityName(value: string): string {
    return value.trim().toUpperCase().replace(/^CAP_/, "");
}

/** Canonical names of a forbidden-capabilities list, by list: it is the policy's config, the same for every container. */
const canonicalCapabilitiesOf = new WeakMap<readonly string[], ReadonlySet<string>>();

function canonicalCapabilities(list: readonly string[]): ReadonlySet<string> {
    let names = canonicalCapabilitiesOf.get(list);
    if (names === undefined) {
        names = new Set(list.map(capabilityName));
        canonicalCapabilitiesOf.set(list, names);
    }
    return names;
}

export function capabilitiesDropped(
    props: Props,
    forbiddenAdds: readonly string[] = DANGEROUS_CAPABILITIES,
): Finding[] {
    const capabilities = props.capabilities;
    if (isUnknown(capabilities)) {
        return [];
    }
    const object = knownObject(capabilities);
    const drops = object?.drops;
    const adds = object?.adds;
    const findings: Finding[] = [];
    if (!isUnknown(drops) && !containsUnknownWord(drops)) {
        const dropped = (knownArray(drops) ?? []).map((value) => capabilityName(String(value)));
        if (!dropped.includes("ALL")) {
            findings.push({
                key: "capabilities.drops",
                problem:
                    "does not contain ALL, so the process keeps Docker's default capabilities (chown, setuid, net_raw and more).",
                fix: 'set capabilities.drops to ["ALL"] and list only what the process needs in capabilities.adds.',
            });
        }
    }
    if (!isUnknown(adds) && !containsUnknownWord(adds)) {
        const forbidden = canonicalCapabilities(forbiddenAdds);
        const added = (knownArray(adds) ?? []).map((value) => capabilityName(String(value)));
        const bad = added.filter((capability) => forbidden.has(capability));
        if (bad.length > 0) {
            findings.push({
                key: "capabilities.adds",
                problem: `adds ${bad.join(", ")}, which give the container control over the host or its network.`,
                fix: "remove those capabilities; run the process so it needs none of them (e.g. listen above port 1024).",
            });
        }
    }
    return findings;
}

function containsUnknownWord(value: unknown): boolean {
    return Array.isArray(value) && value.some((item) => isUnknown(item));
}

export function readOnlyRootFilesystem(props: Props): Finding[] {
    if (props.readOnly === true || isUnknown(props.readOnly)) {
        return [];
    }
    const labels = labelsOf(props.labels);
    if (labels === undefined) {
        return [];
    }
    const reason = labels[WRITABLE_ROOTFS_LABEL];
    if (reason !== undefined && reason.trim().length > 0) {
        return [];
    }
    return [
        {
            key: "readOnly",
            problem: "is not true, so an attacker or a bug can change the container's binaries and configuration.",
            fix: `set readOnly to true with tmpfs or volumes for the paths the process writes, or add the label ${WRITABLE_ROOTFS_LABEL} saying why it cannot be.`,
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
export function isLoopback(address: string): boolean {
    const value = address
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, "");
    return value === "localhost" || value === "::1" || /^127(\.\d{1,3}){3}$/.test(value);
}

export function portsOnLoopbackOnly(props: Props): Finding[] {
    const findings: Finding[] = [];
    if (props.publishAllPorts === true) {
        findings.push({
            key: "publishAllPorts",
            problem: "publishes every exposed port on all host addresses.",
            fix: "remove publishAllPorts; publish a port only on 127.0.0.1 when a local tool needs it.",
        });
    }
    (knownArray(props.ports) ?? []).forEach((entry, index) => {
        const port = knownObject(entry);
        if (!port || isUnknown(port.ip) || isUnknown(port.external)) {
            return;
        }
        const ip = knownString(port.ip) ?? "0.0.0.0";
        if (!isLoopback(ip)) {
            findings.push({
                key: `ports[${index}].ip`,
                problem: `publishes container port ${String(port.internal)} on ${ip}, reachable from outside the host.`,
                fix: 'remove the port (the application reaches the service over the private network) or publish it on "127.0.0.1" only.',
            });
        }
    });
    return findings;
}
