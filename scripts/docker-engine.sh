#!/usr/bin/env bash
# Makes sure a Docker engine is installed and running on this machine (there is no systemd here).
# Idempotent: returns at once when `docker info` already answers.
source "$(dirname "$0")/lib.sh"

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Docker engine from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi

log "starting dockerd"
mkdir -p "$WEBPLATFORM_CACHE/logs"
# setsid keeps dockerd alive after the calling shell exits; its log stays in the cache for debugging.
setsid dockerd >"$WEBPLATFORM_CACHE/logs/dockerd.log" 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "dockerd is up"
    exit 0
  fi
  sleep 1
done
log "dockerd did not start; last lines of its log:"
tail -20 "$WEBPLATFORM_CACHE/logs/dockerd.log" >&2
exit 1
