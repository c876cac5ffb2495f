/**
 * Unsafe and safe host, origin and cookie settings for a stack whose domain is thebot.example.com (Pulumi.prod.yaml),
 * each laid over the production stack's backend.env. Shared by the rule tests (environmentHostsOrigins.test.ts), the
 * program's and the pack's tests, and meant for the real-CLI corpus: every unsafe case names the variable the
 * refusal must name. `needsDomain` marks a case only the program can refuse: the pack sees containers, not
 * webplatform:domain, so it checks what it can without it (rules/environment/site.ts).
 */

export const CASE_DOMAIN = "thebot.example.com";

export interface EnvironmentCase {
    readonly name: string;
    /** Variables laid over the production stack's backend.env. */
    readonly env: Readonly<Record<string, string>>;
    /** The variable every refusal names (unsafe cases only). */
    readonly key?: string;
    readonly needsDomain?: boolean;
    /** The stack (and the pack's app-cookie-samesite config) allow SameSite=None session cookies. */
    readonly allowCrossSiteSessionCookies?: boolean;
}

export const UNSAFE_HOST_CASES: readonly EnvironmentCase[] = [
    { name: "every host", env: { ALLOWED_HOSTS: "*" }, key: "ALLOWED_HOSTS" },
    { name: "every host as a JSON list", env: { ALLOWED_HOSTS: '["*"]' }, key: "ALLOWED_HOSTS" },
    {
        name: "every host besides the domain",
        env: { DJANGO_ALLOWED_HOSTS: `${CASE_DOMAIN},*` },
        key: "DJANGO_ALLOWED_HOSTS",
    },
    { name: "Starlette's every host", env: { TRUSTED_HOSTS: "*" }, key: "TRUSTED_HOSTS" },
    { name: "a top-level domain", env: { ALLOWED_HOSTS: `${CASE_DOMAIN},.com` }, key: "ALLOWED_HOSTS" },
    { name: "a top-level wildcard", env: { ALLOWED_HOSTS: `${CASE_DOMAIN},*.com` }, key: "ALLOWED_HOSTS" },
    {
        name: "the parent domain's subdomains",
        env: { ALLOWED_HOSTS: ".example.com" },
        key: "ALLOWED_HOSTS",
        needsDomain: true,
    },
    {
        name: "the parent domain's wildcard",
        env: { ALLOWED_HOSTS: "*.example.com" },
        key: "ALLOWED_HOSTS",
        needsDomain: true,
    },
    { name: "another site only", env: { ALLOWED_HOSTS: "shop.example.net" }, key: "ALLOWED_HOSTS", needsDomain: true },
    {
        name: "a look-alike host",
        env: { ALLOWED_HOSTS: `${CASE_DOMAIN}.evil.net` },
        key: "ALLOWED_HOSTS",
        needsDomain: true,
    },
    { name: "a URL instead of a host", env: { ALLOWED_HOSTS: `https://${CASE_DOMAIN}` }, key: "ALLOWED_HOSTS" },
    { name: "a host with a port", env: { ALLOWED_HOSTS: `${CASE_DOMAIN}:443` }, key: "ALLOWED_HOSTS" },
    { name: "a host with a path", env: { ALLOWED_HOSTS: `${CASE_DOMAIN}/api` }, key: "ALLOWED_HOSTS" },
    { name: "a Python list", env: { ALLOWED_HOSTS: `['${CASE_DOMAIN}']` }, key: "ALLOWED_HOSTS" },
    { name: "nothing", env: { ALLOWED_HOSTS: " , " }, key: "ALLOWED_HOSTS" },
    {
        name: "Flask's TRUSTED_HOSTS on localhost",
        env: { FLASK_TRUSTED_HOSTS: "localhost" },
        key: "FLASK_TRUSTED_HOSTS",
    },
    { name: "every subdomain of localhost", env: { ALLOWED_HOSTS: `${CASE_DOMAIN},.localhost` }, key: "ALLOWED_HOSTS" },
];

export const SAFE_HOST_CASES: readonly EnvironmentCase[] = [
    { name: "the domain", env: { ALLOWED_HOSTS: CASE_DOMAIN } },
    { name: "the domain and its www alias", env: { ALLOWED_HOSTS: `${CASE_DOMAIN}, www.${CASE_DOMAIN}` } },
    { name: "the domain and its subdomains", env: { ALLOWED_HOSTS: `.${CASE_DOMAIN}` } },
    { name: "a JSON list", env: { ALLOWED_HOSTS: `["${CASE_DOMAIN}"]` } },
    { name: "another spelling of the domain", env: { ALLOWED_HOSTS: "THEBOT.Example.COM." } },
    { name: "the domain and a second named site", env: { ALLOWED_HOSTS: `${CASE_DOMAIN} app.example.org` } },
];

export const UNSAFE_ORIGIN_CASES: readonly EnvironmentCase[] = [
    { name: "plain http", env: { CSRF_TRUSTED_ORIGINS: `http://${CASE_DOMAIN}` }, key: "CSRF_TRUSTED_ORIGINS" },
    { name: "a foreign site", env: { CSRF_TRUSTED_ORIGINS: "https://evil.example.net" }, key: "CSRF_TRUSTED_ORIGINS" },
    { name: "a trailing slash", env: { CSRF_TRUSTED_ORIGINS: `https://${CASE_DOMAIN}/` }, key: "CSRF_TRUSTED_ORIGINS" },
    { name: "no scheme", env: { CSRF_TRUSTED_ORIGINS: CASE_DOMAIN }, key: "CSRF_TRUSTED_ORIGINS" },
    {
        name: "the parent domain's wildcard",
        env: { CSRF_TRUSTED_ORIGINS: "https://*.example.com" },
        key: "CSRF_TRUSTED_ORIGINS",
    },
    {
        name: "a development server",
        env: { DJANGO_CSRF_TRUSTED_ORIGINS: "https://localhost:8000" },
        key: "DJANGO_CSRF_TRUSTED_ORIGINS",
    },
    { name: "every origin (CSRF)", env: { CSRF_TRUSTED_ORIGINS: "*" }, key: "CSRF_TRUSTED_ORIGINS" },
    {
        name: "a look-alike origin",
        env: { CORS_ALLOWED_ORIGINS: `https://${CASE_DOMAIN}.evil.net` },
        key: "CORS_ALLOWED_ORIGINS",
    },
    {
        name: "a development frontend",
        env: { CORS_ALLOWED_ORIGINS: "http://localhost:3000" },
        key: "CORS_ALLOWED_ORIGINS",
    },
    { name: "the null origin", env: { CORS_ALLOWED_ORIGINS: "null" }, key: "CORS_ALLOWED_ORIGINS" },
    {
        name: "the old whitelist over http",
        env: { CORS_ORIGIN_WHITELIST: `http://${CASE_DOMAIN}` },
        key: "CORS_ORIGIN_WHITELIST",
    },
    {
        name: "FastAPI's JSON list",
        env: { BACKEND_CORS_ORIGINS: '["https://evil.example.net"]' },
        key: "BACKEND_CORS_ORIGINS",
    },
    {
        name: "a regex allow-list",
        env: { CORS_ALLOWED_ORIGIN_REGEXES: "^https://.*$" },
        key: "CORS_ALLOWED_ORIGIN_REGEXES",
    },
    { name: "every origin (CORS)", env: { CORS_ORIGINS: "*" }, key: "CORS_ORIGINS" },
    {
        name: "user info in the origin",
        env: { CORS_ALLOWED_ORIGINS: `https://user@${CASE_DOMAIN}` },
        key: "CORS_ALLOWED_ORIGINS",
    },
    {
        name: "a path in the origin",
        env: { CORS_ALLOWED_ORIGINS: `https://${CASE_DOMAIN}/app` },
        key: "CORS_ALLOWED_ORIGINS",
    },
    {
        name: "allow-all, prefixed",
        env: { DJANGO_CORS_ALLOW_ALL_ORIGINS: "yes" },
        key: "DJANGO_CORS_ALLOW_ALL_ORIGINS",
    },
    { name: "Express's single origin", env: { CORS_ORIGIN: "https://evil.example.net" }, key: "CORS_ORIGIN" },
];

export const SAFE_ORIGIN_CASES: readonly EnvironmentCase[] = [
    { name: "the domain", env: { CSRF_TRUSTED_ORIGINS: `https://${CASE_DOMAIN}` } },
    { name: "a subdomain", env: { CSRF_TRUSTED_ORIGINS: `https://api.${CASE_DOMAIN}` } },
    { name: "the domain's own wildcard", env: { CSRF_TRUSTED_ORIGINS: `https://*.${CASE_DOMAIN}` } },
    { name: "two frontends", env: { CORS_ALLOWED_ORIGINS: `https://${CASE_DOMAIN},https://admin.${CASE_DOMAIN}` } },
    { name: "a JSON list", env: { CORS_ALLOWED_ORIGINS: `["https://${CASE_DOMAIN}"]` } },
    { name: "a port", env: { CORS_ALLOWED_ORIGINS: `https://${CASE_DOMAIN}:8443` } },
    {
        name: "a second site ALLOWED_HOSTS names",
        env: { ALLOWED_HOSTS: `${CASE_DOMAIN},app.example.org`, CORS_ALLOWED_ORIGINS: "https://app.example.org" },
    },
];

export const UNSAFE_COOKIE_CASES: readonly EnvironmentCase[] = [
    { name: "a cross-site session", env: { SESSION_COOKIE_SAMESITE: "None" }, key: "SESSION_COOKIE_SAMESITE" },
    {
        name: "a prefixed cross-site session",
        env: { DJANGO_SESSION_COOKIE_SAMESITE: " NONE " },
        key: "DJANGO_SESSION_COOKIE_SAMESITE",
    },
    {
        name: "Flask's cross-site session",
        env: { FLASK_SESSION_COOKIE_SAMESITE: "none", FLASK_SESSION_COOKIE_SECURE: "true" },
        key: "FLASK_SESSION_COOKIE_SAMESITE",
    },
    {
        name: "a cross-site remember-me cookie",
        env: { REMEMBER_COOKIE_SAMESITE: "None", REMEMBER_COOKIE_SECURE: "1" },
        key: "REMEMBER_COOKIE_SAMESITE",
    },
    { name: "Laravel's cross-site session", env: { SESSION_SAME_SITE: "none" }, key: "SESSION_SAME_SITE" },
    {
        name: "Spring's cross-site session",
        env: { SERVER_SERVLET_SESSION_COOKIE_SAME_SITE: "None" },
        key: "SERVER_SERVLET_SESSION_COOKIE_SAME_SITE",
    },
    {
        name: "a cross-site language cookie without Secure",
        env: { LANGUAGE_COOKIE_SAMESITE: "None" },
        key: "LANGUAGE_COOKIE_SAMESITE",
    },
    {
        name: "an allowed cross-site session without Secure",
        env: { SESSION_SAME_SITE: "None", SESSION_SECURE_COOKIE: "false" },
        key: "SESSION_SAME_SITE",
        allowCrossSiteSessionCookies: true,
    },
];

export const SAFE_COOKIE_CASES: readonly EnvironmentCase[] = [
    { name: "a Lax session", env: { SESSION_COOKIE_SAMESITE: "Lax" } },
    { name: "a Strict session", env: { SESSION_COOKIE_SAMESITE: "strict" } },
    { name: "a Secure cross-site CSRF cookie", env: { CSRF_COOKIE_SAMESITE: "None" } },
    {
        name: "an allowed Secure cross-site session",
        env: { SESSION_COOKIE_SAMESITE: "None" },
        allowCrossSiteSessionCookies: true,
    },
];
