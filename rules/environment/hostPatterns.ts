/**
 * Host patterns as the popular frameworks read an allowed-hosts entry, and Django's matching of a request's host
 * against them (django.http.request.validate_host):
 * - `*` matches every host (Django, Starlette's TrustedHostMiddleware);
 * - `.example.com` matches example.com and every subdomain (Django);
 * - `*.example.com` matches every subdomain but not example.com itself (Starlette; Django's CSRF_TRUSTED_ORIGINS);
 * - anything else is one host. Hosts are compared as canonicalHost writes them (lower case, IDNA, no trailing dot).
 */
import { canonicalHost } from "../loopback";

export type HostPattern =
    | { readonly kind: "any" }
    | { readonly kind: "host"; readonly host: string }
    /** Subdomains of `base`, and `base` itself when `apex`. */
    | { readonly kind: "subdomains"; readonly base: string; readonly apex: boolean }
    /** Not a host name: a scheme, port, path or character no host has. */
    | { readonly kind: "malformed" };

/** The host of `text` when it is a bare host name or address (no scheme, user, port or path), else undefined. */
function bareHost(text: string): string | undefined {
    let url: URL;
    try {
        url = new URL(`http://${text}/`);
    } catch {
        return undefined;
    }
    const bare = url.port === "" && url.href === `http://${url.host}/` && !text.includes("/") && !text.includes("@");
    return bare ? canonicalHost(url.hostname) : undefined;
}

export function hostPattern(entry: string): HostPattern {
    const text = entry.trim();
    if (text === "*") {
        return { kind: "any" };
    }
    const [base, apex] = text.startsWith("*.")
        ? [text.slice(2), false]
        : text.startsWith(".")
          ? [text.slice(1), true]
          : [text, undefined];
    const host = bareHost(base);
    if (host === undefined || host.includes("*")) {
        return { kind: "malformed" };
    }
    return apex === undefined ? { kind: "host", host } : { kind: "subdomains", base: host, apex };
}

/** True when `host` is `domain` or one of its subdomains. */
export function isWithin(host: string, domain: string): boolean {
    return host === domain || host.endsWith(`.${domain}`);
}

/** True when the pattern matches the (canonical) host. */
export function matchesHost(pattern: HostPattern, host: string): boolean {
    switch (pattern.kind) {
        case "any":
            return true;
        case "host":
            return pattern.host === host;
        case "subdomains":
            return host.endsWith(`.${pattern.base}`) || (pattern.apex && host === pattern.base);
        case "malformed":
            return false;
    }
}

/**
 * Why the pattern is wider than a site of `domain` needs, or undefined. `*` and a wildcard over a single label
 * (`.com`) are always too wide; with a domain, a wildcard must lie within it (`.app.example.com` for the domain
 * app.example.com, not `.example.com`, which also trusts every sibling of the domain). One named host is never too
 * wide: naming it is a deliberate choice (a `www.` alias, a second name of the same site).
 */
export function widerThanNeeded(pattern: HostPattern, domain: string | undefined): string | undefined {
    if (pattern.kind === "any") {
        return "matches every host, so forged Host headers are accepted";
    }
    if (pattern.kind !== "subdomains") {
        return undefined;
    }
    if (!pattern.base.includes(".")) {
        return `matches every host under the top-level domain "${pattern.base}"`;
    }
    if (domain !== undefined && !isWithin(pattern.base, domain)) {
        return `matches every subdomain of ${pattern.base}, wider than the stack's domain ${domain}`;
    }
    return undefined;
}
