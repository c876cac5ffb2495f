/**
 * The labels this library puts on every container it creates, and the roles they name. Components write them;
 * the policy pack reads them to tell a database from an application without guessing.
 */
export const LABELS = {
    role: "webplatform.role",
    component: "webplatform.component",
    /** Present when the root filesystem cannot be read-only; its value says why. */
    writableRootfsReason: "webplatform.writable-rootfs-reason",
    /** On the nginx container: its configuration's security-header facts as compact JSON (rules/nginxHeaderFacts). */
    nginxHeaderFacts: "webplatform.nginx-header-facts",
} as const;

/** Roles a long-running container made by this library carries in its `webplatform.role` label. */
export const LABELLED_ROLES = ["database", "cache", "web", "worker", "proxy", "backup"] as const;
export type LabelledRole = (typeof LABELLED_ROLES)[number];

/** The role label of the one-shot migration step, which must succeed before web and worker containers start. */
export const MIGRATION_ROLE = "migration";
