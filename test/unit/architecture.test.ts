import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layout's rules, read from the import statements of every source file: rules/ is a leaf with no
 * @pulumi/* import, the policy pack needs nothing from the component library or the config layer, config does not
 * reach into the pack, and no module imports itself through a cycle.
 */
const ROOT = resolve(__dirname, "../..");
const LAYERS = ["rules", "components", "config", "policies"] as const;

function sourceFiles(directory: string): string[] {
    return readdirSync(join(ROOT, directory)).flatMap((entry) => {
        const path = join(directory, entry);
        if (entry === "bin" || entry === "test" || entry === "node_modules") {
            return [];
        }
        if (statSync(join(ROOT, path)).isDirectory()) {
            return sourceFiles(path);
        }
        return path.endsWith(".ts") ? [path] : [];
    });
}

/** Each project-relative source file and what it imports: other project files (no extension) or packages. */
function importGraph(): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of ["index.ts", ...LAYERS.flatMap(sourceFiles)]) {
        const imports = ts
            .preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true)
            .importedFiles.map(({ fileName }) =>
                fileName.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), fileName)) : fileName,
            );
        graph.set(file.replace(/\.ts$/, ""), imports);
    }
    return graph;
}

const graph = importGraph();
const edges = [...graph].flatMap(([from, imports]) => imports.map((to) => ({ from, to })));
const layerOf = (module: string) => module.split("/")[0];

describe("the import graph", () => {
    it("covers every layer", () => {
        for (const layer of LAYERS) {
            expect(
                [...graph.keys()].some((module) => layerOf(module) === layer),
                layer,
            ).toBe(true);
        }
    });

    it("keeps rules/ a leaf: no @pulumi/* package and no other layer of the project", () => {
        const outside = edges.filter(
            ({ from, to }) =>
                layerOf(from) === "rules" &&
                (to.startsWith("@pulumi/") || LAYERS.some((layer) => layer !== "rules" && layerOf(to) === layer)),
        );
        expect(outside).toEqual([]);
    });

    it("keeps the policy pack free of the component library and the config layer", () => {
        const forbidden = edges.filter(
            ({ from, to }) => layerOf(from) === "policies" && ["components", "config"].includes(layerOf(to)),
        );
        expect(forbidden).toEqual([]);
    });

    it("keeps config out of the pack's internals", () => {
        expect(edges.filter(({ from, to }) => layerOf(from) === "config" && layerOf(to) === "policies")).toEqual([]);
    });

    it("has no import cycle", () => {
        const cycles: string[] = [];
        const state = new Map<string, "visiting" | "done">();
        const visit = (module: string, path: string[]) => {
            if (state.get(module) === "done") {
                return;
            }
            if (state.get(module) === "visiting") {
                cycles.push([...path.slice(path.indexOf(module)), module].join(" -> "));
                return;
            }
            state.set(module, "visiting");
            for (const next of graph.get(module) ?? []) {
                if (graph.has(next)) {
                    visit(next, [...path, module]);
                }
            }
            state.set(module, "done");
        };
        for (const module of graph.keys()) {
            visit(module, []);
        }
        expect(cycles).toEqual([]);
    });
});
