import { APPLICATION_ENVIRONMENT_RULES, Environment, Site } from "../../rules/applicationEnvironment";
import { KnownEnvironment, environmentOf, mountsOf } from "../../rules/containerProps";
import { APPLICATION_ROLES, ROLE_LABEL } from "../../rules/containerRole";
import { dockerRunEnvironment, parseDockerRun } from "../../rules/dockerRun";
import { MIGRATION_ROLE } from "../../rules/labels";
import { isUnknown, knownObject, knownString } from "../../rules/unknownValue";
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
type EnvironmentGuardSpec<C extends object = Record<string, never>> = Omit<
    ResourceGuardSpec<C>,
    "resourceTypes" | "check" | "remediationSteps"
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

/**
 * The environment of the container a migration step (a Command running `docker run` labelled as the migration)
 * starts: its `--env NAME=value` options, and for each `--env NAME` the value the Command's `environment` gives
 * docker. Undefined for any other Command, or while its script is unknown.
 */
export function migrationEnvironment(props: GuardedResource["props"]): KnownEnvironment | undefined {
    const create = knownString(props.create);
    const run = create === undefined ? undefined : parseDockerRun(create);
    const options = create === undefined ? undefined : dockerRunEnvironment(create);
    if (!run || !options || run.labels[ROLE_LABEL] !== MIGRATION_ROLE) {
        return undefined;
    }
    const given = knownObject(props.environment);
    if (given === undefined) {
        return undefined;
    }
    const env: Record<string, string> = {};
    let complete = true;
    for (const name of options.copied) {
        const value = knownString(given[name]);
        if (value !== undefined) {
            env[name] = value;
        } else {
            complete = complete && !isUnknown(given[name]);
        }
    }
    return { env: { ...env, ...options.values }, complete };
}

function applicationEnvironment(resource: GuardedResource): KnownEnvironment | undefined {
    if (resource.type === TYPES.command) {
        return migrationEnvironment(resource.props);
    }
    const role = containerRole(resource);
    if (!role || !APPLICATION_ROLES.has(role)) {
        return undefined;
    }
    return environmentOf(resource.props.envs);
}

/**
 * A guard applying `rule` to the environment of every application container; findings are keyed `envs.NAME`.
 * With `migration`, also to the container of the migration step (a Command), keyed `environment.NAME`.
 */
export function environmentGuard<C extends object = Record<string, never>>(
    spec: EnvironmentGuardSpec<C>,
    rule: (env: Environment, resource: GuardedResource, config: C) => Finding[],
    migration = false,
) {
    return resourceGuard<C>({
        remediationSteps: REMEDIATION,
        ...spec,
        resourceTypes: migration ? [TYPES.container, TYPES.command] : [TYPES.container],
        check: (resource, config) => {
            const environment = applicationEnvironment(resource);
            if (environment === undefined) {
                return [];
            }
            const prefix = resource.type === TYPES.command ? "environment" : "envs";
            return knownOnly(rule(environment.env, resource, config), environment).map((finding) => ({
                ...finding,
                key: `${prefix}.${finding.key}`,
            }));
        },
    });
}

/**
 * The guard for the rule of APPLICATION_ENVIRONMENT_RULES that has the guard's name. It checks the migration
 * step's container too: it runs the application's code with the application's environment. The pack cannot see the
 * stack's domain, so the rule gets the Site `site` makes of the guard's config (by default, none).
 */
export function environmentRuleGuard<C extends object = Record<string, never>>(
    spec: EnvironmentGuardSpec<C> & { readonly name: EnvironmentRuleName },
    site: (config: C) => Site = () => ({}),
) {
    const rule = APPLICATION_ENVIRONMENT_RULES[spec.name];
    return environmentGuard<C>(spec, (env, _resource, config) => rule(env, site(config)), true);
}

/** Paths the container keeps across replacements (volumes and bind mounts); "/" stands in while some are unknown. */
export function persistentPaths(resource: GuardedResource): string[] {
    const { mounts, complete } = mountsOf(resource.props);
    const paths = mounts
        .filter((mount) => mount.kind === "volume" || mount.kind === "bind")
        .map((mount) => mount.target);
    return complete ? paths : [...paths, "/"];
}
