//go:build tools

// Package tools pins the Node.js language host. From sdk v3.69 on it lives in a module of its own that the
// module proxy reachable here does not serve, so it is built from the last sdk release that still contains it.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
