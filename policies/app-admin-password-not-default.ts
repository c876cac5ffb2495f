import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appAdminPasswordNotDefault = environmentRuleGuard({
    name: "app-admin-password-not-default",
    description:
        "ADMIN_PASSWORD, when set, must not be a common default or shorter than 12 characters. Default admin passwords are the first thing scanners try.",
    severity: "high",
    topics: ["application", "secrets"],
    checklist: ["OWASP-Top10-A07", "OWASP-Top10-A05"],
});
