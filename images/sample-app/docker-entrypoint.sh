#!/bin/sh
# Runs any command given (`docker run IMAGE sample-app migrate`, `docker run IMAGE python3 -c ...`);
# a bare sample-app subcommand is accepted too (`docker run IMAGE migrate`). Docker's init (--init; the
# platform sets `init: true`) is PID 1 in front of this, so SIGTERM reaches the Python process and zombies
# are reaped.
set -e
case "${1:-}" in
  web|migrate|worker|scheduler|collectstatic|healthcheck|version|-*)
    set -- sample-app "$@"
    ;;
esac
exec "$@"
