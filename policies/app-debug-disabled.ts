import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appDebugDisabled = environmentRuleGuard({
    name: "app-debug-disabled",
    description:
        "Application containers must not run with DEBUG, DJANGO_DEBUG, FLASK_DEBUG or APP_DEBUG turned on. Debug mode shows stack traces and settings to anyone and was on in a seed deployment marked production ready.",
    severity: "high",
    topics: ["application"],
    checklist: ["Django-security.W018", "OWASP-Top10-A05"],
});
