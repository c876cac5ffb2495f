import { Props, healthcheckArgv, healthcheckTests, labelValue, mountsOf, wordsOf } from "./containerProps";
import { parseImageReference } from "./imageReference";
import { LABELLED_ROLES, LABELS, MIGRATION_ROLE } from "./labels";
import { scriptsIn, simpleCommands, programOf } from "./shellWords";
import { reuseLastResult } from "./lastResult";
import { knownString } from "./unknownValue";

/**
 * What a container is, so each guard applies to the right ones. Containers made by this library say so in the
 * `webplatform.role` label; for other programs the image name, the command, the healthcheck and the data path give
 * it away, and any other long-running container is treated as an application.
 */
export const ROLE_LABEL = LABELS.role;
/** Label whose presence (with a reason as value) allows a writable root filesystem. */
export const WRITABLE_ROOTFS_LABEL = LABELS.writableRootfsReason;

export type ContainerRole = "database" | "cache" | "web" | "worker" | "proxy" | "backup" | "application" | "job";
export type ContainerEngine =
    "postgres" | "mysql" | "mariadb" | "mongo" | "redis" | "memcached" | "nginx" | "other-proxy";

export interface ContainerIdentity {
    readonly role: ContainerRole;
    readonly engine?: ContainerEngine;
    /** What decided the role. */
    readonly basis: "label" | "image" | "signals" | "default";
}

/** Roles that run the application's code and get its environment. */
export const APPLICATION_ROLES: ReadonlySet<ContainerRole> = new Set(["web", "worker", "application"]);
/** Roles that hold data. */
export const DATASTORE_ROLES: ReadonlySet<ContainerRole> = new Set(["database", "cache"]);

const ENGINE_ROLE: Record<ContainerEngine, ContainerRole> = {
    postgres: "database",
    mysql: "database",
    mariadb: "database",
    mongo: "database",
    redis: "cache",
    memcached: "cache",
    nginx: "proxy",
    "other-proxy": "proxy",
};

const IMAGE_ENGINES: ReadonlyArray<[RegExp, ContainerEngine]> = [
    [/^(postgres|postgresql|postgis|timescaledb(-ha)?|pgvector|supabase-postgres)$/, "postgres"],
    [/^(mysql|mysql-server|percona-server|percona)$/, "mysql"],
    [/^mariadb$/, "mariadb"],
    [/^(mongo|mongodb|mongodb-community-server)$/, "mongo"],
    [/^(redis|redis-stack|redis-stack-server|valkey|keydb)$/, "redis"],
    [/^memcached$/, "memcached"],
    [/^(nginx|nginx-unprivileged|openresty|angie)$/, "nginx"],
    [/^(traefik|caddy|haproxy|envoy|httpd|apache2?)$/, "other-proxy"],
];

const PROGRAM_ENGINES: Readonly<Record<string, ContainerEngine>> = {
    postgres: "postgres",
    pg_isready: "postgres",
    mysqld: "mysql",
    mysqladmin: "mysql",
    mariadbd: "mariadb",
    "mariadb-admin": "mariadb",
    "healthcheck.sh": "mariadb",
    mongod: "mongo",
    mongosh: "mongo",
    "redis-server": "redis",
    "redis-cli": "redis",
    "valkey-server": "redis",
    "valkey-cli": "redis",
    memcached: "memcached",
    nginx: "nginx",
    openresty: "nginx",
};

const DATA_PATH_ENGINES: ReadonlyArray<[RegExp, ContainerEngine]> = [
    [/^\/var\/lib\/postgresql(\/|$)/, "postgres"],
    [/^\/var\/lib\/mysql(\/|$)/, "mysql"],
    [/^\/data\/db(\/|$)/, "mongo"],
];

/** The engine an image reference names, from its last path segment (`bitnami/postgresql:16` is postgres). */
export function engineOfImage(reference: string | undefined): ContainerEngine | undefined {
    if (!reference || reference.startsWith("sha256:")) {
        return undefined;
    }
    const repository = parseImageReference(reference).repository;
    const base = repository.slice(repository.lastIndexOf("/") + 1).toLowerCase();
    return IMAGE_ENGINES.find(([pattern]) => pattern.test(base))?.[1];
}

/** The engine the first program with a known engine reveals, looking into shell scripts too. */
function engineOfPrograms(...argvs: readonly (readonly string[])[]): ContainerEngine | undefined {
    for (const argv of argvs) {
        for (const sequence of scriptsIn(argv)) {
            for (const command of simpleCommands(sequence)) {
                const program = programOf(command)?.program;
                if (program !== undefined && PROGRAM_ENGINES[program]) {
                    return PROGRAM_ENGINES[program];
                }
            }
        }
    }
    return undefined;
}

/** A container without a role label is identified by every policy about containers; its scripts are split once. */
const engineOfProgramsAgain = reuseLastResult(engineOfPrograms);

/** The engine a container's command, healthcheck or data paths reveal. */
export function engineOfSignals(props: Props): ContainerEngine | undefined {
    const programEngine = engineOfProgramsAgain(
        wordsOf(props.entrypoint) ?? [],
        wordsOf(props.command) ?? [],
        healthcheckArgv(healthcheckTests(props) ?? []),
    );
    if (programEngine !== undefined) {
        return programEngine;
    }
    for (const mount of mountsOf(props).mounts) {
        if (mount.kind === "tmpfs") {
            continue;
        }
        const found = DATA_PATH_ENGINES.find(([pattern]) => pattern.test(mount.target));
        if (found) {
            return found[1];
        }
    }
    return undefined;
}

/** True when the container runs to completion rather than as a service (attached, or not required to run). */
export function isOneShot(props: Props): boolean {
    return props.attach === true || props.mustRun === false;
}

/** Roles a `webplatform.role` label names directly. */
const LABELLED: ReadonlySet<string> = new Set(LABELLED_ROLES);

/** The role a container's `webplatform.role` label gives it, or undefined without one (or while labels are unknown). */
export function labelledRole(props: Props): ContainerRole | undefined {
    // At preview the engine reports labels the program did not set as unknown (the provider computes them);
    // such a container carries no role label, so its role comes from its image and signals like any other.
    const labelled = labelValue(props.labels, ROLE_LABEL);
    if (labelled === undefined) {
        return undefined;
    }
    return LABELLED.has(labelled) ? (labelled as ContainerRole) : labelled === MIGRATION_ROLE ? "job" : "application";
}

/**
 * Role and engine of a container, or undefined when its labels are not known yet. `imageName` is the reference
 * behind an engine image ID, when the caller can resolve it (stack policies can; resource policies cannot).
 */
export function identifyContainer(props: Props, imageName?: string): ContainerIdentity | undefined {
    const image = imageName ?? knownString(props.image);
    const imageEngine = engineOfImage(image);
    const engine = imageEngine ?? engineOfSignals(props);
    const role = labelledRole(props);
    if (role !== undefined) {
        return { role, engine, basis: "label" };
    }
    if (engine !== undefined) {
        return { role: ENGINE_ROLE[engine], engine, basis: imageEngine ? "image" : "signals" };
    }
    if (isOneShot(props)) {
        return { role: "job", basis: "signals" };
    }
    return { role: "application", basis: "default" };
}
