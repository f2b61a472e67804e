//go:build tools

// Package tools records the Prow command this module builds besides its own, so `go mod tidy`
// keeps its dependencies.
package tools

import (
	_ "sigs.k8s.io/prow/cmd/checkconfig"
)
