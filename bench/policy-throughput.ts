/**
 * Benchmark 4, policy throughput: the pack's policies called directly, in-process, over thousands of resources.
 * The resources are the production platform built by the real components under the shared mocks
 * (policies/test/fixtures.ts), with its Celery worker container cloned until the stack has the wanted size. Each
 * resource policy gets the runner's unknown-checking proxy per call, as @pulumi/policy's server does; stack policies
 * get every resource with its dependencies resolved. Throughput = resources / (resource-policy time + stack-policy time).
 */
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { performance } from "node:perf_hooks";
import { PRODUCTION_PLATFORM, PlatformFixture, asPreview, platformFixture } from "../policies/test/fixtures";
import { StackInput, UNKNOWN } from "../policies/test/harness";
import { POLICIES } from "../policies/registry";
import { TYPES } from "../policies/lib/guard";
import { BenchResult } from "./lib/report";
import { interleave } from "./lib/rounds";
import { QUICK } from "./lib/settings";
import { ratios, row } from "./lib/stats";

// Exported by @pulumi/policy's index.js but typed as internal, as in policies/test/harness.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require("@pulumi/policy") as { unknownCheckingProxy<T extends object>(value: T): T };

const BENCHMARK = "policy-throughput";
const SIZES = QUICK ? [200, 500] : [1000, 5000];
const GOAL = { op: ">=", value: 10000 } as const;

const resourcePolicies = POLICIES.filter((policy): policy is ResourceValidationPolicy => "validateResource" in policy);
const stackPolicies = POLICIES.filter((policy): policy is StackValidationPolicy => "validateStack" in policy);

/** The production platform grown to `size` resources by cloning one Celery worker container. */
function grow(fixture: PlatformFixture, size: number): StackInput[] {
    const resources = [...fixture.resources];
    const template = fixture
        .ofType(TYPES.container)
        .find((resource) => String(resource.props.name).includes("celery-worker"));
    if (!template) {
        throw new Error("the production fixture has no celery-worker container to clone");
    }
    for (let index = 1; resources.length < size; index++) {
        const name = `${template.name}-clone-${index}`;
        resources.push({
            ...template,
            name,
            urn: template.urn.replace(/::[^:]+$/, `::${name}`),
            props: {
                ...JSON.parse(JSON.stringify(template.props)),
                name: `${String(template.props.name)}-clone-${index}`,
            },
        });
    }
    return resources;
}

const OPTIONS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

interface Pass {
    readonly resourceSeconds: number;
    readonly stackSeconds: number;
    readonly violations: number;
}

function checkAll(resources: readonly StackInput[]): Pass {
    let violations = 0;
    const report: ReportViolation = () => {
        violations++;
    };
    const notApplicable = (reason?: string): never => {
        throw new Error(`not applicable: ${reason}`);
    };
    const started = performance.now();
    for (const resource of resources) {
        for (const policy of resourcePolicies) {
            const validations = Array.isArray(policy.validateResource)
                ? policy.validateResource
                : policy.validateResource
                  ? [policy.validateResource]
                  : [];
            for (const validate of validations) {
                // The runner's fast path: a validation tagged with one type is not called for other types.
                const only = (validate as { __pulumiType?: string }).__pulumiType;
                if (only !== undefined && only !== resource.type) {
                    continue;
                }
                const props = runtime.unknownCheckingProxy({ ...resource.props });
                const args: ResourceValidationArgs = {
                    type: resource.type,
                    props,
                    urn: resource.urn,
                    name: resource.name,
                    opts: OPTIONS,
                    stackTags: new Map(),
                    isType: () => false,
                    asType: () => undefined,
                    getConfig: <T extends object>() => ({}) as T,
                    notApplicable,
                };
                void validate(args, report);
            }
        }
    }
    const middle = performance.now();
    const converted: PolicyResource[] = resources.map(
        (resource) =>
            ({
                type: resource.type,
                name: resource.name,
                urn: resource.urn,
                props: runtime.unknownCheckingProxy({ ...resource.props }),
                opts: { ...OPTIONS, protect: resource.protect ?? false },
                dependencies: [],
                propertyDependencies: {},
                isType: () => false,
                asType: () => undefined,
            }) as unknown as PolicyResource,
    );
    const byUrn = new Map(converted.map((resource) => [resource.urn, resource]));
    const resolve = (urns: readonly string[]) =>
        urns.map((urn) => byUrn.get(urn)).filter((item): item is PolicyResource => item !== undefined);
    resources.forEach((resource, index) => {
        converted[index].dependencies = resolve(resource.dependencies);
        converted[index].propertyDependencies = Object.fromEntries(
            Object.entries(resource.propertyDependencies ?? {}).map(([key, urns]) => [key, resolve(urns)]),
        );
    });
    for (const policy of stackPolicies) {
        void policy.validateStack(
            { resources: converted, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable },
            report,
        );
    }
    const ended = performance.now();
    return { resourceSeconds: (middle - started) / 1000, stackSeconds: (ended - middle) / 1000, violations };
}

export async function run(): Promise<BenchResult> {
    const fixture = await platformFixture(
        {
            ...PRODUCTION_PLATFORM,
            workers: {
                ...PRODUCTION_PLATFORM.workers,
                "celery-worker": { ...PRODUCTION_PLATFORM.workers!["celery-worker"], replicas: 3 },
            },
        },
        "bench",
    );
    const preview = asPreview(fixture, UNKNOWN);
    const stacks = new Map<string, StackInput[]>();
    for (const size of SIZES) {
        stacks.set(`${size} up`, grow(fixture, size));
        stacks.set(`${size} preview`, grow(preview, size));
    }
    const measured = await interleave(
        BENCHMARK,
        [...stacks].map(([name, resources]) => ({ name, run: () => Promise.resolve(checkAll(resources)) })),
    );
    const rows = [];
    const notes: string[] = [];
    for (const [name, passes] of measured.results) {
        const size = stacks.get(name)!.length;
        const phase = name.endsWith("preview")
            ? "as at preview (generated values unknown)"
            : "as at up (all values known)";
        rows.push(
            row(
                BENCHMARK,
                `all ${POLICIES.length} policies, ${size.toLocaleString("en-US")} resources, ${phase}`,
                passes.map((pass) => size / (pass.resourceSeconds + pass.stackSeconds)),
                "resources/s",
                { goal: GOAL },
            ),
        );
        if (size === Math.max(...SIZES)) {
            rows.push(
                row(
                    BENCHMARK,
                    `  of which the ${resourcePolicies.length} resource policies (${phase})`,
                    passes.map((pass) => size / pass.resourceSeconds),
                    "resources/s",
                ),
            );
            rows.push(
                row(
                    BENCHMARK,
                    `  of which the ${stackPolicies.length} stack policies (${phase})`,
                    passes.map((pass) => size / pass.stackSeconds),
                    "resources/s",
                ),
            );
        }
        const violations = [...new Set(passes.map((pass) => pass.violations))];
        if (violations.some((count) => count > 0)) {
            notes.push(
                `${name}: the compliant fixture produced ${violations.join("/")} violations per pass (expected 0).`,
            );
        }
    }
    const small = measured.results.get(`${SIZES[0]} up`)!;
    const large = measured.results.get(`${SIZES[SIZES.length - 1]} up`)!;
    rows.push(
        row(
            BENCHMARK,
            `time per resource at ${SIZES[SIZES.length - 1].toLocaleString("en-US")} / at ${SIZES[0].toLocaleString("en-US")} resources (1 = linear)`,
            ratios(
                large.map((pass) => (pass.resourceSeconds + pass.stackSeconds) / SIZES[SIZES.length - 1]),
                small.map((pass) => (pass.resourceSeconds + pass.stackSeconds) / SIZES[0]),
            ),
            "ratio",
        ),
    );
    notes.push(
        `${resourcePolicies.length} resource policies and ${stackPolicies.length} stack policies from policies/registry.ts, called in-process with default config (as with policies/config/production.json); ` +
            "resources from the production platform built under test/mocks.ts, the Celery worker container cloned to size. " +
            "The gRPC transport and property deserialization of the real runner are not included (benchmark 1 measures the pack end to end).",
    );
    return { rows, notes };
}
