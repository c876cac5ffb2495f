#!/usr/bin/env bash
# Builds the pinned Pulumi toolchain from Go modules (no binary downloads are possible here) into the cache:
# the CLI, the Node.js language host and the provider plugins the npm SDKs need.
source "$(dirname "$0")/lib.sh"

PULUMI_VERSION="v3.259.0"
build="$REPO_ROOT/scripts/build-go-tool.sh"

bash "$build" toolchain/pulumi-cli pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
# The Node.js language host: Pulumi's own v3.68 host as the core, behind a front that adds policy packs.
bash "$build" toolchain/pulumi-language-nodejs pulumi-language-nodejs-core \
  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.68.0"
bash "$build" toolchain/pulumi-language-nodejs-front pulumi-language-nodejs .

# Provider plugins for the npm SDKs in package.json, found by the engine on PATH.
bash "$REPO_ROOT/scripts/build-provider-docker.sh"
bash "$REPO_ROOT/scripts/build-provider-random.sh"
# Our stand-in for pulumi-command (its modules are refused here); it reports 1.2.1+webplatform.standin.
bash "$build" toolchain/pulumi-resource-command pulumi-resource-command .

pulumi version
