import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ContainerEnvironment } from "./environment";
import { dockerCliStep } from "./dockerCli";
import { LOG_ROTATION, ResourceLimits } from "./hardening";
import { shellCommand } from "./shell";
import { LABELS } from "../rules/labels";

export interface OneShotContainerArgs {
    /** Image ID (or reference) to run. */
    readonly image: pulumi.Input<string>;
    /** Command and arguments run in the container; it must exit 0 for the step to succeed. */
    readonly command: readonly string[];
    /** Network the container joins, so it reaches the database by name; "none" for a step that needs no network. */
    readonly network: pulumi.Input<string>;
    /** Environment of the container. Secret values travel through the docker CLI's environment, never argv. */
    readonly environment: ContainerEnvironment;
    /** User the process runs as. */
    readonly user: string;
    /** Memory and CPU ceilings. */
    readonly limits: ResourceLimits;
    /** Any change in these values runs the step again. */
    readonly triggers: pulumi.Input<unknown>[];
    /** Volumes mounted into the container. Default: none. */
    readonly volumes?: readonly { readonly volumeName: pulumi.Input<string>; readonly containerPath: string }[];
    /** Label marking what the step is for, e.g. "migration". */
    readonly purpose: string;
    /**
     * Text on the container's stdin (`docker run -i`): the way to hand the step a secret that must appear in no
     * argv and no environment (neither the docker CLI's nor the container's, which `docker inspect` shows).
     * Default: none.
     */
    readonly stdin?: pulumi.Input<string>;
}

/**
 * Runs a command to completion in a fresh, hardened container (`docker run --rm`) during `pulumi up`.
 * A non-zero exit fails the step, and with it the update, showing the container's log. Nothing runs at preview.
 */
export class OneShotContainer extends pulumi.ComponentResource {
    public readonly run: command.local.Command;
    /** What the container printed; a secret, since a migration log may echo settings. */
    public readonly log: pulumi.Output<string>;

    constructor(name: string, args: OneShotContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:OneShotContainer", name, {}, opts);

        const envNames = [...Object.keys(args.environment.plain), ...Object.keys(args.environment.secret)].sort();
        const mounts = pulumi.all((args.volumes ?? []).map((mount) => pulumi.output(mount.volumeName)));
        const createCommand = pulumi.all([args.image, args.network, mounts]).apply(([image, network, volumeNames]) =>
            shellCommand([
                "docker",
                "run",
                "--rm",
                ...(args.stdin === undefined ? [] : ["--interactive"]),
                "--label",
                `${LABELS.role}=${args.purpose}`,
                "--network",
                network,
                "--user",
                args.user,
                "--read-only",
                "--tmpfs",
                "/tmp:rw,size=64m",
                "--security-opt",
                "no-new-privileges:true",
                "--cap-drop",
                "ALL",
                "--memory",
                `${args.limits.memoryMb}m`,
                "--cpus",
                args.limits.cpus,
                "--log-opt",
                `max-size=${LOG_ROTATION["max-size"]}`,
                ...volumeNames.flatMap((volumeName, index) => [
                    "--volume",
                    `${volumeName}:${args.volumes![index].containerPath}`,
                ]),
                // `--env NAME` without a value copies NAME from the docker CLI's own environment.
                ...envNames.flatMap((envName) => ["--env", envName]),
                image,
                ...args.command,
            ]),
        );

        this.run = dockerCliStep(
            `${name}-run`,
            {
                script: pulumi.interpolate`${createCommand} 2>&1`,
                environment: { ...args.environment.plain, ...args.environment.secret },
                stdin: args.stdin,
                triggers: args.triggers,
                secret: Object.keys(args.environment.secret).length > 0 || args.stdin !== undefined,
            },
            // Children do not inherit a component's dependsOn, so the step takes it over explicitly.
            { parent: this, dependsOn: opts?.dependsOn, additionalSecretOutputs: ["stdout", "stderr"] },
        );
        this.log = pulumi.secret(this.run.stdout);
        this.registerOutputs({ log: this.log });
    }
}
