import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appSecureCookiesAndRedirect = environmentRuleGuard({
    name: "app-secure-cookies-and-redirect",
    description:
        "Secure cookies, HTTP-only session cookies, the HTTPS redirect and HSTS settings must not be switched off, and SECURE_HSTS_SECONDS must be at least a year when set. Otherwise cookies and requests travel over plain HTTP.",
    severity: "high",
    topics: ["application", "http"],
    checklist: [
        "Django-security.W004",
        "Django-security.W005",
        "Django-security.W008",
        "Django-security.W012",
        "Django-security.W015",
        "Django-security.W016",
        "OWASP-Top10-A02",
    ],
});
