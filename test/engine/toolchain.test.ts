import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PulumiProject } from "./pulumiCli";

/** The plugins setup built, as the engine finds them on PATH. */
describe("the toolchain setup builds", () => {
    const project = new PulumiProject("toolchain", { files: [] });
    const version = (binary: string) =>
        spawnSync(binary, ["--version"], { encoding: "utf8", env: project.env }).stdout.trim();

    it("marks the command provider as this project's stand-in, in a version the engine accepts", () => {
        expect(version("pulumi-resource-command")).toBe("1.2.1+webplatform.standin");
    });

    it("stamps the CLI with the release it is built from", () => {
        expect(version("pulumi")).toBe("v3.259.0");
    });
});
