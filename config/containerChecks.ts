import { DEFAULT_APP_USER } from "../components/schemas/appContainer";
import { commandLineSecretFindings } from "../rules/commandSecrets";
import { readOnlyRootFilesystem } from "../rules/container/hostMounts";
import { nonRootUser } from "../rules/container/privileges";
import { healthcheckArgv } from "../rules/containerProps";
import { Finding } from "../rules/finding";
import type { StackConfig } from "./schema";

/**
 * Production checks of the container settings a stack controls, so the program refuses what the pack's container
 * guards would: a root user (backend.user runs web, migration and workers; nginx.user the proxy), a writable root
 * filesystem, and a secret on a command line. Each applies the pack's rule to the property the setting becomes.
 */

const PREFIX = "webplatform:";

const COMMAND_SECRET_FIX =
    "keep the secret out of the command: set it with `pulumi config set --secret --path 'secretEnv.NAME'` and read $NAME from the environment (in sh -c, or in the application itself).";

/** Every command-line setting a stack gives, with the argv the container runs. */
function commandSettings(config: StackConfig): [string, readonly string[]][] {
    const settings: [string, readonly string[] | undefined][] = [
        ["backend.command", config.backend.command],
        ["backend.migrationCommand", config.backend.migrationCommand],
        [
            "backend.healthcheckCommand",
            config.backend.healthcheckCommand && healthcheckArgv(config.backend.healthcheckCommand),
        ],
        ...Object.keys(config.workers)
            .sort()
            .flatMap((name): [string, readonly string[] | undefined][] => [
                [`workers.${name}.command`, config.workers[name].command],
                [`workers.${name}.healthcheckCommand`, healthcheckArgv(config.workers[name].healthcheckCommand)],
            ]),
    ];
    return settings.filter((setting): setting is [string, readonly string[]] => setting[1] !== undefined);
}

export function containerSettingFindings(config: StackConfig): Finding[] {
    const findings: Finding[] = [];
    for (const [key, user] of [
        ["backend.user", config.backend.user],
        ["nginx.user", config.nginx.user],
    ] as const) {
        for (const finding of nonRootUser({ user })) {
            findings.push({
                key: `${PREFIX}${key}`,
                problem: finding.problem,
                fix: `set ${key} to a non-root account, e.g. "${DEFAULT_APP_USER}" or the image's service user.`,
            });
        }
    }
    // No label of the platform's says why a root filesystem must be writable, so the rule refuses it outright.
    for (const finding of readOnlyRootFilesystem({ readOnly: config.backend.readOnlyRootFilesystem, labels: [] })) {
        findings.push({
            key: `${PREFIX}backend.readOnlyRootFilesystem`,
            problem: `is false: the container's root filesystem ${finding.problem.replace(/^is not true, so /, "is writable, so ")}`,
            fix: "remove it (the default is true) and keep written files on /tmp or in dataDirectory / mediaDirectory.",
        });
    }
    for (const [key, argv] of commandSettings(config)) {
        findings.push(...commandLineSecretFindings(`${PREFIX}${key}`, argv, COMMAND_SECRET_FIX));
    }
    return findings;
}
