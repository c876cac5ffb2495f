import { postgresHealthcheckNamesUserAndDatabase } from "../rules/datastore";
import { TYPES, resourceGuard } from "./lib/guard";
import { containerIdentity, containerRole } from "./lib/containers";

export const postgresHealthcheck = resourceGuard({
    name: "postgres-healthcheck-user-and-database",
    description:
        "A PostgreSQL container's healthcheck must run pg_isready (or psql) naming both the role (-U) and the database (-d). Without -d, pg_isready probes a database named after the OS user and reports healthy while the application's database is missing, so migrations and the backend start against nothing.",
    remediationSteps:
        'Use the Postgres component, or set healthcheck.tests to ["CMD", "pg_isready", "-U", <user>, "-d", <database>, "-h", "127.0.0.1"].',
    severity: "medium",
    topics: ["availability", "data"],
    checklist: ["CIS-Docker-5.27"],
    resourceTypes: [TYPES.container],
    check: (resource) => {
        // The role alone is cheap; the engine is worked out only for databases.
        const identity = containerRole(resource) === "database" ? containerIdentity(resource) : undefined;
        if (identity?.role !== "database" || identity.engine !== "postgres") {
            return [];
        }
        return postgresHealthcheckNamesUserAndDatabase(resource.props);
    },
});
