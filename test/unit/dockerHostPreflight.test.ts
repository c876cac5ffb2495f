import * as docker from "@pulumi/docker";
import { beforeEach, describe, expect, it } from "vitest";
import {
    COMMAND,
    NETWORK,
    isSecret,
    named,
    ofType,
    recorded,
    resetRecorded,
    settle,
    valueOf,
    waitsFor,
} from "../mocks";
import { parseDockerHost } from "../../components/dockerHostAddress";
import { dockerHostCheckArgv, dockerHostCheckCommand } from "../../components/dockerHostCheck";
import { DockerHostPreflight, dockerHostPreflightInterpreter } from "../../components/dockerHostPreflight";
import { CHECK, HOST, KEY } from "./dockerHostFailures";

describe("DockerHostPreflight", () => {
    beforeEach(resetRecorded);

    async function deploy(host = HOST, sshOptions: string[] = KEY) {
        const preflight = new DockerHostPreflight("prod-docker-preflight", { host, sshOptions });
        await valueOf(preflight.engineVersion);
        await settle();
        return preflight;
    }

    it("runs ssh in batch mode with a short timeout, the stack's options, and `docker version` on the host", async () => {
        await deploy();
        expect(recorded.map((resource) => resource.name)).toEqual([
            "prod-docker-preflight",
            "prod-docker-preflight-check",
        ]);
        const check = named("prod-docker-preflight-check");
        expect(check.type).toBe(COMMAND);
        expect(check.parent).toBe(named("prod-docker-preflight").urn);
        expect(check.inputs.create).toBe(CHECK);
        expect(check.inputs.interpreter).toEqual(dockerHostPreflightInterpreter(HOST, KEY));
        expect(check.inputs.logging).toBe("stderr");
    });

    it("runs again when the host or the options change, and only then (a stable trigger keeps `up` idempotent)", async () => {
        await deploy();
        expect(named("prod-docker-preflight-check").inputs.triggers).toEqual([HOST, "-i", "/keys/deploy"]);
        // The command SDK marks triggers replace-on-change: a new host or key replaces the check, which runs it again.
        expect(named("prod-docker-preflight-check").replaceOnChanges).toEqual(["triggers[*]"]);
    });

    it("holds no secret: a key path and a host are not secrets, so the log and output stay readable", async () => {
        await deploy();
        const check = named("prod-docker-preflight-check");
        for (const value of Object.values(check.wireInputs)) {
            expect(isSecret(value)).toBe(false);
        }
        expect(check.inputs.environment).toBeUndefined();
        expect(check.additionalSecretOutputs).toEqual([]);
    });

    it("keeps the caller's options after its own, so BatchMode and the timeout cannot be overridden", () => {
        expect(dockerHostCheckArgv(HOST, ["-o", "BatchMode=no", "-o", "ConnectTimeout=60"])).toEqual([
            "ssh",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=5",
            "-l",
            "deploy",
            "-o",
            "BatchMode=no",
            "-o",
            "ConnectTimeout=60",
            "--",
            "203.0.113.10",
            'docker version --format "{{.Server.Version}}"',
        ]);
    });

    it("reaches the engine the way the Docker provider does: port, IPv6 host and socket path from the address", () => {
        expect(dockerHostCheckCommand("ssh://root@[2001:db8::7]:2222/run/user/1000/docker.sock", [])).toBe(
            `ssh -o BatchMode=yes -o ConnectTimeout=5 -l root -p 2222 -- 2001:db8::7 'docker --host=unix:///run/user/1000/docker.sock version --format "{{.Server.Version}}"'`,
        );
        expect(dockerHostCheckCommand("ssh://203.0.113.10", [])).toBe(
            `ssh -o BatchMode=yes -o ConnectTimeout=5 -- 203.0.113.10 'docker version --format "{{.Server.Version}}"'`,
        );
        expect(dockerHostCheckCommand("unix:///var/run/docker.sock", ["-i", "/ignored"])).toBe(
            "docker --host unix:///var/run/docker.sock version --format '{{.Server.Version}}'",
        );
    });

    it("refuses an address with a password, query or unknown scheme, naming it and the fix", () => {
        expect(() => parseDockerHost("ssh://deploy:hunter2@203.0.113.10")).toThrow(
            "docker host ssh://deploy:hunter2@203.0.113.10: an ssh:// address takes only a user, a host, a port and a socket path. Fix: put keys and options in webplatform:dockerSshOptions.",
        );
        expect(() => parseDockerHost("ssh://203.0.113.10?key=/keys/deploy")).toThrow(/takes only a user/);
        expect(() => parseDockerHost("http://203.0.113.10")).toThrow(
            "docker host http://203.0.113.10: unsupported scheme. Fix: use ssh://user@host[:port] or unix:///path.",
        );
        expect(() => parseDockerHost("203.0.113.10")).toThrow("docker host 203.0.113.10 is not an address.");
    });

    it("is what the Docker provider waits for, so no Docker resource is attempted before the check passes", async () => {
        // The wiring the Platform uses: the explicit provider depends on the preflight.
        const preflight = new DockerHostPreflight("prod-docker-preflight", { host: HOST, sshOptions: KEY });
        const provider = new docker.Provider("prod-docker", { host: HOST, sshOpts: KEY }, { dependsOn: [preflight] });
        new docker.Network("prod-edge", { name: "prod-edge" }, { provider });
        await valueOf(preflight.engineVersion);
        await settle();
        const providerResource = recorded.find((resource) => resource.type === "pulumi:providers:docker")!;
        expect(waitsFor(providerResource, named("prod-docker-preflight-check"))).toBe(true);
        expect(ofType(NETWORK)[0].provider.startsWith(`${providerResource.urn}::`)).toBe(true);
    });
});
