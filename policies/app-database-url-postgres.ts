import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appDatabaseUrlPostgres = environmentRuleGuard({
    name: "app-database-url-postgres",
    description:
        "DATABASE_URL must be a parseable PostgreSQL URL with a host, an integer port, a database and a password that needs no escaping. SQLite, localhost and an unescaped password (the seed's 'Port could not be cast to integer') all broke production.",
    severity: "high",
    topics: ["application", "availability"],
    checklist: ["OWASP-Docker-D09"],
});
