import { beforeAll, describe, expect, it } from "vitest";
import { TYPES } from "../lib/guard";
import { PlatformFixture, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { resourcePolicy } from "./helpers";

type Props = Record<string, any>;

const HARDENING = [
    "container-healthcheck",
    "container-non-root-user",
    "container-not-privileged",
    "container-no-host-namespaces",
    "container-no-sensitive-host-mounts",
    "container-no-new-privileges",
    "container-security-profiles",
    "container-capabilities-dropped",
    "container-read-only-rootfs",
    "container-resource-limits",
    "container-restart-bounded",
    "container-log-rotation",
];

/** Every hardening violation for one container, so each case also proves no other guard fires. */
function hardeningViolations(
    props: Props,
    name = "thebot-backend-web-1",
    config: Record<string, unknown> = {},
): string[] {
    return HARDENING.flatMap(
        (policy) =>
            runResourcePolicy(resourcePolicy(policy), { type: TYPES.container, name, props }, config).violations,
    );
}

const W = 'Container "thebot-backend-web-1" breaks';

describe("container hardening policies", () => {
    let fixture: PlatformFixture;
    let web: Props;
    beforeAll(async () => {
        fixture = await platformFixture();
        web = fixture.named("thebot-backend-web-1").props;
    });

    it("accepts every container the components create", () => {
        for (const container of fixture.ofType(TYPES.container)) {
            expect(hardeningViolations(container.props, container.name)).toEqual([]);
        }
    });

    it.each<[string, (props: Props) => void, string]>([
        [
            "no healthcheck",
            (props) => delete props.healthcheck,
            `${W} container-healthcheck: healthcheck: is not set, so Docker and \`wait: true\` cannot tell a hung service from a healthy one. Fix: add a healthcheck that fails when the service cannot do its job, e.g. an HTTP probe of its health endpoint.`,
        ],
        [
            "a disabled healthcheck",
            (props) => (props.healthcheck = { tests: ["NONE"] }),
            `${W} container-healthcheck: healthcheck: is disabled (NONE), so Docker cannot tell a hung service from a healthy one. Fix: add a healthcheck that fails when the service cannot do its job, e.g. an HTTP probe of its health endpoint.`,
        ],
        [
            "no user",
            (props) => delete props.user,
            `${W} container-non-root-user: user: is not set, so the process runs as the image's default user, usually root. Fix: set user to a non-root account, e.g. "10001:10001" or the image's service user.`,
        ],
        [
            "user root",
            (props) => (props.user = "root"),
            `${W} container-non-root-user: user: is "root", so the process runs as root. Fix: set user to a non-root account, e.g. "10001:10001" or the image's service user.`,
        ],
        [
            "user 0:0",
            (props) => (props.user = "0:0"),
            `${W} container-non-root-user: user: is "0:0", so the process runs as root. Fix: set user to a non-root account, e.g. "10001:10001" or the image's service user.`,
        ],
        [
            "privileged",
            (props) => (props.privileged = true),
            `${W} container-not-privileged: privileged: is true, which gives the container every capability and the host's devices. Fix: set privileged to false and add back only the capabilities the process needs.`,
        ],
        [
            "host networking",
            (props) => (props.networkMode = "host"),
            `${W} container-no-host-namespaces: networkMode: is "host", which shares the host's network stack, bypassing Docker networks and port publishing. Fix: remove networkMode and attach Docker networks with networksAdvanced, so the container keeps its own network namespace.`,
        ],
        [
            "the host PID namespace",
            (props) => (props.pidMode = "host"),
            `${W} container-no-host-namespaces: pidMode: is "host", which lets the container see and signal every process on the host. Fix: remove pidMode so the container keeps its own PID namespace.`,
        ],
        [
            "the host IPC namespace",
            (props) => (props.ipcMode = "host"),
            `${W} container-no-host-namespaces: ipcMode: is "host", which shares the host's shared memory and semaphores. Fix: remove ipcMode so the container keeps its own IPC namespace.`,
        ],
        [
            "the Docker socket as a volume",
            (props) => props.volumes.push({ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }),
            `${W} container-no-sensitive-host-mounts: volumes[3]: mounts the Docker socket (/var/run/docker.sock), which gives the container root on the host. Fix: mount a named volume or a dedicated data directory instead of a host system path.`,
        ],
        [
            "/etc as a bind mount",
            (props) => (props.mounts = [{ type: "bind", source: "/etc/ssl/../", target: "/host-etc" }]),
            `${W} container-no-sensitive-host-mounts: mounts[0]: mounts the host path /etc/ssl/../ (inside /etc), exposing the host's system files to the container. Fix: mount a named volume or a dedicated data directory instead of a host system path.`,
        ],
        [
            "no no-new-privileges",
            (props) => (props.securityOpts = []),
            `${W} container-no-new-privileges: securityOpts: does not contain no-new-privileges, so a setuid binary can raise the process's privileges. Fix: add "no-new-privileges:true" to securityOpts.`,
        ],
        [
            "seccomp unconfined",
            (props) => props.securityOpts.push("seccomp=unconfined"),
            `${W} container-security-profiles: securityOpts: contains "seccomp=unconfined", which removes a kernel confinement profile. Fix: remove "seccomp=unconfined" so Docker's default seccomp/AppArmor/SELinux profile applies.`,
        ],
        [
            "capabilities not dropped",
            (props) => (props.capabilities = { drops: [], adds: [] }),
            `${W} container-capabilities-dropped: capabilities.drops: does not contain ALL, so the process keeps Docker's default capabilities (chown, setuid, net_raw and more). Fix: set capabilities.drops to ["ALL"] and list only what the process needs in capabilities.adds.`,
        ],
        [
            "SYS_ADMIN added back",
            (props) => (props.capabilities = { drops: ["ALL"], adds: ["CAP_SYS_ADMIN", "NET_BIND_SERVICE"] }),
            `${W} container-capabilities-dropped: capabilities.adds: adds SYS_ADMIN, which give the container control over the host or its network. Fix: remove those capabilities; run the process so it needs none of them (e.g. listen above port 1024).`,
        ],
        [
            "a writable root filesystem",
            (props) => (props.readOnly = false),
            `${W} container-read-only-rootfs: readOnly: is not true, so an attacker or a bug can change the container's binaries and configuration. Fix: set readOnly to true with tmpfs or volumes for the paths the process writes, or add the label webplatform.writable-rootfs-reason saying why it cannot be.`,
        ],
        [
            "no memory limit",
            (props) => delete props.memory,
            `${W} container-resource-limits: memory: is not set, so one leaking process can exhaust the host's memory and take every service down. Fix: set memory (MiB) to a ceiling the service never needs to exceed, and memorySwap to the same value.`,
        ],
        [
            "no CPU limit",
            (props) => (props.cpus = "0"),
            `${W} container-resource-limits: cpus: is not set, so one busy process can starve every other container of CPU. Fix: set cpus to a decimal number of cores, e.g. "1" or "0.5".`,
        ],
        [
            "restart always",
            (props) => (props.restart = "always"),
            `${W} container-restart-bounded: restart: is "always", so a crash-looping container restarts forever and the failure never surfaces. Fix: set restart to "on-failure" with maxRetryCount between 1 and 10.`,
        ],
        [
            "restart unless-stopped",
            (props) => (props.restart = "unless-stopped"),
            `${W} container-restart-bounded: restart: is "unless-stopped", so a crash-looping container restarts forever and the failure never surfaces. Fix: set restart to "on-failure" with maxRetryCount between 1 and 10.`,
        ],
        [
            "no restart policy (Docker's default no)",
            (props) => delete props.restart,
            `${W} container-restart-bounded: restart: is "no", so the service stays down after a crash or a host reboot. Fix: set restart to "on-failure" with maxRetryCount between 1 and 10.`,
        ],
        [
            "on-failure without a retry limit",
            (props) => delete props.maxRetryCount,
            `${W} container-restart-bounded: maxRetryCount: is not set, so on-failure restarts without limit. Fix: set maxRetryCount between 1 and 10.`,
        ],
        [
            "too many retries",
            (props) => (props.maxRetryCount = 50),
            `${W} container-restart-bounded: maxRetryCount: is 50, more than 10 restarts before the failure surfaces. Fix: set maxRetryCount between 1 and 10.`,
        ],
        [
            "json-file logs without max-size",
            (props) => (props.logOpts = { "max-file": "5" }),
            `${W} container-log-rotation: logOpts["max-size"]: is not set, so the json-file log grows until the host's disk is full. Fix: set logOpts { "max-size": "10m", "max-file": "5" } (or use the "local" driver).`,
        ],
        [
            "Docker's default driver without options",
            (props) => {
                delete props.logDriver;
                delete props.logOpts;
            },
            `${W} container-log-rotation: logOpts["max-size"]: is not set, so the json-file log grows until the host's disk is full. Fix: set logOpts { "max-size": "10m", "max-file": "5" } (or use the "local" driver).`,
        ],
        [
            "the none log driver",
            (props) => (props.logDriver = "none"),
            `${W} container-log-rotation: logDriver: is "none", so the container keeps no logs and a failure cannot be diagnosed. Fix: use "json-file" with logOpts max-size and max-file, "local", or a remote driver.`,
        ],
    ])("reports %s", (_case, change, message) => {
        expect(hardeningViolations(withChange(web, change))).toEqual([message]);
    });

    it.each<[string, (props: Props) => void]>([
        [
            "a writable root filesystem with a stated reason",
            (props) => {
                props.readOnly = false;
                props.labels.push({
                    label: "webplatform.writable-rootfs-reason",
                    value: "the vendor image writes to /opt/app/cache",
                });
            },
        ],
        [
            "the local log driver (rotates by default)",
            (props) => {
                props.logDriver = "local";
                props.logOpts = {};
            },
        ],
        [
            "a remote log driver",
            (props) => {
                props.logDriver = "syslog";
                props.logOpts = { "syslog-address": "udp://logs:514" };
            },
        ],
        [
            "a harmless added capability",
            (props) => (props.capabilities = { drops: ["all"], adds: ["NET_BIND_SERVICE"] }),
        ],
        [
            "a data directory bind mount",
            (props) => props.volumes.push({ hostPath: "/srv/thebot/uploads", containerPath: "/uploads" }),
        ],
        ["networkMode bridge with networks attached", (props) => (props.networkMode = "bridge")],
    ])("accepts %s", (_case, change) => {
        expect(hardeningViolations(withChange(web, change))).toEqual([]);
    });

    it("honours configuration: a stricter retry limit, extra forbidden paths, extra forbidden capabilities", () => {
        expect(hardeningViolations(web, "thebot-backend-web-1", { maxRetries: 3 })).toEqual([
            `${W} container-restart-bounded: maxRetryCount: is 5, more than 3 restarts before the failure surfaces. Fix: set maxRetryCount between 1 and 3.`,
        ]);
        const mounted = withChange(web, (props) =>
            props.volumes.push({ hostPath: "/srv/secrets/tls", containerPath: "/tls" }),
        );
        expect(
            hardeningViolations(mounted, "thebot-backend-web-1", { additionalForbiddenPaths: ["/srv/secrets"] }),
        ).toHaveLength(1);
        const chown = withChange(web, (props) => (props.capabilities = { drops: ["ALL"], adds: ["CHOWN"] }));
        expect(hardeningViolations(chown, "thebot-backend-web-1", { forbiddenAdds: ["CHOWN"] })).toHaveLength(1);
    });

    it("does not ask a one-shot container for a healthcheck or a restart policy", () => {
        const job = { image: "ghcr.io/acme/tool:1.0.0", attach: true, mustRun: false, restart: "no" };
        const names = HARDENING.filter(
            (policy) =>
                runResourcePolicy(resourcePolicy(policy), { type: TYPES.container, name: "job", props: job }).violations
                    .length > 0,
        );
        expect(names).not.toContain("container-healthcheck");
        expect(names).not.toContain("container-restart-bounded");
        expect(names).toContain("container-non-root-user");
    });

    it.each<[string, (props: Props) => void]>([
        ["the healthcheck", (props) => (props.healthcheck = UNKNOWN)],
        ["the user", (props) => (props.user = UNKNOWN)],
        ["the mounts", (props) => (props.mounts = [{ type: "bind", source: UNKNOWN, target: "/x" }])],
        ["the security options", (props) => (props.securityOpts = UNKNOWN)],
        ["the capabilities", (props) => (props.capabilities = UNKNOWN)],
        ["readOnly", (props) => (props.readOnly = UNKNOWN)],
        [
            "the limits",
            (props) => {
                props.memory = UNKNOWN;
                props.cpus = UNKNOWN;
            },
        ],
        ["the restart policy", (props) => (props.restart = UNKNOWN)],
        ["the retry count", (props) => (props.maxRetryCount = UNKNOWN)],
        [
            "the log driver (computed by the provider)",
            (props) => {
                props.logDriver = UNKNOWN;
                delete props.logOpts;
            },
        ],
    ])("skips %s while it is unknown at preview", (_case, change) => {
        const outcomes = HARDENING.map((policy) =>
            runResourcePolicy(resourcePolicy(policy), {
                type: TYPES.container,
                name: "web",
                props: withChange(web, change),
            }),
        );
        expect(outcomes.flatMap((outcome) => outcome.violations)).toEqual([]);
        expect(outcomes.map((outcome) => outcome.cantRunDuringPreview).filter(Boolean)).toEqual([]);
    });
});
