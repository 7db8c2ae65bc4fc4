// Package similarity compares embedding vectors by cosine similarity: pairs of
// vectors with [Cosine], and whole sets with [NewMatrix], which computes the
// similarity of every vector of one set (the rows, say a job's keywords) with
// every vector of another (the columns, a resume's keywords) and answers the
// best match and the top k matches per row.
//
// The vectors are float32, as models produce them; all arithmetic is done in
// float64, where the product of two float32 values is exact, so the results
// are accurate to a few units in the last place of a float64 whether or not
// the input is normalised. Results are clamped to [-1, 1].
//
// A zero vector has no direction, so its cosine is undefined: it is an error
// ([ErrZeroVector]), as are vectors of different lengths
// ([ErrDimensionMismatch]) and NaN or infinite components ([ErrNotFinite]).
//
// Each element of a matrix is the dot product of two unit vectors, computed
// with gonum's assembly kernel (floats.Dot). For the shapes this project uses,
// tens to hundreds of vectors of 384 dimensions, that beats both a plain Go
// loop and gonum's general matrix multiply, which pays for blocking and
// goroutines before it does any work: on one core of an AMD EPYC, 20×50
// vectors of 384 took 135 µs with floats.Dot, 168 µs with blas64.Gemm and
// 223 µs with a four-way unrolled Go loop. BenchmarkMatrix in the tests
// compares NewMatrix with gonum's mat.Mul.
package similarity
