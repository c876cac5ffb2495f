/** Debug switches and the variables that name the deployment environment. */
import { Finding } from "../finding";
import { Environment, flaskReadsTrue, isTrue } from "./words";

/** Variables naming the deployment environment; one of them must be set. */
export const ENVIRONMENT_MARKER_VARIABLES = ["ENVIRONMENT", "APP_ENV", "DJANGO_ENV", "NODE_ENV", "ENV"] as const;
/** Further variables naming the deployment environment (Flask before 2.3, Python and app conventions). */
export const ENVIRONMENT_NAME_VARIABLES = [
    ...ENVIRONMENT_MARKER_VARIABLES,
    "FLASK_ENV",
    "PYTHON_ENV",
    "APP_ENVIRONMENT",
] as const;
/** Names a production deployment may give itself. */
const PRODUCTION_NAMES = ["production", "prod"];

/** Variables that switch an application's debug mode on: Django and Laravel-style conventions, Flask's own. */
export const DEBUG_VARIABLES = ["DEBUG", "DJANGO_DEBUG", "FLASK_DEBUG", "APP_DEBUG"] as const;

/** True when the parser that reads `key` would switch debug mode on. */
function debugOn(key: string, value: string | undefined): boolean {
    return isTrue(value) || (key === "FLASK_DEBUG" && flaskReadsTrue(value));
}

export function debugDisabled(env: Environment): Finding[] {
    const findings: Finding[] = DEBUG_VARIABLES.filter((key) => debugOn(key, env[key])).map((key) => ({
        key,
        problem: "debug mode is enabled, which exposes stack traces and settings to anyone.",
        fix: `set ${key}=False (or remove it) for production.`,
    }));
    if (isTrue(env.UVICORN_RELOAD)) {
        findings.push({
            key: "UVICORN_RELOAD",
            problem: "runs uvicorn's development auto-reloader, which watches the code and restarts the server.",
            fix: "remove UVICORN_RELOAD (or set it to false) for production.",
        });
    }
    return findings;
}

export function productionMarker(env: Environment): Finding[] {
    const findings: Finding[] = [];
    if (!ENVIRONMENT_MARKER_VARIABLES.some((key) => env[key] !== undefined)) {
        findings.push({
            key: "ENVIRONMENT",
            problem:
                "no variable tells the application it runs in production, so it falls back to development defaults.",
            fix: "set ENVIRONMENT=production.",
        });
    }
    for (const key of ENVIRONMENT_NAME_VARIABLES) {
        const value = env[key];
        if (value !== undefined && !PRODUCTION_NAMES.includes(value.trim().toLowerCase())) {
            findings.push({
                key,
                problem: `says "${value}" instead of production, so development defaults and checks apply.`,
                fix: `set ${key}=production.`,
            });
        }
    }
    return findings;
}
