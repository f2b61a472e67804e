// Command pulumi-resource-kubernetes serves Pulumi's Kubernetes provider.
//
// Upstream's own main package embeds schema files that its release build generates and that the
// module zip does not carry, so it cannot be built from the module. This main serves the same
// provider package with those files, which hack/tools/install prepares in the build directory
// from the module's schema.json (stamped with the npm @pulumi/kubernetes version) before building.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
)

//go:embed schema-embed.json
var schema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

// version is stamped at build time with the @pulumi/kubernetes release the schema is served as.
var version = "0.0.0-dev"

func main() {
	provider.Serve("kubernetes", version, schema, terraformMapping)
}
