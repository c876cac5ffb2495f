#!/usr/bin/env bash
# Builds the pulumi-resource-random plugin (the Terraform random provider behind the Pulumi bridge).
# Pre-step: when the module's Go inputs changed since schema.json / bridge-metadata.json were generated (their
# hash is kept in schema.stamp), build the module's tfgen mode (-tags tfgen) outside the repo and regenerate them.
# Then build-go-tool.sh builds the plugin, which embeds both files. Running it again is a no-op.
source "$(dirname "$0")/lib.sh"

module="toolchain/pulumi-resource-random"
module_dir="$REPO_ROOT/$module"
version="4.21.2" # the npm SDK @pulumi/random this plugin serves

inputs="$(cd "$module_dir" && cat go.mod go.sum provider.go tfgen.go | sha256sum | cut -c1-16)"
if [[ ! -f "$module_dir/schema.json" || ! -f "$module_dir/bridge-metadata.json" \
  || "$(cat "$module_dir/schema.stamp" 2>/dev/null)" != "$inputs" ]]; then
  tfgen_dir="$WEBPLATFORM_CACHE/tfgen-random"
  mkdir -p "$tfgen_dir"
  if [[ ! -x "$tfgen_dir/pulumi-tfgen-random-$inputs" ]]; then
    log "building the random schema generator (tfgen mode; minutes on a cold cache)"
    (cd "$module_dir" && go build -trimpath -tags tfgen -ldflags "-s -w -X main.version=$version" \
      -o "$tfgen_dir/pulumi-tfgen-random-$inputs.tmp" .)
    mv "$tfgen_dir/pulumi-tfgen-random-$inputs.tmp" "$tfgen_dir/pulumi-tfgen-random-$inputs"
  fi
  # The generator reads the upstream provider's docs for descriptions from its module directory.
  upstream_dir="$(cd "$module_dir" && go list -m -f '{{.Dir}}' github.com/terraform-providers/terraform-provider-random)"
  out="$(mktemp -d)"
  log "generating schema.json and bridge-metadata.json"
  (cd "$module_dir" && RANDOM_UPSTREAM_DIR="$upstream_dir" \
    "$tfgen_dir/pulumi-tfgen-random-$inputs" schema --skip-examples --out "$out" >"$out/tfgen.log" 2>&1) \
    || { cat "$out/tfgen.log" >&2; exit 1; }
  cp "$out/schema.json" "$module_dir/schema.json"
  cp "$out/bridge-metadata.json" "$module_dir/bridge-metadata.json"
  echo "$inputs" >"$module_dir/schema.stamp"
  rm -rf "$out"
fi

exec bash "$REPO_ROOT/scripts/build-go-tool.sh" "$module" pulumi-resource-random . "-X main.version=$version"
