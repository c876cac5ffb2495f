import * as pulumi from "@pulumi/pulumi";

/**
 * The SDK logs every resource registration's full response at debug level ("RegisterResource RPC finished: …
 * resp: …"), secret values included in plain text, and `pulumi up --json` prints debug diagnostics; so CI logs of a
 * `--json` run held every generated password. The SDK marks a serialized secret with `specialSecretSig`: a debug
 * message that carries one is cut before its payload. Everything else the SDK logs is left as it is.
 */
type DebugLog = (message: string, ...rest: unknown[]) => Promise<void>;
interface SdkLog {
    debug: DebugLog & { redactsSecrets?: true };
}

/** The debug line as it may be shown: unchanged, or cut before its payload when it holds a secret value. */
export function redactSecretDebugMessage(message: string): string {
    if (!message.includes(pulumi.runtime.specialSecretSig)) {
        return message;
    }
    const payload = message.search(/,? (?:resp|obj|outputs)[:=]/);
    const head = payload > 0 ? message.slice(0, payload) : message.split(":")[0];
    return `${head} [payload withheld by webplatform: it holds secret values]`;
}

/** Makes the SDK's debug log cut secret payloads from now on; call it once, first thing in a program. */
export function withholdSecretsFromDebugLogs(): void {
    // The log module's exports object is what the SDK's runtime calls through, so wrapping its `debug` reaches
    // every debug line the runtime writes. There is no public hook for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdkLog = require("@pulumi/pulumi/log") as SdkLog;
    if (sdkLog.debug.redactsSecrets) {
        return;
    }
    const debug = sdkLog.debug;
    sdkLog.debug = Object.assign(
        (message: string, ...rest: unknown[]) => debug(redactSecretDebugMessage(String(message)), ...rest),
        { redactsSecrets: true as const },
    );
}
