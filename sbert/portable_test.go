//go:build purego

package sbert

// portableKernels is true when the tests run on the portable Go kernels.
const portableKernels = true
