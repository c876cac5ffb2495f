import { shellCommand, shellQuote } from "./shell";

/**
 * The smoke check's judges of the application itself (seed 000's V2-V4), as lines of its shell script: the
 * database accepts connections, no migration is pending by the application's own probe, and no application
 * container has logged an error or a traceback. Each prints one `ok:` line or stops the script through `fail`
 * (defined by smokeCheck.ts) with a line that says what failed and how to look closer.
 */
export interface ApplicationChecks {
    /** The PostgreSQL container and the database and role the application uses. */
    readonly database?: { readonly container: string; readonly name: string; readonly user: string };
    /** The application's own "no pending migrations" probe, run in a deployed web container. */
    readonly pendingMigrations?: { readonly container: string; readonly command: readonly string[] };
    /** Web, worker and other application containers, whose logs must hold no error or traceback. */
    readonly applicationContainers?: readonly string[];
    /** The datastore containers (PostgreSQL, Redis): errors logged while one was down and recovering are history. */
    readonly datastores?: readonly string[];
    /** Seconds after a datastore's restart that count as its recovery. */
    readonly datastoreRecoverySeconds?: number;
}

/** Lines a clean log never holds: an error, critical or fatal level (plain or as a JSON log's level), a traceback. */
const ERROR_LOG_PATTERNS = [
    "(^|[^A-Za-z])(ERROR|CRITICAL|FATAL)([^A-Za-z]|$)",
    "Traceback \\(most recent call last\\)",
    '"level(name)?": *"([Ee]rror|ERROR|[Cc]ritical|CRITICAL|[Ff]atal|FATAL)"',
];

/** How many lines of a failed probe's output the failure shows. */
const SHOWN_OUTPUT_LINES = 10;

/** V3: `pg_isready` against the application's own database and role, over TCP as the application connects. */
export function databaseAcceptsConnectionsLines(database: NonNullable<ApplicationChecks["database"]>): string[] {
    const probe = shellCommand([
        "docker",
        "exec",
        database.container,
        "pg_isready",
        "-h",
        "127.0.0.1",
        "-U",
        database.user,
        "-d",
        database.name,
    ]);
    return [
        `out=$(${probe} 2>&1) || fail ${shellQuote(`${database.container} does not accept connections to ${database.name}:`)} "$out"`,
        `echo ${shellQuote(`ok: ${database.container} accepts connections to ${database.name} as ${database.user}`)}`,
    ];
}

/**
 * V4: the application's probe (`manage.py migrate --check`, `alembic check`, current == head) in a running web
 * container, so it judges the deployed image against the live database. Its last lines name what is pending.
 */
export function noPendingMigrationsLines(probe: NonNullable<ApplicationChecks["pendingMigrations"]>): string[] {
    const shown = shellCommand(probe.command);
    return [
        `out=$(${shellCommand(["docker", "exec", probe.container, ...probe.command])} 2>&1) || fail ${shellQuote(
            `migrations are pending: \`${shown}\` in ${probe.container} exited non-zero (run the migration step, or ship the missing migration in the image):`,
        )} "$(printf '%s\\n' "$out" | tail -n ${SHOWN_OUTPUT_LINES})"`,
        `echo ${shellQuote(`ok: no pending migrations (${shown} in ${probe.container})`)}`,
    ];
}

/**
 * Sets `logs_since` (epoch seconds, or empty) to the end of the newest recovery of a datastore that Docker restarted:
 * what an application logged while its database or broker was down and coming back is the crash's, judged by the
 * restart check, not the deploy's. With no restarted datastore every log is judged from its container's start.
 */
function logsSinceLines(datastores: readonly string[], recoverySeconds: number): string[] {
    return [
        "logs_since=",
        ...datastores.flatMap((store) => [
            `set -- $(${shellCommand(["docker", "inspect", "-f", "{{.RestartCount}} {{.State.StartedAt}}", store])} 2>/dev/null) 0`,
            `if [ "$1" != 0 ] && [ "$#" -ge 3 ]; then`,
            `  recovered=$(( $(date -u -d "$2" +%s) + ${recoverySeconds} ))`,
            `  if [ -z "$logs_since" ] || [ "$recovered" -gt "$logs_since" ]; then logs_since=$recovered; fi`,
            "fi",
        ]),
    ];
}

/** V2: every application container's log (since a restarted datastore recovered) holds no error and no traceback. */
export function cleanLogsLines(
    containers: readonly string[],
    datastores: readonly string[] = [],
    recoverySeconds = 30,
): string[] {
    const patterns = ERROR_LOG_PATTERNS.flatMap((pattern) => ["-e", pattern]);
    return [
        ...(containers.length > 0 ? logsSinceLines(datastores, recoverySeconds) : []),
        ...containers.flatMap((container) => [
            `logs=$(docker logs \${logs_since:+--since "$logs_since"} ${shellQuote(container)} 2>&1) || fail ${shellQuote(`cannot read the logs of ${container}:`)} "$logs"`,
            `line=$(printf '%s\\n' "$logs" | ${shellCommand(["grep", "-E", "-m", "1", ...patterns])}) && fail ${shellQuote(
                `${container} logged an error (docker logs ${container}):`,
            )} "$line"`,
            `echo ${shellQuote(`ok: ${container} logged no error or traceback`)}`,
        ]),
    ];
}

/** Every application check that applies, in the order a person would look: database, migrations, logs. */
export function applicationCheckLines(checks: ApplicationChecks): string[] {
    return [
        ...(checks.database ? databaseAcceptsConnectionsLines(checks.database) : []),
        ...(checks.pendingMigrations ? noPendingMigrationsLines(checks.pendingMigrations) : []),
        ...cleanLogsLines(checks.applicationContainers ?? [], checks.datastores, checks.datastoreRecoverySeconds),
    ];
}
