// Package compare benchmarks the kernels against spago and gonum on the
// linear-layer shapes of MiniLM-L6. It is a separate module so that spago's
// full dependency tree stays out of the main go.mod:
//
//	cd sbert/internal/kernels/compare && go test -bench . -benchtime 0.5s
package compare
