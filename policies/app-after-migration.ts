import { parseDockerRun } from "../rules/dockerRun";
import { APPLICATION_ROLES } from "../rules/containerRole";
import { Finding } from "../rules/finding";
import { LABELS, MIGRATION_ROLE } from "../rules/labels";
import { transitiveDependencies } from "../rules/stackGraph";
import { isUnknown, knownString } from "../rules/unknownValue";
import { StackFinding, StackResource, TYPES, guardConfig, stackGuard } from "./lib/guard";
import { containersOf, imageSources, stackContainerRole } from "./lib/stackContainers";

export interface MigrationOrderConfig {
    /** `key=value` label that marks a `docker run` step as a migration. */
    readonly migrationLabel: string;
    /** Regular expression that marks a `docker run` step as a migration by the command it runs. */
    readonly migrationCommandPattern: string;
}

const config = guardConfig<MigrationOrderConfig>({
    migrationLabel: {
        type: "string",
        pattern: "^[^=\\s]+=[^\\s]+$",
        default: `${LABELS.role}=${MIGRATION_ROLE}`,
        description: "Label (key=value) on the docker run step that marks it as a migration.",
    },
    migrationCommandPattern: {
        type: "string",
        default: "(^|\\s)(migrate|upgrade\\s+head|db:migrate|migrate\\s+deploy|flyway|liquibase|dbmate|goose)(\\s|$)",
        description:
            "Regular expression over the command run in the container that also marks a docker run step as a migration.",
    },
});

type Match = "same" | "different" | "undetermined";

interface Candidate {
    readonly command: StackResource;
    /** Image the step runs, when its script is known. */
    readonly image?: string;
}

function isMigration(create: string, settings: MigrationOrderConfig): { image: string } | undefined {
    const run = parseDockerRun(create);
    if (!run) {
        return undefined;
    }
    const separator = settings.migrationLabel.indexOf("=");
    const labelKey = settings.migrationLabel.slice(0, separator);
    const labelValue = settings.migrationLabel.slice(separator + 1);
    const labelled = run.labels[labelKey] === labelValue;
    const byCommand = new RegExp(settings.migrationCommandPattern).test(run.command.join(" "));
    return labelled || byCommand ? { image: run.image } : undefined;
}

/**
 * The migration candidate a Command offers, or undefined when it is no migration step. Every application container
 * waits for the same few Commands, so each Command is read once per check rather than once per container.
 */
function candidateReader(settings: MigrationOrderConfig): (command: StackResource) => Candidate | undefined {
    const read = new Map<StackResource, Candidate | undefined>();
    return (command) => {
        if (read.has(command)) {
            return read.get(command);
        }
        const create = command.props.create;
        let candidate: Candidate | undefined;
        if (isUnknown(create)) {
            candidate = { command };
        } else {
            const migration = typeof create === "string" ? isMigration(create, settings) : undefined;
            candidate = migration ? { command, image: migration.image } : undefined;
        }
        read.set(command, candidate);
        return candidate;
    };
}

function sameImage(container: StackResource, candidate: Candidate, resources: readonly StackResource[]): Match {
    const image = knownString(container.props.image);
    if (image !== undefined && candidate.image !== undefined) {
        return image === candidate.image ? "same" : "different";
    }
    if (image !== undefined) {
        return "undetermined";
    }
    // Preview: the image ID is not known yet, but both sides name the RemoteImage they come from.
    const sources = imageSources(container, resources);
    if (sources.length === 0) {
        return "undetermined";
    }
    const used = (candidate.command.propertyDependencies.create ?? []).filter(
        (resource) => resource.type === TYPES.remoteImage,
    );
    const names = new Set(sources.map((source) => knownString(source.props.name)).filter((name) => name !== undefined));
    const shares = used.some((resource) => {
        const name = knownString(resource.props.name);
        return sources.includes(resource) || (name !== undefined && names.has(name));
    });
    return shares ? "same" : "different";
}

function shortImage(image: string): string {
    return image.startsWith("sha256:") ? image.slice(0, 19) : image;
}

function check(resources: readonly StackResource[], settings: MigrationOrderConfig): StackFinding[] {
    const findings: StackFinding[] = [];
    const candidateOf = candidateReader(settings);
    for (const container of containersOf(resources)) {
        const role = stackContainerRole(container, resources);
        if (!role || !APPLICATION_ROLES.has(role)) {
            continue;
        }
        const candidates: Candidate[] = [];
        for (const command of transitiveDependencies(container)) {
            const candidate = command.type === TYPES.command ? candidateOf(command) : undefined;
            if (candidate) {
                candidates.push(candidate);
            }
        }
        const report = (finding: Finding) => findings.push({ resource: container, finding });
        if (candidates.length === 0) {
            report({
                key: "dependsOn",
                problem:
                    "does not wait for a migration step, so it can start against a schema that is not migrated yet (the seed outage: production images started gunicorn without `alembic upgrade head` and every request failed on missing tables).",
                fix: "create the container through Backend/WorkerGroup, or make it depend on a command:local:Command that runs `docker run --label webplatform.role=migration <same image> <migrate command>`.",
            });
            continue;
        }
        const matches = candidates.map((candidate) => sameImage(container, candidate, resources));
        if (matches.includes("same") || matches.includes("undetermined")) {
            continue;
        }
        const image = knownString(container.props.image);
        const known = candidates.filter((candidate) => candidate.image !== undefined);
        report({
            key: "image",
            problem:
                known.length > 0 && image !== undefined
                    ? `runs ${shortImage(image)} but its migration step "${known[0].command.name}" runs ${shortImage(known[0].image!)}, so the schema can belong to different code.`
                    : "comes from an image that none of the steps it waits for migrates with, so the schema can belong to different code.",
            fix: "run the migration with the same image ID as the application containers (Backend passes image.imageId to both).",
        });
    }
    return findings;
}

export const stackMigrationOrder = stackGuard<MigrationOrderConfig>({
    name: "app-after-migration",
    description:
        "Every web and worker container must depend, directly or through other resources, on a migration step (a command:local:Command running `docker run --label webplatform.role=migration ...`) that runs the same image ID. Otherwise new code starts against an old schema, or the schema is migrated by different code than the one that serves it.",
    remediationSteps:
        "Deploy application containers with the Backend and WorkerGroup components, which run the migration with the backend's image ID and make every container depend on it.",
    severity: "high",
    topics: ["availability", "data"],
    checklist: [],
    uncatalogued: "start-up order between a migration and the application is outside every checklist.",
    config,
    check,
});
