/**
 * The security headers every HTTPS response of the platform carries, and what the guards require of any header
 * set: the one table behind nginx's renderer (securityHeaders, uploadHeaders), the policy pack and the post-deploy
 * smoke check (headerProblems, REQUIRED_SECURITY_HEADERS, REQUIRED_UPLOAD_HEADERS) and the stack config's
 * validation (contentSecurityPolicyProblems, hstsPreloadProblems).
 */

/** A year, the minimum HSTS max-age that browsers' preload lists accept. */
export const ONE_YEAR_SECONDS = 31536000;

/** Two years, the HSTS max-age of Mozilla's server-side TLS guideline (v6) and of the preload list's advice. */
export const TWO_YEARS_SECONDS = 63072000;

/**
 * Only the site's own resources, no plugins, no framing, forms and <base> only to the site itself. Inline scripts
 * and styles are refused; a stack whose pages need them sets its own policy (nginx.contentSecurityPolicy).
 */
export const DEFAULT_CONTENT_SECURITY_POLICY =
    "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'";

/**
 * User uploads: nothing may load, scripts and plugins may not run (sandbox without allow-scripts), and the file is
 * its own opaque origin, so an uploaded SVG or HTML page cannot act on the site even when opened directly.
 */
export const UPLOAD_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";

/** Response headers as [name, value]. */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

/** What a stack decides about its headers. */
export interface SecurityHeaderSettings {
    /** HSTS max-age in seconds. */
    readonly hstsMaxAgeSeconds: number;
    /** Ask to be on the browsers' HSTS preload list (hard to undo: every subdomain must serve HTTPS). */
    readonly hstsPreload: boolean;
    /** The Content-Security-Policy of every page. */
    readonly contentSecurityPolicy: string;
}

const hstsValue = (settings: SecurityHeaderSettings) =>
    `max-age=${settings.hstsMaxAgeSeconds}; includeSubDomains${settings.hstsPreload ? "; preload" : ""}`;

/** Response headers the proxy sends on every HTTPS response, as [name, value]. */
export function securityHeaders(settings: SecurityHeaderSettings): HeaderList {
    return [
        ["Strict-Transport-Security", hstsValue(settings)],
        ["X-Content-Type-Options", "nosniff"],
        ["X-Frame-Options", "DENY"],
        ["Referrer-Policy", "strict-origin-when-cross-origin"],
        ["Content-Security-Policy", settings.contentSecurityPolicy],
        ["Cross-Origin-Opener-Policy", "same-origin"],
        ["Permissions-Policy", "camera=(), microphone=(), geolocation=()"],
    ];
}

/** The headers of user uploads (/media/): the site's headers with the upload policy, and always a download. */
export function uploadHeaders(settings: SecurityHeaderSettings): HeaderList {
    return [
        ...securityHeaders({ ...settings, contentSecurityPolicy: UPLOAD_CONTENT_SECURITY_POLICY }),
        ["Content-Disposition", "attachment"],
    ];
}

/** Response headers by lower-cased name. */
export type Headers = ReadonlyMap<string, string>;

export interface HeaderPolicy {
    /** Smallest accepted HSTS max-age in seconds. */
    readonly minimumHstsMaxAgeSeconds: number;
}

/** The directives of a Content-Security-Policy by lower-cased name, each with its source list. */
function cspDirectives(policy: string): Map<string, string> {
    const directives = new Map<string, string>();
    for (const part of policy.split(";")) {
        const [name, ...sources] = part.trim().split(/\s+/);
        if (name && !directives.has(name.toLowerCase())) {
            directives.set(name.toLowerCase(), sources.join(" "));
        }
    }
    return directives;
}

/** Problems with a page's Content-Security-Policy: it must set default-src and may not allow any script source. */
export function contentSecurityPolicyProblems(policy: string | undefined): string[] {
    if (policy === undefined || policy.trim() === "") {
        return ["Content-Security-Policy is missing"];
    }
    if (/[\r\n]/.test(policy)) {
        return ["Content-Security-Policy contains a line break"];
    }
    const directives = cspDirectives(policy);
    if (!directives.has("default-src")) {
        return ["Content-Security-Policy has no default-src, so anything it does not name may load from anywhere"];
    }
    const scriptSources = (directives.get("script-src") ?? directives.get("default-src") ?? "").split(" ");
    const wide = scriptSources.filter((source) => ["*", "http:", "https:", "data:"].includes(source));
    return wide.length > 0
        ? [`Content-Security-Policy lets scripts load from ${wide.join(" ")}, which is any site`]
        : [];
}

/** Problems with asking for HSTS preload: the preload list refuses less than a year or no includeSubDomains. */
export function hstsPreloadProblems(maxAgeSeconds: number): string[] {
    return maxAgeSeconds < ONE_YEAR_SECONDS
        ? [`HSTS preload needs a max-age of at least ${ONE_YEAR_SECONDS} seconds, and it is ${maxAgeSeconds}`]
        : [];
}

type HeaderCheck = (value: string | undefined, policy: HeaderPolicy) => string[];

const hstsProblems: HeaderCheck = (hsts, policy) => {
    if (hsts === undefined) {
        return ["Strict-Transport-Security is missing"];
    }
    if (hsts.includes("$")) {
        return ["Strict-Transport-Security is built from a variable, which cannot be verified"];
    }
    const problems: string[] = [];
    const maxAge = /max-age\s*=\s*"?(\d+)"?/i.exec(hsts);
    if (!maxAge || Number(maxAge[1]) < policy.minimumHstsMaxAgeSeconds) {
        problems.push(
            `Strict-Transport-Security max-age is ${maxAge ? maxAge[1] : "missing"}, below ${policy.minimumHstsMaxAgeSeconds} seconds`,
        );
    }
    if (!/(^|;)\s*includesubdomains\s*(;|$)/i.test(hsts)) {
        problems.push("Strict-Transport-Security lacks includeSubDomains");
    }
    if (/(^|;)\s*preload\s*(;|$)/i.test(hsts) && maxAge) {
        problems.push(...hstsPreloadProblems(Number(maxAge[1])));
    }
    return problems;
};

/** What each required header must say: the problems with its value (undefined when it is absent). */
const REQUIRED_HEADER_CHECKS: Readonly<Record<string, HeaderCheck>> = {
    "Strict-Transport-Security": hstsProblems,
    "X-Content-Type-Options": (value) =>
        value?.trim().toLowerCase() === "nosniff" ? [] : ["X-Content-Type-Options is not nosniff"],
    "X-Frame-Options": (value) => {
        const frame = value?.trim().toUpperCase();
        return frame === "DENY" || frame === "SAMEORIGIN" ? [] : ["X-Frame-Options is not DENY or SAMEORIGIN"];
    },
    "Referrer-Policy": (value) => {
        const referrer = value?.trim().toLowerCase();
        if (referrer === undefined || referrer === "") {
            return ["Referrer-Policy is missing"];
        }
        return ["unsafe-url", "no-referrer-when-downgrade"].includes(referrer)
            ? [`Referrer-Policy "${referrer}" sends full URLs to other sites`]
            : [];
    },
    "Content-Security-Policy": (value) => contentSecurityPolicyProblems(value),
    "Cross-Origin-Opener-Policy": (value) => {
        const opener = value?.trim().toLowerCase();
        return opener === "same-origin" || opener === "same-origin-allow-popups"
            ? []
            : ["Cross-Origin-Opener-Policy is not same-origin or same-origin-allow-popups"];
    },
};

/** What user uploads must carry besides the site's headers: a download, or a sandbox that runs no script. */
const UPLOAD_HEADER_CHECKS: Readonly<Record<string, HeaderCheck>> = {
    "Content-Disposition": (value) =>
        /^\s*attachment\s*(;|$)/i.test(value ?? "") ? [] : ["Content-Disposition is not attachment"],
    "Content-Security-Policy": (value) => {
        const directives = cspDirectives(value ?? "");
        const sandbox = directives.get("sandbox");
        return sandbox !== undefined && !sandbox.split(" ").includes("allow-scripts")
            ? []
            : ["Content-Security-Policy has no sandbox without allow-scripts"];
    },
};

/** The headers every HTTPS response must carry; the smoke check asks a deployed proxy for each of them. */
export const REQUIRED_SECURITY_HEADERS: readonly string[] = Object.keys(REQUIRED_HEADER_CHECKS);

/** The headers user uploads must carry on top of the site's (with the upload policy instead of the site's CSP). */
export const REQUIRED_UPLOAD_HEADERS: readonly string[] = Object.keys(UPLOAD_HEADER_CHECKS);

/** The path prefix user uploads are served under. */
export const UPLOADS_PATH = "/media/";

/** Problems with one effective header set, one line per header. Uploads get the upload checks for their CSP. */
export function headerProblems(headers: Headers, policy: HeaderPolicy, uploads = false): string[] {
    const checks = uploads ? { ...REQUIRED_HEADER_CHECKS, ...UPLOAD_HEADER_CHECKS } : REQUIRED_HEADER_CHECKS;
    return Object.entries(checks).flatMap(([name, check]) => check(headers.get(name.toLowerCase()), policy));
}
