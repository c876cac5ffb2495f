/** The machine the figures come from: they mean little without it. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg, release, totalmem } from "node:os";
import { CACHE } from "./settings";

export interface Machine {
    readonly nproc: number;
    readonly memoryGiB: number;
    readonly cpuModel: string;
    readonly kernel: string;
    readonly docker: string;
    readonly dockerCompose: string;
    readonly pulumi: string;
    readonly node: string;
    /** 1-minute load average when the suite started: other jobs share these cores. */
    readonly loadAverageAtStart: number;
}

function firstLine(command: string, args: string[]): string {
    const result = spawnSync(command, args, {
        encoding: "utf8",
        env: { ...process.env, PATH: `${CACHE}/bin:${process.env.PATH}` },
    });
    return (result.stdout || result.stderr || "unavailable").trim().split("\n")[0];
}

export function describeMachine(): Machine {
    const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
    return {
        nproc: availableParallelism(),
        memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
        cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? "unknown",
        kernel: release(),
        docker: `server ${firstLine("docker", ["version", "--format", "{{.Server.Version}}"])}, client ${firstLine("docker", ["version", "--format", "{{.Client.Version}}"])}`,
        dockerCompose: firstLine("docker-compose", ["version", "--short"]),
        pulumi: firstLine("pulumi", ["version"]),
        node: process.version,
        loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
    };
}
