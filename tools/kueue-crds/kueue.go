//go:build tools

// Package kueuecrds pins the Kueue module whose CRDs the loopback cluster installs and the
// contract tests validate against; the import keeps `go mod tidy` from dropping the
// requirement. Nothing here is built.
package kueuecrds

import _ "sigs.k8s.io/kueue/apis/kueue/v1beta2"
