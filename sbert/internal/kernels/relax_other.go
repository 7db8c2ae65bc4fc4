//go:build purego || !(amd64 || arm64)

package kernels

// relax does nothing where there is no spin-wait instruction to use.
func relax() {}
