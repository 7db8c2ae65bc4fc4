// Package kernels holds the dense linear-algebra kernels of the sbert forward
// pass: row-major single-precision matrix products over flat []float32
// buffers, with explicit row strides so that attention heads can be addressed
// inside a wider buffer without copying.
//
// The model code calls only the functions of this package, so that faster
// kernels (assembly, packed panels, threads) replace these without touching
// the model.
package kernels
