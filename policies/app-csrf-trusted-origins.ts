import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appCsrfTrustedOrigins = environmentRuleGuard({
    name: "app-csrf-trusted-origins",
    description:
        "CSRF_TRUSTED_ORIGINS may list only https origins (nothing after the host and port) on the site's own hosts: the stack's domain, its subdomains, or a host ALLOWED_HOSTS names. An http, foreign or loopback origin lets another site pass Django's CSRF check.",
    severity: "high",
    topics: ["application", "http"],
    checklist: ["OWASP-Top10-A01"],
});
