import { beforeAll, describe, expect, it } from "vitest";
import { TYPES } from "../lib/guard";
import { PlatformFixture, asPreview, mockImageId, platformFixture } from "./fixtures";
import { StackInput, UNKNOWN, runStackPolicy } from "./harness";
import { replaceResource, stackPolicy } from "./helpers";

const MIGRATION = stackPolicy("app-after-migration");
const NETWORK = stackPolicy("datastore-internal-network");
const HEALTH = stackPolicy("dependency-waits-for-health");

const MIGRATION_RUN = "thebot-backend-migrate-run";
const APP_CONTAINERS = ["thebot-backend-web-1", "thebot-celery-beat-1", "thebot-celery-worker-1", "thebot-daphne-1"];

/** Removes one dependency (by resource name) from a resource. */
function withoutDependency(resources: readonly StackInput[], name: string, dependency: string): StackInput[] {
    const urn = resources.find((resource) => resource.name === dependency)!.urn;
    return replaceResource(resources, name, (copy) => ({
        ...copy,
        dependencies: copy.dependencies.filter((item) => item !== urn),
    }));
}

describe("stack policies", () => {
    let fixture: PlatformFixture;
    let resources: readonly StackInput[];
    beforeAll(async () => {
        fixture = await platformFixture();
        resources = fixture.resources;
    });

    it("accept the platform as built, at update and at preview", () => {
        for (const policy of [MIGRATION, NETWORK, HEALTH]) {
            expect(runStackPolicy(policy, resources)).toEqual({ violations: [], urns: [] });
            expect(runStackPolicy(policy, asPreview(fixture, UNKNOWN).resources)).toEqual({ violations: [], urns: [] });
        }
    });

    describe("app-after-migration", () => {
        const NO_MIGRATION = (name: string) =>
            `Container "${name}" breaks app-after-migration: dependsOn: does not wait for a migration step, so it can start against a schema that is not migrated yet (the seed outage: production images started gunicorn without \`alembic upgrade head\` and every request failed on missing tables). Fix: create the container through Backend/WorkerGroup, or make it depend on a command:local:Command that runs \`docker run --label webplatform.role=migration <same image> <migrate command>\`.`;

        it("sees that every web and worker container waits for the migration", () => {
            const migrationUrn = fixture.named(MIGRATION_RUN).urn;
            for (const name of APP_CONTAINERS) {
                expect(fixture.named(name).dependencies).toContain(migrationUrn);
            }
        });

        it("reports a web container that does not depend on the migration, against that container's URN", () => {
            const outcome = runStackPolicy(
                MIGRATION,
                withoutDependency(resources, "thebot-backend-web-1", MIGRATION_RUN),
            );
            expect(outcome.violations).toEqual([NO_MIGRATION("thebot-backend-web-1")]);
            expect(outcome.urns).toEqual([fixture.named("thebot-backend-web-1").urn]);
        });

        it("reports it at preview too, when nothing else is known", () => {
            const preview = asPreview(fixture, UNKNOWN).resources;
            expect(
                runStackPolicy(MIGRATION, withoutDependency(preview, "thebot-celery-worker-1", MIGRATION_RUN))
                    .violations,
            ).toEqual([NO_MIGRATION("thebot-celery-worker-1")]);
        });

        it("finds the migration through other resources (transitively)", () => {
            const migrationUrn = fixture.named(MIGRATION_RUN).urn;
            const viaVolume = replaceResource(
                withoutDependency(resources, "thebot-backend-web-1", MIGRATION_RUN),
                "thebot-data",
                (copy) => ({ ...copy, dependencies: [...copy.dependencies, migrationUrn] }),
            );
            expect(runStackPolicy(MIGRATION, viaVolume).violations).toEqual([]);
        });

        it("does not count a docker run step without the migration label or a migrate command", () => {
            const unlabelled = replaceResource(resources, MIGRATION_RUN, (copy) => {
                copy.props.create = String(copy.props.create)
                    .replace("--label webplatform.role=migration ", "")
                    .replace(/sh -c '.*'/, "python manage.py check --deploy");
            });
            expect(runStackPolicy(MIGRATION, unlabelled).violations.sort()).toEqual(
                APP_CONTAINERS.map(NO_MIGRATION).sort(),
            );
        });

        it("recognises an unlabelled step by its migrate command", () => {
            const unlabelled = replaceResource(resources, MIGRATION_RUN, (copy) => {
                copy.props.create = String(copy.props.create).replace("--label webplatform.role=migration ", "");
            });
            expect(runStackPolicy(MIGRATION, unlabelled).violations).toEqual([]);
        });

        it("reports a migration that runs a different image ID", () => {
            const stale = mockImageId("registry.example.com/thebot/backend:0.9.0");
            const image = String(fixture.named("thebot-backend-web-1").props.image);
            const changed = replaceResource(resources, MIGRATION_RUN, (copy) => {
                copy.props.create = String(copy.props.create).replace(image, stale);
            });
            const violations = runStackPolicy(MIGRATION, changed).violations;
            expect(violations).toHaveLength(4);
            expect(violations).toContain(
                `Container "thebot-celery-beat-1" breaks app-after-migration: image: runs ${image.slice(0, 19)} but its migration step "${MIGRATION_RUN}" runs ${stale.slice(0, 19)}, so the schema can belong to different code. Fix: run the migration with the same image ID as the application containers (Backend passes image.imageId to both).`,
            );
        });

        it("at preview, compares the RemoteImages both sides come from", () => {
            const preview = asPreview(fixture, UNKNOWN).resources;
            const otherImage = fixture.named("thebot-postgres-image").urn;
            const crossed = replaceResource(preview, MIGRATION_RUN, (copy) => ({
                ...copy,
                propertyDependencies: { create: [otherImage] },
            }));
            expect(runStackPolicy(MIGRATION, crossed).violations).toContain(
                'Container "thebot-backend-web-1" breaks app-after-migration: image: comes from an image that none of the steps it waits for migrates with, so the schema can belong to different code. Fix: run the migration with the same image ID as the application containers (Backend passes image.imageId to both).',
            );
        });

        it("skips the image comparison at preview when the container's image source is not known", () => {
            const preview = asPreview(fixture, UNKNOWN).resources;
            const noSources = replaceResource(preview, "thebot-backend-web-1", (copy) => ({
                ...copy,
                propertyDependencies: {},
            }));
            expect(
                runStackPolicy(
                    MIGRATION,
                    replaceResource(noSources, MIGRATION_RUN, (copy) => ({
                        ...copy,
                        propertyDependencies: { create: [] },
                    })),
                ).violations.filter((message) => message.includes("thebot-backend-web-1")),
            ).toEqual([]);
        });

        it("applies to unlabelled application containers of other programs, not to databases", () => {
            const foreign: StackInput[] = [
                {
                    type: TYPES.container,
                    name: "api",
                    urn: "urn:api",
                    props: { image: "ghcr.io/acme/api:2.3.1" },
                    dependencies: [],
                },
                {
                    type: TYPES.container,
                    name: "db",
                    urn: "urn:db",
                    props: { image: "postgres:16.4" },
                    dependencies: [],
                },
            ];
            expect(runStackPolicy(MIGRATION, foreign).violations).toEqual([NO_MIGRATION("api")]);
        });
    });

    describe("datastore-internal-network", () => {
        const FIX =
            "Fix: attach the database or cache only to a docker.Network with internal: true (the Platform's private network) through networksAdvanced; applications join that network too.";

        it("reports both datastores when the private network is not internal", () => {
            const open = replaceResource(resources, "thebot-private", (copy) => {
                copy.props.internal = false;
            });
            expect(runStackPolicy(NETWORK, open).violations).toEqual(
                ["thebot-postgres-server", "thebot-redis-server"].map(
                    (name) =>
                        `Container "${name}" breaks datastore-internal-network: networksAdvanced[0].name: attaches to the network "thebot-private", which is not internal, so the service has a route to the outside world and shares a bridge with containers that face it. ${FIX}`,
                ),
            );
        });

        it.each<[string, (props: Record<string, any>) => void, string]>([
            [
                "also joins the edge network",
                (props) => props.networksAdvanced.push({ name: "thebot-edge" }),
                `networksAdvanced[1].name: attaches to the network "thebot-edge", which is not internal, so the service has a route to the outside world and shares a bridge with containers that face it.`,
            ],
            [
                "sits on the default bridge",
                (props) => (props.networksAdvanced = []),
                "networksAdvanced: is empty, so the container sits on Docker's default bridge, which has a route out and is shared with every other container on the host.",
            ],
            [
                "uses host networking",
                (props) => (props.networkMode = "host"),
                "networkMode: is host, so the service listens on the host's own interfaces.",
            ],
            [
                "joins a network this stack does not define",
                (props) => (props.networksAdvanced = [{ name: "shared-legacy" }]),
                'networksAdvanced[0].name: attaches to "shared-legacy", which is not a Network of this stack, so it cannot be shown to be internal.',
            ],
        ])("reports PostgreSQL when it %s", (_case, change, message) => {
            const changed = replaceResource(resources, "thebot-postgres-server", (copy) => {
                change(copy.props);
            });
            const withoutDeps = replaceResource(changed, "thebot-postgres-server", (copy) => ({
                ...copy,
                propertyDependencies: {},
            }));
            expect(runStackPolicy(NETWORK, withoutDeps).violations).toEqual([
                `Container "thebot-postgres-server" breaks datastore-internal-network: ${message} ${FIX}`,
            ]);
        });

        it("identifies a network passed by ID through the property's dependencies", () => {
            const byId = replaceResource(resources, "thebot-redis-server", (copy) => {
                copy.props.networksAdvanced = [{ name: "0123456789abcdef" }];
            });
            expect(runStackPolicy(NETWORK, byId).violations).toEqual([]);
        });

        it("skips values unknown at preview", () => {
            const unknownInternal = replaceResource(resources, "thebot-private", (copy) => {
                copy.props.internal = UNKNOWN;
            });
            expect(runStackPolicy(NETWORK, unknownInternal).violations).toEqual([]);
            const unknownName = replaceResource(resources, "thebot-postgres-server", (copy) => {
                copy.props.networksAdvanced = [{ name: UNKNOWN }];
            });
            expect(runStackPolicy(NETWORK, unknownName).violations).toEqual([]);
        });
    });

    describe("dependency-waits-for-health", () => {
        it("reports a depended-on database without wait: true, naming who waits for it", () => {
            const noWait = replaceResource(resources, "thebot-postgres-server", (copy) => {
                copy.props.wait = false;
            });
            const outcome = runStackPolicy(HEALTH, noWait);
            expect(outcome.violations).toHaveLength(1);
            expect(outcome.violations[0]).toMatch(
                /^Container "thebot-postgres-server" breaks dependency-waits-for-health: wait: is not true although "[^"]+"(, "[^"]+")*( and ("[^"]+"|\d+ more))? depends? on this container, so Pulumi starts them as soon as it is created instead of once it is healthy\. Fix: set wait: true \(and waitTimeout\) so the container counts as created only when its healthcheck passes, or give it a health gate \(components\/healthGate\.ts\) that its dependents depend on\.$/,
            );
            expect(outcome.violations[0]).toContain('"thebot-postgres-password-sync"');
            expect(outcome.urns).toEqual([fixture.named("thebot-postgres-server").urn]);
        });

        it("reports a depended-on web container without a healthcheck", () => {
            const noHealth = replaceResource(resources, "thebot-backend-web-1", (copy) => {
                delete copy.props.healthcheck;
            });
            const violations = runStackPolicy(HEALTH, noHealth).violations;
            expect(violations).toHaveLength(1);
            expect(violations[0]).toMatch(
                /^Container "thebot-backend-web-1" breaks dependency-waits-for-health: healthcheck: is missing although .*"thebot-backend-web-1-healthy".* depends? on this container, so they start while it may still be unable to serve\. Fix: add a healthcheck that passes only when the service is ready, and set wait: true\.$/,
            );
        });

        it("accepts an app container without wait: true whose health gate every dependent waits for", () => {
            const web = fixture.named("thebot-backend-web-1");
            expect(web.props.wait).toBe(false);
            const gate = fixture.named("thebot-backend-web-1-healthy");
            expect(gate.dependencies).toEqual([web.urn]);
            expect(fixture.named("thebot-nginx-server").dependencies).toContain(gate.urn);
            expect(fixture.named("thebot-nginx-server").dependencies).not.toContain(web.urn);
        });

        it("refuses a gated container once its gate no longer says it is one", () => {
            const unmarked = replaceResource(resources, "thebot-backend-web-1-healthy", (copy) => {
                copy.props.environment = {};
            });
            const outcome = runStackPolicy(HEALTH, unmarked);
            expect(outcome.violations).toEqual([
                'Container "thebot-backend-web-1" breaks dependency-waits-for-health: wait: is not true although "thebot-backend-web-1-healthy", "thebot-smoke-check" and "thebot-smoke-check-run" depend on this container, so Pulumi starts them as soon as it is created instead of once it is healthy. Fix: set wait: true (and waitTimeout) so the container counts as created only when its healthcheck passes, or give it a health gate (components/healthGate.ts) that its dependents depend on.',
            ]);
            expect(outcome.urns).toEqual([fixture.named("thebot-backend-web-1").urn]);
        });

        it("refuses a dependent that names a gated container but not its gate", () => {
            const web = fixture.named("thebot-backend-web-1");
            const gate = fixture.named("thebot-backend-web-1-healthy");
            const bypass = replaceResource(resources, "thebot-nginx-server", (copy) => ({
                ...copy,
                dependencies: [...copy.dependencies.filter((urn) => urn !== gate.urn), web.urn],
            }));
            expect(runStackPolicy(HEALTH, bypass).violations).toEqual([
                'Container "thebot-backend-web-1" breaks dependency-waits-for-health: dependsOn: "thebot-nginx-server" waits for this container but not for its health gate "thebot-backend-web-1-healthy", so it starts as soon as the container is created instead of once it is healthy. Fix: make them depend on the container\'s health gate (GatedContainer.healthGate) instead.',
            ]);
        });

        it("ignores containers nothing depends on, and unknown values", () => {
            const lonely: StackInput[] = [
                { type: TYPES.container, name: "a", urn: "urn:a", props: { wait: false }, dependencies: [] },
                { type: TYPES.container, name: "b", urn: "urn:b", props: { wait: false }, dependencies: [] },
            ];
            expect(runStackPolicy(HEALTH, lonely).violations).toEqual([]);
            const oneWaits = replaceResource(lonely, "b", (copy) => ({ ...copy, dependencies: ["urn:a"] }));
            expect(runStackPolicy(HEALTH, oneWaits).violations).toEqual([
                'Container "a" breaks dependency-waits-for-health: healthcheck: is missing although "b" depends on this container, so they start while it may still be unable to serve. Fix: add a healthcheck that passes only when the service is ready, and set wait: true.',
            ]);
            const unknown = replaceResource(resources, "thebot-redis-server", (copy) => {
                copy.props.wait = UNKNOWN;
                copy.props.healthcheck = UNKNOWN;
            });
            expect(runStackPolicy(HEALTH, unknown).violations).toEqual([]);
        });
    });
});
