/**
 * Turns a deployed stack's exported state into an equivalent docker-compose file: the same images, commands,
 * environment (secrets included), users, hardening, limits, log rotation, networks, volumes and healthchecks, and
 * the same start order (depends_on with service_healthy, and the one-shot migration as a service that dependents
 * wait on with service_completed_successfully, which docker-compose 1.29 supports). Names get the compose
 * project's prefix; every name the application uses to reach another service (the pulumi container names and
 * aliases) stays a network alias, so the environment's URLs resolve unchanged.
 */
import { stringify } from "yaml";
import { parseDockerRun } from "../../rules/dockerRun";
import { shellWords } from "../../rules/shellWords";

const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";
const CONTAINER = "docker:index/container:Container";
const COMMAND = "command:local:Command";
const NETWORK = "docker:index/network:Network";
const VOLUME = "docker:index/volume:Volume";
const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly dependencies?: string[];
}

/** A value with `--show-secrets` secret wrappers replaced by their plain values. */
function reveal(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(reveal);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (SECRET_SIGNATURE in record) {
            return reveal("plaintext" in record ? JSON.parse(String(record.plaintext)) : record.value);
        }
        return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, reveal(inner)]));
    }
    return value;
}

/** Compose interpolates `$NAME`; a literal dollar is written `$$`. */
function literal(text: string): string {
    return text.replace(/\$/g, "$$$$");
}

export interface ComposeOptions {
    /** Compose project name; also the prefix of every container, network and volume (a wpbench- name). */
    readonly project: string;
    /** The stack's own name prefix (webplatform:name plus "-"), stripped to name the services. */
    readonly stackPrefix: string;
    /** Host ports for the published ports, in the order they appear. */
    readonly hostPorts: readonly number[];
    /** Drop interval, timeout, retries and start period, leaving Docker's defaults (30 s, 30 s, 3, 0 s). */
    readonly defaultHealthTiming?: boolean;
}

export interface ComposeFile {
    /** The file, secrets included. */
    readonly text: string;
    /** The same with environment values that look secret replaced, to keep for inspection. */
    readonly redacted: string;
    /** Long-running services (the migration is not one). */
    readonly services: readonly string[];
}

type Service = Record<string, unknown>;

export function composeFromState(exported: unknown, options: ComposeOptions): ComposeFile {
    const resources = ((exported as { deployment: { resources?: StateResource[] } }).deployment.resources ?? []).map(
        (resource) => ({ ...resource, inputs: reveal(resource.inputs ?? {}) as Record<string, unknown> }),
    );
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const strip = (name: string) =>
        name.startsWith(options.stackPrefix) ? name.slice(options.stackPrefix.length) : name;
    const imageNames = new Map<string, string>();
    for (const image of resources.filter((resource) => resource.type === REMOTE_IMAGE)) {
        const id = String((reveal(image.outputs ?? {}) as Record<string, unknown>).imageId ?? "");
        imageNames.set(id, String(image.inputs.name));
    }
    const imageOf = (id: string) => imageNames.get(id) ?? id;

    const networks: Record<string, unknown> = {};
    for (const network of resources.filter((resource) => resource.type === NETWORK)) {
        const name = strip(String(network.inputs.name));
        const driverOptions = network.inputs.options as Record<string, string> | undefined;
        networks[name] = {
            name: `${options.project}-${name}`,
            driver: String(network.inputs.driver ?? "bridge"),
            internal: network.inputs.internal === true,
            ...(driverOptions && Object.keys(driverOptions).length > 0 ? { driver_opts: driverOptions } : {}),
        };
    }
    const volumes: Record<string, unknown> = {};
    for (const volume of resources.filter((resource) => resource.type === VOLUME)) {
        const name = strip(String(volume.inputs.name));
        volumes[name] = { name: `${options.project}-${name}` };
    }

    const migration = resources.find(
        (resource) =>
            resource.type === COMMAND && String(resource.inputs.create ?? "").includes("webplatform.role=migration"),
    );
    const containers = resources.filter((resource) => resource.type === CONTAINER);
    const serviceOf = new Map<string, string>(
        containers.map((container) => [container.urn, strip(String(container.inputs.name))]),
    );
    if (migration) {
        serviceOf.set(migration.urn, "migrate");
    }

    /** The nearest containers (and the migration) a resource waits for, through any other resources in between. */
    const dependsOn = (start: StateResource): Record<string, { condition: string }> => {
        const result: Record<string, { condition: string }> = {};
        const seen = new Set<string>();
        const queue = [...(start.dependencies ?? [])];
        while (queue.length > 0) {
            const urn = queue.shift()!;
            if (seen.has(urn)) {
                continue;
            }
            seen.add(urn);
            const service = serviceOf.get(urn);
            if (service !== undefined) {
                result[service] = {
                    condition: service === "migrate" ? "service_completed_successfully" : "service_healthy",
                };
                continue;
            }
            queue.push(...(byUrn.get(urn)?.dependencies ?? []));
        }
        return result;
    };

    const services: Record<string, Service> = {};
    let nextPort = 0;
    for (const container of containers) {
        const inputs = container.inputs;
        const service = strip(String(inputs.name));
        const env = Object.fromEntries(
            ((inputs.envs as string[] | undefined) ?? []).map((entry) => {
                const split = entry.indexOf("=");
                return [entry.slice(0, split), literal(entry.slice(split + 1))];
            }),
        );
        const health = inputs.healthcheck as Record<string, unknown> | undefined;
        const capabilities = inputs.capabilities as { drops?: string[]; adds?: string[] } | undefined;
        const definition: Service = {
            image: imageOf(String(inputs.image)),
            container_name: `${options.project}-${service}`,
            ...(inputs.command ? { command: (inputs.command as string[]).map(literal) } : {}),
            ...(inputs.user ? { user: inputs.user } : {}),
            environment: env,
            labels: Object.fromEntries(
                ((inputs.labels as { label: string; value: string }[] | undefined) ?? []).map((label) => [
                    label.label,
                    label.value,
                ]),
            ),
            read_only: inputs.readOnly === true,
            tmpfs: Object.entries((inputs.tmpfs as Record<string, string> | undefined) ?? {}).map(
                ([path, mode]) => `${path}:${mode}`,
            ),
            ...(inputs.shmSize ? { shm_size: `${String(inputs.shmSize)}m` } : {}),
            security_opt: inputs.securityOpts ?? [],
            cap_drop: capabilities?.drops ?? [],
            ...(capabilities?.adds && capabilities.adds.length > 0 ? { cap_add: capabilities.adds } : {}),
            init: inputs.init === true,
            restart:
                inputs.restart === "on-failure"
                    ? `on-failure:${String(inputs.maxRetryCount ?? 0)}`
                    : String(inputs.restart ?? "no"),
            logging: { driver: String(inputs.logDriver ?? "json-file"), options: inputs.logOpts ?? {} },
            ...(inputs.memory ? { mem_limit: `${String(inputs.memory)}m` } : {}),
            ...(inputs.memorySwap ? { memswap_limit: `${String(inputs.memorySwap)}m` } : {}),
            ...(inputs.cpus ? { cpus: Number(inputs.cpus) } : {}),
            volumes: (
                (inputs.volumes as { volumeName: string; containerPath: string; readOnly?: boolean }[] | undefined) ??
                []
            ).map((mount) => `${strip(mount.volumeName)}:${mount.containerPath}${mount.readOnly ? ":ro" : ""}`),
            networks: Object.fromEntries(
                ((inputs.networksAdvanced as { name: string; aliases?: string[] }[] | undefined) ?? []).map(
                    (network) => [
                        strip(network.name),
                        { aliases: [...new Set([String(inputs.name), ...(network.aliases ?? [])])] },
                    ],
                ),
            ),
            ports: ((inputs.ports as { internal: number; ip?: string; protocol?: string }[] | undefined) ?? []).map(
                (port) =>
                    `${port.ip ?? "0.0.0.0"}:${options.hostPorts[nextPort++]}:${port.internal}/${port.protocol ?? "tcp"}`,
            ),
        };
        if (health) {
            definition.healthcheck = options.defaultHealthTiming
                ? { test: (health.tests as string[]).map(literal) }
                : {
                      test: (health.tests as string[]).map(literal),
                      interval: health.interval,
                      timeout: health.timeout,
                      retries: health.retries,
                      start_period: health.startPeriod,
                  };
        }
        const waits = dependsOn(container);
        if (Object.keys(waits).length > 0) {
            definition.depends_on = waits;
        }
        services[service] = definition;
    }
    if (migration) {
        services.migrate = {
            container_name: `${options.project}-migrate`,
            ...migrationService(migration, imageOf, strip, dependsOn(migration)),
        };
    }
    const document = { services, networks, volumes };
    const redacted = JSON.parse(JSON.stringify(document)) as typeof document;
    for (const service of Object.values(redacted.services)) {
        const env = service.environment as Record<string, string> | undefined;
        for (const name of Object.keys(env ?? {})) {
            if (/PASSWORD|SECRET|KEY|TOKEN|URL|AUTH|TLS|PEM|CERT|CONFIG/i.test(name)) {
                env![name] = "<redacted>";
            }
        }
    }
    const header = "# Generated by bench/lib/compose.ts from the exported state of the bench's dev stack.\n";
    return {
        text: header + stringify(document, { lineWidth: 0, version: "1.1" }),
        redacted:
            header +
            "# Secret-looking environment values are redacted in this copy.\n" +
            stringify(redacted, { lineWidth: 0, version: "1.1" }),
        services: containers.map((container) => strip(String(container.inputs.name))),
    };
}

/** The one-shot migration (`docker run --rm ...` in a command:local:Command) as a compose service. */
function migrationService(
    command: StateResource & { inputs: Record<string, unknown> },
    imageOf: (id: string) => string,
    strip: (name: string) => string,
    waits: Record<string, { condition: string }>,
): Service {
    const create = String(command.inputs.create);
    const run = parseDockerRun(create);
    if (!run) {
        throw new Error(`the migration step is not a docker run: ${create}`);
    }
    const words = shellWords(create);
    const start = words.indexOf("run") + 1;
    const end = words.indexOf(run.image, start);
    const flags: [string, string | undefined][] = [];
    for (let index = start; index < end; index++) {
        const word = words[index];
        const value = ["--rm", "--read-only"].includes(word) ? undefined : words[++index];
        flags.push([word, value]);
    }
    const all = (flag: string) => flags.filter(([name]) => name === flag).map(([, value]) => value!);
    const one = (flag: string) => all(flag)[0];
    const environment = (command.inputs.environment as Record<string, string> | undefined) ?? {};
    return {
        image: imageOf(run.image),
        command: run.command.map(literal),
        user: one("--user"),
        environment: Object.fromEntries(all("--env").map((name) => [name, literal(environment[name] ?? "")])),
        labels: Object.fromEntries(all("--label").map((label) => label.split("=", 2))),
        read_only: flags.some(([name]) => name === "--read-only"),
        tmpfs: all("--tmpfs"),
        security_opt: all("--security-opt"),
        cap_drop: all("--cap-drop"),
        ...(one("--memory") ? { mem_limit: one("--memory") } : {}),
        ...(one("--cpus") ? { cpus: Number(one("--cpus")) } : {}),
        logging: {
            driver: "json-file",
            options: Object.fromEntries(all("--log-opt").map((option) => option.split("=", 2))),
        },
        volumes: all("--volume").map((mount) => {
            const [volume, ...rest] = mount.split(":");
            return [strip(volume), ...rest].join(":");
        }),
        networks: all("--network").map(strip),
        restart: "no",
        depends_on: waits,
    };
}
