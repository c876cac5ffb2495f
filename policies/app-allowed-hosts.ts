import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appAllowedHosts = environmentRuleGuard({
    name: "app-allowed-hosts",
    description:
        "ALLOWED_HOSTS must list the public domain, never '*', localhost or nothing. A wildcard accepts forged Host headers and a development host breaks the site.",
    severity: "high",
    topics: ["application", "http"],
    checklist: ["Django-security.W020", "OWASP-Top10-A05"],
});
