// Command pulumi-resource-random is a TEST STAND-IN for the `random` provider: the bridged
// pulumi-random provider cannot be built from the Go module proxy this project is built
// through (its provider/v4 module has no served version, and its Terraform shim is excluded
// from the module zip), so the engine tier runs this native provider in its place.
//
// It implements the two resources mlplatform uses, with upstream's type tokens, properties
// and semantics (terraform-provider-random's random_password / random_string, as bridged by
// pulumi-random v4):
//
//   - random:index/randomPassword:RandomPassword, id "none", outputs `result` and
//     `bcryptHash` (secret);
//   - random:index/randomString:RandomString, id = its result.
//
// Inputs default as upstream (lower, upper, numeric, number and special true; every min* 0;
// the special set "!@#$%&*()-_=+[]{}<>:?"); every input change replaces the resource, and
// equal inputs give no diff; refresh returns the state unchanged. Check returns the inputs
// as given (upstream's bridge does not write its defaults into the inputs either).
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set with -ldflags "-X main.version=...".
var version = "0.0.0-dev"

func main() {
	err := provider.Main("random", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return newServer(version), nil
	})
	if err != nil {
		panic(err)
	}
}
