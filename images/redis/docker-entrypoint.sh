#!/bin/sh
# Entrypoint compatible with the official redis image: `docker run image --flag` and
# `docker run image /path/redis.conf` mean `redis-server ...`; started as root it hands /data to `redis`
# and re-executes itself as `redis` with setpriv (util-linux).
set -e

# first argument is an option (`--appendonly yes`) or a configuration file (`something.conf`)
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$1" = redis-server ]; then
  # Files redis writes (RDB/AOF) should not be world-readable unless the caller chose a umask.
  if [ "$(umask)" = 0022 ]; then
    umask 0077
  fi

  # The official image compiles protected mode off (the container network is the boundary). Debian's build
  # keeps it on, so switch it off unless the command line or the configuration file sets it explicitly.
  set_by_user=no
  for arg in "$@"; do
    case "$arg" in --protected-mode) set_by_user=yes ;; esac
  done
  if [ $# -ge 2 ] && [ "${2#-}" = "$2" ] && [ -r "$2" ] && grep -Eqi '^[[:space:]]*protected-mode[[:space:]]' "$2"; then
    set_by_user=yes
  fi
  if [ "$set_by_user" = no ]; then
    set -- "$@" --protected-mode no
  fi
fi

exec "$@"
