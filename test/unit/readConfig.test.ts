import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { isSecretOutput, valueOf } from "../mocks";
import { readStackConfig } from "../../config/readConfig";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";

/**
 * Config as the program reads it: through pulumi.Config, as the language host hands it over (every value as text,
 * objects as JSON), with the engine's list of secret keys.
 */
function setStackConfig(values: Record<string, unknown>, secretKeys: string[] = []) {
    pulumi.runtime.setAllConfig(
        Object.fromEntries(
            Object.entries(values).map(([key, value]) => [
                `webplatform:${key}`,
                typeof value === "string" ? value : JSON.stringify(value),
            ]),
        ),
        secretKeys.map((key) => `webplatform:${key}`),
    );
}

const minimal = {
    environment: "development",
    domain: "localhost",
    backend: { image: "app:1.0.0", migrationCommand: ["app", "migrate"] },
};

function problems(read: () => unknown): string[] {
    try {
        read();
    } catch (error) {
        if (error instanceof StackConfigError) {
            return error.message.split("\n").slice(1);
        }
        throw error;
    }
    return [];
}

describe("reading stack config", () => {
    afterEach(() => pulumi.runtime.setAllConfig({}, []));

    it("reads every key of the namespace, text settings as their text and the rest as JSON", () => {
        setStackConfig({ ...minimal, networkMtu: "1450", secretsRotation: "2026.10" });
        pulumi.runtime.setConfig("other:setting", "ignored");
        expect(readStackConfig()).toEqual({
            values: {
                backend: minimal.backend,
                domain: "localhost",
                environment: "development",
                networkMtu: 1450,
                secretsRotation: "2026.10",
            },
            secretKeys: [],
        });
    });

    it("accepts secretsRotation: 2026 as the text it is (the CLI stores it as a string that looks like a number)", () => {
        setStackConfig({ ...minimal, secretsRotation: "2026" });
        const { values, secretKeys } = readStackConfig();
        const args = parseStackConfig(values, { stack: "dev", secretKeys }, (value) => value);
        expect(args.secretsRotation).toBe("2026");
    });

    it("accepts a text setting that `pulumi config set --path` stored as a number or a boolean, as its text", () => {
        // `pulumi config set --path backend.env.PORT 8000` and `... backend.env.FEATURE true` store these.
        setStackConfig({
            ...minimal,
            backend: { ...minimal.backend, env: { PORT: 8000, FEATURE: true }, user: 1000 },
            workers: { bot: { command: ["bot", 1], healthcheckCommand: ["true"], env: { WORKERS: 4 } } },
        });
        const { values, secretKeys } = readStackConfig();
        const args = parseStackConfig(values, { stack: "dev", secretKeys }, (value) => value);
        expect(args.backend.env).toEqual({ PORT: "8000", FEATURE: "true" });
        expect(args.backend.user).toBe("1000");
        expect(args.workers?.bot).toMatchObject({ command: ["bot", "1"], env: { WORKERS: "4" } });
    });

    it("still refuses a number where the schema wants a number of another kind, or an object where it wants text", () => {
        setStackConfig({ ...minimal, networkMtu: "jumbo", backend: { ...minimal.backend, env: { PORT: { n: 1 } } } });
        const { values, secretKeys } = readStackConfig();
        expect(problems(() => parseStackConfig(values, { stack: "dev", secretKeys }, (value) => value))).toEqual([
            "  - webplatform:networkMtu: Invalid input: expected number, received string. Fix: correct the value; the README lists every key and its form.",
            "  - webplatform:backend.env.PORT: Invalid input: expected string, received object. Fix: correct the value; the README lists every key and its form.",
        ]);
    });

    it("knows which keys are secret from the SDK, and hands the secrets on as Pulumi secrets", async () => {
        setStackConfig(
            {
                ...minimal,
                secretEnv: { BOT_TOKEN: "123:abc" },
                nginx: { certificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" },
                tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
            },
            ["secretEnv", "tlsPrivateKey"],
        );
        const { values, secretKeys } = readStackConfig();
        expect(secretKeys).toEqual(["webplatform:secretEnv", "webplatform:tlsPrivateKey"]);
        const args = parseStackConfig(values, { stack: "dev", secretKeys }, (value) => pulumi.secret(value));
        const token = args.backend.secretEnv!.BOT_TOKEN as pulumi.Output<string>;
        const key = args.nginx!.privateKeyPem as pulumi.Output<string>;
        expect(await isSecretOutput(token)).toBe(true);
        expect(await valueOf(token)).toBe("123:abc");
        expect(await isSecretOutput(key)).toBe(true);
    });

    it("refuses a secret the engine holds in plain text, and names a key it does not know", () => {
        setStackConfig({ ...minimal, secretEnv: { BOT_TOKEN: "123:abc" }, debug: "true" });
        const { values, secretKeys } = readStackConfig();
        expect(values.debug).toBe("true");
        expect(problems(() => parseStackConfig(values, { stack: "dev", secretKeys }, (value) => value))).toEqual([
            "  - webplatform:debug: is not a setting this project knows (a typo?). Fix: remove it or correct its name; the README lists every key.",
        ]);
        setStackConfig({ ...minimal, secretEnv: { BOT_TOKEN: "123:abc" } });
        const plain = readStackConfig();
        expect(problems(() => parseStackConfig(plain.values, { stack: "dev", secretKeys: [] }, (v) => v))).toEqual([
            "  - webplatform:secretEnv: is stored in plain text in Pulumi.dev.yaml. Fix: remove it and set it again with `pulumi config set --secret --path secretEnv...`.",
        ]);
    });
});
