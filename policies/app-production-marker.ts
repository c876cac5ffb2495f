import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appProductionMarker = environmentRuleGuard({
    name: "app-production-marker",
    description:
        "Application containers must say they run in production (ENVIRONMENT, APP_ENV, DJANGO_ENV, NODE_ENV or ENV set to production). Without it, frameworks fall back to development defaults and skip their own production checks.",
    severity: "medium",
    topics: ["application"],
    checklist: ["OWASP-Top10-A05"],
});
