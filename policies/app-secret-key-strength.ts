import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appSecretKeyStrength = environmentRuleGuard({
    name: "app-secret-key-strength",
    description:
        "The application's signing key (SECRET_KEY, DJANGO_SECRET_KEY and their fallbacks) must be long, random and not a django-insecure- or template value. A known key lets anyone forge sessions and password-reset links.",
    severity: "critical",
    topics: ["application", "secrets"],
    checklist: ["Django-security.W009", "OWASP-Top10-A02"],
});
