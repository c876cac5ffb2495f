// Longer than ~300 lines on purpose: the component's resources and the backup script's branches (run against a
// fake pg_dump) are one subject.
import { spawnSync } from "node:child_process";
import {
    chmodSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    readdirSync,
    rmSync,
    utimesSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
    CONTAINER,
    REMOTE_IMAGE,
    VOLUME,
    isSecret,
    named,
    recorded,
    resetRecorded,
    settle,
    valueOf,
    waitsFor,
} from "../mocks";
import { Postgres } from "../../components/postgres";
import {
    BACKUP_DIRECTORY,
    PostgresBackup,
    PostgresBackupArgs,
    backupScript,
    freshnessCheck,
    postgresBackupTarget,
} from "../../components/postgresBackup";

const PASSWORD = "Zq7rT2mW9xK4pL8nV3cB6yH1dF5gJ0sAe4Rt";

const BASE: PostgresBackupArgs = {
    host: "db",
    database: "app",
    user: "app",
    password: PASSWORD,
    network: "private-net",
    image: "sha256:1111111111111111111111111111111111111111111111111111111111111111",
};

/** The loop for database "app" with the defaults: daily, keep 7, retry after 60 s. */
const DEFAULT_SCRIPT = `set -u
umask 077
cd /var/lib/postgresql
trap 'exit 0' TERM INT
rm -f .app-*.dump.partial
while :; do
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  partial=.app-$stamp.dump.partial
  dump=app-$stamp.dump
  if pg_dump --format=custom --no-password --file="$partial"; then
    mv "$partial" "$dump"
    echo "backup: wrote $dump ($(wc -c <"$dump") bytes)"
    set -- app-????????T??????Z.dump
    while [ "$#" -gt 7 ]; do
      rm -f "$1"
      echo "backup: removed $1 (keeping the newest 7)"
      shift
    done
    pause=86400
  else
    rm -f "$partial"
    echo "backup: pg_dump failed; next attempt in 60s" >&2
    pause=60
  fi
  sleep "$pause" &
  wait "$!"
done`;

const DEFAULT_HEALTHCHECK =
    'newest=; for dump in /var/lib/postgresql/app-????????T??????Z.dump; do [ -f "$dump" ] && newest=$dump; done; ' +
    'if [ -z "$newest" ]; then echo "no dump yet"; exit 1; fi; ' +
    'age=$(( $(date +%s) - $(stat -c %Y "$newest") )); ' +
    'if [ "$age" -gt 172800 ]; then echo "newest dump $newest is ${age}s old, over 172800s"; exit 1; fi; ' +
    'echo "newest dump $newest is ${age}s old"';

describe("PostgresBackup", () => {
    beforeEach(resetRecorded);

    async function deploy(
        args: Partial<PostgresBackupArgs> = {},
        opts?: ConstructorParameters<typeof PostgresBackup>[2],
    ) {
        const backup = new PostgresBackup("bk", { ...BASE, ...args }, opts);
        await valueOf(backup.volumeName);
        await settle();
        return backup;
    }

    it("creates exactly a dumps volume and one backup container, children of the component", async () => {
        await deploy();
        expect(recorded.map((resource) => `${resource.type}::${resource.name}`).sort()).toEqual([
            `${CONTAINER}::bk-loop`,
            `${VOLUME}::bk-dumps`,
            "webplatform:index:PostgresBackup::bk",
        ]);
        for (const child of recorded.filter((resource) => resource.name !== "bk")) {
            expect(child.parent).toBe(named("bk").urn);
        }
        expect(named("bk-loop").inputs.image).toBe(BASE.image);
    });

    it("resolves an ImageSource on the engine and runs the image ID", async () => {
        await deploy({ image: { reference: "webplatform/postgres:15" } });
        expect(named("bk-image").type).toBe(REMOTE_IMAGE);
        expect(named("bk-image").inputs).toMatchObject({ name: "webplatform/postgres:15", keepLocally: true });
        expect(named("bk-loop").inputs.image).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it("takes host, database, role, password and the very image of a Postgres component", async () => {
        const postgres = new Postgres("db", {
            network: "private-net",
            image: { reference: "webplatform/postgres:15" },
            database: "shop",
            user: "shopper",
        });
        new PostgresBackup(
            "bk",
            { ...postgresBackupTarget(postgres), network: "private-net" },
            { dependsOn: [postgres] },
        );
        const password = await valueOf(postgres.password);
        await settle();
        const container = named("bk-loop");
        expect(container.inputs.image).toBe(named("db-server").inputs.image);
        expect(container.inputs.envs).toEqual([
            "PGCONNECT_TIMEOUT=10",
            "PGDATABASE=shop",
            "PGHOST=db",
            `PGPASSWORD=${password}`,
            "PGPORT=5432",
            "PGUSER=shopper",
        ]);
        // The first dump runs only once the server is healthy and has the generated password.
        expect(waitsFor(container, named("db-server"))).toBe(true);
        expect(waitsFor(container, named("db-password-sync"))).toBe(true);
    });

    it("runs the backup loop as a POSIX sh script with a deterministic text", async () => {
        await deploy();
        const container = named("bk-loop").inputs;
        expect(container.entrypoints).toEqual(["/bin/sh", "-c"]);
        expect(container.command).toEqual([DEFAULT_SCRIPT]);
        expect(backupScript({ database: "app", intervalSeconds: 86400, keep: 7 })).toBe(DEFAULT_SCRIPT);
    });

    it("writes interval, retry and retention into the loop", async () => {
        await deploy({ database: "shop", intervalSeconds: 3, keep: 2 });
        const [script] = named("bk-loop").inputs.command;
        expect(script).toContain('    set -- shop-????????T??????Z.dump\n    while [ "$#" -gt 2 ]; do');
        expect(script).toContain("    pause=3\n  else");
        expect(script).toContain('echo "backup: pg_dump failed; next attempt in 3s" >&2\n    pause=3\n');
        expect(script).toContain("partial=.shop-$stamp.dump.partial");
    });

    it("passes the password only as a secret PGPASSWORD in the environment, never in argv, labels or healthcheck", async () => {
        await deploy();
        const container = named("bk-loop");
        expect(isSecret(container.wireInputs.envs)).toBe(true);
        expect(container.inputs.envs.map((entry: string) => entry.split("=")[0])).toEqual([
            "PGCONNECT_TIMEOUT",
            "PGDATABASE",
            "PGHOST",
            "PGPASSWORD",
            "PGPORT",
            "PGUSER",
        ]);
        expect(container.inputs.envs).toContain(`PGPASSWORD=${PASSWORD}`);
        const everythingElse = JSON.stringify({ ...container.inputs, envs: undefined });
        expect(everythingElse).not.toContain(PASSWORD);
        expect(everythingElse).not.toContain("PGPASSWORD");
    });

    it("keeps the dumps on a volume that destroy leaves on the engine, unless deletion is allowed", async () => {
        await deploy();
        const volume = named("bk-dumps");
        expect(volume.inputs).toEqual({ name: "bk-dumps" });
        expect(volume.retainOnDelete).toBe(true);
        expect(volume.protect).toBe(false);
        expect(named("bk-loop").inputs.volumes).toEqual([{ volumeName: "bk-dumps", containerPath: BACKUP_DIRECTORY }]);
        resetRecorded();
        await deploy({ allowDumpDeletion: true });
        expect(named("bk-dumps").retainOnDelete).toBe(false);
    });

    it("runs hardened: postgres user, read-only, no new privileges, no capabilities, limits, bounded restarts, rotated logs", async () => {
        await deploy();
        const container = named("bk-loop").inputs;
        expect(container).toMatchObject({
            name: "bk",
            user: "postgres",
            readOnly: true,
            tmpfs: { "/tmp": "rw,size=64m" },
            privileged: false,
            init: true,
            securityOpts: ["no-new-privileges:true"],
            capabilities: { drops: ["ALL"], adds: [] },
            memory: 256,
            memorySwap: 256,
            cpus: "0.5",
            restart: "on-failure",
            maxRetryCount: 5,
            logDriver: "json-file",
            logOpts: { "max-size": "10m", "max-file": "5" },
            networksAdvanced: [{ name: "private-net" }],
        });
        expect(container.ports).toBeUndefined();
        expect(named("bk-loop").deleteBeforeReplace).toBe(true);
    });

    it("labels the container with its component, the backup role and the database container it dumps", async () => {
        await deploy();
        expect(named("bk-loop").inputs.labels).toEqual([
            { label: "webplatform.backup-of", value: "db" },
            { label: "webplatform.component", value: "bk" },
            { label: "webplatform.role", value: "backup" },
        ]);
    });

    it("is healthy only while the newest dump is at most twice the interval old, and waits for the first dump", async () => {
        await deploy();
        const container = named("bk-loop").inputs;
        expect(container.healthcheck).toEqual({
            tests: ["CMD-SHELL", DEFAULT_HEALTHCHECK],
            interval: "30s",
            timeout: "10s",
            retries: 3,
            startPeriod: "10m0s",
        });
        expect(container.wait).toBe(true);
        expect(container.waitTimeout).toBe(900);

        resetRecorded();
        await deploy({ intervalSeconds: 3, waitForFirstDump: false });
        const quick = named("bk-loop").inputs;
        expect(quick.healthcheck.tests[1]).toContain('if [ "$age" -gt 6 ]');
        expect(quick.healthcheck.interval).toBe("3s");
        expect(quick.wait).toBe(false);
        expect(quick.waitTimeout).toBeUndefined();
    });

    it.each([
        [{ keep: 0 }, "bk: keep must be a whole number of at least 1, got 0."],
        [{ keep: 2.5 }, "bk: keep must be a whole number of at least 1, got 2.5."],
        [{ intervalSeconds: 0 }, "bk: intervalSeconds must be a whole number of at least 1, got 0."],
        [{ database: "my db" }, 'bk: database "my db" cannot name dump files; use letters, digits, "_", "." and "-".'],
    ])("refuses %j", (args, message) => {
        expect(() => new PostgresBackup("bk", { ...BASE, ...args })).toThrow(message);
    });
});

/**
 * The generated scripts under a real POSIX sh, with pg_dump, date and sleep replaced by stubs, so the loop's
 * rename, retention, retry and shutdown are checked without Docker.
 */
describe("the backup loop and its healthcheck under sh", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "wpbk-unit-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function stub(bin: string, name: string, body: string) {
        writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(bin, name), 0o755);
    }

    it("renames only complete dumps, keeps the newest N, retries a failure sooner and stops on TERM", () => {
        const bin = join(dir, "bin");
        const dumps = join(dir, "dumps");
        mkdirSync(bin);
        mkdirSync(dumps);
        writeFileSync(join(dir, "calls"), "0");
        // Dump 3 fails after writing half a file; the fifth sleep stops the loop as docker stop would.
        stub(
            bin,
            "pg_dump",
            `n=$(( $(cat "${dir}/calls") + 1 )); echo "$n" > "${dir}/calls"
echo "$*" >> "${dir}/argv"
for word; do case "$word" in --file=*) file=\${word#--file=};; esac; done
printf half > "$file"
[ "$n" -eq 3 ] && exit 1
printf "dump $n" > "$file"`,
        );
        stub(bin, "date", `printf '20250101T0000%02dZ\\n' $(( $(cat "${dir}/calls") + 1 ))`);
        stub(
            bin,
            "sleep",
            `echo "$1" >> "${dir}/sleeps"
[ "$(wc -l < "${dir}/sleeps")" -ge 5 ] && kill -TERM "$PPID"
exit 0`,
        );
        writeFileSync(join(dumps, ".app-20240101T000000Z.dump.partial"), "left by a stop");
        writeFileSync(join(dumps, "other-20240101T000000Z.dump"), "another database");
        const script = backupScript({ database: "app", intervalSeconds: 120, keep: 2 }).replace(
            `cd ${BACKUP_DIRECTORY}`,
            `cd ${dumps}`,
        );

        const result = spawnSync("sh", ["-c", script], {
            env: { PATH: `${bin}:/usr/bin:/bin`, PGPASSWORD: PASSWORD },
            encoding: "utf8",
            timeout: 20_000,
        });

        expect(result.status).toBe(0);
        expect(readdirSync(dumps).sort()).toEqual([
            "app-20250101T000004Z.dump",
            "app-20250101T000005Z.dump",
            "other-20240101T000000Z.dump",
        ]);
        expect(readFileSync(join(dumps, "app-20250101T000005Z.dump"), "utf8")).toBe("dump 5");
        expect(readFileSync(join(dir, "sleeps"), "utf8").split("\n").filter(Boolean)).toEqual([
            "120",
            "120",
            "60",
            "120",
            "120",
        ]);
        expect(result.stdout.split("\n").filter(Boolean)).toEqual([
            "backup: wrote app-20250101T000001Z.dump (6 bytes)",
            "backup: wrote app-20250101T000002Z.dump (6 bytes)",
            "backup: wrote app-20250101T000004Z.dump (6 bytes)",
            "backup: removed app-20250101T000001Z.dump (keeping the newest 2)",
            "backup: wrote app-20250101T000005Z.dump (6 bytes)",
            "backup: removed app-20250101T000002Z.dump (keeping the newest 2)",
        ]);
        expect(result.stderr).toBe("backup: pg_dump failed; next attempt in 60s\n");
        const argv = readFileSync(join(dir, "argv"), "utf8").split("\n").filter(Boolean);
        expect(argv[0]).toBe("--format=custom --no-password --file=.app-20250101T000001Z.dump.partial");
        expect(argv.join("\n")).not.toContain(PASSWORD);
    });

    it("passes with a fresh dump and fails, saying why, with none or a stale one", () => {
        const check = freshnessCheck("app", 60).replace(`${BACKUP_DIRECTORY}/`, `${dir}/`);
        const run = () => spawnSync("sh", ["-c", check], { encoding: "utf8" });

        expect(run()).toMatchObject({ status: 1, stdout: "no dump yet\n" });

        writeFileSync(join(dir, ".app-20250101T000003Z.dump.partial"), "half");
        writeFileSync(join(dir, "app-20250101T000001Z.dump"), "old");
        writeFileSync(join(dir, "app-20250101T000002Z.dump"), "new");
        const now = Date.now() / 1000;
        utimesSync(join(dir, "app-20250101T000001Z.dump"), now - 1000, now - 1000);
        const fresh = run();
        expect(fresh.status).toBe(0);
        expect(fresh.stdout).toMatch(new RegExp(`^newest dump ${dir}/app-20250101T000002Z\\.dump is [01]s old\\n$`));

        utimesSync(join(dir, "app-20250101T000002Z.dump"), now - 90, now - 90);
        const stale = run();
        expect(stale.status).toBe(1);
        expect(stale.stdout).toMatch(
            new RegExp(`^newest dump ${dir}/app-20250101T000002Z\\.dump is 9[0-2]s old, over 60s\\n$`),
        );
    });
});
