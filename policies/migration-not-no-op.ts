import { migrationContainerDoesSomething, migrationStepDoesSomething } from "../rules/commands/containerSteps";
import { knownString } from "../rules/unknownValue";
import { TYPES, resourceGuard } from "./lib/guard";

export const migrationNotNoOp = resourceGuard({
    name: "migration-not-no-op",
    description:
        "The migration step (a `docker run` Command or container labelled webplatform.role=migration) must run a command that does something. A stand-in such as `true`, `exit 0` or `sh -c 'echo migrated'` satisfies the start-up order while the schema is never migrated, and `migrate || true` lets the application start on a failed migration.",
    remediationSteps:
        'Run the real migration, e.g. ["python", "manage.py", "migrate", "--noinput"] or ["alembic", "upgrade", "head"], and let its failure stop the rollout.',
    severity: "high",
    topics: ["application", "availability"],
    checklist: [],
    uncatalogued:
        "a migration step that does nothing is this platform's own failure mode; no checklist has a migration step.",
    resourceTypes: [TYPES.command, TYPES.container],
    check: ({ type, props }) =>
        type === TYPES.command
            ? migrationStepDoesSomething(knownString(props.create))
            : migrationContainerDoesSomething(props),
});
