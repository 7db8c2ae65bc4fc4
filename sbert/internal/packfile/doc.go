// Package packfile reads and writes prepacked model files: the weights of a
// model already in the layout of the kernels that use them, so that a
// process maps the file and uses its arrays in place, without parsing,
// converting or copying.
//
// A file is a 40-byte prefix, a JSON header, zero padding and the data:
//
//	 0  8  magic "\x89JMPACK\n"
//	 8  4  format version (Version), little-endian like every number here
//	12  4  CRC-32 (IEEE) of the prefix but these 4 bytes, the header and its padding
//	16  4  length of the JSON header
//	20  4  zero
//	24  8  offset of the data, a multiple of 64
//	32  8  length of the file
//	40     the JSON header ([Header])
//
// The header says what the arrays were packed for (architecture, byte
// order, kernel layout, model identity), where each array lies, as an
// offset from the start of the data, a multiple of 64, and a length, and
// holds the CRC-32 of every chunk of the data ([ChunkSize] bytes). Each
// caller checks that the header matches its process before it uses the
// arrays; [Open] checks the framing, the bounds and the header's checksum,
// without reading the data; [File.VerifyRange] checks the chunks that a
// part of the data lies in, once, and [File.Verify] all of them. A caller
// verifies each part before its first use, so that a process reads what it
// uses and nothing more: from a cold page cache, reading the whole file to
// check it would cost more than the rest of the start.
//
// # Bounds
//
// The header is at most [MaxHeader] bytes, the file at most the limit the
// caller gives [Open], and every offset and length is checked against the
// real length of the file before a slice is made. An array is typed
// (f32, i8, i32) and its data starts on a 64-byte boundary of the mapping,
// so that the kernels' vector loads never split a cache line.
//
// # Why CRC-32 IEEE
//
// The checksums read every byte a process uses, so their speed is part of
// its start. Go computes CRC-32 IEEE with carry-less
// multiplication (PCLMULQDQ on amd64, the CRC32 instructions on arm64): on
// the shared 2-core AMD EPYC of this project it checks the 90 MB pack file of
// all-MiniLM-L6-v2 in about 14 ms, against 30 ms for Castagnoli, whose
// amd64 code uses the SSE4.2 instruction.
package packfile
