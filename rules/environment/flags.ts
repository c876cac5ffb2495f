/** Debug switches and the variables that name the deployment environment. */
import { Finding } from "../finding";
import { Environment, isTrue } from "./words";

/** Variables naming the deployment environment. */
export const ENVIRONMENT_MARKER_VARIABLES = ["ENVIRONMENT", "APP_ENV", "DJANGO_ENV", "NODE_ENV", "ENV"] as const;

export function debugDisabled(env: Environment): Finding[] {
    return ["DEBUG", "DJANGO_DEBUG", "FLASK_DEBUG", "APP_DEBUG"]
        .filter((key) => isTrue(env[key]))
        .map((key) => ({
            key,
            problem: "debug mode is enabled, which exposes stack traces and settings to anyone.",
            fix: `set ${key}=False (or remove it) for production.`,
        }));
}

export function productionMarker(env: Environment): Finding[] {
    const present = ENVIRONMENT_MARKER_VARIABLES.filter((key) => env[key] !== undefined);
    if (present.length === 0) {
        return [
            {
                key: "ENVIRONMENT",
                problem:
                    "no variable tells the application it runs in production, so it falls back to development defaults.",
                fix: "set ENVIRONMENT=production.",
            },
        ];
    }
    return present
        .filter((key) => !["production", "prod"].includes(env[key].trim().toLowerCase()))
        .map((key) => ({
            key,
            problem: `says "${env[key]}" instead of production, so development defaults and checks apply.`,
            fix: `set ${key}=production.`,
        }));
}
