import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/** Where a container image comes from: an existing reference, or a Dockerfile context built on the engine. */
export type ImageSource =
    | { readonly reference: string }
    | {
          readonly build: {
              /** Directory sent to the engine as build context. */
              readonly context: string;
              /** Dockerfile path relative to the context. Default: "Dockerfile". */
              readonly dockerfile?: string;
              /** Tag given to the built image; make it immutable, e.g. the git commit. */
              readonly tag: string;
          };
      };

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

/** The human-readable reference of an image source, for summaries and triggers. */
export function imageReference(source: ImageSource): string {
    return "reference" in source ? source.reference : source.build.tag;
}
