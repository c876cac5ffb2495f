#!/usr/bin/env bash
# `npm run bench`: compiles the benchmark suite (bench/*.ts) and a fresh copy of the policy pack to a temp dir, then
# runs it with the real pulumi CLI, providers and Docker engine; writes bench/results/latest.md and latest.json.
# Expects `bash scripts/setup.sh` to have run (toolchain, plugins, local images).
#   BENCH_QUICK=1 npm run bench          smoke version: 1 warm-up + 1 run each, small sizes
#   BENCH_ONLY=startup,deploy npm run bench   only the named benchmarks (bench/<name>.ts)
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

for tool in pulumi pulumi-language-nodejs pulumi-resource-docker pulumi-resource-random pulumi-resource-command node docker docker-compose openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not on PATH; run bash scripts/setup.sh first" >&2; exit 1; }
done
docker info >/dev/null 2>&1 || { echo "bench: the Docker engine does not answer; run bash scripts/setup.sh" >&2; exit 1; }
for image in webplatform/postgres:15 webplatform/redis:7 webplatform/nginx:1.22 webplatform/sample-app:1.0.0; do
  docker image inspect "$image" >/dev/null 2>&1 || { echo "bench: image $image is missing; run bash scripts/build-images.sh" >&2; exit 1; }
done

build="$(mktemp -d /tmp/wpbench-build-XXXXXX)"
trap 'rm -rf "$build"' EXIT
log "compiling the suite and the policy pack into $build"
tsc -p bench/tsconfig.json --outDir "$build/suite"
tsc -p policies/tsconfig.json --outDir "$build/policies-bin"
node scripts/bundle-policy-pack.mjs "$build/policies-bin"
node stack.js build
mkdir -p bench/results/tmp

# The compiled suite lives outside the repository, so node finds the project's packages through NODE_PATH.
NODE_PATH="$REPO_ROOT/node_modules" BENCH_REPO_ROOT="$REPO_ROOT" BENCH_BUILD="$build" \
  node "$build/suite/bench/run.js"
