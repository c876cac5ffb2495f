import { DATASTORE_ROLES } from "../rules/containerRole";
import { DEFAULT_DATA_PATHS, dataPathFor, persistentDataVolume } from "../rules/datastore";
import { TYPES, guardConfig, resourceGuard } from "./lib/guard";
import { containerIdentity, containerRole } from "./lib/containers";

export interface PersistentVolumeConfig {
    /** Data directory per engine inside the container (PostgreSQL's PGDATA, when set, wins). */
    readonly dataPaths: Readonly<Record<string, string>>;
}

const config = guardConfig<PersistentVolumeConfig>({
    dataPaths: {
        type: "object",
        additionalProperties: { type: "string", pattern: "^/" },
        default: { ...DEFAULT_DATA_PATHS },
        description:
            "Data directory per engine (postgres, redis, mysql, mariadb, mongo). Override e.g. postgres for PostgreSQL 18 images (/var/lib/postgresql).",
    },
});

export const datastorePersistentVolume = resourceGuard<PersistentVolumeConfig>({
    name: "datastore-persistent-volume",
    description:
        "Database and cache containers must keep their data directory on a named Docker volume: /var/lib/postgresql/data for PostgreSQL and /data for Redis by default. Data in the container's own layer, a tmpfs or a bind mount is lost or unmanaged when the container is replaced.",
    remediationSteps:
        "Mount a named volume at the data directory (the Postgres and Redis components create a protected, retained one), and keep it out of `pulumi destroy` with protect and retainOnDelete.",
    severity: "critical",
    topics: ["data"],
    checklist: ["OWASP-Docker-D09"],
    resourceTypes: [TYPES.container],
    config,
    check: (resource, settings) => {
        const role = containerRole(resource);
        // The role alone is cheap; the engine is worked out only for databases and caches.
        const identity = role && DATASTORE_ROLES.has(role) ? containerIdentity(resource) : undefined;
        if (!identity || !DATASTORE_ROLES.has(identity.role) || identity.engine === undefined) {
            return [];
        }
        const dataPaths = { ...DEFAULT_DATA_PATHS, ...settings.dataPaths };
        const dataPath = dataPathFor(identity.engine, resource.props, dataPaths);
        return dataPath === undefined ? [] : persistentDataVolume(resource.props, identity.engine, dataPath);
    },
});
