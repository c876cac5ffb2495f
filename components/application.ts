import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { AppVolumeMount } from "./appContainer";
import { ContainerEnvironment, mergeEnvironments } from "./environment";
import { Postgres } from "./postgres";
import { Redis } from "./redis";
import { PlatformSettings } from "./schemas/platform";
import { GENERATED_SECRET_LENGTHS, urlSafeSecret } from "./secrets";

/**
 * What the Platform gives its application containers beside the containers themselves: one environment for web,
 * migration and workers, and the volumes they share with nginx.
 */

/** Plain settings, user secrets, the data directory, generated secrets and connection URLs, in that order of precedence. */
export function applicationEnvironment(
    name: string,
    settings: PlatformSettings,
    services: { readonly postgres: Postgres; readonly redis: Redis; readonly parent: pulumi.Resource },
): ContainerEnvironment {
    const backend = settings.backend;
    const generated: Record<string, pulumi.Input<string>> = {};
    for (const variable of Object.keys(backend.generatedSecrets).sort()) {
        const kind = backend.generatedSecrets[variable];
        generated[variable] = urlSafeSecret(
            `${name}-${variable.toLowerCase().replace(/_/g, "-")}`,
            { length: GENERATED_SECRET_LENGTHS[kind], rotation: settings.secretsRotation },
            { parent: services.parent },
        ).result;
    }
    const connections: Record<string, pulumi.Input<string>> = {};
    for (const variable of backend.databaseUrlVariables) {
        connections[variable] = services.postgres.url;
    }
    for (const [variable, purpose] of Object.entries(backend.redisUrlVariables)) {
        connections[variable] = services.redis.urls[purpose];
    }
    // DATA_DIR is platform-managed like the URLs: it follows the user's layers, as config/projectedEnvironment.ts
    // projects it (and the stack config refuses a user value for it).
    const managed: Record<string, string> = backend.dataDirectory ? { DATA_DIR: backend.dataDirectory } : {};
    return mergeEnvironments(
        { plain: { ENVIRONMENT: settings.environment }, secret: {} },
        { plain: backend.env, secret: {} },
        { plain: {}, secret: backend.secretEnv },
        { plain: managed, secret: {} },
        { plain: {}, secret: generated },
        { plain: {}, secret: connections },
    );
}

/** Named volumes for the data directory, static files and media, all retained on destroy. */
export function applicationVolumes(name: string, settings: PlatformSettings, childOpts: pulumi.CustomResourceOptions) {
    const backend = settings.backend;
    const mounts: AppVolumeMount[] = [];
    const names: string[] = [];
    const volume = (suffix: string, containerPath: string) => {
        const created = new docker.Volume(
            `${name}-${suffix}`,
            { name: `${name}-${suffix}` },
            { ...childOpts, retainOnDelete: true },
        );
        mounts.push({ volumeName: created.name, containerPath });
        names.push(`${name}-${suffix}`);
        return created;
    };
    const dataVolume = backend.dataDirectory ? volume("data", backend.dataDirectory) : undefined;
    const staticVolume = backend.staticDirectory ? volume("static", backend.staticDirectory) : undefined;
    const mediaVolume = backend.mediaDirectory ? volume("media", backend.mediaDirectory) : undefined;
    return { mounts, names, dataVolume, staticVolume, mediaVolume };
}
