/**
 * Who the process runs as and what it may do: non-root, unprivileged, no host namespaces, no new privileges,
 * confined profiles, capabilities dropped.
 */
import { Props } from "../containerProps";
import { Finding } from "../finding";
import { isUnknown, knownArray, knownObject, knownString } from "../unknownValue";

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
