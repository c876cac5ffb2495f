#!/usr/bin/env bash
# Restores a dump written by the PostgresBackup component into the running database.
#
#   scripts/restore-postgres.sh <database-container | platform-name> [dump-file | --list]
#
#   <database-container>  the PostgreSQL container, e.g. wp-prod-postgres; a platform name such as wp-prod
#                         stands for <name>-postgres.
#   [dump-file]           a dump's file name (or any path ending in it), as --list prints it. Default: the newest.
#   --list                print the dumps, oldest first, and restore nothing.
#
# The dump is read from the backup volume (through the backup container, or a throwaway read-only container
# when that is stopped) and streamed into `pg_restore --clean --if-exists --no-owner --single-transaction`
# inside the database container. The password is read there, from the container's own POSTGRES_PASSWORD, so
# it never appears on a command line or in this script's output. A missing database is created first.
# Uses the docker CLI, so DOCKER_HOST (e.g. ssh://deploy@host) selects the engine. See docs/backup-restore.md.
set -euo pipefail

readonly DUMP_DIRECTORY=/var/lib/postgresql
readonly ROLE_LABEL=webplatform.role
readonly BACKUP_OF_LABEL=webplatform.backup-of

die() {
  echo "restore-postgres: $*" >&2
  exit 1
}

if [[ $# -lt 1 || $# -gt 2 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,10s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
target=$1
requested=${2:-}

# A container property by Go template, or nothing when the container does not exist.
inspect() {
  docker inspect --type container --format "$2" "$1" 2>/dev/null || true
}

# 1. The database container: the name itself, or <platform>-postgres.
database_container=
for candidate in "$target" "$target-postgres"; do
  if [[ "$(inspect "$candidate" "{{index .Config.Labels \"$ROLE_LABEL\"}}")" == database ]]; then
    database_container=$candidate
    break
  fi
done
[[ -n "$database_container" ]] ||
  die "no PostgreSQL container named $target or $target-postgres (looked for the label $ROLE_LABEL=database)."
[[ "$(inspect "$database_container" '{{.State.Running}}')" == true ]] ||
  die "$database_container is not running; start it (docker start $database_container or pulumi up) and try again."

# 2. Its backup container, found by label, and the database it dumps.
backups=$(docker ps --all --filter "label=$BACKUP_OF_LABEL=$database_container" --format '{{.Names}}')
[[ -n "$backups" ]] || die "no backup container has the label $BACKUP_OF_LABEL=$database_container."
[[ "$(wc -l <<<"$backups")" -eq 1 ]] || die "several backup containers back up $database_container: $(tr '\n' ' ' <<<"$backups")"
backup_container=$backups
# Only PGDATABASE is taken from the backup container's environment; its password stays where it is.
database=$(inspect "$backup_container" \
  '{{range .Config.Env}}{{if eq (index (split . "=") 0) "PGDATABASE"}}{{index (split . "=") 1}}{{end}}{{end}}')
[[ "$database" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ ]] || die "cannot tell which database $backup_container dumps."

# Runs a command with the dumps at $DUMP_DIRECTORY: in the backup container while it runs, else in a
# throwaway container of the same image with the volume mounted read-only and no network.
in_dumps() {
  if [[ "$(inspect "$backup_container" '{{.State.Running}}')" == true ]]; then
    docker exec -i "$backup_container" "$@"
  else
    local volume image
    volume=$(inspect "$backup_container" \
      "{{range .Mounts}}{{if eq .Destination \"$DUMP_DIRECTORY\"}}{{.Name}}{{end}}{{end}}")
    image=$(inspect "$backup_container" '{{.Image}}')
    [[ -n "$volume" && -n "$image" ]] || die "cannot find the dumps volume of $backup_container."
    docker run --rm -i --network none --read-only --cap-drop ALL --security-opt no-new-privileges:true \
      --user postgres --entrypoint "" --volume "$volume:$DUMP_DIRECTORY:ro" "$image" "$@"
  fi
}

# Dumps of the database, oldest first: name, size in bytes, modification time.
list_dumps() {
  # shellcheck disable=SC2016 # expanded by the container's shell
  in_dumps sh -c 'for dump in "$1"/"$2"-????????T??????Z.dump; do
      [ -f "$dump" ] && echo "${dump##*/} $(stat -c "%s %y" "$dump")"
    done; true' sh "$DUMP_DIRECTORY" "$database"
}

if [[ "$requested" == --list ]]; then
  list_dumps
  exit 0
fi

# 3. The dump: the one asked for, or the newest.
if [[ -n "$requested" ]]; then
  dump=${requested##*/}
  [[ "$dump" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*\.dump$ ]] || die "\"$requested\" is not a dump file name."
  in_dumps test -f "$DUMP_DIRECTORY/$dump" ||
    die "no dump $dump in the backup volume of $backup_container; see: $0 $target --list"
else
  dump=$(list_dumps | tail -n 1 | cut -d ' ' -f 1)
  [[ -n "$dump" ]] || die "no dump of $database yet in the backup volume of $backup_container."
fi
size=$(in_dumps stat -c %s "$DUMP_DIRECTORY/$dump")

# Runs a command in the database container with PGPASSWORD taken from its own environment, over TCP to
# 127.0.0.1 so password authentication applies as it does for the application.
# shellcheck disable=SC2016 # expanded by the container's shell
in_database() {
  docker exec -i "$database_container" sh -c \
    'export PGPASSWORD="$POSTGRES_PASSWORD" PGHOST=127.0.0.1 PGUSER="$POSTGRES_USER"; exec "$@"' sh "$@"
}

# 4. A dropped database is created again, empty; pg_restore then fills it.
exists=$(in_database psql -X -q -t -A -v ON_ERROR_STOP=1 -v db="$database" -d postgres \
  <<<"SELECT count(*) FROM pg_database WHERE datname = :'db';")
if [[ "$exists" == 0 ]]; then
  echo "restore-postgres: database $database does not exist on $database_container; creating it."
  in_database psql -X -q -v ON_ERROR_STOP=1 -v db="$database" -d postgres <<<'CREATE DATABASE :"db";'
fi

# 5. Restore in one transaction: on any error nothing changes.
echo "restore-postgres: restoring $dump ($size bytes) into database $database on $database_container ..."
in_dumps cat "$DUMP_DIRECTORY/$dump" |
  in_database pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error -d "$database"

tables=$(in_database psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$database" \
  <<<"SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema');")
echo "restore-postgres: restored $dump ($size bytes) into database $database on $database_container: $tables tables."
