/**
 * Production rules over an application's environment variables: the settings behind the seed outages
 * (DEBUG=True, a django-insecure- SECRET_KEY, SQLite, localhost hosts, an in-memory broker, DATA_DIR inside the
 * code). Pure functions, shared by stack config validation and the policy pack; each family lives in environment/.
 */
import { postgresDatabaseUrl, redisBroker } from "./environment/connections";
import { debugDisabled, productionMarker } from "./environment/flags";
import { cookieSameSite } from "./environment/cookies";
import { allowedHosts } from "./environment/hosts";
import { corsOrigins, csrfTrustedOrigins } from "./environment/origins";
import { strongAdminPassword, strongSecretKeys, strongSessionSecret } from "./environment/secrets";
import { secureCookiesAndRedirect } from "./environment/transport";
import type { Site } from "./environment/site";
import type { Environment } from "./environment/words";
import type { Finding } from "./finding";

export * from "./environment/connections";
export * from "./environment/cookies";
export * from "./environment/dataDirectory";
export * from "./environment/flags";
export * from "./environment/hostPatterns";
export * from "./environment/hosts";
export * from "./environment/origins";
export * from "./environment/secrets";
export * from "./environment/transport";
export type { Site } from "./environment/site";
export type { Environment } from "./environment/words";

/**
 * Every application-environment rule, by the name the policy pack registers it under. Each takes what it knows of
 * the stack (Site): the program passes the domain and its options, the pack what it can see.
 */
export const APPLICATION_ENVIRONMENT_RULES = {
    "app-debug-disabled": debugDisabled,
    "app-production-marker": productionMarker,
    "app-secret-key-strength": strongSecretKeys,
    "app-session-secret-strength": strongSessionSecret,
    "app-admin-password-not-default": strongAdminPassword,
    "app-database-url-postgres": postgresDatabaseUrl,
    "app-redis-broker": redisBroker,
    "app-allowed-hosts": allowedHosts,
    "app-cors-origins": corsOrigins,
    "app-csrf-trusted-origins": csrfTrustedOrigins,
    "app-cookie-samesite": cookieSameSite,
    "app-secure-cookies-and-redirect": secureCookiesAndRedirect,
} as const satisfies Record<string, (env: Environment, site: Site) => Finding[]>;
