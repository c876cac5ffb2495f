import { commandLineSecretFindings } from "../rules/commandSecrets";
import { knownString } from "../rules/unknownValue";
import { TYPES, resourceGuard } from "./lib/guard";

const FIX =
    "pass the secret through the Command's environment (a Pulumi secret) and reference it as `--env NAME` or `$NAME`, never inline.";

export const commandNoSecretInCommandLine = resourceGuard({
    name: "command-no-secret-in-command-line",
    description:
        "A local Command's create, update and delete scripts must not contain a secret value. The scripts are stored in the Pulumi state and printed in previews, so a migration step must receive DATABASE_URL and friends through its environment.",
    remediationSteps:
        "Put secrets in the Command's environment (a Pulumi secret) and pass them to docker with `--env NAME` (no value), as the OneShotContainer component does.",
    severity: "high",
    topics: ["secrets"],
    checklist: ["OWASP-Docker-D06"],
    resourceTypes: [TYPES.command],
    check: ({ props }) =>
        (["create", "update", "delete"] as const).flatMap((key) => {
            const script = knownString(props[key]);
            return script === undefined ? [] : commandLineSecretFindings(key, [script], FIX);
        }),
});
