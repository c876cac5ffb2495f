import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS, DUAL_MODE } from "../corpus";
import { CorpusEntry, ResourceForm, patchedValues } from "../corpus/entry";
import { PRODUCTION_STACK_FILE, valuesNeverPrinted } from "../corpus/productionConfig";
import { proxyConfigText } from "../corpus/proxy";
import { forEachBounded } from "./boundedPool";
import { testCertificate } from "./certificate";
import { packOptions, packWithoutLibrary } from "./policyPackBuild";
import { CliResult, PulumiProject, REPO_ROOT } from "./pulumiCli";

/**
 * The unsafe production config corpus (test/corpus) under the real CLI, in both modes: the program alone refuses
 * every entry before registering anything, and the policy pack, mandatory, refuses what each entry with a resource
 * form would deploy (one preview of a plain @pulumi/docker program carrying all of them). The shipped production
 * stack and the example stacks are the positive controls. Entries run on one project directory, one stack each,
 * a few at a time.
 */
const CONCURRENCY = 3;
const PACK = packWithoutLibrary();
const MANDATORY = packOptions(PACK, "production");
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

interface PreviewJson {
    readonly config?: Record<string, string>;
    readonly steps?: { urn: string }[];
    readonly diagnostics?: { message: string; severity: string }[];
}

/**
 * A refused preview (`--json`) and, for the first entry of each class, the resource types in state after a refused
 * `up` and after a refused `up --skip-preview`.
 */
interface Refusal {
    readonly preview: CliResult;
    readonly json: PreviewJson;
    readonly stateAfterUp?: { readonly failed: boolean; readonly types: string[] }[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const firstOfClass = new Set(
    CORPUS.filter((entry, index) => CORPUS.findIndex((other) => other.class === entry.class) === index),
);

describe("the corpus without the policy pack: the program refuses every entry", () => {
    const project = new PulumiProject("corpus");
    const refusals = new Map<string, Refusal>();
    let baseFile: { config: Record<string, unknown> } & Record<string, unknown>;

    /** Writes the entry's stack file (the base stack patched, keeping its encryption salt) and makes the stack. */
    async function makeStack(entry: CorpusEntry): Promise<void> {
        const values = Object.fromEntries(
            Object.entries(baseFile.config)
                .filter(([key]) => key.startsWith("webplatform:"))
                .map(([key, value]) => [key.slice("webplatform:".length), value]),
        );
        const config: Record<string, unknown> = Object.fromEntries(
            Object.entries(baseFile.config).filter(([key]) => !key.startsWith("webplatform:")),
        );
        for (const [key, value] of Object.entries(patchedValues(values, entry))) {
            config[`webplatform:${key}`] = value;
        }
        writeFileSync(join(project.dir, `Pulumi.${entry.name}.yaml`), stringify({ ...baseFile, config }));
        await project.must(["stack", "init", "--no-select", entry.name]);
        for (const [path, value] of Object.entries(entry.secret ?? {})) {
            await project.must(["config", "set", "--secret", "--path", path, "--stack", entry.name], value);
        }
    }

    async function refuse(entry: CorpusEntry): Promise<void> {
        await makeStack(entry);
        const preview = await project.pulumi(["preview", "--json", "--stack", entry.name]);
        const stateAfterUp = [];
        for (const up of firstOfClass.has(entry)
            ? [
                  ["up", "--yes"],
                  ["up", "--yes", "--skip-preview"],
              ]
            : []) {
            const { code } = await project.pulumi([...up, "--stack", entry.name]);
            const exported = JSON.parse((await project.must(["stack", "export", "--stack", entry.name])).stdout);
            stateAfterUp.push({
                failed: code !== 0,
                types: (exported.deployment.resources ?? []).map((resource: any) => resource.type),
            });
        }
        refusals.set(entry.name, { preview, json: JSON.parse(preview.stdout || "{}"), stateAfterUp });
    }

    // The base stack is the shipped production stack with its certificate: a positive control below previews it clean.
    beforeAll(async () => {
        await project.initStack("base", PRODUCTION_STACK_FILE);
        const { certificate, key } = testCertificate("thebot.example.com");
        await project.setConfig("nginx.certificatePem", certificate, { path: true });
        await project.setConfig("webplatform:tlsPrivateKey", key, { secret: true });
        baseFile = parse(readFileSync(join(project.dir, "Pulumi.base.yaml"), "utf8"));
        const started = Date.now();
        await forEachBounded(CORPUS, CONCURRENCY, refuse);
        console.log(
            `corpus without the pack: ${CORPUS.length} entries (${firstOfClass.size} also through up) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${CONCURRENCY} at a time`,
        );
    });
    afterAll(() => project.remove());

    it.each(CORPUS.map((entry) => [entry.name, entry] as const))(
        "refuses %s: non-zero exit, nothing but the root stack planned, each key named with its fix, no secret printed",
        (_name, entry) => {
            const { preview, json, stateAfterUp } = refusals.get(entry.name)!;
            expect(preview.code).not.toBe(0);
            // The Node.js runtime registers the root stack before the program runs; nothing else may follow it.
            expect((json.steps ?? []).filter((step) => !step.urn.includes(`::${ROOT_STACK_TYPE}::`))).toEqual([]);
            const errors = (json.diagnostics ?? []).filter((diagnostic) => diagnostic.severity === "error");
            const message = errors.map((diagnostic) => diagnostic.message).join("\n");
            expect(message).toContain("Stack configuration is invalid");
            expect(message).toContain("nothing was deployed");
            for (const key of entry.keys) {
                expect(message).toMatch(new RegExp(`^ {2}- ${escape(key)}: \\S.* Fix: \\S`, "m"));
            }
            // The CLI echoes the stack's plain config back in --json; everything it printed beside that echo
            // must hold no secret, and the secrets are masked even there.
            const { config, ...printed } = json;
            for (const value of valuesNeverPrinted(entry)) {
                expect(JSON.stringify(printed)).not.toContain(value);
                expect(preview.stderr).not.toContain(value);
            }
            for (const value of Object.values(entry.secret ?? {})) {
                expect(JSON.stringify(config ?? {})).not.toContain(value);
            }
            // `up` stops at its preview with nothing in state; `up --skip-preview` keeps only the root stack the
            // runtime registered before the program ran: no component and no child of one.
            if (firstOfClass.has(entry)) {
                expect(stateAfterUp).toEqual([
                    { failed: true, types: [] },
                    { failed: true, types: [ROOT_STACK_TYPE] },
                ]);
            }
        },
    );
});

/** Containers built from the compliant ones unchanged: the pack must find nothing on them. */
const CONTROLS: Record<string, ResourceForm> = {
    "control-web": { role: "web" },
    "control-worker": { role: "worker" },
    "control-migration": { role: "migration" },
    "control-proxy": { role: "proxy", env: { NGINX_CONFIG: proxyConfigText("thebot.example.com") } },
};

describe("the corpus under the policy pack: every entry with a resource form is refused by the pack", () => {
    const project = new PulumiProject("corpus-pack", {
        from: join(REPO_ROOT, "test/engine/fixtures/plain-docker"),
        files: ["Pulumi.yaml", "package.json", "index.ts"],
    });
    let preview: CliResult;
    beforeAll(async () => {
        const forms = { ...CONTROLS, ...Object.fromEntries(DUAL_MODE.map((entry) => [entry.name, entry.pack.form])) };
        const corpusFile = join(project.dir, "corpus.json");
        writeFileSync(corpusFile, JSON.stringify(forms));
        await project.initStack("prod");
        await project.setConfig("plain-docker:variant", "compliant");
        await project.setConfig("plain-docker:corpusFile", corpusFile);
        const started = Date.now();
        preview = await project.pulumi(["preview", "--stack", "prod", ...MANDATORY]);
        console.log(
            `corpus under the pack: ${DUAL_MODE.length} entries in one preview, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
    });
    afterAll(() => project.remove());

    it("fails the preview and finds nothing on the unchanged control containers", () => {
        expect(preview.code).not.toBe(0);
        expect(preview.output).toContain("error: preview failed");
        expect(preview.output).not.toMatch(/\[mandatory\][^\n]*: control-/);
    });

    it.each(DUAL_MODE.map((entry) => [entry.name, entry.pack.policy, entry] as const))(
        "refuses %s by %s, on that entry's resource",
        (_name, policy, entry) => {
            const type = entry.pack.form.image ? "RemoteImage" : "Container";
            expect(preview.output).toMatch(
                new RegExp(`\\[mandatory\\]\\s+${escape(policy)}\\s+\\(docker:index:${type}: ${escape(entry.name)}\\)`),
            );
            for (const value of valuesNeverPrinted(entry)) {
                expect(preview.output).not.toContain(value);
            }
        },
    );
});

/** The positive controls: the shipped production stack and the example stacks, with their certificates set. */
const CLEAN_STACKS: [string, string, Record<string, string>][] = [
    [PRODUCTION_STACK_FILE, "thebot.example.com", {}],
    ["examples/django-celery-channels/Pulumi.stack.yaml", "thebot.example.com", {}],
    ["examples/fastapi-alembic/Pulumi.stack.yaml", "api.privexbot.example.com", {}],
    [
        "examples/fastapi-admin-telegram-bot/Pulumi.stack.yaml",
        "admin.recruitsmart.example.com",
        { "secretEnv.BOT_TOKEN": "123456:TEST-TOKEN-NOT-REAL" },
    ],
];

describe("the positive controls preview clean with the program's checks and the pack mandatory", () => {
    const project = new PulumiProject("corpus-clean");
    const previews = new Map<string, CliResult>();
    beforeAll(async () => {
        await forEachBounded(CLEAN_STACKS, 2, async ([file, host, secrets]) => {
            const stack = `clean-${CLEAN_STACKS.findIndex(([other]) => other === file)}`;
            await project.initStack(stack, file);
            const { certificate, key } = testCertificate(host);
            const set = (args: string[], value: string) =>
                project.must(["config", "set", ...args, "--stack", stack], value);
            await set(["--path", "nginx.certificatePem"], certificate);
            await set(["--secret", "webplatform:tlsPrivateKey"], key);
            for (const [path, value] of Object.entries(secrets)) {
                await set(["--secret", "--path", path], value);
            }
            previews.set(file, await project.pulumi(["preview", "--stack", stack, ...MANDATORY]));
        });
    });
    afterAll(() => project.remove());

    it.each(CLEAN_STACKS.map(([file]) => [file]))("%s previews clean", (file) => {
        const preview = previews.get(file)!;
        expect(preview.output).not.toContain("Stack configuration is invalid");
        expect(preview.output).toContain("✅ webplatform-production-guards@v0.1.0");
        expect(preview.code).toBe(0);
    });
});
