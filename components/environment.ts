import * as pulumi from "@pulumi/pulumi";

/** Plain settings and secret settings of one container, kept apart until they reach Docker. */
export interface ContainerEnvironment {
    readonly plain: Readonly<Record<string, string>>;
    readonly secret: Readonly<Record<string, pulumi.Input<string>>>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Docker's `KEY=value` list, sorted by key so the diff stays quiet between runs. When any value is secret the
 * whole list is a secret output, so no secret reaches state or the CLI in plain text.
 */
export function dockerEnvs(env: ContainerEnvironment): pulumi.Output<string[]> {
    const names = [...Object.keys(env.plain), ...Object.keys(env.secret)];
    const duplicated = Object.keys(env.plain).filter((key) => key in env.secret);
    if (duplicated.length > 0) {
        throw new Error(`environment variables ${duplicated.join(", ")} are set both as plain and as secret values`);
    }
    const invalid = names.filter((key) => !ENV_NAME.test(key));
    if (invalid.length > 0) {
        throw new Error(`environment variable names ${invalid.join(", ")} are not valid shell identifiers`);
    }
    const secretKeys = Object.keys(env.secret).sort();
    const list = pulumi.all(secretKeys.map((key) => env.secret[key])).apply((secretValues) => {
        const merged: Record<string, string> = { ...env.plain };
        secretKeys.forEach((key, index) => (merged[key] = secretValues[index]));
        return Object.keys(merged)
            .sort()
            .map((key) => `${key}=${merged[key]}`);
    });
    return secretKeys.length > 0 ? pulumi.secret(list) : list;
}

/** Merges environment layers; later layers win, and a key moves between plain and secret with its layer. */
export function mergeEnvironments(...layers: ContainerEnvironment[]): ContainerEnvironment {
    const plain: Record<string, string> = {};
    const secret: Record<string, pulumi.Input<string>> = {};
    for (const layer of layers) {
        for (const [key, value] of Object.entries(layer.plain)) {
            delete secret[key];
            plain[key] = value;
        }
        for (const [key, value] of Object.entries(layer.secret)) {
            delete plain[key];
            secret[key] = value;
        }
    }
    return { plain, secret };
}
