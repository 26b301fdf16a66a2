//go:build tools

// Package kservecrds pins the KServe module whose CRDs the loopback cluster installs and the
// contract tests validate against. The import keeps `go mod tidy` from dropping the
// requirement; pkg/types imports nothing but the standard library, so the module graph stays
// KServe's own module (go.sum: two lines). Nothing here is built.
package kservecrds

import _ "github.com/kserve/kserve/pkg/types"
