/**
 * Whether an image reference pins what runs. A digest pins exactly; a tag pins only if it looks immutable
 * (a full version or a commit), since `latest`, `15` or `stable` move under a running stack — the seed outage
 * where a stale image with incompatible dependencies kept shipping started with a reference nobody re-checked.
 */
export interface ParsedImageReference {
    readonly repository: string;
    readonly tag?: string;
    readonly digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function parseImageReference(reference: string): ParsedImageReference {
    const [nameAndTag, digest] = reference.split("@", 2);
    const lastSlash = nameAndTag.lastIndexOf("/");
    const colon = nameAndTag.indexOf(":", lastSlash + 1);
    return colon === -1
        ? { repository: nameAndTag, digest }
        : { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

/** A tag that names one build: a full semantic version, a commit hash, or a date stamp. */
export function isImmutableTag(tag: string): boolean {
    return (
        /^v?\d+\.\d+\.\d+([.+-][A-Za-z0-9.+-]+)?$/.test(tag) ||
        /^(sha-|git-)?[a-f0-9]{7,40}$/.test(tag) ||
        /^\d{8}([.-]?\d{4,6})?([.-][A-Za-z0-9]+)?$/.test(tag)
    );
}

/** Why a reference does not pin its image, or undefined when it does. An engine image ID always pins. */
export function imageReferenceProblem(reference: string): string | undefined {
    if (DIGEST.test(reference)) {
        return undefined;
    }
    const parsed = parseImageReference(reference);
    if (parsed.digest !== undefined) {
        return DIGEST.test(parsed.digest) ? undefined : `has a malformed digest "${parsed.digest}"`;
    }
    if (parsed.tag === undefined) {
        return "has no tag, which means latest";
    }
    if (parsed.tag === "latest") {
        return 'uses the moving tag "latest"';
    }
    if (!isImmutableTag(parsed.tag)) {
        return `uses the tag "${parsed.tag}", which can move to a different build`;
    }
    return undefined;
}
