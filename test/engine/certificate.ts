import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificate {
    /** Directory holding cert.pem and key.pem. */
    readonly dir: string;
    readonly certificate: string;
    readonly key: string;
}

/** A throwaway self-signed certificate (one day) made with openssl, for stacks and configs under test. */
export function testCertificate(host: string): TestCertificate {
    const dir = mkdtempSync(join(tmpdir(), "wp-cert-"));
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    const args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", `/CN=${host}`];
    execFileSync("openssl", [...args, "-keyout", keyPath, "-out", certPath], { stdio: "ignore" });
    return { dir, certificate: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
}
