/**
 * Whether a host name or address means "this machine", in every spelling a resolver or URL parser accepts. One pure
 * function for every rule: inside a container, this machine is the container itself.
 */

/** Names that resolve to the loopback interface: RFC 6761 localhost and the /etc/hosts entries Docker writes. */
const LOOPBACK_NAMES: ReadonlySet<string> = new Set([
    "localhost",
    "localhost.localdomain",
    "ip6-localhost",
    "ip6-loopback",
]);

/**
 * The host as the WHATWG URL parser of a special scheme normalises it: lower case, IDNA-mapped, percent-decoded,
 * IPv4 short forms written out (127.1, 2130706433, 0x7f.1 → 127.0.0.1; inet_aton reads them the same way), IPv6
 * compressed in brackets ([0:0:0:0:0:0:0:1] → [::1], [::ffff:127.0.0.1] → [::ffff:7f00:1]). A port is dropped.
 * Surrounding brackets, whitespace, trailing dots and an IPv6 zone are removed first.
 */
export function canonicalHost(host: string): string {
    let value = host.trim().toLowerCase();
    const bracketed = /^\[(.*)\](:\d*)?$/.exec(value);
    if (bracketed) {
        value = bracketed[1];
    }
    if (value.includes(":")) {
        value = value.replace(/%(25)?[a-z][^:%]*$/, "");
    }
    value = value.replace(/\.+$/, "");
    const attempts = value.includes(":") ? [`[${value}]`, value] : [value];
    for (const attempt of attempts) {
        try {
            return new URL(`http://${attempt}/`).hostname.replace(/\.+$/, "");
        } catch {
            // not a host this spelling parses as; try the next reading
        }
    }
    return value;
}

function isLoopbackIPv4(canonical: string): boolean {
    return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(canonical);
}

/** True for the loopback interface only: localhost, *.localhost, 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8. */
export function isLoopbackAddress(host: string): boolean {
    const canonical = canonicalHost(host);
    if (LOOPBACK_NAMES.has(canonical) || canonical.endsWith(".localhost")) {
        return true;
    }
    return (
        isLoopbackIPv4(canonical) || canonical === "[::1]" || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical)
    );
}

/** True for the unspecified address (0.0.0.0, 0, ::, ::ffff:0.0.0.0): as a destination, Linux connects it locally. */
export function isUnspecifiedAddress(host: string): boolean {
    const canonical = canonicalHost(host);
    return canonical === "0.0.0.0" || canonical === "[::]" || canonical === "[::ffff:0:0]";
}

/**
 * True when connecting to `host` reaches this machine: a loopback name or address in any spelling, or the
 * unspecified address. Used for every URL and host list an application reads.
 */
export function isLoopbackHost(host: string): boolean {
    return isLoopbackAddress(host) || isUnspecifiedAddress(host);
}

/**
 * True when a host pattern names this machine: a host as isLoopbackHost reads it, where a leading `.` or `*.` is a
 * wildcard over the name after it (`.localhost`, nginx's `*.localhost`).
 */
export function isLoopbackPattern(entry: string): boolean {
    return isLoopbackHost(entry.replace(/^\*?\./, ""));
}
