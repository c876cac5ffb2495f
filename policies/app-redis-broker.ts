import { environmentRuleGuard } from "./lib/applicationEnvironment";

export const appRedisBroker = environmentRuleGuard({
    name: "app-redis-broker",
    description:
        "REDIS_URL must be a redis:// URL not pointing at localhost, and Celery or notification brokers must use Redis. An in-process broker loses messages and is not shared between containers.",
    severity: "medium",
    topics: ["application", "availability"],
    checklist: ["OWASP-Docker-D09"],
});
