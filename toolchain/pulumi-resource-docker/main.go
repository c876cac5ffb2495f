//go:build !tfgen

package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
)

// schema.json is generated from Provider() by the tfgen build of this package (see tfgen.go and
// scripts/build-provider-docker.sh). The bridge serves it from GetSchema and type-checks inputs with it.
//
//go:embed schema.json
var pulumiSchema []byte

func main() {
	tfbridge.Main(pkgName, version, Provider(), pulumiSchema)
}
