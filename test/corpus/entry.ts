/**
 * One unsafe production config of the corpus: a small patch onto the shipped production stack (Pulumi.prod.yaml),
 * the config keys the program's refusal must name, and what the policy pack must say about the resources such a
 * config describes. The corpus is data; test/unit/corpus.test.ts and test/engine/corpus.test.ts read it.
 */

/** The classes (issue 15) and the checklist families the entries come from. */
export type CorpusClass =
    | "debug-flags"
    | "environment-names"
    | "signing-secrets"
    | "plain-credentials"
    | "database-url"
    | "loopback-hosts"
    | "broker"
    | "platform-overrides"
    | "no-op-steps"
    | "queue-runner"
    | "transport"
    | "images"
    | "data-directory"
    | "stack-safety"
    | "container-hardening"
    | "hosts-origins-cookies";

/**
 * The container of the plain @pulumi/docker program (test/engine/fixtures/plain-docker) that carries the unsafe
 * setting: a web or worker container, the migration container or an nginx proxy (its configuration text in
 * `env.NGINX_CONFIG`, no application environment), each built from the compliant one with this form's changes. An
 * `env` value of null removes the variable; `image` names the container's RemoteImage instead.
 */
export interface ResourceForm {
    readonly role: "web" | "worker" | "migration" | "proxy";
    readonly env?: Readonly<Record<string, string | null>>;
    readonly command?: readonly string[];
    readonly healthcheck?: readonly string[];
    readonly image?: string;
    /** A data volume mounted here, exported as DATA_DIR. */
    readonly dataDirectory?: string;
    /** The user the container runs as. Default: the compliant "10001:10001". */
    readonly user?: string;
    /** Whether the root filesystem is read-only. Default: true. */
    readonly readOnly?: boolean;
}

/** The pack's verdict: the mandatory policy that must name the resource of `form`. */
export interface PackVerdict {
    readonly policy: string;
    readonly form: ResourceForm;
}

export interface CorpusEntry {
    /** Unique; also the stack and the pack resource name, so lower-case letters, digits and dashes. */
    readonly name: string;
    readonly class: CorpusClass;
    /** Checklist items the entry breaks: CIS Docker Benchmark, OWASP Docker Top 10, Django W-codes, Kyverno, seeds. */
    readonly checklist: readonly string[];
    /** Config values set by path (`pulumi config set --path` spelling, without `webplatform:`). */
    readonly set?: Readonly<Record<string, unknown>>;
    /** Values set as secrets by path (secretEnv.*); they must never be printed. */
    readonly secret?: Readonly<Record<string, string>>;
    /** Config paths removed. */
    readonly remove?: readonly string[];
    /** Every config key the refusal must name (with `webplatform:`), each on a line with its fix. */
    readonly keys: readonly string[];
    /** Plain values that must not be printed either (a credential set in plain text). */
    readonly sensitive?: readonly string[];
    /** The pack's verdict on the resources, or why the entry has no resource form (a pure config error). */
    readonly pack: PackVerdict | { readonly configOnly: string };
}

/** Key, index and the parent it lives in, for a path such as `nginx.routes[0].service` or `workers.daphne.env.X`. */
function pathSteps(path: string): (string | number)[] {
    return path
        .split(".")
        .flatMap((part) => part.split(/\[(\d+)\]/).filter((step) => step !== ""))
        .map((step) => (/^\d+$/.test(step) ? Number(step) : step));
}

/** Sets `value` at `path` in `config` (a `webplatform:*` values object without the namespace), creating parents. */
export function setPath(config: Record<string, unknown>, path: string, value: unknown): void {
    const steps = pathSteps(path);
    let parent = config as Record<string | number, unknown>;
    for (const [index, step] of steps.slice(0, -1).entries()) {
        if (parent[step] === null || typeof parent[step] !== "object") {
            parent[step] = typeof steps[index + 1] === "number" ? [] : {};
        }
        parent = parent[step] as Record<string | number, unknown>;
    }
    parent[steps[steps.length - 1]] = value;
}

/** Removes `path` from `config`; removing what is not there is an error in the corpus, not a silent no-op. */
export function removePath(config: Record<string, unknown>, path: string): void {
    const steps = pathSteps(path);
    let parent = config as Record<string | number, unknown>;
    for (const step of steps.slice(0, -1)) {
        parent = parent?.[step] as Record<string | number, unknown>;
    }
    const last = steps[steps.length - 1];
    if (parent === undefined || !Object.hasOwn(parent, last)) {
        throw new Error(`corpus patch removes ${path}, which the production config does not set`);
    }
    if (Array.isArray(parent) && typeof last === "number") {
        parent.splice(last, 1);
    } else {
        delete parent[last];
    }
}

/** The production config values with `entry`'s plain changes (not its secrets) applied; `values` is not changed. */
export function patchedValues(values: Readonly<Record<string, unknown>>, entry: CorpusEntry): Record<string, unknown> {
    const patched = structuredClone(values) as Record<string, unknown>;
    for (const path of entry.remove ?? []) {
        removePath(patched, path);
    }
    for (const [path, value] of Object.entries(entry.set ?? {})) {
        setPath(patched, path, value);
    }
    return patched;
}

export function hasResourceForm(entry: CorpusEntry): entry is CorpusEntry & { pack: PackVerdict } {
    return "policy" in entry.pack;
}

/** What most entries are: one variable in one container's plain environment, refused by one environment rule. */
export interface EnvironmentChange {
    readonly name: string;
    readonly variable: string;
    readonly value: string;
    /** The worker group whose env sets it; the backend's env (web, migration and every worker) when absent. */
    readonly worker?: string;
}

/** The entries of `changes`, of one class and one pack policy. */
export function environmentEntries(
    corpusClass: CorpusClass,
    policy: string,
    checklist: readonly string[],
    changes: readonly EnvironmentChange[],
): CorpusEntry[] {
    return changes.map(({ name, variable, value, worker }) => {
        const path = worker === undefined ? `backend.env.${variable}` : `workers.${worker}.env.${variable}`;
        return {
            name,
            class: corpusClass,
            checklist,
            set: { [path]: value },
            keys: [`webplatform:${path}`],
            pack: { policy, form: { role: worker === undefined ? "web" : "worker", env: { [variable]: value } } },
        };
    });
}
