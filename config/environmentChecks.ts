import { APPLICATION_ENVIRONMENT_RULES, Site } from "../rules/applicationEnvironment";
import { privateKeysInEnvironment } from "../rules/container/privateKeys";
import { plainCredentials } from "../rules/environment/credentials";
import { Finding, formatFinding } from "../rules/finding";
import { platformManagedVariables, projectedWorkerEnvironment } from "./projectedEnvironment";
import type { StackConfig } from "./schema";

/**
 * Checks of every application container's environment: web and migration (the application environment) and each
 * worker group (the application environment with the group's env merged last).
 */

const PREFIX = "webplatform:";

/** What the application-environment rules know of the stack: its domain and its named allowances. */
export function siteOf(config: StackConfig): Site {
    return { domain: config.domain, allowCrossSiteSessionCookies: config.allowCrossSiteSessionCookies === true };
}

/** Every environment a user writes, by its config key: backend.env, secretEnv, then each workers.<group>.env. */
function userEnvironmentSources(config: StackConfig): [string, Readonly<Record<string, string>>][] {
    return [
        ["backend.env", config.backend.env],
        ["secretEnv", config.secretEnv ?? {}],
        ...Object.keys(config.workers)
            .sort()
            .map((worker): [string, Readonly<Record<string, string>>] => [
                `workers.${worker}.env`,
                config.workers[worker].env,
            ]),
    ];
}

/**
 * A user value for a variable the platform sets itself (DATABASE_URL, a Redis URL variable, a generated secret,
 * DATA_DIR) would be replaced without a word. Refused in every environment, naming both keys.
 */
export function platformOverrideFindings(config: StackConfig): Finding[] {
    const managed = platformManagedVariables(config);
    const sources = userEnvironmentSources(config);
    const findings: Finding[] = [];
    for (const [path, env] of sources) {
        for (const variable of Object.keys(env)) {
            const platformKey = managed.get(variable);
            if (platformKey !== undefined) {
                findings.push({
                    key: `${PREFIX}${path}.${variable}`,
                    problem: `sets ${variable}, which the platform also sets from ${PREFIX}${platformKey}; the platform's value would win without a word.`,
                    fix: `remove ${variable} from ${path}, or remove it from ${platformKey} to supply your own value.`,
                });
            }
        }
    }
    return findings;
}

/**
 * The application-environment rules on each worker group's final environment. A finding on a variable the group
 * sets names workers.<group>.env.<VAR>; one on an inherited variable is already reported for the backend and is
 * reported once.
 */
export function workerEnvironmentFindings(config: StackConfig, reported: readonly Finding[]): Finding[] {
    const seen = new Set(reported.map(formatFinding));
    const findings: Finding[] = [];
    for (const worker of Object.keys(config.workers).sort()) {
        const own = config.workers[worker].env;
        const environment = projectedWorkerEnvironment(config, worker);
        for (const rule of Object.values(APPLICATION_ENVIRONMENT_RULES)) {
            for (const finding of rule(environment, siteOf(config))) {
                const variable = finding.key.replace(/\[.*$/, "");
                const path = Object.hasOwn(own, variable) ? `workers.${worker}.env` : "backend.env";
                const keyed = { ...finding, key: `${PREFIX}${path}.${finding.key}` };
                const line = formatFinding(keyed);
                if (!seen.has(line)) {
                    seen.add(line);
                    findings.push(keyed);
                }
            }
        }
    }
    return findings;
}

/** Plain-text credentials in backend.env and every workers.<group>.env (production). */
export function plainCredentialFindings(config: StackConfig): Finding[] {
    const secretPath = (name: string) => `secretEnv.${name}`;
    const findings = plainCredentials(config.backend.env, (name) => `${PREFIX}backend.env.${name}`, secretPath);
    for (const worker of Object.keys(config.workers).sort()) {
        findings.push(
            ...plainCredentials(
                config.workers[worker].env,
                (name) => `${PREFIX}workers.${worker}.env.${name}`,
                secretPath,
            ),
        );
    }
    return findings;
}

const PRIVATE_KEY_FIX =
    "remove it: for nginx's certificate key use the secret tlsPrivateKey (`pulumi config set --secret tlsPrivateKey < privkey.pem`), which nginx reads from a file; an application's own key must reach it as a file, not a variable.";

/**
 * PEM private keys in any container's environment (backend.env, secretEnv, every workers.<group>.env), which
 * `docker inspect` shows whether or not the value is a secret: the pack's container-no-private-key-in-env rule.
 */
export function privateKeyFindings(config: StackConfig): Finding[] {
    const sources = userEnvironmentSources(config);
    return sources.flatMap(([path, env]) =>
        privateKeysInEnvironment(env, PRIVATE_KEY_FIX, (name) => `${PREFIX}${path}.${name}`),
    );
}
