//go:build tfgen

// The same module built with -tags tfgen is the schema generator: `<binary> schema --out <dir>` writes
// schema.json and bridge-metadata.json for the plugin to embed.
package main

import (
	"os"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"
)

func main() {
	metadata, err := os.ReadFile("bridge-metadata.json")
	if err != nil {
		metadata = []byte("{}")
	}
	info := providerInfo(metadata)
	// Docs (descriptions) come from the upstream module's directory, which the build script passes in.
	info.UpstreamRepoPath = os.Getenv("RANDOM_UPSTREAM_DIR")
	tfgen.Main("random", info)
}
