/** The `require` a node script's function is handed, since it cannot import anything itself. */
export type NodeRequire = (id: string) => unknown;

/**
 * The interpreter of a Command step that runs `main` in a fresh node process: `node -e <source> --`, to which the
 * command provider appends the step's `create` text (the function finds it as the last element of process.argv).
 *
 * `args` are JSON data or functions. `main` and every function among `args` must be self-contained: they see their parameters and nothing of the
 * module they are written in, because their compiled text is what node runs. That is the point: a step runs the
 * very functions the program runs in-process (and the unit tests exercise), not a second copy written in shell.
 * The text is fixed by the source, so the step's inputs stay the same from one run to the next.
 */
export function nodeScriptInterpreter<A extends unknown[]>(
    main: (require: NodeRequire, ...args: A) => void,
    ...args: A
): string[] {
    const rendered = args.map((arg) => (typeof arg === "function" ? `(${arg.toString()})` : JSON.stringify(arg)));
    return ["node", "-e", `"use strict";\n(${main.toString()})(require, ${rendered.join(", ")});\n`, "--"];
}
