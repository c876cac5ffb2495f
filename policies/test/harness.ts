/**
 * Runs policies the way @pulumi/policy 1.21's runner does (server.js), without a gRPC server: properties are wrapped
 * in the runner's own unknown-checking proxy, `reportViolation` is a collector, and an UnknownValueError is turned
 * into the advisory "can't run ... during preview" note the runner would print. @pulumi/policy ships no test helpers;
 * this follows pulumi/compliance-policies' unit-test-helpers.
 */
import type {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { UNKNOWN_VALUES } from "../../rules/unknownValue";

// Exported by @pulumi/policy's index.js but typed as internal; loaded untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require("@pulumi/policy") as {
    unknownCheckingProxy<T extends object>(value: T): T;
    UnknownValueError: new (...args: unknown[]) => Error;
};

/** A value that is unknown during preview, as the engine sends it. */
export const UNKNOWN = UNKNOWN_VALUES.string;

/** What one policy run produced. */
export interface Outcome {
    /** Messages passed to reportViolation. */
    readonly violations: string[];
    /** URNs passed with stack violations. */
    readonly urns: (string | undefined)[];
    /** Set when the policy touched an unknown value through the proxy (the runner's advisory notice). */
    readonly cantRunDuringPreview?: string;
}

function clone<T>(value: T): T {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** A resource as the engine presents it to a resource policy. */
export interface ResourceInput {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly urn?: string;
}

export function runResourcePolicy(
    policy: ResourceValidationPolicy,
    resource: ResourceInput,
    config: Record<string, unknown> = {},
): Outcome {
    const violations: string[] = [];
    const urns: (string | undefined)[] = [];
    const urn = resource.urn ?? `urn:pulumi:test::webplatform::${resource.type}::${resource.name}`;
    const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : policy.validateResource
          ? [policy.validateResource]
          : [];
    for (const validate of validations) {
        const args: ResourceValidationArgs = {
            type: resource.type,
            props: runtime.unknownCheckingProxy(clone(resource.props)),
            urn,
            name: resource.name,
            opts: {
                protect: false,
                ignoreChanges: [],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [],
            },
            stackTags: new Map(),
            isType: () => false,
            asType: () => undefined,
            getConfig: <T extends object>() => config as T,
            notApplicable: (reason?: string) => {
                throw new Error(`not applicable: ${reason}`);
            },
        };
        try {
            const result = validate(args, (message: string, violationUrn?: string) => {
                violations.push(message);
                urns.push(violationUrn);
            });
            if (result instanceof Promise) {
                throw new Error("resource policies of this pack are synchronous");
            }
        } catch (error) {
            if (error instanceof runtime.UnknownValueError) {
                return { violations, urns, cantRunDuringPreview: (error as Error).message };
            }
            throw error;
        }
    }
    return { violations, urns };
}

/** A resource as the engine presents it to a stack policy: dependencies by URN. */
export interface StackInput {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
    readonly dependencies: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly protect?: boolean;
    readonly parent?: string;
}

export function runStackPolicy(
    policy: StackValidationPolicy,
    resources: readonly StackInput[],
    config: Record<string, unknown> = {},
): Outcome {
    const violations: string[] = [];
    const urns: (string | undefined)[] = [];
    const policyResources = resources.map(
        (resource) =>
            ({
                type: resource.type,
                name: resource.name,
                urn: resource.urn,
                props: runtime.unknownCheckingProxy(clone(resource.props)),
                opts: {
                    protect: resource.protect ?? false,
                    ignoreChanges: [],
                    aliases: [],
                    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                    additionalSecretOutputs: [],
                },
                dependencies: [],
                propertyDependencies: {},
                isType: () => false,
                asType: () => undefined,
            }) as unknown as PolicyResource,
    );
    const byUrn = new Map(policyResources.map((resource) => [resource.urn, resource]));
    resources.forEach((resource, index) => {
        const target = policyResources[index];
        const resolve = (list: readonly string[]) =>
            list.map((urn) => byUrn.get(urn)).filter((item): item is PolicyResource => item !== undefined);
        target.dependencies = resolve(resource.dependencies);
        target.propertyDependencies = Object.fromEntries(
            Object.entries(resource.propertyDependencies ?? {}).map(([key, list]) => [key, resolve(list)]),
        );
        if (resource.parent && byUrn.has(resource.parent)) {
            target.parent = byUrn.get(resource.parent);
        }
    });
    const args: StackValidationArgs = {
        resources: policyResources,
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string) => {
            throw new Error(`not applicable: ${reason}`);
        },
    };
    try {
        const result = policy.validateStack(args, (message: string, urn?: string) => {
            violations.push(message);
            urns.push(urn);
        });
        if (result instanceof Promise) {
            throw new Error("stack policies of this pack are synchronous");
        }
    } catch (error) {
        if (error instanceof runtime.UnknownValueError) {
            return { violations, urns, cantRunDuringPreview: (error as Error).message };
        }
        throw error;
    }
    return { violations, urns };
}

/** A deep copy with one change applied, for "change one field per case" tables. */
export function withChange<T>(value: T, change: (copy: T) => void): T {
    const copy = clone(value);
    change(copy);
    return copy;
}
