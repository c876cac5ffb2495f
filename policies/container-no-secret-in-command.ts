import { commandLineSecretFindings } from "../rules/commandSecrets";
import { healthcheckArgv, healthcheckTests, wordsOf } from "../rules/containerProps";
import { Finding } from "../rules/finding";
import { TYPES, resourceGuard } from "./lib/guard";

const FIX =
    "pass the secret in an environment variable (envs, a Pulumi secret) or a config file written from one, as the Redis component does with REDIS_CONFIG.";

export const containerNoSecretInCommand = resourceGuard({
    name: "container-no-secret-in-command",
    description:
        "A container's command, entrypoint and healthcheck must not carry a secret (--requirepass, --password=..., password=..., a URL with a password, redis-cli -a). Command lines are stored in the Pulumi state and shown by `docker inspect`, previews and `ps`; the seed's Redis exposed its password this way.",
    remediationSteps:
        "Move the secret into envs (as a Pulumi secret) or into a configuration file written from an environment variable at start, and reference it by name.",
    severity: "high",
    topics: ["secrets"],
    checklist: ["OWASP-Docker-D06"],
    resourceTypes: [TYPES.container],
    check: ({ props }) => {
        const findings: Finding[] = [];
        for (const [key, words] of [
            ["command", wordsOf(props.command)],
            ["entrypoint", wordsOf(props.entrypoint)],
            ["healthcheck.tests", healthcheckArgv(healthcheckTests(props) ?? [])],
        ] as const) {
            if (words !== undefined) {
                findings.push(...commandLineSecretFindings(key, words, FIX));
            }
        }
        return findings;
    },
});
