#!/usr/bin/env bash
# Builds one Go binary from a wrapper module under toolchain/ and caches it by the hash of that module's
# files, so a pin change rebuilds and anything else is a no-op.
# Usage: build-go-tool.sh <toolchain-dir> <binary-name> <main-package> [extra -ldflags]
source "$(dirname "$0")/lib.sh"

module_dir="$REPO_ROOT/$1"
binary="$2"
main_package="$3"
ldflags="${4:-}"

# The module's files and the link flags: a changed -X stamp rebuilds too.
stamp="$( (cd "$module_dir" && cat $(ls | sort); echo "$ldflags") | sha256sum | cut -c1-16)"
stamp_file="$WEBPLATFORM_BIN/.$binary.stamp"
if [[ -x "$WEBPLATFORM_BIN/$binary" && "$(cat "$stamp_file" 2>/dev/null)" == "$stamp" ]]; then
  log "$binary is up to date ($stamp)"
  exit 0
fi

log "building $binary from $1 (this takes minutes on a cold cache)"
(cd "$module_dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$WEBPLATFORM_BIN/$binary.tmp" "$main_package")
mv "$WEBPLATFORM_BIN/$binary.tmp" "$WEBPLATFORM_BIN/$binary"
echo "$stamp" > "$stamp_file"
log "built $binary"
