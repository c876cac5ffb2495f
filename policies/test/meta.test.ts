import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { rawProps } from "../lib/guard";
import { CHECKLIST_ITEMS, ChecklistId, checklistItem } from "../lib/metadata";
import { GUARD_METADATA, GuardPolicy, POLICIES, POLICY_PACK, POLICY_PACK_NAME, assertUniqueNames } from "../registry";
import { UNKNOWN_VALUES } from "../../rules/unknownValue";

const POLICIES_DIR = join(__dirname, "..");
const readJson = (path: string) => JSON.parse(readFileSync(join(POLICIES_DIR, path), "utf8"));

describe("every policy of the pack", () => {
    it("is exactly the guards the production rollout needs, in the order the CLI lists them", () => {
        expect(POLICIES.map((policy) => policy.name)).toEqual([
            "app-debug-disabled",
            "app-production-marker",
            "app-secret-key-strength",
            "app-session-secret-strength",
            "app-admin-password-not-default",
            "app-database-url-postgres",
            "app-redis-broker",
            "app-allowed-hosts",
            "app-cors-origins",
            "app-csrf-trusted-origins",
            "app-cookie-samesite",
            "app-secure-cookies-and-redirect",
            "app-data-directory-outside-code",
            "image-pinned",
            "postgres-healthcheck-user-and-database",
            "datastore-persistent-volume",
            "redis-requires-password",
            "datastore-ports-loopback-only",
            "app-ports-through-proxy",
            "container-no-secret-in-command",
            "command-no-secret-in-command-line",
            "container-no-private-key-in-env",
            "proxy-security-headers",
            "proxy-tls-and-hosts",
            "container-healthcheck",
            "container-real-healthcheck",
            "migration-not-no-op",
            "worker-queue-broker",
            "container-non-root-user",
            "container-not-privileged",
            "container-no-host-namespaces",
            "container-no-sensitive-host-mounts",
            "container-no-new-privileges",
            "container-security-profiles",
            "container-capabilities-dropped",
            "container-read-only-rootfs",
            "container-resource-limits",
            "container-restart-bounded",
            "container-log-rotation",
            "app-after-migration",
            "datastore-internal-network",
            "dependency-waits-for-health",
        ]);
        expect(POLICY_PACK_NAME).toBe("webplatform-production-guards");
    });

    it.each(POLICIES.map((policy) => [policy.name, policy] as const))("%s is well formed", (name, policy) => {
        expect(name).toMatch(/^[a-z0-9-]+$/);
        expect(policy.description).toMatch(/\.$/);
        const sentences = policy.description.split(/[.!?](\s|$)/).filter((part) => part.trim().length > 0);
        expect(sentences.length >= 2 || policy.description.length >= 60).toBe(true);
        expect(policy.remediationSteps?.trim().length ?? 0).toBeGreaterThan(20);
        expect(policy.enforcementLevel).toBe("mandatory");
        expect("validateResource" in policy || "validateStack" in policy).toBe(true);
        for (const [key, property] of Object.entries(policy.configSchema?.properties ?? {})) {
            expect(property, `${name}.${key} has a default`).toHaveProperty("default");
            expect(property, `${name}.${key} is documented`).toHaveProperty("description");
        }
    });

    it("has a unique name, and registering a duplicate throws", () => {
        const names = POLICIES.map((policy) => policy.name);
        expect(new Set(names).size).toBe(names.length);
        expect(() => assertUniqueNames([POLICIES[0], POLICIES[1], POLICIES[0]])).toThrow(
            `policy names must be unique; registered more than once: ${POLICIES[0].name}`,
        );
    });
});

/** policies/<name>.ts: one file per policy, besides the pack's entry point and the registry. */
const POLICY_FILES = readdirSync(POLICIES_DIR)
    .filter((file) => file.endsWith(".ts") && !["index.ts", "registry.ts"].includes(file))
    .sort();

function isPolicy(value: unknown): value is GuardPolicy {
    return (
        typeof value === "object" &&
        value !== null &&
        typeof (value as GuardPolicy).name === "string" &&
        ("validateResource" in value || "validateStack" in value)
    );
}

describe("the policy files", () => {
    it.each(POLICY_FILES)("%s registers exactly the policy its name says", async (file) => {
        const exported: unknown[] = Object.values(await import(join(POLICIES_DIR, file)));
        const policies = exported.filter(isPolicy);
        expect(policies.map((policy) => policy.name)).toEqual([basename(file, ".ts")]);
        expect(POLICIES).toContain(policies[0]);
    });

    it("are one for each registered policy", () => {
        expect(POLICY_FILES.map((file) => basename(file, ".ts"))).toEqual(POLICIES.map((policy) => policy.name).sort());
    });
});

describe("every policy's metadata", () => {
    it.each(POLICIES.map((policy) => [policy.name, policy] as const))(
        "%s declares a severity, topics and checklist items, and hands the runner its checklist as tags and framework",
        (name, policy) => {
            const metadata = GUARD_METADATA.get(name)!;
            expect(["low", "medium", "high", "critical"]).toContain(metadata.severity);
            expect(metadata.topics.length).toBeGreaterThan(0);
            expect(new Set(metadata.checklist).size).toBe(metadata.checklist.length);
            expect(policy.tags).toEqual([...metadata.topics, ...metadata.checklist, `severity:${metadata.severity}`]);
            // Left unset on purpose: the CLI would print it into every violation's heading (lib/metadata.ts).
            expect(policy.severity).toBeUndefined();
            if (metadata.checklist.length === 0) {
                expect(policy.framework).toBeUndefined();
            } else {
                const first = checklistItem(metadata.checklist[0]).checklist;
                const items = metadata.checklist.filter((id) => checklistItem(id).checklist === first);
                expect(policy.framework).toMatchObject({
                    reference: items.map((id) => checklistItem(id).reference).join(", "),
                });
                expect(policy.framework?.name).toMatch(
                    /CIS Docker Benchmark|OWASP Docker Top 10|Django|OWASP Top 10|Kyverno/,
                );
            }
            expect(metadata.scope === "stack").toBe("validateStack" in policy);
        },
    );

    it.each(POLICIES.map((policy) => policy.name))(
        "%s names at least one checklist item, or says why no checklist has one",
        (name) => {
            const { checklist, uncatalogued } = GUARD_METADATA.get(name)!;
            if (checklist.length === 0) {
                expect(uncatalogued).toMatch(/^.{20,}\.$/);
            } else {
                expect(uncatalogued).toBeUndefined();
            }
        },
    );

    it.each(Object.keys(CHECKLIST_ITEMS))("%s is a well-formed ID of its checklist", (id) => {
        const { checklist, reference } = checklistItem(id as ChecklistId);
        const forms: Record<typeof checklist, RegExp> = {
            "CIS-Docker": /^[1-7]\.[1-9]\d?$/,
            "OWASP-Docker": /^D(0[1-9]|10)$/,
            Django: /^security\.W0\d\d$/,
            "OWASP-Top10": /^A(0[1-9]|10)$/,
            Kyverno: /^(disallow|require|restrict)-[a-z]+(-[a-z]+)*$/,
        };
        expect(reference).toMatch(forms[checklist]);
        expect(CHECKLIST_ITEMS[id as ChecklistId].length).toBeGreaterThan(5);
    });

    it("lists only checklist items some guard implements", () => {
        const used = new Set([...GUARD_METADATA.values()].flatMap((metadata) => metadata.checklist));
        expect(Object.keys(CHECKLIST_ITEMS).filter((id) => !used.has(id as ChecklistId))).toEqual([]);
    });

    it("reads an item ID as its checklist and its number there", () => {
        expect(checklistItem("CIS-Docker-5.10")).toEqual({ checklist: "CIS-Docker", reference: "5.10" });
        expect(checklistItem("OWASP-Docker-D04")).toEqual({ checklist: "OWASP-Docker", reference: "D04" });
        expect(checklistItem("Django-security.W018")).toEqual({ checklist: "Django", reference: "security.W018" });
    });
});

describe("the pack's packaging", () => {
    it("points the policy runner at the bundle of the pack that tsconfig type-checks", () => {
        const pkg = readJson("package.json");
        const tsconfig = readJson("tsconfig.json");
        // scripts/bundle-policy-pack.mjs bundles index.ts into bin/pack.js (npm run build:policies).
        expect(pkg.main).toBe("bin/pack.js");
        expect(pkg.scripts.build).toBe("tsc -p tsconfig.json && node ../scripts/bundle-policy-pack.mjs");
        expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(tsconfig.compilerOptions).toMatchObject({ outDir: "bin", rootDir: ".." });
        expect(tsconfig.files).toEqual(["index.ts"]);
        expect(readFileSync(join(POLICIES_DIR, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    });

    it("ships a mandatory production config and an advisory development config", () => {
        expect(readJson("config/production.json")).toEqual({ all: "mandatory" });
        expect(readJson("config/development.json")).toEqual({ all: "advisory" });
    });

    it("hands the runner every registered policy, mandatory by default", () => {
        expect(POLICY_PACK.policies).toEqual(POLICIES);
        expect(POLICY_PACK.enforcementLevel).toBe("mandatory");
    });
});

describe("unknown values", () => {
    it("match the sentinels of the installed @pulumi/policy runtime", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const proxy = require("@pulumi/policy/proxy");
        expect(UNKNOWN_VALUES).toEqual({
            boolean: proxy.unknownBooleanValue,
            number: proxy.unknownNumberValue,
            string: proxy.unknownStringValue,
            array: proxy.unknownArrayValue,
            asset: proxy.unknownAssetValue,
            archive: proxy.unknownArchiveValue,
            object: proxy.unknownObjectValue,
        });
    });

    it("are read around the runner's proxy instead of throwing through it", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { unknownCheckingProxy } = require("@pulumi/policy");
        const proxied = unknownCheckingProxy({ user: UNKNOWN_VALUES.string });
        expect(() => proxied.user).toThrow("can't be known during preview");
        expect(rawProps(proxied).user).toBe(UNKNOWN_VALUES.string);
    });
});
