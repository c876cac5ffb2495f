// Package main wraps the upstream Terraform Docker provider (kreuzwerker) with the Pulumi Terraform
// bridge, so that `pulumi-resource-docker` can be built from Go modules alone.
//
// The module path deliberately sits under the upstream module's path: the upstream provider lives in
// an `internal` package, and Go lets a package import `X/internal/...` only from under `X/`.
//
// The mapping below mirrors the tokens, names and overrides that the published @pulumi/docker v4
// SDK expects, so that its programs talk to this plugin unchanged.
package main

import (
	"context"
	"runtime"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// version is the @pulumi/docker SDK version this plugin answers for; the engine matches plugins to the
// version the SDK registers its resources with.
const version = "4.11.2"

const pkgName = "docker"

func defaultHost() string {
	if runtime.GOOS == "windows" {
		return "npipe:////./pipe/docker_engine"
	}
	return "unix:///var/run/docker.sock"
}

// Provider returns the bridge's description of the Docker provider.
func Provider() tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:           shimv2.NewProvider(provider.New(version)()),
		Name:        pkgName,
		Version:     version,
		Description: "A Pulumi package for interacting with Docker in Pulumi programs",
		License:     "Apache-2.0",
		GitHubOrg:   "kreuzwerker",
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {
				Default: &tfbridge.DefaultInfo{
					EnvVars: []string{"DOCKER_HOST"},
					ComputeDefault: func(context.Context, tfbridge.ComputeDefaultOptions) (interface{}, error) {
						return defaultHost(), nil
					},
				},
			},
			// A list in the SDK, named in the singular.
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config": {Tok: tfbridge.MakeResource(pkgName, "index", "ServiceConfig")},
			"docker_container": {
				Tok:                 tfbridge.MakeResource(pkgName, "index", "Container"),
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					// One command (argv), so not pluralised.
					"command":           {Name: "command"},
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			"docker_image": {
				Tok:    tfbridge.MakeResource(pkgName, "index", "RemoteImage"),
				Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}},
			},
			"docker_network":        {Tok: tfbridge.MakeResource(pkgName, "index", "Network")},
			"docker_volume":         {Tok: tfbridge.MakeResource(pkgName, "index", "Volume")},
			"docker_registry_image": {Tok: tfbridge.MakeResource(pkgName, "index", "RegistryImage")},
			"docker_secret":         {Tok: tfbridge.MakeResource(pkgName, "index", "Secret")},
			"docker_service":        {Tok: tfbridge.MakeResource(pkgName, "index", "Service")},
			"docker_plugin":         {Tok: tfbridge.MakeResource(pkgName, "index", "Plugin")},
			"docker_tag":            {Tok: tfbridge.MakeResource(pkgName, "index", "Tag")},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_network":        {Tok: tfbridge.MakeDataSource(pkgName, "index", "getNetwork")},
			"docker_registry_image": {Tok: tfbridge.MakeDataSource(pkgName, "index", "getRegistryImage")},
			"docker_plugin":         {Tok: tfbridge.MakeDataSource(pkgName, "index", "getPlugin")},
			"docker_image":          {Tok: tfbridge.MakeDataSource(pkgName, "index", "getRemoteImage")},
			"docker_logs":           {Tok: tfbridge.MakeDataSource(pkgName, "index", "getLogs")},
		},
	}
	// Anything not listed above (e.g. docker_buildx_builder) gets the standard docker:index/... token.
	info.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard(pkgName)))
	// `name` properties are auto-named from the resource name plus a random suffix, as in @pulumi/docker.
	info.SetAutonaming(255, "-")
	return info
}
