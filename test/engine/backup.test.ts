import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containersNamed, docker, networksNamed, removePlatform, volumesNamed } from "./docker";
import { PulumiProject, REPO_ROOT } from "./pulumiCli";

/**
 * Backups and restore under the real CLI and the real engine: a tiny program with a Postgres and a
 * PostgresBackup (3 s interval, keep 2) on an internal network; rows written, dumped, the database dropped,
 * restored with scripts/restore-postgres.sh, and everything removed afterwards.
 */
const PREFIX = `wpbk-${Date.now().toString(36)}`;
const DB = `${PREFIX}-postgres`;
const BACKUP = `${PREFIX}-backup`;
const INTERVAL_SECONDS = 3;
const KEEP = 2;
const DUMPS = "/var/lib/postgresql";

const PROGRAM = `import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Postgres } from "./components/postgres";
import { PostgresBackup, postgresBackupTarget } from "./components/postgresBackup";

const config = new pulumi.Config();
const prefix = config.require("prefix");
const network = new docker.Network(\`\${prefix}-private\`, { name: \`\${prefix}-private\`, driver: "bridge", internal: true });
const postgres = new Postgres(\`\${prefix}-postgres\`, { network: network.name, image: { reference: "webplatform/postgres:15" } });
const backup = new PostgresBackup(
    \`\${prefix}-backup\`,
    {
        ...postgresBackupTarget(postgres),
        network: network.name,
        intervalSeconds: config.requireNumber("intervalSeconds"),
        keep: config.requireNumber("keep"),
    },
    { dependsOn: [postgres] },
);
export const dumpsVolume = backup.volumeName;
`;

const ROWS = [
    [1, "first order"],
    [2, "second order, with a comma"],
    [3, "third 'quoted' order"],
];

function psql(database: string, sql: string): string {
    return docker([
        "exec",
        DB,
        "psql",
        "-X",
        "-q",
        "-t",
        "-A",
        "-v",
        "ON_ERROR_STOP=1",
        "-U",
        "app",
        "-d",
        database,
        "-c",
        sql,
    ]);
}

function restore(...args: string[]): { code: number; output: string } {
    const result = spawnSync("bash", [join(REPO_ROOT, "scripts/restore-postgres.sh"), ...args], { encoding: "utf8" });
    return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** Dump file names, oldest first, as the backup container sees them. */
function dumps(): string[] {
    return docker([
        "exec",
        BACKUP,
        "sh",
        "-c",
        `cd ${DUMPS} && for f in app-*.dump; do [ -f "$f" ] && echo "$f"; done; true`,
    ])
        .split("\n")
        .filter(Boolean);
}

/** The backup container's log, stdout and stderr together. */
function backupLog(): string {
    const result = spawnSync("docker", ["logs", BACKUP], { encoding: "utf8" });
    return `${result.stdout}${result.stderr}`;
}

function health(container: string): string {
    return docker(["inspect", "-f", "{{.State.Health.Status}}", container]);
}

async function until<T>(what: string, seconds: number, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const value = probe();
        if (value !== undefined) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${seconds}s waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

const dumpsWritten = () =>
    backupLog()
        .split("\n")
        .filter((line) => line.startsWith("backup: wrote")).length;

describe("scheduled PostgreSQL backups and restore on the real engine", () => {
    const project = new PulumiProject("backup", { files: ["package.json", "tsconfig.json", "components", "rules"] });
    const timings: Record<string, number> = {};
    let password = "";
    let upOutput = "";

    beforeAll(async () => {
        writeFileSync(
            join(project.dir, "Pulumi.yaml"),
            // `main` names the program: package.json's main is the library's compiled entry, not this index.ts.
            "name: wpbk\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
        );
        writeFileSync(join(project.dir, "index.ts"), PROGRAM);
        await project.must(["stack", "init", "test"]);
        await project.setConfig("prefix", PREFIX);
        await project.setConfig("intervalSeconds", String(INTERVAL_SECONDS));
        await project.setConfig("keep", String(KEEP));
    });

    afterAll(async () => {
        await project.pulumi(["destroy", "--yes", "--stack", "test"]);
        removePlatform(`${PREFIX}-`);
        project.remove();
        console.log(`backup engine test timings (s): ${JSON.stringify(timings)}`);
    });

    it("deploys the database and a healthy backup container that has already written its first dump", async () => {
        const started = Date.now();
        upOutput = (await project.must(["up", "--yes", "--stack", "test", "--skip-preview"])).output;
        timings.up = (Date.now() - started) / 1000;
        expect(containersNamed(`${PREFIX}-`)).toEqual([BACKUP, DB]);
        expect(health(DB)).toBe("healthy");
        // wait: true: `up` returned only once the healthcheck saw a fresh dump.
        expect(health(BACKUP)).toBe("healthy");
        expect(dumps().length).toBeGreaterThanOrEqual(1);
        expect(volumesNamed(`${PREFIX}-`)).toEqual([`${BACKUP}-dumps`, `${DB}-data`]);
    });

    it("a second up with no changes changes nothing", async () => {
        const started = Date.now();
        await project.must(["up", "--yes", "--stack", "test", "--expect-no-changes"]);
        timings.secondUp = (Date.now() - started) / 1000;
    });

    it("runs as postgres on a read-only root with every capability dropped, and keeps the password out of argv and state", () => {
        const [user, readOnly, caps, args] = docker([
            "inspect",
            "-f",
            "{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{json .HostConfig.CapDrop}}|{{json .Args}}",
            BACKUP,
        ]).split("|");
        expect([user, readOnly, caps]).toEqual(["postgres", "true", '["ALL"]']);
        expect(docker(["exec", BACKUP, "id", "-un"])).toBe("postgres");
        password = docker(["exec", DB, "printenv", "POSTGRES_PASSWORD"]);
        expect(password).toMatch(/^[A-Za-z0-9]{40}$/);
        expect(args).not.toContain(password);
        expect(docker(["exec", BACKUP, "printenv", "PGPASSWORD"])).toBe(password);
        const state = readFileSync(join(project.backendDir, ".pulumi", "stacks", "wpbk", "test.json"), "utf8");
        expect(state).not.toContain(password);
        expect(upOutput).not.toContain(password);
    });

    it(`keeps exactly the newest ${KEEP} dumps after four intervals`, async () => {
        const before = dumpsWritten();
        await until("four more dumps", 4 * INTERVAL_SECONDS + 15, () =>
            dumpsWritten() >= before + 4 ? true : undefined,
        );
        const kept = dumps();
        expect(kept.length).toBe(KEEP);
        for (const name of kept) {
            expect(name).toMatch(/^app-\d{8}T\d{6}Z\.dump$/);
        }
        const written = backupLog()
            .split("\n")
            .filter((line) => line.startsWith("backup: wrote"))
            .map((line) => line.split(" ")[2]);
        expect(kept).toEqual(written.slice(-KEEP).sort());
        expect(backupLog()).toContain(`(keeping the newest ${KEEP})`);
        // No temporary file of a finished dump is left behind.
        expect(docker(["exec", BACKUP, "sh", "-c", `ls -A ${DUMPS} | grep -c partial || true`])).toMatch(/^[01]$/);
    });

    it("restores every row after the database was dropped, and the backups become healthy again", async () => {
        psql(
            "app",
            `CREATE TABLE orders (id integer PRIMARY KEY, label text NOT NULL);
             INSERT INTO orders VALUES ${ROWS.map(([id, label]) => `(${id}, '${String(label).replace(/'/g, "''")}')`).join(", ")};`,
        );
        // Wait for a dump whose snapshot holds the table (CREATE and INSERT committed together).
        const started = Date.now();
        const dump = await until("a dump with the orders table", INTERVAL_SECONDS + 10, () => {
            const newest = dumps().at(-1);
            const listing = newest ? docker(["exec", BACKUP, "pg_restore", "--list", `${DUMPS}/${newest}`]) : "";
            return / TABLE DATA public orders /.test(listing) ? newest : undefined;
        });
        timings.dumpAfterWrite = (Date.now() - started) / 1000;

        psql("postgres", "DROP DATABASE app WITH (FORCE);");
        expect(psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'app'")).toBe("0");

        // With nothing to dump, the newest dump ages past twice the interval and the container says so.
        const unhealthyFrom = Date.now();
        await until("the backup container to turn unhealthy", 40, () =>
            health(BACKUP) === "unhealthy" ? true : undefined,
        );
        timings.unhealthyAfterDrop = (Date.now() - unhealthyFrom) / 1000;
        expect(backupLog()).toContain("backup: pg_dump failed; next attempt in 3s");
        // The newest dump is the one found above, or one taken between that look and the DROP.
        const newest = dumps().at(-1)!;
        expect(newest >= dump).toBe(true);

        const restoreStarted = Date.now();
        const restored = restore(PREFIX);
        timings.restore = (Date.now() - restoreStarted) / 1000;
        expect(restored.code).toBe(0);
        expect(restored.output).toContain(`database app does not exist on ${DB}; creating it.`);
        expect(restored.output).toContain(`restored ${newest} (`);
        expect(restored.output).toContain(`into database app on ${DB}: 1 tables.`);
        expect(restored.output).not.toContain(password);

        expect(psql("app", "SELECT count(*) FROM orders")).toBe(String(ROWS.length));
        expect(psql("app", "SELECT id || '|' || label FROM orders ORDER BY id").split("\n")).toEqual(
            ROWS.map(([id, label]) => `${id}|${label}`),
        );
        await until("the backup container to be healthy again", 30, () =>
            health(BACKUP) === "healthy" ? true : undefined,
        );
    });

    it("restores a named dump over a live database with the backup container stopped, undoing later changes", async () => {
        const dump = await until("a dump of the restored database", INTERVAL_SECONDS + 10, () => {
            const newest = dumps().at(-1);
            const listing = newest ? docker(["exec", BACKUP, "pg_restore", "--list", `${DUMPS}/${newest}`]) : "";
            return / TABLE DATA public orders /.test(listing) ? newest : undefined;
        });
        docker(["stop", BACKUP]);
        // With the backup container stopped the script reads the volume through a throwaway container.
        const listed = restore(PREFIX, "--list");
        expect(listed.code).toBe(0);
        const names = listed.output
            .split("\n")
            .filter(Boolean)
            .map((line) => line.split(" ")[0]);
        expect(names.length).toBe(KEEP);
        expect(names).toContain(dump);

        psql(
            "app",
            "INSERT INTO orders VALUES (4, 'after the dump'); DELETE FROM orders WHERE id = 1; CREATE TABLE scratch (x integer);",
        );
        const restored = restore(DB, `/backups/${dump}`);
        expect(restored.code).toBe(0);
        expect(restored.output).not.toContain("creating it");
        // --clean drops and recreates what the dump holds; a table created after it stays.
        expect(restored.output).toContain(`restored ${dump} (`);
        expect(restored.output).toContain(`into database app on ${DB}: 2 tables.`);
        expect(psql("app", "SELECT id || '|' || label FROM orders ORDER BY id").split("\n")).toEqual(
            ROWS.map(([id, label]) => `${id}|${label}`),
        );
        docker(["start", BACKUP]);
    });

    it("refuses an unknown dump and an unknown database container, naming them", () => {
        const missing = restore(DB, "app-19990101T000000Z.dump");
        expect(missing.code).toBe(1);
        expect(missing.output).toContain(`no dump app-19990101T000000Z.dump in the backup volume of ${BACKUP}`);
        const nobody = restore(`${PREFIX}-nothing`);
        expect(nobody.code).toBe(1);
        expect(nobody.output).toContain(
            `no PostgreSQL container named ${PREFIX}-nothing or ${PREFIX}-nothing-postgres`,
        );
    });

    it("destroy removes the containers and the network and keeps both volumes", async () => {
        const started = Date.now();
        await project.must(["destroy", "--yes", "--stack", "test", "--skip-preview"]);
        timings.destroy = (Date.now() - started) / 1000;
        expect(containersNamed(`${PREFIX}-`)).toEqual([]);
        expect(networksNamed(`${PREFIX}-`)).toEqual([]);
        expect(volumesNamed(`${PREFIX}-`)).toEqual([`${BACKUP}-dumps`, `${DB}-data`]);
    });
});
