import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { redactSecretDebugMessage } from "../../components/secretDebugLogs";

describe("redactSecretDebugMessage", () => {
    const secretResponse = `RegisterResource RPC finished: resource:db[docker:index/container:Container]; err: null, resp: urn,x,object,envs,,${pulumi.runtime.specialSigKey},,,${pulumi.runtime.specialSecretSig},value,,,POSTGRES_PASSWORD=Hunter2Hunter2`;

    it("cuts a line that carries a serialized secret before its payload", () => {
        expect(redactSecretDebugMessage(secretResponse)).toBe(
            "RegisterResource RPC finished: resource:db[docker:index/container:Container]; err: null [payload withheld by webplatform: it holds secret values]",
        );
    });

    it("leaves every other debug line as it is", () => {
        const plain =
            "RegisterResource RPC finished: resource:net[docker:index/network:Network]; err: null, resp: urn,x";
        expect(redactSecretDebugMessage(plain)).toBe(plain);
        expect(redactSecretDebugMessage("Registering resource: t=x, name=y")).toBe("Registering resource: t=x, name=y");
    });
});
