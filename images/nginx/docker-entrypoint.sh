#!/bin/sh
# Entrypoint compatible with the official nginx image: before starting nginx it runs the hooks in
# /docker-entrypoint.d/ (executable *.sh are run, *.envsh are sourced), in name order.
# NGINX_ENTRYPOINT_QUIET_LOGS=1 silences its messages.
set -e

entrypoint_log() {
  if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
    echo "$@"
  fi
}

if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
  if find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read -r _; then
    entrypoint_log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    for f in $(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f | sort -V); do
      case "$f" in
        *.envsh)
          if [ -x "$f" ]; then entrypoint_log "$0: Sourcing $f"; . "$f"
          else entrypoint_log "$0: Ignoring $f, not executable"; fi ;;
        *.sh)
          if [ -x "$f" ]; then entrypoint_log "$0: Launching $f"; "$f"
          else entrypoint_log "$0: Ignoring $f, not executable"; fi ;;
        *) entrypoint_log "$0: Ignoring $f" ;;
      esac
    done
    entrypoint_log "$0: Configuration complete; ready for start up"
  else
    entrypoint_log "$0: No files found in /docker-entrypoint.d/, skipping configuration"
  fi
fi

exec "$@"
