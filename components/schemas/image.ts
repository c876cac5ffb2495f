import { z } from "zod";

/** Where a container image comes from: an existing reference, or a Dockerfile context built on the engine. */

export const imageReferenceText = z
    .string()
    .min(1)
    .regex(/^[^\s]+$/, "must not contain spaces");

export const imageBuild = z.strictObject({
    /** Directory sent to the engine as build context. */
    context: z.string().min(1),
    /** Dockerfile path relative to the context. Default: "Dockerfile". */
    dockerfile: z.string().optional(),
    /** Tag given to the built image; make it immutable, e.g. the git commit. */
    tag: imageReferenceText,
});

export const imageSource = z.union([
    z.strictObject({ reference: imageReferenceText }),
    z.strictObject({ build: imageBuild }),
]);

export type ImageSource = z.input<typeof imageSource>;

/** The human-readable reference of an image source, for summaries, triggers and the image rules. */
export function imageReference(source: ImageSource): string {
    return "reference" in source ? source.reference : source.build.tag;
}
