/**
 * Which other origins the application trusts: Django's CSRF_TRUSTED_ORIGINS and the CORS allow-lists. Each entry
 * must be an https origin (nothing after the host and port) whose host is the stack's domain or a host the
 * allowed-hosts settings name, or a subdomain of either; wildcards follow hostPatterns.widerThanNeeded. A regex
 * allow-list cannot be checked, and allow-all switches trust every web site: both are refused.
 */
import { Finding } from "../finding";
import { canonicalHost, isLoopbackHost } from "../loopback";
import { allowedHostPatterns } from "./hosts";
import { hostPattern, isWithin, matchesHost, widerThanNeeded } from "./hostPatterns";
import { Site } from "./site";
import { Environment, isTrue, list } from "./words";

/** Django's CSRF_TRUSTED_ORIGINS, as the settings module reads it from the environment. */
export const CSRF_ORIGINS_KEYS = ["CSRF_TRUSTED_ORIGINS", "DJANGO_CSRF_TRUSTED_ORIGINS"];

/**
 * CORS allow-lists: django-cors-headers' CORS_ALLOWED_ORIGINS (CORS_ORIGIN_WHITELIST before 3.5), the
 * CORS_ORIGINS / BACKEND_CORS_ORIGINS that FastAPI apps pass to CORSMiddleware (the full-stack template uses the
 * latter), Flask-CORS's CORS_ORIGINS and the CORS_ORIGIN of Express's cors middleware.
 */
export const CORS_ORIGINS_KEYS = [
    "CORS_ALLOWED_ORIGINS",
    "DJANGO_CORS_ALLOWED_ORIGINS",
    "CORS_ORIGIN_WHITELIST",
    "CORS_ORIGINS",
    "BACKEND_CORS_ORIGINS",
    "CORS_ALLOW_ORIGINS",
    "CORS_ORIGIN",
];

/** Switches that allow every origin (django-cors-headers' current and pre-3.5 names). */
export const CORS_ALLOW_ALL_KEYS = ["CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL", "DJANGO_CORS_ALLOW_ALL_ORIGINS"];

/** django-cors-headers' regex allow-lists (current and pre-3.5 names). */
export const CORS_REGEX_KEYS = ["CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"];

/** Why `entry` is not a trusted origin of the site, or undefined when it is. */
function originProblem(entry: string, env: Environment, site: Site): string | undefined {
    if (entry === "*") {
        return "is every origin";
    }
    let url: URL;
    try {
        url = new URL(entry);
    } catch {
        return "is not a URL";
    }
    if (url.protocol !== "https:") {
        return "is not https, so a network attacker can forge requests from it";
    }
    if (url.href !== `${url.origin}/` || entry.endsWith("/")) {
        return "is not an origin (scheme://host[:port], nothing after it), so it never matches a browser's Origin header";
    }
    const pattern = hostPattern(url.hostname);
    const host = pattern.kind === "subdomains" ? pattern.base : canonicalHost(url.hostname);
    if (isLoopbackHost(host)) {
        return "is on this machine, a development origin";
    }
    const wide = widerThanNeeded(pattern, site.domain === undefined ? undefined : canonicalHost(site.domain));
    if (wide !== undefined) {
        return wide;
    }
    const domain = site.domain === undefined ? undefined : canonicalHost(site.domain);
    // Only named hosts and wildcards vouch for an origin; `*` and broken entries are app-allowed-hosts' findings.
    const hosts = (allowedHostPatterns(env) ?? []).filter(
        (allowed) => allowed.kind === "host" || allowed.kind === "subdomains",
    );
    const ofTheSite =
        (domain !== undefined && isWithin(host, domain)) ||
        hosts.some(
            (allowed) => matchesHost(allowed, host) || (allowed.kind === "host" && isWithin(host, allowed.host)),
        );
    if (!ofTheSite && (domain !== undefined || hosts.length > 0)) {
        return `is neither on the stack's domain${domain ? ` ${domain}` : ""} nor on a host ALLOWED_HOSTS names`;
    }
    return undefined;
}

function listedOrigins(env: Environment, site: Site, keys: readonly string[], fixed: string): Finding[] {
    const findings: Finding[] = [];
    for (const key of keys.filter((name) => env[name] !== undefined)) {
        for (const entry of list(env[key])) {
            const problem = originProblem(entry, env, site);
            if (problem !== undefined) {
                findings.push({
                    key,
                    problem: `origin "${entry}" ${problem}.`,
                    fix: `list only https origins of ${fixed}${site.domain ? ` (https://${site.domain})` : ""} in ${key}.`,
                });
            }
        }
    }
    return findings;
}

export function csrfTrustedOrigins(env: Environment, site: Site = {}): Finding[] {
    return listedOrigins(env, site, CSRF_ORIGINS_KEYS, "the site's own hosts");
}

export function corsOrigins(env: Environment, site: Site = {}): Finding[] {
    const findings: Finding[] = CORS_ALLOW_ALL_KEYS.filter((key) => isTrue(env[key])).map((key) => ({
        key,
        problem: "lets every web site make credentialed requests to the API.",
        fix: "set it to False and list the frontend origins in CORS_ALLOWED_ORIGINS.",
    }));
    for (const key of CORS_REGEX_KEYS.filter((name) => env[name] !== undefined && list(env[name]).length > 0)) {
        findings.push({
            key,
            problem: "trusts origins by regular expression, which no check can bound to the site.",
            fix: "remove it and list the frontend origins exactly in CORS_ALLOWED_ORIGINS.",
        });
    }
    return [...findings, ...listedOrigins(env, site, CORS_ORIGINS_KEYS, "the site's frontend")];
}
