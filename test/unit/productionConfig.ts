import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** The `webplatform:*` values of Pulumi.prod.yaml, with the certificate and key a real stack sets by command. */
export function productionConfig(): Record<string, any> {
    const parsed = parse(readFileSync("Pulumi.prod.yaml", "utf8"));
    const raw: Record<string, any> = Object.fromEntries(
        Object.entries(parsed.config as Record<string, unknown>)
            .filter(([key]) => key.startsWith("webplatform:"))
            .map(([key, value]) => [key.slice("webplatform:".length), value]),
    );
    raw.nginx = { ...raw.nginx, certificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" };
    raw.tlsPrivateKey = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
    return raw;
}
