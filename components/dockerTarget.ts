import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DockerHostPreflight } from "./dockerHostPreflight";

export interface DockerTargetArgs {
    /** Docker engine address: ssh://user@host[:port][/socket], unix:///path or tcp://host:port. */
    readonly host: string;
    /** Extra ssh options for an ssh:// engine, e.g. ["-i", "/keys/deploy"]. Default: none. */
    readonly sshOptions?: readonly string[];
}

/** Where the docker CLI steps of a component run their `docker` commands. */
export interface DockerCliTarget {
    /** Engine address for DOCKER_HOST; undefined leaves the docker CLI's own default (the local engine). */
    readonly host?: string;
    /** Extra ssh options for an ssh:// host. */
    readonly sshOptions: readonly string[];
}

/** The local engine: the default docker provider, and the docker CLI as the environment sets it up. */
export const LOCAL_DOCKER: DockerCliTarget = { host: undefined, sshOptions: [] };

const BRAND = Symbol.for("webplatform:DockerTarget");

/**
 * One Docker engine, given once. A DockerTarget is the docker provider of that engine: pass it to a component as
 * `providers: [target]` (or `provider: target`) and every Docker resource below inherits it. It also checks the
 * engine first (a DockerHostPreflight the provider waits for, so no Docker resource is attempted before the check
 * passes), and it carries the host and ssh options that docker CLI steps (dockerCliStep) read from the provider
 * their component inherited, so the CLI reaches the same engine as the provider.
 *
 * Without one, components use the default docker provider and the CLI's own default: the local engine.
 */
export class DockerTarget extends docker.Provider {
    /** The engine address, as given (the provider's `host` output is the same, as an Output). */
    public readonly dockerHost: string;
    public readonly sshOptions: readonly string[];
    public readonly preflight: DockerHostPreflight;

    /** The preflight is named `<name>-preflight` and has the same parent as the provider. */
    constructor(name: string, args: DockerTargetArgs, opts: pulumi.ResourceOptions = {}) {
        const sshOptions = [...(args.sshOptions ?? [])];
        // An engine that cannot be reached fails here, with the fix, before the provider touches any resource.
        const preflight = new DockerHostPreflight(
            `${name}-preflight`,
            { host: args.host, sshOptions },
            { parent: opts.parent },
        );
        super(
            name,
            { host: args.host, sshOpts: sshOptions.length > 0 ? sshOptions : undefined },
            { ...opts, dependsOn: withPreflight(preflight, opts.dependsOn) },
        );
        this.dockerHost = args.host;
        this.sshOptions = sshOptions;
        this.preflight = preflight;
        Object.defineProperty(this, BRAND, { value: true });
    }

    /** True for a DockerTarget, also one made by another copy of this module. */
    static isTarget(value: unknown): value is DockerTarget {
        return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    }
}

/** The caller's dependsOn plus the preflight, kept a plain array whenever it can be. */
function withPreflight(
    preflight: DockerHostPreflight,
    dependsOn: pulumi.ResourceOptions["dependsOn"],
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
    if (dependsOn === undefined) {
        return [preflight];
    }
    if (Array.isArray(dependsOn)) {
        return [preflight, ...dependsOn];
    }
    if (pulumi.Resource.isInstance(dependsOn)) {
        return [preflight, dependsOn];
    }
    const later: pulumi.Input<pulumi.Input<pulumi.Resource>[] | pulumi.Resource> = dependsOn;
    return pulumi.output(later).apply((extra) => [preflight, ...(Array.isArray(extra) ? extra : [extra])]);
}

/**
 * The engine the docker CLI steps of `component` must reach: the DockerTarget it inherited through the providers
 * option, or the local engine when it inherited no docker provider. A bare docker.Provider carries no ssh options
 * for the CLI, so it is refused rather than letting the CLI steps quietly run against another engine.
 */
export function dockerCliTargetOf(component: pulumi.Resource, what: string): DockerCliTarget {
    const provider = component.getProvider("docker:index/container:Container");
    if (provider === undefined) {
        return LOCAL_DOCKER;
    }
    if (DockerTarget.isTarget(provider)) {
        return { host: provider.dockerHost, sshOptions: provider.sshOptions };
    }
    throw new Error(
        `${what} runs the docker CLI, but inherits a docker provider that is not a DockerTarget, so the CLI could reach another engine than the containers. Fix: create the provider with new DockerTarget(name, { host, sshOptions }) and pass that.`,
    );
}
