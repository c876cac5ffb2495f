import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { POLICIES } from "../registry";
import { StackInput } from "./harness";

/** The registered policy with this name, typed as a resource policy. */
export function resourcePolicy(name: string): ResourceValidationPolicy {
    const policy = POLICIES.find((candidate) => candidate.name === name);
    if (!policy || !("validateResource" in policy)) {
        throw new Error(`no resource policy named ${name}`);
    }
    return policy as ResourceValidationPolicy;
}

/** The registered policy with this name, typed as a stack policy. */
export function stackPolicy(name: string): StackValidationPolicy {
    const policy = POLICIES.find((candidate) => candidate.name === name);
    if (!policy || !("validateStack" in policy)) {
        throw new Error(`no stack policy named ${name}`);
    }
    return policy as StackValidationPolicy;
}

/** Sets (or with undefined, removes) one variable of a container's `envs` list, keeping its order. */
export function setEnv(props: Record<string, unknown>, key: string, value: string | undefined): void {
    const envs = ((props.envs as string[] | undefined) ?? []).filter((entry) => !entry.startsWith(`${key}=`));
    if (value !== undefined) {
        envs.push(`${key}=${value}`);
    }
    props.envs = envs;
}

/** The value of one variable in a container's `envs`. */
export function envValue(resource: StackInput, key: string): string | undefined {
    const entry = ((resource.props.envs as string[] | undefined) ?? []).find((item) => item.startsWith(`${key}=`));
    return entry?.slice(key.length + 1);
}

/** Replaces one resource of a stack with a changed copy. */
export function replaceResource(
    resources: readonly StackInput[],
    name: string,
    change: (resource: StackInput & { props: Record<string, unknown> }) => StackInput | void,
): StackInput[] {
    return resources.map((resource) => {
        if (resource.name !== name) {
            return resource;
        }
        const copy = JSON.parse(JSON.stringify(resource)) as StackInput & { props: Record<string, unknown> };
        return change(copy) ?? copy;
    });
}
