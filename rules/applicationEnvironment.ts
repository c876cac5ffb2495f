/**
 * Production rules over an application's environment variables: the settings behind the seed outages
 * (DEBUG=True, a django-insecure- SECRET_KEY, SQLite, localhost hosts, an in-memory broker, DATA_DIR inside the
 * code). Pure functions, shared by stack config validation and the policy pack; each family lives in environment/.
 */
import { postgresDatabaseUrl, redisBroker } from "./environment/connections";
import { debugDisabled, productionMarker } from "./environment/flags";
import { allowedHosts, corsOrigins } from "./environment/hosts";
import { strongAdminPassword, strongSecretKeys, strongSessionSecret } from "./environment/secrets";
import { secureCookiesAndRedirect } from "./environment/transport";

export * from "./environment/connections";
export * from "./environment/dataDirectory";
export * from "./environment/flags";
export * from "./environment/hosts";
export * from "./environment/secrets";
export * from "./environment/transport";
export type { Environment } from "./environment/words";

/** Every application-environment rule, by the name the policy pack registers it under. */
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
    "app-secure-cookies-and-redirect": secureCookiesAndRedirect,
} as const;
