import { parseImageReference } from "../imageReference";
import { programOf, shellWords } from "../shellWords";

/**
 * Whether a command does nothing: a migration step or healthcheck that cannot fail and probes nothing, such as
 * `true`, `:`, `exit 0`, `/bin/true`, `sh -c ''`, `sh -c 'true && exit 0'`, `echo ok`, `sleep 1` or `test 1`, or
 * one whose status is thrown away (`curl -f http://x || true`, `probe | cat`... ending in such a command).
 * Only builtins and commands whose outcome is fixed count as doing nothing; anything else may probe something.
 */
export type NoOpVerdict = "does-nothing" | "cannot-fail";

/** Shells that run a `-c` script, or read (an empty) standard input without one. */
const SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash"]);
/** Multi-call binaries whose first argument names the applet. */
const MULTI_CALL = new Set(["busybox", "toybox"]);
/** Commands that succeed whatever their arguments and look at nothing outside the shell. */
const ALWAYS_SUCCEED = new Set([":", "true", "echo", "printf", "sleep", "pwd", "set", "export", "readonly", "wait"]);
/** Commands whose outcome depends only on their literal arguments. */
const CONSTANT_TESTS = new Set(["test", "[", "[["]);
/** Words after which the status of what came before no longer decides the script's status. */
const LIST_ENDS = new Set([";", "&", "(", ")", ";;"]);
const AND_OR = new Set(["&&", "||"]);
const REDIRECTIONS = new Set([">", ">>", "<", ">&", "<&", "&>", "&>>", ">|", "<>", "<<", "<<-", "<<<"]);

/** The verdict on an argv (a CMD healthcheck, a container command), or undefined when it may do something. */
export function noOpVerdict(argv: readonly string[], depth = 0): NoOpVerdict | undefined {
    const words = argv.filter((word) => word.trim().length > 0);
    if (words.length === 0) {
        return "does-nothing";
    }
    return commandVerdict(words, depth);
}

/**
 * The verdict on a healthcheck's test words as Docker takes them: ["CMD", ...argv], ["CMD-SHELL", script] (run by
 * /bin/sh -c), ["NONE"] (disabled: probes nothing), or bare argv words (what the components prefix with CMD).
 */
export function healthcheckNoOpVerdict(tests: readonly string[]): NoOpVerdict | undefined {
    if (tests[0] === "NONE") {
        return "does-nothing";
    }
    if (tests[0] === "CMD-SHELL") {
        return scriptNoOpVerdict(tests.slice(1).join(" "));
    }
    return noOpVerdict(tests[0] === "CMD" ? tests.slice(1) : tests);
}

/** Whether healthcheck test words run through /bin/sh: CMD-SHELL, or a shell program as the command. */
export function healthcheckRunsShell(tests: readonly string[]): boolean {
    if (tests[0] === "CMD-SHELL") {
        return true;
    }
    return runsThroughShell(tests[0] === "CMD" ? tests.slice(1) : tests);
}

/** The verdict on a shell script (a CMD-SHELL healthcheck, an `sh -c` body). */
export function scriptNoOpVerdict(script: string, depth = 0): NoOpVerdict | undefined {
    const words = shellWords(newlinesAsSeparators(script));
    const lists = splitKeeping(words, LIST_ENDS).filter((list) => list.length > 0);
    if (lists.length === 0) {
        return "does-nothing";
    }
    const verdicts = lists.map((list) => andOrVerdict(list, depth));
    if (verdicts.every((verdict) => verdict === "does-nothing")) {
        return "does-nothing";
    }
    // The script's status is its last list's; an earlier probe whose status is dropped decides nothing.
    return verdicts[verdicts.length - 1] !== undefined ? "cannot-fail" : undefined;
}

/** A human reading of the verdict, for findings. */
export function describeNoOp(verdict: NoOpVerdict): string {
    return verdict === "does-nothing"
        ? "does nothing (only commands that cannot fail and probe nothing)"
        : "always succeeds (the status of whatever it checks is thrown away, e.g. `|| true` or a trailing `exit 0`)";
}

/** `a && b || c`: the status is the last command run; a list ending in `|| <always succeeds>` cannot fail. */
function andOrVerdict(list: readonly string[], depth: number): NoOpVerdict | undefined {
    const parts = splitKeeping(list, AND_OR);
    const operators = list.filter((word) => AND_OR.has(word));
    const verdicts = parts.map((part) => pipelineVerdict(part, depth));
    if (verdicts.every((verdict) => verdict === "does-nothing")) {
        return "does-nothing";
    }
    const last = verdicts[verdicts.length - 1];
    if (last !== undefined && (operators[operators.length - 1] === "||" || verdicts.length === 1)) {
        return "cannot-fail";
    }
    return undefined;
}

/** Without pipefail a pipeline's status is its last command's. */
function pipelineVerdict(pipeline: readonly string[], depth: number): NoOpVerdict | undefined {
    const commands = splitKeeping(pipeline, new Set(["|", "|&"])).map(withoutRedirections);
    const verdicts = commands.map((command) =>
        command.length === 0 ? "does-nothing" : commandVerdict(command, depth),
    );
    if (verdicts.every((verdict) => verdict === "does-nothing")) {
        return "does-nothing";
    }
    return verdicts[verdicts.length - 1] !== undefined ? "cannot-fail" : undefined;
}

function commandVerdict(command: readonly string[], depth: number): NoOpVerdict | undefined {
    const found = programOf(command);
    if (found === undefined) {
        return "does-nothing"; // only assignments
    }
    let { program, index } = found;
    if (MULTI_CALL.has(program) && index + 1 < command.length) {
        index++;
        program = command[index].slice(command[index].lastIndexOf("/") + 1);
    }
    const args = command.slice(index + 1);
    if (SHELLS.has(program)) {
        return shellVerdict(args, depth);
    }
    if (ALWAYS_SUCCEED.has(program)) {
        return "does-nothing";
    }
    if (program === "cat" && args.length === 0) {
        return "does-nothing"; // copies its input through; succeeds
    }
    if (program === "exit" || program === "return") {
        return args.length === 0 || args[0] === "0" ? "does-nothing" : undefined;
    }
    if (CONSTANT_TESTS.has(program)) {
        return args.every((arg) => !arg.includes("$") && !arg.includes("/") && !FILE_TESTS.has(arg))
            ? "does-nothing"
            : undefined;
    }
    return undefined;
}
/** `test` operators that look at the file system or a descriptor. */
const FILE_TESTS = new Set("-b -c -d -e -f -g -G -h -k -L -N -O -p -r -s -S -t -u -w -x -ef -nt -ot".split(" "));

/** `sh` without arguments reads an empty standard input and exits 0; `sh -c script` is the script's verdict. */
function shellVerdict(args: readonly string[], depth: number): NoOpVerdict | undefined {
    if (args.length === 0) {
        return "does-nothing";
    }
    const option = args.findIndex((arg) => /^-[a-z]*c[a-z]*$/.test(arg));
    if (option === -1 || args.slice(0, option).some((arg) => !arg.startsWith("-"))) {
        return undefined;
    }
    const script = args[option + 1];
    if (script === undefined || script.trim().length === 0) {
        return "does-nothing";
    }
    return depth > 3 ? undefined : scriptNoOpVerdict(script, depth + 1);
}

function withoutRedirections(command: readonly string[]): string[] {
    const kept: string[] = [];
    for (let index = 0; index < command.length; index++) {
        if (REDIRECTIONS.has(command[index])) {
            index++;
        } else {
            kept.push(command[index]);
        }
    }
    return kept;
}

function splitKeeping(words: readonly string[], separators: ReadonlySet<string>): string[][] {
    const parts: string[][] = [[]];
    for (const word of words) {
        if (separators.has(word)) {
            parts.push([]);
        } else {
            parts[parts.length - 1].push(word);
        }
    }
    return parts;
}

/** shell-quote reads a newline as a space; the shell ends a command there. Newlines inside quotes are kept. */
function newlinesAsSeparators(script: string): string {
    return script.replace(/'[^']*'|"(?:\\[\s\S]|[^"\\])*"|\\[\s\S]|\n/g, (match) => (match === "\n" ? " ; " : match));
}

/**
 * Images known to hold no /bin/sh, by reference: Google's distroless (except its `:debug` variants) and Chainguard's
 * static image. `scratch`-based images cannot be recognised by name, nor can any other image without a shell.
 */
export function imageHasNoShell(reference: string | undefined): boolean {
    if (!reference || reference.startsWith("sha256:")) {
        return false;
    }
    const parsed = parseImageReference(reference);
    const repository = parsed.repository.toLowerCase();
    const tag = parsed.tag ?? "";
    const distroless = /(^|\/)distroless(\/|$)/.test(repository) || /(^|\/)distroless-[a-z0-9-]+$/.test(repository);
    const shellless = distroless || /(^|\/)chainguard\/static$/.test(repository) || repository === "scratch";
    return shellless && !/(^|-)debug(-|$)/.test(tag);
}

/** Whether an argv runs its work through a shell (`sh -c ...`, a CMD-SHELL test). */
export function runsThroughShell(argv: readonly string[]): boolean {
    const program = programOf(argv)?.program;
    return program !== undefined && SHELLS.has(program);
}
