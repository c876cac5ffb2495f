/**
 * Runs a command and measures it: wall time from spawn to exit, and the peak resident memory of its whole process
 * tree, sampled from /proc every 100 ms (the CLI, the language host, node, the provider plugins, the policy pack).
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const PAGE_BYTES = Number(spawnSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).stdout.trim() || 4096);
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim() || 100);
const MIB = 1024 * 1024;

/** Process groups still running, so an interrupted suite can stop them (see stopRunning). */
const running = new Set<number>();

/** Kills every measured command that is still running, with its plugins. */
export function stopRunning(): void {
    for (const pid of running) {
        try {
            process.kill(-pid, "SIGKILL");
        } catch {
            // Already gone.
        }
    }
}

export interface Measured {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
    readonly timedOut: boolean;
    /** Peak of the summed RSS of every process in the tree, MiB. */
    readonly peakTreeMb: number;
    /** Peak of the summed RSS of the `pulumi` and `node` processes in the tree (the CLI plus node), MiB. */
    readonly peakCliNodeMb: number;
    /**
     * CPU seconds (user + system) by process name (the kernel's 15-character comm: `pulumi`, `node`,
     * `pulumi-resource` for provider plugins, `pulumi-language`), as last sampled: up to 100 ms of each process's
     * final moments are missed.
     */
    readonly cpuSeconds: Readonly<Record<string, number>>;
}

export interface MeasureOptions {
    readonly cwd?: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly input?: string;
    /** Kill the whole process group after this long. Default: no limit. */
    readonly timeoutSeconds?: number;
    /** Sample the process tree's memory. Default: true. */
    readonly sampleMemory?: boolean;
}

interface ProcStat {
    readonly comm: string;
    readonly ppid: number;
    readonly rssBytes: number;
    /** utime + stime, in clock ticks. */
    readonly cpuTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
    let text: string;
    try {
        text = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const close = text.lastIndexOf(")");
    const fields = text.slice(close + 2).split(" ");
    return {
        comm: text.slice(text.indexOf("(") + 1, close),
        ppid: Number(fields[1]),
        rssBytes: Number(fields[21]) * PAGE_BYTES,
        cpuTicks: Number(fields[11]) + Number(fields[12]),
    };
}

/**
 * Follows one process tree through /proc. Pids found outside the tree are remembered and never read again, so a
 * sample costs one directory listing plus one read per process of the tree, even with hundreds of containers running.
 */
class TreeSampler {
    private readonly inside = new Set<number>();
    private readonly outside = new Set<number>();
    /** Latest CPU ticks of every process seen in the tree, kept after it exits. */
    private readonly cpu = new Map<number, { comm: string; ticks: number }>();
    peakTree = 0;
    peakCliNode = 0;

    constructor(root: number) {
        this.inside.add(root);
    }

    sample(): void {
        const pids = readdirSync("/proc")
            .filter((entry) => entry.charCodeAt(0) >= 48 && entry.charCodeAt(0) <= 57)
            .map(Number)
            .sort((a, b) => a - b);
        const present = new Set(pids);
        for (const pid of this.inside) {
            if (!present.has(pid)) {
                this.inside.delete(pid);
            }
        }
        const stats = new Map<number, ProcStat>();
        let unknown = pids.filter((pid) => !this.inside.has(pid) && !this.outside.has(pid));
        // Parents usually have lower pids, but not always: repeat until no new member is found.
        for (let changed = true; changed && unknown.length > 0;) {
            changed = false;
            const rest: number[] = [];
            for (const pid of unknown) {
                const stat = stats.get(pid) ?? readStat(pid);
                if (!stat) {
                    continue;
                }
                stats.set(pid, stat);
                if (this.inside.has(stat.ppid)) {
                    this.inside.add(pid);
                    changed = true;
                } else {
                    rest.push(pid);
                }
            }
            unknown = rest;
        }
        for (const pid of unknown) {
            this.outside.add(pid);
        }
        let tree = 0;
        let cliNode = 0;
        for (const pid of this.inside) {
            const stat = stats.get(pid) ?? readStat(pid);
            if (!stat) {
                continue;
            }
            tree += stat.rssBytes;
            this.cpu.set(pid, { comm: stat.comm, ticks: stat.cpuTicks });
            if (stat.comm === "pulumi" || stat.comm === "node") {
                cliNode += stat.rssBytes;
            }
        }
        this.peakTree = Math.max(this.peakTree, tree);
        this.peakCliNode = Math.max(this.peakCliNode, cliNode);
    }

    cpuSecondsByName(): Record<string, number> {
        const seconds: Record<string, number> = {};
        for (const { comm, ticks } of this.cpu.values()) {
            seconds[comm] = (seconds[comm] ?? 0) + ticks / CLOCK_TICKS;
        }
        return seconds;
    }
}

/** Runs `command args` to its exit and measures it; never throws for a failing command. */
export function measure(command: string, args: readonly string[], options: MeasureOptions = {}): Promise<Measured> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        // Its own process group, so a timeout can stop the CLI together with its plugins.
        const child = spawn(command, [...args], {
            cwd: options.cwd,
            env: options.env,
            stdio: ["pipe", "pipe", "pipe"],
            detached: true,
        });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.stdin.end(options.input ?? "");
        if (child.pid !== undefined) {
            running.add(child.pid);
        }
        const sampler =
            child.pid !== undefined && options.sampleMemory !== false ? new TreeSampler(child.pid) : undefined;
        sampler?.sample();
        const timer = sampler ? setInterval(() => sampler.sample(), 100) : undefined;
        let timedOut = false;
        const deadline =
            options.timeoutSeconds === undefined
                ? undefined
                : setTimeout(() => {
                      timedOut = true;
                      try {
                          process.kill(-child.pid!, "SIGKILL");
                      } catch {
                          // Already gone.
                      }
                  }, options.timeoutSeconds * 1000);
        let exitedAt = 0;
        let exitCode = -1;
        child.on("error", (error) => {
            clearInterval(timer);
            clearTimeout(deadline);
            reject(error);
        });
        child.on("exit", (code) => {
            exitedAt = performance.now();
            exitCode = code ?? -1;
        });
        child.on("close", () => {
            running.delete(child.pid!);
            clearInterval(timer);
            clearTimeout(deadline);
            resolve({
                code: exitCode,
                stdout: Buffer.concat(stdout).toString("utf8"),
                stderr: Buffer.concat(stderr).toString("utf8"),
                seconds: ((exitedAt || performance.now()) - started) / 1000,
                timedOut,
                peakTreeMb: (sampler?.peakTree ?? 0) / MIB,
                peakCliNodeMb: (sampler?.peakCliNode ?? 0) / MIB,
                cpuSeconds: sampler?.cpuSecondsByName() ?? {},
            });
        });
    });
}

/** Runs a setup command synchronously and returns its stdout; throws with its output when it fails. */
export function run(
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): string {
    const result = spawnSync(command, [...args], {
        cwd: options.cwd,
        env: options.env,
        input: options.input,
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
    });
    if (result.status !== 0) {
        throw new Error(
            `${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout ?? ""}\n${result.stderr ?? ""}`,
        );
    }
    return result.stdout;
}
