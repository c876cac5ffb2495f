import { queueWorkerHasBroker } from "../rules/commands/containerSteps";
import { APPLICATION_ROLES } from "../rules/containerRole";
import { TYPES, resourceGuard } from "./lib/guard";
import { containerRole } from "./lib/containers";

export const workerQueueBroker = resourceGuard({
    name: "worker-queue-broker",
    description:
        "A worker or application container that starts a queue runner (celery, rq, dramatiq, arq, huey) must have a redis:// broker URL in a variable its runner reads (CELERY_BROKER_URL, RQ_REDIS_URL, REDIS_URL...). Without one the runner falls back to a broker on localhost, which inside a container does not exist.",
    remediationSteps:
        "Give the container the platform Redis URL in the runner's broker variable: in this library, map it in backend.redisUrlVariables (e.g. CELERY_BROKER_URL: broker).",
    severity: "medium",
    topics: ["application", "availability"],
    checklist: [],
    uncatalogued: "no checklist covers a queue worker's broker settings.",
    resourceTypes: [TYPES.container],
    check: (resource) => {
        const role = containerRole(resource);
        return role !== undefined && APPLICATION_ROLES.has(role) ? queueWorkerHasBroker(resource.props) : [];
    },
});
