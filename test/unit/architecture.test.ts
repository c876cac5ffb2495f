import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layout's rules, read from the import statements of every source file: rules/ is a leaf with no
 * @pulumi/* import, the component schemas (components/schemas/) load no Pulumi package, the policy pack needs
 * nothing from the component library or the config layer, config does not reach into the pack and loads no
 * provider, and no module imports itself through a cycle.
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

/** A module specifier as a project-relative module (no extension) or a package name. */
function target(file: string, specifier: string): string {
    return specifier.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), specifier)) : specifier;
}

/** Each project-relative source file and what it imports: other project files (no extension) or packages. */
function importGraph(): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of ["index.ts", ...LAYERS.flatMap(sourceFiles)]) {
        const imports = ts
            .preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true)
            .importedFiles.map(({ fileName }) => target(file, fileName));
        graph.set(file.replace(/\.ts$/, ""), imports);
    }
    return graph;
}

/** The same graph without `import type` and `export type` statements, which load nothing at run time. */
function loadGraph(): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of ["index.ts", ...LAYERS.flatMap(sourceFiles)]) {
        const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest);
        const loads = source.statements.flatMap((statement) => {
            if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
                return [target(file, (statement.moduleSpecifier as ts.StringLiteral).text)];
            }
            if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
                return [target(file, (statement.moduleSpecifier as ts.StringLiteral).text)];
            }
            return [];
        });
        graph.set(file.replace(/\.ts$/, ""), loads);
    }
    return graph;
}

/** Every module and package `module` loads, directly or through other project modules. */
function loadedBy(module: string, graph: Map<string, string[]>): Set<string> {
    const seen = new Set<string>();
    const queue = [...(graph.get(module) ?? [])];
    while (queue.length > 0) {
        const next = queue.pop()!;
        if (!seen.has(next)) {
            seen.add(next);
            queue.push(...(graph.get(next) ?? []));
        }
    }
    return seen;
}

const graph = importGraph();
const loads = loadGraph();
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

    it("keeps the component schemas free of Pulumi: zod, rules/ and other schemas only", () => {
        const schemas = [...loads.keys()].filter((module) => module.startsWith("components/schemas/"));
        expect(schemas.length).toBeGreaterThan(5);
        const outside = schemas.flatMap((module) =>
            [...loadedBy(module, loads)]
                .filter((loaded) => !loaded.startsWith("components/schemas/") && layerOf(loaded) !== "rules")
                .filter((loaded) => loaded !== "zod")
                .map((loaded) => `${module} -> ${loaded}`),
        );
        expect(outside).toEqual([]);
    });

    it("lets config load no provider package and nothing of the components but their schemas", () => {
        const config = [...loads.keys()].filter((module) => layerOf(module) === "config");
        const forbidden = config.flatMap((module) =>
            [...loadedBy(module, loads)]
                .filter(
                    (loaded) =>
                        ["@pulumi/docker", "@pulumi/random", "@pulumi/command"].includes(loaded) ||
                        (layerOf(loaded) === "components" && !loaded.startsWith("components/schemas/")),
                )
                .map((loaded) => `${module} -> ${loaded}`),
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
