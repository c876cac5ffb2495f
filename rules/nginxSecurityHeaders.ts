import { Finding } from "./finding";
import { NginxHeaderFacts, nginxHeaderFacts } from "./nginxHeaderFacts";
import { NginxDirective, parseNginxConfig } from "./nginxTree";
import { HeaderPolicy, UPLOADS_PATH, headerProblems } from "./securityHeaders";

/**
 * Checks the security headers an nginx configuration sends on HTTPS responses, from its facts (nginxHeaderFacts):
 * the ones the Nginx component labels its container with, or the ones computed from the text of any other nginx.
 */

/** A place ("location /media/", "location ^~ /media/ > if ($x)") at or below the uploads' location. */
const servesUploads = (at: string) =>
    at
        .split(" > ")
        .some((place) => /^location (\S+ )?/.test(place) && place.split(" ").at(-1)!.startsWith(UPLOADS_PATH));

const serverLabel = (listen: string | undefined) => `server listening on ${listen ?? "the default port"}`;

/**
 * Findings for an nginx configuration's facts: every HTTPS server and each of its locations must end up sending the
 * headers of rules/securityHeaders.ts (uploads under /media/ those of uploads too); plain-HTTP servers may only
 * redirect to HTTPS or refuse. `key` names where the configuration came from, e.g. "envs.NGINX_CONFIG".
 */
export function nginxHeaderFactFindings(key: string, facts: NginxHeaderFacts, policy: HeaderPolicy): Finding[] {
    const findings: Finding[] = [];
    const problemsAt = new Map<string, string[]>();
    const note = (problem: string, where: string) => {
        const places = problemsAt.get(problem) ?? [];
        places.push(where);
        problemsAt.set(problem, places);
    };

    if (!facts.servers.some((server) => server.https)) {
        findings.push({
            key,
            problem: "has no server that listens with ssl, so nothing is served over HTTPS and HSTS cannot apply.",
            fix: "terminate TLS in nginx (listen ... ssl with a certificate) and redirect plain HTTP to HTTPS.",
        });
    }
    for (const server of facts.servers) {
        const label = serverLabel(server.listen);
        if (!server.https) {
            if (!server.onlyRedirects) {
                findings.push({
                    key,
                    problem: `has a plain-HTTP ${label} that serves content instead of redirecting to HTTPS.`,
                    fix: "make the plain-HTTP server only `return 301 https://$host$request_uri;`.",
                });
            }
            continue;
        }
        for (const [at, index] of server.headers ?? []) {
            const headers = new Map(Object.entries(facts.headerSets[index] ?? {}));
            headerProblems(headers, policy, servesUploads(at)).forEach((problem) =>
                note(problem, at ? `${label} > ${at}` : label),
            );
        }
    }
    for (const [problem, places] of problemsAt) {
        const shown = places.slice(0, 3).join("; ");
        const more = places.length > 3 ? ` and ${places.length - 3} more` : "";
        findings.push({
            key,
            problem: `${problem} in ${shown}${more}.`,
            fix: "add the header with `add_header ... always;` at server level and repeat every security header in any location that has add_header of its own (renderNginxConfig does this).",
        });
    }
    return findings;
}

/** Findings for nginx configuration text: parsed into the directive tree, then checked by its facts. */
export function nginxSecurityHeaderFindings(key: string, configText: string, policy: HeaderPolicy): Finding[] {
    let tree: NginxDirective[];
    try {
        tree = parseNginxConfig(configText);
    } catch (error) {
        return [
            {
                key,
                problem: `is not a configuration nginx can read: ${(error as Error).message}.`,
                fix: "render the configuration with renderNginxConfig (components/nginxConfig.ts) or correct its syntax.",
            },
        ];
    }
    return nginxHeaderFactFindings(key, nginxHeaderFacts(tree), policy);
}
