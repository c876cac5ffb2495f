/** The parts of a database or cache connection URL. */
export interface ConnectionParts {
    readonly scheme: "postgresql" | "redis";
    readonly username: string;
    readonly password: string;
    readonly host: string;
    readonly port: number;
    /** Database name for PostgreSQL, logical database number for Redis. */
    readonly database: string;
}

/** Characters RFC 3986 leaves unreserved: they never need percent-encoding in any part of a URL. */
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;
const HOST = /^[A-Za-z0-9.-]+$/;

/**
 * Builds a connection URL with the WHATWG URL API and proves it parses back to exactly the same parts.
 * Throws, naming the part (never the secret value), when a part would need escaping, because many clients
 * (dj-database-url, older redis-py) do not unescape and then fail as in the seed outage.
 */
export function formatConnectionUrl(parts: ConnectionParts): string {
    for (const [label, value] of [
        ["username", parts.username],
        ["password", parts.password],
        ["database", parts.database],
    ] as const) {
        if (!UNRESERVED.test(value)) {
            throw new Error(
                `${parts.scheme} URL ${label} contains characters that need escaping; use only letters, digits and "._~-".`,
            );
        }
    }
    if (!HOST.test(parts.host)) {
        throw new Error(`${parts.scheme} URL host "${parts.host}" is not a valid host name.`);
    }
    if (!Number.isInteger(parts.port) || parts.port < 1 || parts.port > 65535) {
        throw new Error(`${parts.scheme} URL port ${parts.port} is not an integer between 1 and 65535.`);
    }
    const url = new URL(`${parts.scheme}://${parts.host}`);
    url.username = parts.username;
    url.password = parts.password;
    url.port = String(parts.port);
    url.pathname = `/${parts.database}`;
    const text = url.toString();

    const parsed = parseConnectionUrl(text);
    if (JSON.stringify(parsed) !== JSON.stringify(parts)) {
        throw new Error(`${parts.scheme} URL does not parse back to the parts it was built from.`);
    }
    return text;
}

/** Parses a connection URL into its parts; throws with the reason when it is not a complete URL. */
export function parseConnectionUrl(text: string): ConnectionParts {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        throw new Error("connection URL is not a valid URL");
    }
    const scheme = url.protocol.replace(/:$/, "");
    if (scheme !== "postgresql" && scheme !== "redis") {
        throw new Error(`connection URL scheme "${scheme}" is not postgresql or redis`);
    }
    if (!/^\d+$/.test(url.port)) {
        throw new Error("connection URL has no integer port");
    }
    return {
        scheme,
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        host: url.hostname,
        port: Number(url.port),
        database: decodeURIComponent(url.pathname.replace(/^\//, "")),
    };
}
