import { Finding } from "./finding";
import { isLoopbackPattern } from "./loopback";

/**
 * The site's public name must not mean this machine: the stack's `domain` (the program) and the names its nginx
 * serves, server_name (the pack), are the same fact seen from each side. A loopback name is reachable from no
 * other machine and no public CA certifies it. Each name found gives one finding on `key`.
 */
export function loopbackSiteNameFindings(key: string, names: readonly string[], fix: string): Finding[] {
    return [...new Set(names)]
        .filter((name) => isLoopbackPattern(name))
        .map((name) => ({
            key,
            problem: `"${name}" names this machine, so no client elsewhere can reach the site and its certificate cannot be trusted.`,
            fix,
        }));
}
