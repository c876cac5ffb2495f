/** Which hosts and origins the application answers and trusts. */
import { Finding } from "../finding";
import { isLoopbackHost } from "../loopback";
import { Environment, isTrue, list } from "./words";

export function allowedHosts(env: Environment): Finding[] {
    const findings: Finding[] = [];
    for (const key of ["ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"]) {
        const value = env[key];
        if (value === undefined) {
            continue;
        }
        const hosts = list(value);
        if (hosts.length === 0) {
            findings.push({
                key,
                problem: "is empty, so every request is rejected.",
                fix: `set ${key} to the public domain.`,
            });
        }
        if (hosts.includes("*")) {
            findings.push({
                key,
                problem: 'contains "*", which accepts forged Host headers.',
                fix: `list the public domain(s) in ${key}.`,
            });
        }
        // A leading dot is Django's "this domain and its subdomains": .localhost is localhost too.
        const local = hosts.filter((host) => isLoopbackHost(host.replace(/^\./, "")));
        if (local.length > 0) {
            findings.push({
                key,
                problem: `contains ${local.join(", ")}, a development host.`,
                fix: `list only the public domain(s) in ${key}.`,
            });
        }
    }
    return findings;
}

export function corsOrigins(env: Environment): Finding[] {
    const findings: Finding[] = [];
    if (isTrue(env.CORS_ALLOW_ALL_ORIGINS) || isTrue(env.CORS_ORIGIN_ALLOW_ALL)) {
        findings.push({
            key: "CORS_ALLOW_ALL_ORIGINS",
            problem: "lets every web site make credentialed requests to the API.",
            fix: "set it to False and list the frontend origins in CORS_ALLOWED_ORIGINS.",
        });
    }
    for (const key of ["CORS_ALLOWED_ORIGINS", "CORS_ORIGINS"]) {
        const value = env[key];
        if (value === undefined) {
            continue;
        }
        for (const origin of list(value)) {
            let url: URL | undefined;
            try {
                url = new URL(origin);
            } catch {
                url = undefined;
            }
            if (origin === "*" || !url || url.protocol !== "https:" || isLoopbackHost(url.hostname)) {
                findings.push({
                    key,
                    problem: `origin "${origin}" is not an https origin on a public host.`,
                    fix: `list only https origins of the public frontend in ${key}.`,
                });
            }
        }
    }
    return findings;
}
