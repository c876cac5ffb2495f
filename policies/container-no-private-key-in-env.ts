import { environmentOf } from "../rules/containerProps";
import { privateKeysInEnvironment } from "../rules/container/privateKeys";
import { migrationEnvironment } from "./lib/applicationEnvironment";
import { TYPES, resourceGuard } from "./lib/guard";

const FIX =
    "deliver the key as a file with mode 0600 on a volume or tmpfs the process reads (the Nginx component writes its TLS key this way), and remove the variable.";

export const containerNoPrivateKeyInEnv = resourceGuard({
    name: "container-no-private-key-in-env",
    description:
        "No container, and no one-shot step's container, may carry a PEM private key (as it is or base64-encoded) in its environment. `docker inspect` prints every environment value in plain text to anyone who can reach the engine, whether or not the value is a Pulumi secret, and every child process inherits it; nginx's TLS key sat in its environment this way.",
    remediationSteps:
        "Write the key to a file with mode 0600 owned by the process's user, on a volume mounted read-only or a tmpfs, from a step that receives it on stdin (components/tlsKeyFile.ts), and point the process at the file.",
    severity: "high",
    topics: ["secrets"],
    checklist: ["OWASP-Docker-D06"],
    resourceTypes: [TYPES.container, TYPES.command],
    check: ({ type, props }) => {
        const command = type === TYPES.command;
        const environment = command ? migrationEnvironment(props) : environmentOf(props.envs);
        const prefix = command ? "environment" : "envs";
        return environment === undefined
            ? []
            : privateKeysInEnvironment(environment.env, FIX, (name) => `${prefix}.${name}`);
    },
});
