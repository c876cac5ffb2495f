import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { holdsPrivateKey } from "../../rules/container/privateKeys";
import { TYPES } from "../lib/guard";
import { PlatformFixture, platformFixture } from "./fixtures";
import { runResourcePolicy, withChange } from "./harness";
import { resourcePolicy, setEnv } from "./helpers";

const POLICY = resourcePolicy("container-no-private-key-in-env");
const PROBLEM =
    "holds a PEM private key in the container's environment, which `docker inspect` prints in plain text whether or not it is a Pulumi secret.";
const FIX =
    "Fix: deliver the key as a file with mode 0600 on a volume or tmpfs the process reads (the Nginx component writes its TLS key this way), and remove the variable.";

/** Real keys of every PEM form, made here: PKCS#8, PKCS#1 RSA, SEC1 EC, encrypted PKCS#8, OpenSSH's header. */
const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const PKCS8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const KEYS: [string, string][] = [
    ["a PKCS#8 key", PKCS8],
    ["a PKCS#1 RSA key", rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString()],
    ["a SEC1 EC key", ec.privateKey.export({ type: "sec1", format: "pem" }).toString()],
    [
        "an encrypted PKCS#8 key",
        rsa.privateKey
            .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "correct horse" })
            .toString(),
    ],
    [
        "an OpenSSH key",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    ],
    ["a base64-encoded PEM key (one line)", Buffer.from(PKCS8).toString("base64")],
    ["a PEM key with its newlines escaped", PKCS8.replace(/\n/g, "\\n")],
];
/** Key material the rule must not refuse: public parts, and text that only mentions keys. */
const NOT_KEYS: [string, string][] = [
    ["a certificate", "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"],
    ["a public key", rsa.publicKey.export({ type: "spki", format: "pem" }).toString()],
    ["a file path", "/run/secrets/private-key.pem"],
    ["base64 of something else", Buffer.from("x".repeat(80)).toString("base64")],
];

describe("container-no-private-key-in-env", () => {
    let fixture: PlatformFixture;
    beforeAll(async () => {
        fixture = await platformFixture();
    });

    it("accepts every container and step of the platform: nginx's key is a file, in no environment", () => {
        const checked = [...fixture.ofType(TYPES.container), ...fixture.ofType(TYPES.command)];
        expect(checked.flatMap((resource) => runResourcePolicy(POLICY, resource).violations)).toEqual([]);
        expect(checked.length).toBeGreaterThan(8);
    });

    it.each(KEYS)("refuses %s in any container's environment, naming the variable and never the key", (_form, key) => {
        expect(holdsPrivateKey(key)).toBe(true);
        // Any container: the proxy, a datastore, a web and a worker container.
        for (const name of [
            "thebot-nginx-server",
            "thebot-redis-server",
            "thebot-backend-web-1",
            "thebot-celery-worker-1",
        ]) {
            const props = withChange(fixture.named(name).props, (copy) => setEnv(copy, "TLS_PRIVATE_KEY", key));
            const violations = runResourcePolicy(POLICY, { type: TYPES.container, name, props }).violations;
            expect(violations).toEqual([
                `Container "${name}" breaks container-no-private-key-in-env: envs.TLS_PRIVATE_KEY: ${PROBLEM} ${FIX}`,
            ]);
            expect(violations.join("\n")).not.toContain(key.slice(40, 80));
        }
    });

    it("refuses a key handed to the migration's container through the docker CLI's environment", () => {
        const migration = fixture.named("thebot-backend-migrate-run");
        const props = withChange(migration.props, (copy) => {
            copy.environment = { ...(copy.environment as object), JWT_SIGNING_KEY: PKCS8 };
            copy.create = String(copy.create).replace("--env DATABASE_URL", "--env DATABASE_URL --env JWT_SIGNING_KEY");
        });
        expect(runResourcePolicy(POLICY, { type: TYPES.command, name: migration.name, props }).violations).toEqual([
            `Command "thebot-backend-migrate-run" breaks container-no-private-key-in-env: environment.JWT_SIGNING_KEY: ${PROBLEM} ${FIX}`,
        ]);
    });

    it.each(NOT_KEYS)("accepts %s", (_form, value) => {
        expect(holdsPrivateKey(value)).toBe(false);
        const nginx = fixture.named("thebot-nginx-server");
        const props = withChange(nginx.props, (copy) => setEnv(copy, "TLS_MATERIAL", value));
        expect(runResourcePolicy(POLICY, { type: TYPES.container, name: nginx.name, props }).violations).toEqual([]);
    });
});
