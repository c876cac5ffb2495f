#!/usr/bin/env bash
# The README's main job: sets up whatever is missing, then deploys the dev stack to the local Docker engine on
# local defaults (a file state backend and passphrase-encrypted secrets, both under ~/.cache/webplatform),
# with the policy pack attached (advisory on dev). Re-running it converges; nothing changes when nothing did.
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

bash scripts/setup.sh

state_dir="$WEBPLATFORM_CACHE/state"
mkdir -p "$state_dir"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$state_dir}"
# A random passphrase made once for this machine's dev stack; set PULUMI_CONFIG_PASSPHRASE(_FILE) to use yours.
if [[ -z "${PULUMI_CONFIG_PASSPHRASE:-}" && -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
  passphrase_file="$WEBPLATFORM_CACHE/dev-passphrase"
  if [[ ! -s "$passphrase_file" ]]; then
    (umask 077 && openssl rand -hex 32 > "$passphrase_file")
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$passphrase_file"
fi

# Pulumi writes the passphrase's salt into the stack's config file. It belongs to this machine's passphrase, so
# the stack runs from a working copy in the cache and the tracked Pulumi.dev.yaml is never modified.
work="$WEBPLATFORM_CACHE/dev-project"
mkdir -p "$work"
salt="$(grep '^encryptionsalt:' "$work/Pulumi.dev.yaml" 2>/dev/null || true)"
rm -rf "$work/components" "$work/config" "$work/policies" "$work/bin"
cp -r Pulumi.yaml package.json package-lock.json tsconfig.json tsconfig.build.json stack.js index.ts components config \
  policies bin "$work/"
{ [[ -n "$salt" ]] && echo "$salt"; grep -v '^encryptionsalt:' Pulumi.dev.yaml; } > "$work/Pulumi.dev.yaml"
ln -sfn "$REPO_ROOT/node_modules" "$work/node_modules"
cd "$work"

pulumi version
pulumi stack select dev --create --non-interactive
bash "$REPO_ROOT/scripts/deploy-stack.sh" dev \
  --policy-pack policies --policy-pack-config policies/config/development.json "$@"
pulumi stack output --stack dev url
