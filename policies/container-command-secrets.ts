import { commandLineSecretFindings } from "../rules/commandSecrets";
import { healthcheckArgv, healthcheckTests, wordsOf } from "../rules/containerProps";
import { Finding } from "../rules/finding";
import { knownString } from "../rules/unknownValue";
import { TYPES, resourceGuard } from "./lib/guard";

const CONTAINER_FIX =
    "pass the secret in an environment variable (envs, a Pulumi secret) or a config file written from one, as the Redis component does with REDIS_CONFIG.";
const COMMAND_FIX =
    "pass the secret through the Command's environment (a Pulumi secret) and reference it as `--env NAME` or `$NAME`, never inline.";

export const containerNoSecretInCommand = resourceGuard({
    name: "container-no-secret-in-command",
    description:
        "A container's command, entrypoint and healthcheck must not carry a secret (--requirepass, --password=..., password=..., a URL with a password, redis-cli -a). Command lines are stored in the Pulumi state and shown by `docker inspect`, previews and `ps`; the seed's Redis exposed its password this way.",
    remediationSteps:
        "Move the secret into envs (as a Pulumi secret) or into a configuration file written from an environment variable at start, and reference it by name.",
    resourceTypes: [TYPES.container],
    check: ({ props }) => {
        const findings: Finding[] = [];
        for (const [key, words] of [
            ["command", wordsOf(props.command)],
            ["entrypoint", wordsOf(props.entrypoint)],
            ["healthcheck.tests", healthcheckArgv(healthcheckTests(props) ?? [])],
        ] as const) {
            if (words !== undefined) {
                findings.push(...commandLineSecretFindings(key, words, CONTAINER_FIX));
            }
        }
        return findings;
    },
});

export const commandNoSecretInArgv = resourceGuard({
    name: "command-no-secret-in-command-line",
    description:
        "A local Command's create, update and delete scripts must not contain a secret value. The scripts are stored in the Pulumi state and printed in previews, so a migration step must receive DATABASE_URL and friends through its environment.",
    remediationSteps:
        "Put secrets in the Command's environment (a Pulumi secret) and pass them to docker with `--env NAME` (no value), as the OneShotContainer component does.",
    resourceTypes: [TYPES.command],
    check: ({ props }) =>
        (["create", "update", "delete"] as const).flatMap((key) => {
            const script = knownString(props[key]);
            return script === undefined ? [] : commandLineSecretFindings(key, [script], COMMAND_FIX);
        }),
});
