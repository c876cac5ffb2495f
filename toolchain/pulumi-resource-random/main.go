//go:build !tfgen

// pulumi-resource-random: the Terraform random provider's own resource logic, served to Pulumi by the
// terraform-plugin-framework bridge. schema.json and bridge-metadata.json are produced by the tfgen mode of
// this module (tfgen.go); scripts/build-provider-random.sh regenerates them before building.
package main

import (
	"context"
	_ "embed"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
)

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var bridgeMetadata []byte

func main() {
	pf.Main(context.Background(), "random", providerInfo(bridgeMetadata), pf.ProviderMetadata{PackageSchema: schema})
}
