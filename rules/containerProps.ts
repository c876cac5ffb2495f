import { reuseLastResult } from "./lastResult";
import { isUnknown, knownArray, knownObject, knownString } from "./unknownValue";

/**
 * Readers for the inputs of a `docker:index/container:Container` (shapes of @pulumi/docker 4.x), tolerant of values
 * that are absent or not known yet. Each returns what is known and says whether anything was left out, so a rule can
 * tell "not set" (a finding) from "not known yet" (skip until the update).
 */
export type Props = Readonly<Record<string, unknown>>;

/** A `KEY=value` list read into a map; `complete` is false when some entries are unknown. */
export interface KnownEnvironment {
    readonly env: Readonly<Record<string, string>>;
    readonly complete: boolean;
}

/** The container's environment, or undefined when the whole list is unknown. Later duplicates win, as in Docker. */
export function environmentOf(envs: unknown): KnownEnvironment | undefined {
    if (envs === undefined || envs === null) {
        return { env: {}, complete: true };
    }
    const list = knownArray(envs);
    return list ? readEnvironmentAgain(list) : undefined;
}

function readEnvironment(list: readonly unknown[]): KnownEnvironment {
    const env: Record<string, string> = {};
    let complete = true;
    for (const entry of list) {
        const text = knownString(entry);
        if (text === undefined) {
            complete = complete && !isUnknown(entry);
            continue;
        }
        const equals = text.indexOf("=");
        if (equals > 0) {
            env[text.slice(0, equals)] = text.slice(equals + 1);
        }
    }
    // Frozen: the same result is handed to every policy that reads this environment.
    return Object.freeze({ env: Object.freeze(env), complete });
}

/** Eleven policies read the environment of every application container, so the variables are read only once. */
const readEnvironmentAgain = reuseLastResult(readEnvironment);

/** The labels as [label, value] pairs in order, or undefined when any of them is unknown. */
function labelEntries(labels: unknown): [string, string][] | undefined {
    if (labels === undefined || labels === null) {
        return [];
    }
    const list = knownArray(labels);
    if (!list) {
        return undefined;
    }
    const entries: [string, string][] = [];
    for (const entry of list) {
        const item = knownObject(entry);
        const label = knownString(item?.label);
        const value = knownString(item?.value);
        if (label === undefined || value === undefined) {
            return undefined;
        }
        entries.push([label, value]);
    }
    return entries;
}

/** Labels as a map, or undefined when they are unknown. */
export function labelsOf(labels: unknown): Readonly<Record<string, string>> | undefined {
    const entries = labelEntries(labels);
    return entries && Object.fromEntries(entries);
}

/**
 * The value of one label, or undefined when it is absent or the labels are unknown: `labelsOf(labels)?.[name]` for a
 * name that is not also a property of every object ("constructor"), without building the whole map. Most policies
 * read the role label of every container.
 */
export function labelValue(labels: unknown, name: string): string | undefined {
    let found: string | undefined;
    for (const [label, value] of labelEntries(labels) ?? []) {
        if (label === name) {
            found = value;
        }
    }
    return found;
}

/** A string list (command, entrypoint, healthcheck tests), or undefined when it or any word is unknown. */
export function wordsOf(value: unknown): readonly string[] | undefined {
    if (value === undefined || value === null) {
        return [];
    }
    const list = knownArray(value);
    if (!list || list.some((word) => typeof word !== "string" || isUnknown(word))) {
        return undefined;
    }
    return list as string[];
}

/** One place a container keeps files beyond its image. */
export interface ContainerMount {
    /** Property path, e.g. "volumes[0]" or "mounts[1]". */
    readonly key: string;
    readonly kind: "volume" | "bind" | "tmpfs" | "other";
    /** Path inside the container. */
    readonly target: string;
    /** Volume name or host path. */
    readonly source?: string;
}

/** Volumes, mounts and tmpfs of a container; `complete` is false when some are unknown. */
export function mountsOf(props: Props): { mounts: ContainerMount[]; complete: boolean } {
    const mounts: ContainerMount[] = [];
    let complete = true;
    const volumes = props.volumes;
    if (isUnknown(volumes)) {
        complete = false;
    }
    (knownArray(volumes) ?? []).forEach((entry, index) => {
        const volume = knownObject(entry);
        const target = knownString(volume?.containerPath);
        const hostPath = volume?.hostPath;
        const volumeName = volume?.volumeName;
        if (!volume || target === undefined || isUnknown(hostPath) || isUnknown(volumeName)) {
            complete = false;
            return;
        }
        const host = knownString(hostPath);
        const name = knownString(volumeName);
        mounts.push({
            key: `volumes[${index}]`,
            kind: host ? "bind" : name ? "volume" : "other",
            target,
            source: host ?? name,
        });
    });
    const extra = props.mounts;
    if (isUnknown(extra)) {
        complete = false;
    }
    (knownArray(extra) ?? []).forEach((entry, index) => {
        const mount = knownObject(entry);
        const target = knownString(mount?.target);
        const type = knownString(mount?.type);
        if (!mount || target === undefined || type === undefined || isUnknown(mount.source)) {
            complete = false;
            return;
        }
        mounts.push({
            key: `mounts[${index}]`,
            kind: type === "volume" || type === "bind" || type === "tmpfs" ? type : "other",
            target,
            source: knownString(mount.source),
        });
    });
    const tmpfs = props.tmpfs;
    if (isUnknown(tmpfs)) {
        complete = false;
    }
    for (const path of Object.keys(knownObject(tmpfs) ?? {})) {
        mounts.push({ key: `tmpfs["${path}"]`, kind: "tmpfs", target: path });
    }
    return { mounts, complete };
}

/** The healthcheck's test words, [] when there is none, undefined when unknown. */
export function healthcheckTests(props: Props): readonly string[] | undefined {
    const healthcheck = props.healthcheck;
    if (healthcheck === undefined || healthcheck === null) {
        return [];
    }
    const object = knownObject(healthcheck);
    if (!object) {
        return undefined;
    }
    return wordsOf(object.tests);
}

/** The argv words of a healthcheck: CMD words as given, a CMD-SHELL script as one word. */
export function healthcheckArgv(tests: readonly string[]): readonly string[] {
    if (tests[0] === "CMD" || tests[0] === "CMD-SHELL") {
        return tests.slice(1);
    }
    return tests;
}

/** True when a healthcheck test list actually probes something (not empty and not ["NONE"]). */
export function probes(tests: readonly string[]): boolean {
    return tests.length > 0 && tests[0] !== "NONE" && healthcheckArgv(tests).some((word) => word.trim().length > 0);
}

/** Normalises a POSIX path: collapses `//`, `.` and `..`, drops a trailing slash. */
export function normalisePath(path: string): string {
    const parts: string[] = [];
    for (const part of path.split("/")) {
        if (part === "" || part === ".") {
            continue;
        }
        if (part === "..") {
            parts.pop();
        } else {
            parts.push(part);
        }
    }
    return `/${parts.join("/")}`;
}

/** True when `path` is `directory` or inside it. */
export function isWithin(path: string, directory: string): boolean {
    const child = normalisePath(path);
    const parent = normalisePath(directory);
    return parent === "/" || child === parent || child.startsWith(`${parent}/`);
}
