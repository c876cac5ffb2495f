/** Cookies, the HTTPS redirect and HSTS as the application sets them. */
import { Finding } from "../finding";
import { ONE_YEAR_SECONDS } from "../securityHeaders";
import { Environment, isFalse } from "./words";

export function secureCookiesAndRedirect(env: Environment): Finding[] {
    const mustBeTrue = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
    ];
    const findings: Finding[] = mustBeTrue
        .filter((key) => isFalse(env[key]))
        .map((key) => ({
            key,
            problem: "is turned off, so cookies or requests may travel over plain HTTP or be read by scripts.",
            fix: `set ${key}=True.`,
        }));
    const hsts = env.SECURE_HSTS_SECONDS;
    if (hsts !== undefined && !(Number(hsts) >= ONE_YEAR_SECONDS)) {
        findings.push({
            key: "SECURE_HSTS_SECONDS",
            problem: `is ${hsts}, shorter than a year.`,
            fix: `set SECURE_HSTS_SECONDS=${ONE_YEAR_SECONDS}.`,
        });
    }
    if (isFalse(env.SECURE_HSTS_INCLUDE_SUBDOMAINS)) {
        findings.push({
            key: "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            problem: "is off, so subdomains can be reached over plain HTTP.",
            fix: "set SECURE_HSTS_INCLUDE_SUBDOMAINS=True.",
        });
    }
    return findings;
}
