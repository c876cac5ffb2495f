import {
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { Props } from "../../rules/containerProps";
import { Finding, formatFinding } from "../../rules/finding";
import { GuardMetadata, runnerMetadata } from "./metadata";

/**
 * The shape every guard in this pack shares: a named, mandatory policy over resources matched by type string (no
 * provider SDK is loaded), a typed config whose defaults are the `default`s of its configSchema, and findings turned
 * into one violation line each: `Container "web-1" breaks app-debug-disabled: envs.DEBUG: ... Fix: ...`.
 */
export const TYPES = {
    container: "docker:index/container:Container",
    remoteImage: "docker:index/remoteImage:RemoteImage",
    network: "docker:index/network:Network",
    volume: "docker:index/volume:Volume",
    command: "command:local:Command",
} as const;

/** Property key under which @pulumi/policy's unknown-checking proxy hands out the raw object it wraps. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The resource's properties without @pulumi/policy's unknown-checking proxy. Through the proxy, touching a value
 * that is unknown at preview throws and the runner downgrades the whole policy to a "can't run during preview"
 * advisory; raw, unknown values are sentinel strings (rules/unknownValue.ts) that each rule skips on its own.
 */
export function rawProps(props: Record<string, unknown>): Props {
    const target = (props as Record<string, unknown>)[PROXY_TARGET];
    return (target !== undefined && target !== null && typeof target === "object" ? target : props) as Props;
}

/** A JSON-schema property that must carry its default, typed as the config field it describes. */
export type ConfigProperty<T> = PolicyConfigJSONSchema & { default: T };

/** A policy's config: its schema, whose defaults are the typed defaults. */
export interface GuardConfig<C extends object> {
    readonly schema: PolicyConfigSchema;
    readonly defaults: C;
}

/** Builds a config spec from schema properties; the defaults are read from the properties, so they cannot drift. */
export function guardConfig<C extends object>(properties: { [K in keyof C]: ConfigProperty<C[K]> }): GuardConfig<C> {
    const defaults = Object.fromEntries(
        Object.entries(properties).map(([key, property]) => [key, (property as ConfigProperty<unknown>).default]),
    ) as C;
    return { schema: { properties: properties as Record<string, PolicyConfigJSONSchema> }, defaults };
}

/** Defaults overlaid with what `--policy-pack-config` sets for the policy. */
export function resolveConfig<C extends object>(config: GuardConfig<C> | undefined, given: object): C {
    return { ...(config?.defaults ?? ({} as C)), ...(given as Partial<C>) };
}

/** The short kind of a resource type: "docker:index/container:Container" is "Container". */
export function kindOf(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** The violation line for one finding on one resource. */
export function violationMessage(policy: string, type: string, name: string, finding: Finding): string {
    return `${kindOf(type)} "${name}" breaks ${policy}: ${formatFinding(finding)}`;
}

/** A resource as a resource guard sees it: raw properties, unknowns left as sentinels. */
export interface GuardedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Props;
}

interface GuardBase<C extends object> extends GuardMetadata {
    /** Unique, lower-case, dash-separated; the name of the file that registers the guard. */
    readonly name: string;
    /** What the policy checks and why, in full sentences. */
    readonly description: string;
    readonly remediationSteps: string;
    readonly config?: GuardConfig<C>;
}

export interface ResourceGuardSpec<C extends object> extends GuardBase<C> {
    /** Type strings the guard applies to. */
    readonly resourceTypes: readonly string[];
    readonly check: (resource: GuardedResource, config: C) => Finding[];
}

/** A guard's metadata as the registry lists it, with what the guard reads. */
export interface RegisteredMetadata extends GuardMetadata {
    /** Kinds of resource the guard checks one at a time ("Container"), or "stack" for a guard over the whole stack. */
    readonly scope: readonly string[] | "stack";
}

/** A policy as this pack registers it: with its metadata. */
export type Guard<P extends ResourceValidationPolicy | StackValidationPolicy> = P & {
    readonly metadata: RegisteredMetadata;
};

/** A mandatory resource policy that reports each finding of `check` as its own violation. */
export function resourceGuard<C extends object = Record<string, never>>(
    spec: ResourceGuardSpec<C>,
): Guard<ResourceValidationPolicy> {
    const types = new Set(spec.resourceTypes);
    const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!types.has(args.type)) {
            return;
        }
        const config = resolveConfig(spec.config, args.getConfig<object>());
        const resource = { type: args.type, name: args.name, urn: args.urn, props: rawProps(args.props) };
        for (const finding of spec.check(resource, config)) {
            reportViolation(violationMessage(spec.name, args.type, args.name, finding));
        }
    };
    if (spec.resourceTypes.length === 1) {
        // @pulumi/policy's own fast path (what validateResourceOfType sets): other types are skipped unread.
        (validate as unknown as { __pulumiType: string }).__pulumiType = spec.resourceTypes[0];
    }
    return {
        ...policyHeader(spec),
        metadata: registeredMetadata(spec, spec.resourceTypes.map(kindOf)),
        validateResource: validate,
    };
}

/** A resource of the stack with raw properties and its dependencies resolved to the same objects. */
export interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Props;
    readonly protect: boolean;
    dependencies: StackResource[];
    propertyDependencies: Record<string, StackResource[]>;
}

/** Converts the runner's resources, keeping identity so graph walks can use sets. */
export function stackResources(resources: readonly PolicyResource[]): StackResource[] {
    const converted = new Map<PolicyResource, StackResource>();
    for (const resource of resources) {
        converted.set(resource, {
            type: resource.type,
            name: resource.name,
            urn: resource.urn,
            props: rawProps(resource.props),
            protect: resource.opts?.protect === true,
            dependencies: [],
            propertyDependencies: {},
        });
    }
    const byUrn = new Map([...converted.values()].map((resource) => [resource.urn, resource]));
    const resolve = (list: readonly PolicyResource[] | undefined) =>
        (list ?? [])
            .map((dependency) => converted.get(dependency) ?? byUrn.get(dependency.urn))
            .filter((dependency): dependency is StackResource => dependency !== undefined);
    for (const [original, resource] of converted) {
        resource.dependencies = resolve(original.dependencies);
        for (const [property, list] of Object.entries(original.propertyDependencies ?? {})) {
            resource.propertyDependencies[property] = resolve(list);
        }
    }
    return [...converted.values()];
}

/** A finding about one resource of the stack. */
export interface StackFinding {
    readonly resource: StackResource;
    readonly finding: Finding;
}

export interface StackGuardSpec<C extends object> extends GuardBase<C> {
    readonly check: (resources: readonly StackResource[], config: C) => StackFinding[];
}

/** A mandatory stack policy; each finding is reported against the URN of the resource at fault. */
export function stackGuard<C extends object = Record<string, never>>(
    spec: StackGuardSpec<C>,
): Guard<StackValidationPolicy> {
    return {
        ...policyHeader(spec),
        metadata: registeredMetadata(spec, "stack"),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const config = resolveConfig(spec.config, args.getConfig<object>());
            for (const { resource, finding } of spec.check(stackResources(args.resources), config)) {
                reportViolation(violationMessage(spec.name, resource.type, resource.name, finding), resource.urn);
            }
        },
    };
}

/**
 * What every guard tells the runner about itself: mandatory, with its config schema when it has one, its checklist
 * as the framework and its metadata as tags (lib/metadata.ts says why the `severity` field itself stays unset).
 */
function policyHeader<C extends object>(spec: GuardBase<C>) {
    return {
        name: spec.name,
        description: spec.description,
        remediationSteps: spec.remediationSteps,
        enforcementLevel: "mandatory" as const,
        ...runnerMetadata(spec),
        ...(spec.config ? { configSchema: spec.config.schema } : {}),
    };
}

function registeredMetadata<C extends object>(
    spec: GuardBase<C>,
    scope: RegisteredMetadata["scope"],
): RegisteredMetadata {
    const uncatalogued = spec.uncatalogued === undefined ? {} : { uncatalogued: spec.uncatalogued };
    return { severity: spec.severity, topics: spec.topics, checklist: spec.checklist, ...uncatalogued, scope };
}
