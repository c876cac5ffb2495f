import * as docker from "@pulumi/docker";
import { beforeEach, describe, expect, it } from "vitest";
import { COMMAND, CONTAINER, named, ofType, recorded, resetRecorded, settle, valueOf, waitsFor } from "../mocks";
import { dockerCliInterpreter } from "../../components/dockerCli";
import { DockerTarget } from "../../components/dockerTarget";
import { Postgres } from "../../components/postgres";
import { Redis } from "../../components/redis";

const HOST = "ssh://deploy@203.0.113.10";
const KEY = ["-i", "/keys/deploy"];

describe("DockerTarget", () => {
    beforeEach(resetRecorded);

    async function deploy(target: docker.Provider | undefined) {
        const postgres = new Postgres("db", { network: "private-net" }, { providers: target ? [target] : [] });
        await valueOf(postgres.url);
        await settle();
        return postgres;
    }

    it("is the docker provider, behind the preflight, and is given once: every Docker resource inherits it", async () => {
        const target = new DockerTarget("prod-docker", { host: HOST, sshOptions: KEY });
        await deploy(target);
        const provider = recorded.find((resource) => resource.type === "pulumi:providers:docker")!;
        expect(provider.name).toBe("prod-docker");
        expect(provider.inputs).toMatchObject({ host: HOST });
        expect(waitsFor(provider, named("prod-docker-preflight-check"))).toBe(true);
        const dockerResources = recorded.filter((resource) => resource.type.startsWith("docker:"));
        expect(dockerResources.map((resource) => resource.name).sort()).toEqual(["db-data", "db-image", "db-server"]);
        for (const resource of dockerResources) {
            expect(resource.provider.startsWith(`${provider.urn}::`)).toBe(true);
        }
    });

    it("hands the same host and ssh options to the docker CLI steps of the components below it", async () => {
        await deploy(new DockerTarget("prod-docker", { host: HOST, sshOptions: KEY }));
        const sync = named("db-password-sync");
        expect(sync.inputs.environment).toMatchObject({ DOCKER_HOST: HOST });
        expect(sync.inputs.interpreter).toEqual(dockerCliInterpreter({ host: HOST, sshOptions: KEY }));
    });

    it("leaves the local engine alone: the default provider, and no DOCKER_HOST or wrapper for the CLI", async () => {
        await deploy(undefined);
        expect(recorded.some((resource) => resource.type === "pulumi:providers:docker")).toBe(false);
        expect(ofType(CONTAINER)[0].provider).toBe("");
        const sync = named("db-password-sync");
        expect(sync.inputs.environment?.DOCKER_HOST).toBeUndefined();
        expect(sync.inputs.interpreter).toEqual(["/bin/sh", "-c"]);
    });

    it("refuses a bare docker.Provider where docker CLI steps run, since it carries no ssh options for them", () => {
        const provider = new docker.Provider("other", { host: HOST, sshOpts: KEY });
        expect(() => new Postgres("db", { network: "private-net" }, { providers: [provider] })).toThrow(
            "db-password-sync runs the docker CLI, but inherits a docker provider that is not a DockerTarget, so the CLI could reach another engine than the containers. Fix: create the provider with new DockerTarget(name, { host, sshOptions }) and pass that.",
        );
    });

    it("is not needed by components without CLI steps, which take any docker provider", async () => {
        const provider = new docker.Provider("other", { host: HOST, sshOpts: KEY });
        new Redis("cache", { network: "private-net" }, { provider });
        await settle();
        const providerUrn = recorded.find((resource) => resource.type === "pulumi:providers:docker")!.urn;
        expect(named("cache-server").provider.startsWith(`${providerUrn}::`)).toBe(true);
        expect(ofType(COMMAND)).toEqual([]);
    });
});
