import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { applicationEnvironmentPolicies } from "./container-app-environment";
import { containerCapabilitiesDropped } from "./container-capabilities-dropped";
import { commandNoSecretInArgv, containerNoSecretInCommand } from "./container-command-secrets";
import { containerHealthcheck } from "./container-healthcheck";
import { containerLogRotation } from "./container-log-rotation";
import { containerNoHostNamespaces } from "./container-no-host-namespaces";
import { containerNoNewPrivileges } from "./container-no-new-privileges";
import { containerNoSensitiveHostMounts } from "./container-no-sensitive-host-mounts";
import { containerNonRootUser } from "./container-non-root-user";
import { containerNotPrivileged } from "./container-not-privileged";
import { containerReadOnlyRootfs } from "./container-read-only-rootfs";
import { containerResourceLimits } from "./container-resource-limits";
import { containerRestartBounded } from "./container-restart-bounded";
import { containerSecurityProfiles } from "./container-security-profiles";
import { datastoreInternalNetwork } from "./datastore-internal-network";
import { datastorePersistentVolume } from "./datastore-persistent-volume";
import { datastorePorts } from "./datastore-ports";
import { imagePinned } from "./image-pinned";
import { postgresHealthcheck } from "./postgres-healthcheck";
import { proxySecurityHeaders } from "./proxy-security-headers";
import { redisPassword } from "./redis-password";
import { stackHealthGates } from "./stack-health-gates";
import { stackMigrationOrder } from "./stack-migration-order";

export type GuardPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The name the pack registers under; `--policy-pack-config` files and the CLI's output use it. */
export const POLICY_PACK_NAME = "webplatform-production-guards";

/** Throws when two policies share a name (the engine would silently merge their config). */
export function assertUniqueNames(policies: readonly GuardPolicy[]): readonly GuardPolicy[] {
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

/** Every policy of the pack, in the order the CLI lists them. */
export const POLICIES: readonly GuardPolicy[] = assertUniqueNames([
    ...applicationEnvironmentPolicies,
    imagePinned,
    postgresHealthcheck,
    datastorePersistentVolume,
    redisPassword,
    datastorePorts,
    containerNoSecretInCommand,
    commandNoSecretInArgv,
    proxySecurityHeaders,
    containerHealthcheck,
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
