/**
 * The security headers every HTTPS response of the platform carries, and what the guards require of any header
 * set. nginx's renderer sends securityHeaders(); the policy pack and the post-deploy smoke check hold responses
 * and configurations to headerProblems() and the same names.
 */

/** A year, the minimum HSTS max-age that browsers' preload lists accept. */
export const ONE_YEAR_SECONDS = 31536000;

/** Response headers the proxy sends on every HTTPS response, as [name, value]. */
export function securityHeaders(hstsMaxAgeSeconds: number): ReadonlyArray<readonly [string, string]> {
    return [
        ["Strict-Transport-Security", `max-age=${hstsMaxAgeSeconds}; includeSubDomains`],
        ["X-Content-Type-Options", "nosniff"],
        ["X-Frame-Options", "DENY"],
        ["Referrer-Policy", "strict-origin-when-cross-origin"],
        ["Content-Security-Policy", "frame-ancestors 'none'"],
        ["Permissions-Policy", "camera=(), microphone=(), geolocation=()"],
    ];
}

/** Response headers by lower-cased name. */
export type Headers = ReadonlyMap<string, string>;

export interface HeaderPolicy {
    /** Smallest accepted HSTS max-age in seconds. */
    readonly minimumHstsMaxAgeSeconds: number;
}

/** What each required header must say: the problems with its value (undefined when it is absent). */
const REQUIRED_HEADER_CHECKS: Readonly<Record<string, (value: string | undefined, policy: HeaderPolicy) => string[]>> =
    {
        "Strict-Transport-Security": (hsts, policy) => {
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
            return problems;
        },
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
    };

/** The headers every HTTPS response must carry; the smoke check asks a deployed proxy for each of them. */
export const REQUIRED_SECURITY_HEADERS: readonly string[] = Object.keys(REQUIRED_HEADER_CHECKS);

/** Problems with one effective header set, one line per header. */
export function headerProblems(headers: Headers, policy: HeaderPolicy): string[] {
    return Object.entries(REQUIRED_HEADER_CHECKS).flatMap(([name, check]) =>
        check(headers.get(name.toLowerCase()), policy),
    );
}
