/**
 * Which hosts the application answers: the allowed-hosts settings, measured against the stack's domain. Every entry
 * must be a host name; `*`, loopback and wildcards wider than the domain's own subdomains are refused
 * (hostPatterns.widerThanNeeded says why a named host may stay), and with a known domain, the list must match it.
 */
import { Finding } from "../finding";
import { canonicalHost, isLoopbackPattern } from "../loopback";
import { HostPattern, hostPattern, matchesHost, widerThanNeeded } from "./hostPatterns";
import { Site } from "./site";
import { Environment, list } from "./words";

/**
 * The variables that list the hosts an application answers: Django's ALLOWED_HOSTS (DJANGO_ALLOWED_HOSTS in
 * cookiecutter-django and django-environ setups), Flask 3.1's TRUSTED_HOSTS (FLASK_TRUSTED_HOSTS through
 * `from_prefixed_env`) and the ALLOWED_HOSTS / TRUSTED_HOSTS that FastAPI and Starlette apps pass to
 * TrustedHostMiddleware.
 */
export const ALLOWED_HOSTS_KEYS = ["ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS", "TRUSTED_HOSTS", "FLASK_TRUSTED_HOSTS"];

/** The host patterns of every allowed-hosts variable set in `env` (loopback and malformed entries included). */
export function allowedHostPatterns(env: Environment): HostPattern[] | undefined {
    const keys = ALLOWED_HOSTS_KEYS.filter((key) => env[key] !== undefined);
    return keys.length === 0 ? undefined : keys.flatMap((key) => list(env[key]).map(hostPattern));
}

export function allowedHosts(env: Environment, site: Site = {}): Finding[] {
    const findings: Finding[] = [];
    for (const key of ALLOWED_HOSTS_KEYS.filter((name) => env[name] !== undefined)) {
        const entries = list(env[key]);
        if (entries.length === 0) {
            findings.push({
                key,
                problem: "is empty, so every request is rejected.",
                fix: `set ${key} to the public domain${site.domain ? ` ${site.domain}` : ""}.`,
            });
            continue;
        }
        const local = entries.filter(isLoopbackPattern);
        if (local.length > 0) {
            findings.push({
                key,
                problem: `contains ${local.join(", ")}, a development host.`,
                fix: `list only the public domain(s) in ${key}.`,
            });
        }
        const publicEntries = entries.filter((entry) => !isLoopbackPattern(entry));
        for (const entry of publicEntries) {
            const pattern = hostPattern(entry);
            const wide = widerThanNeeded(pattern, site.domain);
            if (pattern.kind === "any") {
                findings.push({
                    key,
                    problem: 'contains "*", which accepts forged Host headers.',
                    fix: `list the public domain(s) in ${key}.`,
                });
            } else if (pattern.kind === "malformed") {
                findings.push({
                    key,
                    problem: `entry "${entry}" is not a host name (a scheme, port or path never matches a request's host).`,
                    fix: `write the bare host name, e.g. ${site.domain ?? "example.com"}.`,
                });
            } else if (wide !== undefined) {
                findings.push({
                    key,
                    problem: `entry "${entry}" ${wide}.`,
                    fix: `name the host(s) instead${site.domain ? `, or use .${site.domain} for the domain and its subdomains` : ""}.`,
                });
            }
        }
        const domain = site.domain === undefined ? undefined : canonicalHost(site.domain);
        if (domain !== undefined && !publicEntries.some((entry) => matchesHost(hostPattern(entry), domain))) {
            findings.push({
                key,
                problem: `does not include the stack's domain ${domain}, so every request to the site is refused.`,
                fix: `add ${domain} to ${key}.`,
            });
        }
    }
    return findings;
}
