//go:build tools

// Package crds pins the Prometheus operator module whose CRDs the loopback cluster installs;
// the import keeps `go mod tidy` from dropping the requirement. Nothing here is built.
package crds

import _ "github.com/prometheus-operator/prometheus-operator/example"
