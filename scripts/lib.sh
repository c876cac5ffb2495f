#!/usr/bin/env bash
# Shared settings for every script: where the toolchain cache lives and how PATH finds it.
# The cache sits outside the repository so a fresh clone reuses it and CI stays idempotent.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
export WEBPLATFORM_CACHE="${WEBPLATFORM_CACHE:-$HOME/.cache/webplatform}"
export WEBPLATFORM_BIN="$WEBPLATFORM_CACHE/bin"
export NODE_HOME="$WEBPLATFORM_CACHE/node"
mkdir -p "$WEBPLATFORM_BIN"
export PATH="$WEBPLATFORM_BIN:$NODE_HOME/bin:$REPO_ROOT/node_modules/.bin:$PATH"

# The engine must never try to download a plugin: a missing one is an error, not a network call.
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME="${PULUMI_HOME:-$WEBPLATFORM_CACHE/pulumi-home}"
export GOFLAGS="${GOFLAGS:--mod=mod}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
