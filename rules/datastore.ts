import { Props, environmentOf, healthcheckArgv, healthcheckTests, isWithin, mountsOf, wordsOf } from "./containerProps";
import { ContainerEngine } from "./containerRole";
import { Finding } from "./finding";
import { programOf, scriptsIn, simpleCommands } from "./shellWords";

/**
 * Rules for containers that hold data: PostgreSQL's healthcheck must probe the real database, data must live on
 * a named volume, and Redis must ask for a password.
 */

/** Where each engine keeps its data inside the official images. */
export const DEFAULT_DATA_PATHS: Readonly<Record<string, string>> = {
    postgres: "/var/lib/postgresql/data",
    redis: "/data",
    mysql: "/var/lib/mysql",
    mariadb: "/var/lib/mysql",
    mongo: "/data/db",
};

/** The value of an option in a simple command (`-U x`, `-Ux`, `--username=x`, `--username x`). */
function optionValue(command: readonly string[], short: string, long: string): string | undefined {
    for (let index = 0; index < command.length; index++) {
        const word = command[index];
        if (word === short || word === long) {
            return command[index + 1];
        }
        if (word.startsWith(`${long}=`)) {
            return word.slice(long.length + 1);
        }
        if (short.length === 2 && word.startsWith(short) && word.length > 2 && !word.startsWith("--")) {
            return word.slice(2);
        }
    }
    return undefined;
}

/** What a pg_isready/psql probe names: the role and the database (a -d connection string may name both). */
function namedTargets(command: readonly string[]): { user: boolean; database: boolean } {
    const user = optionValue(command, "-U", "--username");
    const database = optionValue(command, "-d", "--dbname");
    const connection = database ?? "";
    const urlUser = /^postgres(ql)?:\/\/[^@/]+@/.test(connection);
    const urlDatabase = /^postgres(ql)?:\/\/[^/]*\/[^?]+/.test(connection);
    const keywordUser = /(^|\s)user\s*=/.test(connection);
    const keywordDatabase = /(^|\s)dbname\s*=/.test(connection);
    const isConnectionString = urlDatabase || keywordDatabase || /=|:\/\//.test(connection);
    return {
        user: (user !== undefined && user.length > 0) || urlUser || keywordUser,
        database:
            database !== undefined && database.length > 0 && (!isConnectionString || urlDatabase || keywordDatabase),
    };
}

export function postgresHealthcheckNamesUserAndDatabase(props: Props): Finding[] {
    const tests = healthcheckTests(props);
    if (tests === undefined) {
        return [];
    }
    const fix =
        'probe with ["CMD", "pg_isready", "-U", <user>, "-d", <database>, "-h", "127.0.0.1"] (what the Postgres component does).';
    const probes = scriptsIn(healthcheckArgv(tests))
        .flatMap(simpleCommands)
        .filter((command) => ["pg_isready", "psql"].includes(programOf(command)?.program ?? ""));
    if (probes.length === 0) {
        return [
            {
                key: "healthcheck.tests",
                problem:
                    tests.length === 0
                        ? "is not set, so nothing tells dependents when PostgreSQL accepts connections to the application's database."
                        : "does not run pg_isready, so it does not show that PostgreSQL accepts connections to the application's database.",
                fix,
            },
        ];
    }
    const targets = probes.map((command) => namedTargets(command.slice(programOf(command)!.index + 1)));
    if (targets.some((target) => target.user && target.database)) {
        return [];
    }
    const missing = [
        targets.some((target) => target.user) ? undefined : "-U (the role)",
        targets.some((target) => target.database) ? undefined : "-d (the database)",
    ].filter((item): item is string => item !== undefined);
    return [
        {
            key: "healthcheck.tests",
            problem: `runs pg_isready without ${missing.join(" and ")}, so it probes a database named after the OS user and passes while the application's database is missing.`,
            fix,
        },
    ];
}

/** The data directory of a container for an engine: PGDATA when PostgreSQL sets it, else the configured default. */
export function dataPathFor(engine: ContainerEngine, props: Props, dataPaths: Readonly<Record<string, string>>) {
    if (engine === "postgres") {
        const environment = environmentOf(props.envs);
        if (environment === undefined) {
            return undefined;
        }
        if (environment.env.PGDATA) {
            return environment.env.PGDATA;
        }
        if (!environment.complete) {
            return undefined;
        }
    }
    return dataPaths[engine];
}

export function persistentDataVolume(props: Props, engine: ContainerEngine, dataPath: string): Finding[] {
    const { mounts, complete } = mountsOf(props);
    // The innermost mount covering the data path decides where the data lives.
    const covering = mounts
        .filter((mount) => mount.target !== "/" && isWithin(dataPath, mount.target))
        .sort((left, right) => right.target.length - left.target.length)[0];
    const fix = `mount a named volume at ${dataPath} (volumes: [{ volumeName, containerPath: "${dataPath}" }]) and keep that volume on destroy.`;
    if (covering === undefined) {
        return complete
            ? [
                  {
                      key: "volumes",
                      problem: `include nothing at the ${engine} data directory ${dataPath}, so the data is lost whenever the container is replaced.`,
                      fix,
                  },
              ]
            : [];
    }
    if (covering.kind === "volume") {
        return [];
    }
    const what =
        covering.kind === "tmpfs"
            ? "is a tmpfs, so the data lives in memory and is lost on every restart"
            : covering.kind === "bind"
              ? "is a bind mount of a host directory, not a named volume, so Docker does not manage its lifetime or ownership"
              : "is not a named volume";
    return [{ key: covering.key, problem: `covers ${dataPath} but ${what}.`, fix }];
}

/** Environment variables whose value is a Redis configuration file's text. */
export const REDIS_CONFIG_VARIABLES = ["REDIS_CONFIG"] as const;

/** Passwords set in redis.conf text: requirepass lines and the default user's ACL. "" means explicitly empty. */
function configuredPasswords(configText: string): string[] {
    const passwords: string[] = [];
    for (const line of configText.split(/\r?\n/)) {
        const match = /^\s*requirepass\s+(.*?)\s*$/i.exec(line);
        if (match) {
            passwords.push(match[1].replace(/^(["'])(.*)\1$/, "$2"));
        }
        const acl = /^\s*user\s+default\s+(.*)$/i.exec(line);
        if (
            acl &&
            /(^|\s)on(\s|$)/.test(acl[1]) &&
            /(^|\s)[>#]\S+/.test(acl[1]) &&
            !/(^|\s)nopass(\s|$)/.test(acl[1])
        ) {
            passwords.push("acl");
        }
    }
    return passwords;
}

export function redisRequiresPassword(props: Props, minimumLength: number): Finding[] {
    const environment = environmentOf(props.envs);
    const command = wordsOf(props.command);
    const entrypoint = wordsOf(props.entrypoint);
    if (environment === undefined || command === undefined || entrypoint === undefined) {
        return [];
    }
    const env = environment.env;
    const passwords: { where: string; value: string }[] = [];
    for (const variable of REDIS_CONFIG_VARIABLES) {
        if (env[variable] !== undefined) {
            configuredPasswords(env[variable]).forEach((value) => passwords.push({ where: `envs.${variable}`, value }));
        }
    }
    for (const sequence of scriptsIn([...entrypoint, ...command])) {
        sequence.forEach((word, index) => {
            if (/^--requirepass$/i.test(word) && sequence[index + 1] !== undefined) {
                passwords.push({ where: "command", value: sequence[index + 1] });
            } else if (/^--requirepass=/i.test(word)) {
                passwords.push({ where: "command", value: word.slice(word.indexOf("=") + 1) });
            }
        });
    }
    if (env.REDIS_ARGS !== undefined) {
        const match = /--requirepass(?:\s+|=)(\S+)/.exec(env.REDIS_ARGS);
        if (match) {
            passwords.push({ where: "envs.REDIS_ARGS", value: match[1] });
        }
    }
    if (env.REDIS_PASSWORD !== undefined) {
        passwords.push({ where: "envs.REDIS_PASSWORD", value: env.REDIS_PASSWORD });
    }
    const fix =
        "generate a password and put `requirepass <password>` in the config passed through REDIS_CONFIG (what the Redis component does); never on the command line.";
    if (/^(yes|true|1)$/i.test(env.ALLOW_EMPTY_PASSWORD ?? "")) {
        return [
            {
                key: "envs.ALLOW_EMPTY_PASSWORD",
                problem: "lets Redis run without a password, so anything on its network can read and flush it.",
                fix,
            },
        ];
    }
    if (passwords.length === 0) {
        return environment.complete
            ? [
                  {
                      key: "requirepass",
                      problem:
                          "is set nowhere (not in REDIS_CONFIG, the command, REDIS_ARGS or REDIS_PASSWORD), so anything on Redis's network can read, change and flush it.",
                      fix,
                  },
              ]
            : [];
    }
    const references = (value: string) => /^\$/.test(value);
    const empty = passwords.filter((entry) => entry.value.trim() === "" || entry.value === '""');
    if (empty.length > 0) {
        return [
            {
                key: empty[0].where,
                problem: "sets an empty Redis password, which turns authentication off.",
                fix,
            },
        ];
    }
    const short = passwords.filter(
        (entry) => entry.value !== "acl" && !references(entry.value) && entry.value.length < minimumLength,
    );
    if (short.length > 0) {
        return [
            {
                key: short[0].where,
                problem: `sets a Redis password shorter than ${minimumLength} characters, which an attacker on the network can guess.`,
                fix,
            },
        ];
    }
    return [];
}
