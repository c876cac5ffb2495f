import { PolicyPackArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { appAdminPasswordNotDefault } from "./app-admin-password-not-default";
import { stackMigrationOrder } from "./app-after-migration";
import { appAllowedHosts } from "./app-allowed-hosts";
import { appCookieSameSite } from "./app-cookie-samesite";
import { appCorsOrigins } from "./app-cors-origins";
import { appCsrfTrustedOrigins } from "./app-csrf-trusted-origins";
import { appDataDirectoryOutsideCode } from "./app-data-directory-outside-code";
import { appPortsThroughProxy } from "./app-ports-through-proxy";
import { appDatabaseUrlPostgres } from "./app-database-url-postgres";
import { appDebugDisabled } from "./app-debug-disabled";
import { appProductionMarker } from "./app-production-marker";
import { appRedisBroker } from "./app-redis-broker";
import { appSecretKeyStrength } from "./app-secret-key-strength";
import { appSecureCookiesAndRedirect } from "./app-secure-cookies-and-redirect";
import { appSessionSecretStrength } from "./app-session-secret-strength";
import { commandNoSecretInCommandLine } from "./command-no-secret-in-command-line";
import { containerCapabilitiesDropped } from "./container-capabilities-dropped";
import { containerHealthcheck } from "./container-healthcheck";
import { containerRealHealthcheck } from "./container-real-healthcheck";
import { containerLogRotation } from "./container-log-rotation";
import { containerNoHostNamespaces } from "./container-no-host-namespaces";
import { containerNoNewPrivileges } from "./container-no-new-privileges";
import { containerNoPrivateKeyInEnv } from "./container-no-private-key-in-env";
import { containerNoSecretInCommand } from "./container-no-secret-in-command";
import { containerNoSensitiveHostMounts } from "./container-no-sensitive-host-mounts";
import { containerNonRootUser } from "./container-non-root-user";
import { containerNotPrivileged } from "./container-not-privileged";
import { containerReadOnlyRootfs } from "./container-read-only-rootfs";
import { containerResourceLimits } from "./container-resource-limits";
import { containerRestartBounded } from "./container-restart-bounded";
import { containerSecurityProfiles } from "./container-security-profiles";
import { datastoreInternalNetwork } from "./datastore-internal-network";
import { datastorePersistentVolume } from "./datastore-persistent-volume";
import { datastorePorts } from "./datastore-ports-loopback-only";
import { stackHealthGates } from "./dependency-waits-for-health";
import { imagePinned } from "./image-pinned";
import { Guard, RegisteredMetadata } from "./lib/guard";
import { migrationNotNoOp } from "./migration-not-no-op";
import { postgresHealthcheck } from "./postgres-healthcheck-user-and-database";
import { proxySecurityHeaders } from "./proxy-security-headers";
import { proxyTlsAndHosts } from "./proxy-tls-and-hosts";
import { redisPassword } from "./redis-requires-password";
import { workerQueueBroker } from "./worker-queue-broker";

export type GuardPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The name the pack registers under; `--policy-pack-config` files and the CLI's output use it. */
export const POLICY_PACK_NAME = "webplatform-production-guards";

/** Throws when two policies share a name (the engine would silently merge their config). */
export function assertUniqueNames<P extends GuardPolicy>(policies: readonly P[]): readonly P[] {
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const policy of policies) {
        if (seen.has(policy.name)) {
            duplicates.add(policy.name);
        }
        seen.add(policy.name);
    }
    if (duplicates.size > 0) {
        throw new Error(`policy names must be unique; registered more than once: ${[...duplicates].sort().join(", ")}`);
    }
    return policies;
}

/** The application-environment guards (lib/applicationEnvironment.ts), in the order the rules are listed. */
export const applicationEnvironmentPolicies: readonly Guard<ResourceValidationPolicy>[] = [
    appDebugDisabled,
    appProductionMarker,
    appSecretKeyStrength,
    appSessionSecretStrength,
    appAdminPasswordNotDefault,
    appDatabaseUrlPostgres,
    appRedisBroker,
    appAllowedHosts,
    appCorsOrigins,
    appCsrfTrustedOrigins,
    appCookieSameSite,
    appSecureCookiesAndRedirect,
    appDataDirectoryOutsideCode,
];

/** Every guard of the pack with its metadata, in the order the CLI lists them; policies/<name>.ts registers each. */
const GUARDS: readonly (Guard<ResourceValidationPolicy> | Guard<StackValidationPolicy>)[] = assertUniqueNames([
    ...applicationEnvironmentPolicies,
    imagePinned,
    postgresHealthcheck,
    datastorePersistentVolume,
    redisPassword,
    datastorePorts,
    appPortsThroughProxy,
    containerNoSecretInCommand,
    commandNoSecretInCommandLine,
    containerNoPrivateKeyInEnv,
    proxySecurityHeaders,
    proxyTlsAndHosts,
    containerHealthcheck,
    containerRealHealthcheck,
    migrationNotNoOp,
    workerQueueBroker,
    containerNonRootUser,
    containerNotPrivileged,
    containerNoHostNamespaces,
    containerNoSensitiveHostMounts,
    containerNoNewPrivileges,
    containerSecurityProfiles,
    containerCapabilitiesDropped,
    containerReadOnlyRootfs,
    containerResourceLimits,
    containerRestartBounded,
    containerLogRotation,
    stackMigrationOrder,
    datastoreInternalNetwork,
    stackHealthGates,
]);

/** Every policy of the pack, in the order the CLI lists them. */
export const POLICIES: readonly GuardPolicy[] = GUARDS;

/** Each policy's metadata (severity, topics, checklist items, what it reads), by policy name, in registry order. */
export const GUARD_METADATA: ReadonlyMap<string, RegisteredMetadata> = new Map(
    GUARDS.map((guard) => [guard.name, guard.metadata]),
);

/** What index.ts hands the runner: every policy of the pack, mandatory unless a config file says otherwise. */
export const POLICY_PACK: PolicyPackArgs = {
    description:
        "Refuses an unsafe production rollout of the web platform: application settings, pinned images, datastore safety, nginx security headers, container hardening and start-up order.",
    enforcementLevel: "mandatory",
    policies: [...POLICIES],
};
