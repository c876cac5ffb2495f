import { ResourceValidationPolicy } from "@pulumi/policy";
import { APPLICATION_ENVIRONMENT_RULES, Environment, dataDirectoryOutsideCode } from "../rules/applicationEnvironment";
import { KnownEnvironment, environmentOf, mountsOf } from "../rules/containerProps";
import { APPLICATION_ROLES } from "../rules/containerRole";
import { Finding } from "../rules/finding";
import { GuardedResource, TYPES, resourceGuard } from "./lib/guard";
import { containerRole } from "./lib/containers";

/**
 * The application-environment guards, one policy per rule of APPLICATION_ENVIRONMENT_RULES (the same functions
 * that validate stack config), applied to every web and worker container: the settings behind the seed outages.
 */
type RuleName = keyof typeof APPLICATION_ENVIRONMENT_RULES | "app-data-directory-outside-code";

const DESCRIPTIONS: Record<RuleName, string> = {
    "app-debug-disabled":
        "Application containers must not run with DEBUG, DJANGO_DEBUG, FLASK_DEBUG or APP_DEBUG turned on. Debug mode shows stack traces and settings to anyone and was on in a seed deployment marked production ready.",
    "app-production-marker":
        "Application containers must say they run in production (ENVIRONMENT, APP_ENV, DJANGO_ENV, NODE_ENV or ENV set to production). Without it, frameworks fall back to development defaults and skip their own production checks.",
    "app-secret-key-strength":
        "The application's signing key (SECRET_KEY, DJANGO_SECRET_KEY and their fallbacks) must be long, random and not a django-insecure- or template value. A known key lets anyone forge sessions and password-reset links.",
    "app-session-secret-strength":
        "SESSION_SECRET, when set, must be at least 32 characters and not a known default. A weak session secret lets sessions be forged.",
    "app-admin-password-not-default":
        "ADMIN_PASSWORD, when set, must not be a common default or shorter than 12 characters. Default admin passwords are the first thing scanners try.",
    "app-database-url-postgres":
        "DATABASE_URL must be a parseable PostgreSQL URL with a host, an integer port, a database and a password that needs no escaping. SQLite, localhost and an unescaped password (the seed's 'Port could not be cast to integer') all broke production.",
    "app-redis-broker":
        "REDIS_URL must be a redis:// URL not pointing at localhost, and Celery or notification brokers must use Redis. An in-process broker loses messages and is not shared between containers.",
    "app-allowed-hosts":
        "ALLOWED_HOSTS must list the public domain, never '*', localhost or nothing. A wildcard accepts forged Host headers and a development host breaks the site.",
    "app-cors-origins":
        "CORS must not allow every origin, and CORS_ALLOWED_ORIGINS may list only https origins on public hosts. Otherwise any web site can make credentialed requests to the API.",
    "app-secure-cookies-and-redirect":
        "Secure cookies, HTTP-only session cookies, the HTTPS redirect and HSTS settings must not be switched off, and SECURE_HSTS_SECONDS must be at least a year when set. Otherwise cookies and requests travel over plain HTTP.",
    "app-data-directory-outside-code":
        "DATA_DIR, when set, must be an absolute path outside the application's code tree and on a mounted volume. Data written inside the image or the container's own layer is lost when the image changes.",
};

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

function environmentPolicy(name: RuleName, rule: (env: Environment, resource: GuardedResource) => Finding[]) {
    return resourceGuard({
        name,
        description: DESCRIPTIONS[name],
        remediationSteps: REMEDIATION,
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

/** Paths the container keeps across replacements (volumes and bind mounts); "/" stands in while some are unknown. */
function persistentPaths(resource: GuardedResource): string[] {
    const { mounts, complete } = mountsOf(resource.props);
    const paths = mounts
        .filter((mount) => mount.kind === "volume" || mount.kind === "bind")
        .map((mount) => mount.target);
    return complete ? paths : [...paths, "/"];
}

export const applicationEnvironmentPolicies: ResourceValidationPolicy[] = [
    ...Object.entries(APPLICATION_ENVIRONMENT_RULES).map(([name, rule]) =>
        environmentPolicy(name as RuleName, (env) => rule(env)),
    ),
    environmentPolicy("app-data-directory-outside-code", (env, resource) =>
        dataDirectoryOutsideCode(env, persistentPaths(resource)),
    ),
];
