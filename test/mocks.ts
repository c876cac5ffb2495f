/**
 * Pulumi mocks shared by every unit test: records each registered resource with its inputs, parent,
 * dependencies and options, and fails on any provider function call it does not know. Import this module
 * before any component module.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/**
 * The one SDK internal this module still touches, because no public API reaches it: the SDK stamps every promise it makes (one per output property of every resource, some 3,000 per Platform) with
 * `new Error().stack`, kept only for the promise-leak report it prints when a program exits with work pending, which
 * a vitest worker never does. Capturing those stacks (async frames included, then source-mapped by vitest) was about
 * 60% of the time of a mock deployment, so they are captured empty; the SDK's promise bookkeeping is otherwise
 * unchanged, and every other stack is captured as before.
 */
// The module object itself (an import namespace is read-only); the SDK calls it as `debuggable_1.debuggablePromise`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise: (<T>(promise: Promise<T>, context: unknown) => Promise<T>) & { withoutStacks?: true };
};
if (!debuggable.debuggablePromise.withoutStacks) {
    const stamp = debuggable.debuggablePromise;
    debuggable.debuggablePromise = Object.assign(
        <T>(promise: Promise<T>, context: unknown): Promise<T> => {
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = 0;
            try {
                return stamp(promise, context);
            } finally {
                Error.stackTraceLimit = limit;
            }
        },
        { withoutStacks: true as const },
    );
}

export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Inputs with secrets unwrapped. */
    readonly inputs: Record<string, any>;
    /** Inputs as sent to the engine: secrets keep their secret wrapper. */
    readonly wireInputs: Record<string, any>;
    readonly parent: string;
    readonly dependencies: readonly string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    /** Whether the program chose deleteBeforeReplace (true or false) instead of leaving it to the provider. */
    readonly deleteBeforeReplaceGiven: boolean;
    readonly additionalSecretOutputs: readonly string[];
    readonly replaceOnChanges: readonly string[];
    /** URNs whose replacement replaces this resource too (the replaceWith option). */
    readonly replaceWith: readonly string[];
    readonly provider: string;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export const recorded: RecordedResource[] = [];

/** A deterministic stand-in for a generated secret: letters and digits of the requested length. */
export function fakeSecret(seed: string, length: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let out = "";
    let counter = 0;
    while (out.length < length) {
        const digest = createHash("sha256").update(`${seed}:${counter++}`).digest();
        for (const byte of digest) {
            out += alphabet[byte % alphabet.length];
        }
    }
    return out.slice(0, length);
}

function unwrapSecrets(value: any): any {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (value && typeof value === "object") {
        if (value[SECRET_SIG] === SECRET_VALUE) {
            return unwrapSecrets(value.value);
        }
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrapSecrets(inner)]));
    }
    return value;
}

/** True when the wire value is marked secret. */
export function isSecret(value: any): boolean {
    return Boolean(value && typeof value === "object" && value[SECRET_SIG] === SECRET_VALUE);
}

/**
 * Stand-in for the engine's auto-naming, which the SDK's mocks skip: a Docker resource registered without a `name`
 * gets one, the resource name plus a 7-character suffix as the engine makes it (here from a hash instead of random,
 * so fixtures are stable). Policies then see the name that `pulumi up` gives them.
 */
export function autonamed(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    if (
        !type.startsWith("docker:index/") ||
        inputs.name !== undefined ||
        type === "docker:index/remoteImage:RemoteImage"
    ) {
        return inputs;
    }
    return { ...inputs, name: `${name}-${createHash("sha256").update(name).digest("hex").slice(0, 7)}` };
}

const mocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const inputs = autonamed(args.type, args.name, unwrapSecrets(args.inputs));
        const state: Record<string, any> = { ...inputs };
        switch (args.type) {
            case "random:index/randomPassword:RandomPassword":
                state.result = fakeSecret(args.name, inputs.length);
                break;
            case "docker:index/remoteImage:RemoteImage":
                state.imageId = `sha256:${createHash("sha256").update(inputs.name).digest("hex")}`;
                break;
            case "command:local:Command":
                state.stdout = String(inputs.create).startsWith("openssl")
                    ? "-----BEGIN PRIVATE KEY-----\nTUlJ\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nTUlJQw==\n-----END CERTIFICATE-----\n"
                    : "applied 2 migrations";
                state.stderr = "";
                break;
        }
        return { id: `${args.name}-id`, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        throw new Error(`unexpected provider function call ${args.token}`);
    },
};

/** The registration request as the SDK's mock monitor receives it (generated protobuf accessors). */
interface RegisterResourceRequest {
    getParent(): string;
    getType(): string;
    getName(): string;
    getObject(): { toJavaScript(): Record<string, any> } | undefined;
    getDependenciesList(): string[];
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDeletebeforereplace(): boolean | undefined;
    getDeletebeforereplacedefined(): boolean | undefined;
    getAdditionalsecretoutputsList(): string[];
    getReplaceonchangesList(): string[];
    getReplaceWithList(): string[];
    getProvider(): string;
}
type Callback = (error: unknown, response: { getUrn(): string } | undefined) => void;
interface RegisteringMonitor {
    registerResource(request: RegisterResourceRequest, callback: Callback): Promise<void>;
}

// The public mocks API sets the options and feature flags; every registration the monitor receives is recorded
// with its options and dependencies, which the mocks' newResource hook does not see.
void pulumi.runtime.setMocks(mocks, "webplatform", "test", false);
const monitor = pulumi.runtime.getMonitor() as unknown as RegisteringMonitor;
const registerResource = monitor.registerResource.bind(monitor);
monitor.registerResource = (request, callback) =>
    registerResource(request, (error, response) => {
        if (response !== undefined) {
            const wireInputs = autonamed(
                request.getType(),
                request.getName(),
                request.getObject()?.toJavaScript() ?? {},
            );
            recorded.push({
                urn: response.getUrn(),
                type: request.getType(),
                name: request.getName(),
                inputs: unwrapSecrets(wireInputs),
                wireInputs,
                parent: request.getParent(),
                dependencies: request.getDependenciesList(),
                protect: request.getProtect() ?? false,
                retainOnDelete: request.getRetainondelete() ?? false,
                deleteBeforeReplace: request.getDeletebeforereplace() ?? false,
                deleteBeforeReplaceGiven: request.getDeletebeforereplacedefined() ?? false,
                additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
                replaceOnChanges: request.getReplaceonchangesList(),
                replaceWith: request.getReplaceWithList(),
                provider: request.getProvider(),
            });
        }
        callback(error, response);
    });

/** Forget every recorded resource (call in beforeEach). */
export function resetRecorded(): void {
    recorded.length = 0;
}

/** Waits until every registration the test started has reached the mock monitor. */
export async function settle(): Promise<void> {
    for (let round = 0; round < 20; round++) {
        await new Promise((resolve) => setImmediate(resolve));
    }
}

/** Resolves an output's value (secrets included). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Resolves whether an output is secret. */
export function isSecretOutput<T>(output: pulumi.Output<T>): Promise<boolean> {
    return (output as any).isSecret as Promise<boolean>;
}

export function ofType(type: string): RecordedResource[] {
    return recorded.filter((resource) => resource.type === type);
}

export function named(name: string): RecordedResource {
    const found = recorded.filter((resource) => resource.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one resource named ${name}, found ${found.length}`);
    }
    return found[0];
}

/** Whether `dependent` waits for `dependency`, directly or through other resources. */
export function waitsFor(dependent: RecordedResource, dependency: RecordedResource): boolean {
    const byUrn = new Map(recorded.map((resource) => [resource.urn, resource]));
    const seen = new Set<string>();
    const queue = [...dependent.dependencies];
    while (queue.length > 0) {
        const urn = queue.pop()!;
        if (urn === dependency.urn) {
            return true;
        }
        if (!seen.has(urn)) {
            seen.add(urn);
            queue.push(...(byUrn.get(urn)?.dependencies ?? []));
        }
    }
    return false;
}

export const CONTAINER = "docker:index/container:Container";
export const VOLUME = "docker:index/volume:Volume";
export const NETWORK = "docker:index/network:Network";
export const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
export const COMMAND = "command:local:Command";
