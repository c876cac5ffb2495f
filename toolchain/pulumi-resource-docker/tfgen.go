//go:build tfgen

package main

import "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"

// Built only with `-tags tfgen`: `go run -tags tfgen . schema --out DIR --skip-docs --skip-examples`
// writes DIR/schema.json, which main.go embeds.
func main() {
	tfgen.Main(pkgName, version, Provider())
}
