#!/usr/bin/env bash
# Everything a fresh machine needs, installed idempotently: Debian packages, the Docker engine, Node 22, the npm
# dependencies, the Pulumi toolchain built from Go modules, the local images and the compiled policy pack.
# A warm run finishes in seconds; caches live in ~/.cache/webplatform, outside the repository.
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

missing=()
# ip (iproute2) and nsenter/unshare (util-linux, essential) make the test swarm: scripts/swarm-nodes.sh.
for tool in dockerd debootstrap openssl curl python3 ssh sshd docker-compose ip nsenter unshare; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  log "installing Debian packages for: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io debootstrap openssl curl python3 \
    openssh-client openssh-server docker-compose iproute2 util-linux >/dev/null
fi

bash scripts/docker-engine.sh
bash scripts/setup-node.sh

lock_hash="$(sha256sum package-lock.json | cut -c1-16)"
if [[ "$(cat node_modules/.webplatform-lock 2>/dev/null)" != "$lock_hash" ]]; then
  log "installing npm dependencies"
  # Exactly the committed lock: `npm ci` never rewrites package-lock.json and fails when it is out of step with
  # package.json (regenerate it with `npm install --package-lock-only` and commit it).
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.webplatform-lock
fi

bash scripts/toolchain.sh
bash scripts/build-images.sh
npm run --silent build:policies
npm run --silent build:program
log "setup complete"
