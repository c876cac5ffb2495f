import { imageReferenceProblem, parseImageReference } from "../rules/imageReference";
import { Finding } from "../rules/finding";
import { knownString } from "../rules/unknownValue";
import { GuardedResource, TYPES, guardConfig, resourceGuard } from "./lib/guard";

/**
 * Images must be pinned by digest or an immutable version tag, never `latest` or a moving tag such as `15` or
 * `stable`: the seed outage where a stale image kept shipping started with a reference nobody re-checked.
 */
export interface ImagePinnedConfig {
    /** When non-empty, pulled images must carry one of these digests. */
    readonly allowedDigests: readonly string[];
}

const config = guardConfig<ImagePinnedConfig>({
    allowedDigests: {
        type: "array",
        items: { type: "string", pattern: "^sha256:[a-f0-9]{64}$" },
        default: [],
        description: "Digests (sha256:...) that pulled images may use. Empty: any digest or immutable tag is accepted.",
    },
});

const ENGINE_IMAGE_ID = /^sha256:[a-f0-9]{64}$/;
const FIX = "pin the image by digest (name@sha256:...) or an immutable version tag such as 1.4.2 or a commit hash.";

function referenceFindings(key: string, reference: string, pulled: boolean, allowed: readonly string[]): Finding[] {
    const problem = imageReferenceProblem(reference);
    if (problem) {
        return [{ key, problem: `"${reference}" ${problem}.`, fix: FIX }];
    }
    if (pulled && allowed.length > 0) {
        const digest = parseImageReference(reference).digest;
        if (digest === undefined || !allowed.includes(digest)) {
            return [
                {
                    key,
                    problem: `"${reference}" ${digest === undefined ? "carries no digest" : "has a digest that is not in allowedDigests"}, and this stack only runs allow-listed digests.`,
                    fix: "pin the image by one of the digests in the image-pinned policy's allowedDigests, or add its reviewed digest there.",
                },
            ];
        }
    }
    return [];
}

function check(resource: GuardedResource, settings: ImagePinnedConfig): Finding[] {
    if (resource.type === TYPES.remoteImage) {
        const name = knownString(resource.props.name);
        const built = resource.props.build !== undefined && resource.props.build !== null;
        return name === undefined ? [] : referenceFindings("name", name, !built, settings.allowedDigests);
    }
    const image = knownString(resource.props.image);
    if (image === undefined || ENGINE_IMAGE_ID.test(image)) {
        return [];
    }
    return referenceFindings("image", image, true, settings.allowedDigests);
}

export const imagePinned = resourceGuard<ImagePinnedConfig>({
    name: "image-pinned",
    description:
        "Every RemoteImage name and every Container image that is not an engine image ID must be pinned by digest or an immutable version tag. Moving tags such as latest, 15 or stable change what runs without any change to the stack; with allowedDigests set, pulled images must use one of the listed digests.",
    remediationSteps:
        "Reference images as name:version@sha256:<digest> (find the digest with `docker buildx imagetools inspect name:tag`), or tag built images with an immutable version or the git commit.",
    severity: "medium",
    topics: ["supply-chain"],
    checklist: ["OWASP-Docker-D08", "Kyverno-disallow-latest-tag"],
    resourceTypes: [TYPES.remoteImage, TYPES.container],
    config,
    check,
});
