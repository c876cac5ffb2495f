import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appCorsOrigins = environmentRuleGuard({
    name: "app-cors-origins",
    description:
        "CORS must not allow every origin, and CORS_ALLOWED_ORIGINS may list only https origins on public hosts. Otherwise any web site can make credentialed requests to the API.",
    severity: "high",
    topics: ["application", "http"],
    checklist: ["OWASP-Top10-A01", "OWASP-Top10-A05"],
});
