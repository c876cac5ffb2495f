#!/usr/bin/env bash
# Entrypoint compatible with the official postgres image's environment contract (see the Dockerfile).
# Started as root it fixes the ownership of $PGDATA and the socket directory, then re-executes itself as
# `postgres` with setpriv (util-linux); as `postgres` it initialises an empty $PGDATA once, then execs the server.
# No `set -u`: files in docker-entrypoint-initdb.d are sourced and may use unset variables.
set -Eeo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*" >&2; }

# file_env VAR [DEFAULT]: VAR from the environment, or from the file named by VAR_FILE (Docker/compose secrets).
file_env() {
  local var="$1" file_var="${1}_FILE" def="${2:-}"
  if [[ -n "${!var:-}" && -n "${!file_var:-}" ]]; then
    log "error: both $var and $file_var are set (but are exclusive)"
    exit 1
  fi
  local val="$def"
  if [[ -n "${!var:-}" ]]; then
    val="${!var}"
  elif [[ -n "${!file_var:-}" ]]; then
    val="$(<"${!file_var}")"
  fi
  export "$var"="$val"
  unset "$file_var"
}

# `docker run image -c foo=bar` means `postgres -c foo=bar`.
if [[ "${1:-}" == -* ]]; then
  set -- postgres "$@"
fi

if [[ "${1:-}" == postgres && "$(id -u)" == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 700 "$PGDATA"
  chown postgres:postgres /var/run/postgresql
  chmod 3775 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [[ "${1:-}" == postgres ]]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA" 2>/dev/null || true

  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"

  if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    if [[ -z "$POSTGRES_PASSWORD" && "$POSTGRES_HOST_AUTH_METHOD" != trust ]]; then
      log 'error: database is uninitialized and superuser password is not specified.'
      log '  Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value,'
      log '  or POSTGRES_HOST_AUTH_METHOD=trust to allow connections without a password (never do this in production).'
      exit 1
    fi

    log "initialising a new cluster in $PGDATA (superuser '$POSTGRES_USER', database '$POSTGRES_DB')"
    # POSTGRES_INITDB_ARGS is a shell-words string, as in the official image. The password reaches initdb
    # through a pipe (process substitution), never through a file or the command line.
    if [[ -n "$POSTGRES_PASSWORD" ]]; then
      eval 'initdb --username="$POSTGRES_USER" --pgdata="$PGDATA" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"
    else
      eval 'initdb --username="$POSTGRES_USER" --pgdata="$PGDATA" '"$POSTGRES_INITDB_ARGS"
    fi

    # initdb leaves `trust` for local socket and loopback connections; everything else needs a password.
    printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

    # A temporary server for database creation and init scripts: no TCP, and its socket in a private
    # directory (exported as PGHOST to the init scripts), so a healthcheck such as `pg_isready` only
    # succeeds once the real server is up, not during initialisation.
    init_socket_dir="$(mktemp -d /tmp/pg-init-socket.XXXXXX)"
    export PGHOST="$init_socket_dir"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories='$init_socket_dir' -p ${PGPORT:-5432}" -w start >/dev/null
    psql_cmd=(psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --username "$POSTGRES_USER")

    if [[ "$POSTGRES_DB" != postgres ]]; then
      "${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" >/dev/null <<<'CREATE DATABASE :"db";'
    fi

    shopt -s nullglob
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh)
          if [[ -x "$f" ]]; then log "running $f"; "$f"; else log "sourcing $f"; . "$f"; fi ;;
        *.sql)     log "running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
        *.sql.gz)  log "running $f"; gunzip -c "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB" ;;
        *)         log "ignoring $f" ;;
      esac
    done
    shopt -u nullglob

    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    unset PGHOST
    rm -rf "$init_socket_dir"
    log 'init process complete; ready for start up'
  else
    log "$PGDATA already contains a cluster; skipping initialisation"
  fi
  unset POSTGRES_PASSWORD
fi

exec "$@"
