/**
 * A private key in a container's environment: `docker inspect` prints every environment value, Pulumi secret or
 * not, to anyone who can reach the engine, and the process's children inherit it. Keys belong in files (as the
 * Nginx component writes its TLS key). The finding names the variable, never its value.
 */
import { Finding } from "../finding";
import type { Environment } from "../environment/words";

/** The PEM header of every private-key form: PKCS#8 (also ENCRYPTED), PKCS#1 RSA, SEC1 EC, DSA, OpenSSH. */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/** Text that could be base64 of a PEM file: base64 letters (line breaks allowed), long enough for a header. */
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]{40,}$/;

/** True when `value` holds a PEM private key, as it is or base64-encoded (a common way to fit it on one line). */
export function holdsPrivateKey(value: string): boolean {
    if (PEM_PRIVATE_KEY.test(value)) {
        return true;
    }
    if (!BASE64_TEXT.test(value)) {
        return false;
    }
    return PEM_PRIVATE_KEY.test(Buffer.from(value.replace(/\s+/g, ""), "base64").toString("latin1"));
}

/** Variables of `env` that hold a private key, keyed by their name (`keyOf` turns it into the finding's key). */
export function privateKeysInEnvironment(
    env: Environment,
    fix: string,
    keyOf: (name: string) => string = (name) => name,
): Finding[] {
    return Object.keys(env)
        .sort()
        .filter((name) => holdsPrivateKey(env[name]))
        .map((name) => ({
            key: keyOf(name),
            problem:
                "holds a PEM private key in the container's environment, which `docker inspect` prints in plain text whether or not it is a Pulumi secret.",
            fix,
        }));
}
