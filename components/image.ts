import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ImageSource } from "./schemas/image";

export type { ImageSource } from "./schemas/image";
export { imageReference } from "./schemas/image";

/**
 * Resolves an image on the Docker engine. Containers then refer to the image ID (a content digest), so a new
 * image always replaces its containers and a moving tag can never swap code underneath a running stack.
 */
export function engineImage(name: string, source: ImageSource, opts: pulumi.CustomResourceOptions): docker.RemoteImage {
    if ("reference" in source) {
        return new docker.RemoteImage(name, { name: source.reference, keepLocally: true }, opts);
    }
    return new docker.RemoteImage(
        name,
        {
            name: source.build.tag,
            keepLocally: true,
            build: {
                context: source.build.context,
                dockerfile: source.build.dockerfile ?? "Dockerfile",
            },
        },
        opts,
    );
}
