/** What a container may see of its host: no sensitive host paths, and a read-only root filesystem. */
import { Props, isWithin, labelsOf, mountsOf, normalisePath } from "../containerProps";
import { WRITABLE_ROOTFS_LABEL } from "../containerRole";
import { Finding } from "../finding";
import { isUnknown } from "../unknownValue";

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
