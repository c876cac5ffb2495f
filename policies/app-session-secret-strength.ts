import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appSessionSecretStrength = environmentRuleGuard({
    name: "app-session-secret-strength",
    description:
        "SESSION_SECRET, when set, must be at least 32 characters and not a known default. A weak session secret lets sessions be forged.",
    severity: "high",
    topics: ["application", "secrets"],
    checklist: ["OWASP-Top10-A02"],
});
