import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appSecureCookiesAndRedirect = environmentRuleGuard({
    name: "app-secure-cookies-and-redirect",
    description:
        "Secure cookies, HTTP-only session cookies, the HTTPS redirect and HSTS settings must not be switched off, and SECURE_HSTS_SECONDS must be at least a year when set. Otherwise cookies and requests travel over plain HTTP.",
});
