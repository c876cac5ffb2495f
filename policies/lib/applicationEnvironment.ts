import { APPLICATION_ENVIRONMENT_RULES, Environment } from "../../rules/applicationEnvironment";
import { KnownEnvironment, environmentOf, mountsOf } from "../../rules/containerProps";
import { APPLICATION_ROLES } from "../../rules/containerRole";
import { Finding } from "../../rules/finding";
import { GuardedResource, ResourceGuardSpec, TYPES, resourceGuard } from "./guard";
import { containerRole } from "./containers";

/**
 * What the application-environment guards share: each applies one rule (for most, a rule of
 * APPLICATION_ENVIRONMENT_RULES, the same functions that validate stack config) to every web and worker container's
 * environment, the settings behind the seed outages.
 */
export type EnvironmentRuleName = keyof typeof APPLICATION_ENVIRONMENT_RULES;

/** A guard's spec without what every application-environment guard shares (a shared remediation by default). */
type EnvironmentGuardSpec = Omit<
    ResourceGuardSpec<Record<string, never>>,
    "resourceTypes" | "check" | "config" | "remediationSteps"
> & { readonly remediationSteps?: string };

const REMEDIATION =
    "Set the variable in the stack config (webplatform:backend.env), or let the platform generate or inject it (generatedSecrets, databaseUrlVariables, redisUrlVariables, dataDirectory), then run `pulumi preview --policy-pack policies` again.";

/** Findings on a partly unknown environment are kept only for variables whose value is known. */
function knownOnly(findings: Finding[], environment: KnownEnvironment): Finding[] {
    if (environment.complete) {
        return findings;
    }
    return findings.filter((finding) => environment.env[finding.key.replace(/\[.*$/, "")] !== undefined);
}

function applicationEnvironment(resource: GuardedResource): KnownEnvironment | undefined {
    const role = containerRole(resource);
    if (!role || !APPLICATION_ROLES.has(role)) {
        return undefined;
    }
    return environmentOf(resource.props.envs);
}

/** A guard applying `rule` to the environment of every application container; findings are keyed `envs.NAME`. */
export function environmentGuard(
    spec: EnvironmentGuardSpec,
    rule: (env: Environment, resource: GuardedResource) => Finding[],
) {
    return resourceGuard({
        remediationSteps: REMEDIATION,
        ...spec,
        resourceTypes: [TYPES.container],
        check: (resource) => {
            const environment = applicationEnvironment(resource);
            if (environment === undefined) {
                return [];
            }
            return knownOnly(rule(environment.env, resource), environment).map((finding) => ({
                ...finding,
                key: `envs.${finding.key}`,
            }));
        },
    });
}

/** The guard for the rule of APPLICATION_ENVIRONMENT_RULES that has the guard's name. */
export function environmentRuleGuard(spec: EnvironmentGuardSpec & { readonly name: EnvironmentRuleName }) {
    const rule = APPLICATION_ENVIRONMENT_RULES[spec.name];
    return environmentGuard(spec, (env) => rule(env));
}

/** Paths the container keeps across replacements (volumes and bind mounts); "/" stands in while some are unknown. */
export function persistentPaths(resource: GuardedResource): string[] {
    const { mounts, complete } = mountsOf(resource.props);
    const paths = mounts
        .filter((mount) => mount.kind === "volume" || mount.kind === "bind")
        .map((mount) => mount.target);
    return complete ? paths : [...paths, "/"];
}
