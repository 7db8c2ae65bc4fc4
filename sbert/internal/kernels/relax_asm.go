//go:build !purego && (amd64 || arm64)

package kernels

// relax is a spin-wait hint (PAUSE, YIELD) repeated twice, in
// relax_$GOARCH.s.
func relax()
