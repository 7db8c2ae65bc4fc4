package packfile

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"unsafe"
)

// Version is the version of the format that this package reads and writes.
// Version 1 had one checksum over the whole file.
const Version = 2

// ChunkSize is the number of data bytes per checksum that Write uses: small
// enough that a process verifies little more than what it uses (one
// embedding row costs one chunk), big enough that the table stays small
// (about 1,400 entries for all-MiniLM-L6-v2).
const ChunkSize = 64 << 10

// MaxHeader bounds the JSON header.
const MaxHeader = 1 << 20

const (
	prefixLen = 40
	align     = 64
)

var magic = [8]byte{0x89, 'J', 'M', 'P', 'A', 'C', 'K', '\n'}

// Errors of Open and Verify, for callers to act on.
var (
	// ErrFormat reports a file that is not a pack file, or whose framing,
	// header or array table is inconsistent with its length.
	ErrFormat = errors.New("not a valid pack file")
	// ErrVersion reports a pack file of another format version.
	ErrVersion = errors.New("pack file of another format version")
	// ErrChecksum reports a pack file whose bytes do not match its
	// checksum: truncated, corrupted or edited.
	ErrChecksum = errors.New("pack file checksum mismatch")
	// ErrTooLarge reports a pack file beyond the caller's limit.
	ErrTooLarge = errors.New("pack file exceeds the limit")
)

// Header is what a pack file says about itself. Apart from Arrays, which
// this package checks, its meaning is the caller's.
type Header struct {
	GOARCH string `json:"goarch"`
	Endian string `json:"endian"` // "little"
	// Layout describes the kernels the arrays were laid out for.
	Layout json.RawMessage `json:"layout"`
	// Model identifies the model the arrays came from.
	Model json.RawMessage `json:"model"`
	// Arrays lists the arrays of the data, in the order of their offsets.
	Arrays []Array `json:"arrays"`
	// Chunk is the number of data bytes per checksum, a power of two.
	Chunk int64 `json:"chunk"`
	// CRCs holds the CRC-32 (IEEE) of each chunk of the data, the last one
	// possibly shorter.
	CRCs []uint32 `json:"crcs"`
}

// Array is one typed array of the data.
type Array struct {
	Name string `json:"name"`
	Type string `json:"type"` // "f32", "i32" or "i8"
	Off  int64  `json:"off"`  // bytes from the start of the data, a multiple of 64
	Len  int64  `json:"len"`  // elements
}

// elemSize returns the bytes per element of an array type, 0 for an
// unknown one.
func elemSize(typ string) int64 {
	switch typ {
	case "f32", "i32":
		return 4
	case "i8":
		return 1
	}
	return 0
}

// NativeEndian is "little" or "big", the byte order of this process.
var NativeEndian = func() string {
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
		return "little"
	}
	return "big"
}()

// Data is one array to write: its name, type and bytes (see Float32s,
// Int32s and Int8s).
type Data struct {
	Name  string
	Type  string
	Bytes []byte
}

// Float32s returns the array v to write, in native byte order.
func Float32s(name string, v []float32) Data {
	return Data{name, "f32", unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 4*len(v))}
}

// Int32s returns the array v to write, in native byte order.
func Int32s(name string, v []int32) Data {
	return Data{name, "i32", unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 4*len(v))}
}

// Int8s returns the array v to write.
func Int8s(name string, v []int8) Data {
	return Data{name, "i8", unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v))}
}

// Write writes the pack file of h and arrays to w. It sets h.Arrays,
// h.Endian, h.Chunk and h.CRCs; arrays are written in order, each on a
// 64-byte boundary.
func Write(w io.Writer, h Header, arrays []Data) error {
	if NativeEndian != "little" {
		return fmt.Errorf("packfile: write: big-endian machines are not supported")
	}
	h.Endian = NativeEndian
	h.Arrays = make([]Array, len(arrays))
	var off int64
	for i, a := range arrays {
		n := elemSize(a.Type)
		if n == 0 || int64(len(a.Bytes))%n != 0 {
			return fmt.Errorf("packfile: write: array %s: type %q with %d bytes", a.Name, a.Type, len(a.Bytes))
		}
		h.Arrays[i] = Array{Name: a.Name, Type: a.Type, Off: off, Len: int64(len(a.Bytes)) / n}
		off = alignUp(off + int64(len(a.Bytes)))
	}
	// The data as it will be written, padding included, for the chunks'
	// checksums, which the header holds.
	var pad [align]byte
	parts := make([][]byte, 0, 2*len(arrays))
	for i, a := range arrays {
		parts = append(parts, a.Bytes, pad[:padding(h.Arrays[i], a)])
	}
	h.Chunk, h.CRCs = ChunkSize, chunkCRCs(parts, ChunkSize)
	hdr, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("packfile: write: %w", err)
	}
	if len(hdr) > MaxHeader {
		return fmt.Errorf("packfile: write: header of %d bytes, more than %d", len(hdr), MaxHeader)
	}
	dataOff := alignUp(prefixLen + int64(len(hdr)))
	size := dataOff + off
	head := make([]byte, dataOff)
	copy(head, magic[:])
	le := binary.LittleEndian
	le.PutUint32(head[8:], Version)
	le.PutUint32(head[16:], uint32(len(hdr)))
	le.PutUint64(head[24:], uint64(dataOff))
	le.PutUint64(head[32:], uint64(size))
	copy(head[prefixLen:], hdr)
	le.PutUint32(head[12:], headCRC(head))
	if _, err := w.Write(head); err != nil {
		return fmt.Errorf("packfile: write: %w", err)
	}
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return fmt.Errorf("packfile: write: %w", err)
		}
	}
	return nil
}

// chunkCRCs returns the CRC-32 of each chunk bytes of the concatenation of
// parts.
func chunkCRCs(parts [][]byte, chunk int) []uint32 {
	var crcs []uint32
	var crc uint32
	fill := 0
	for _, p := range parts {
		for len(p) > 0 {
			n := min(len(p), chunk-fill)
			crc = crc32.Update(crc, crc32.IEEETable, p[:n])
			p, fill = p[n:], fill+n
			if fill == chunk {
				crcs, crc, fill = append(crcs, crc), 0, 0
			}
		}
	}
	if fill > 0 {
		crcs = append(crcs, crc)
	}
	return crcs
}

// headCRC returns the checksum of the prefix and header, head being the
// file up to its data: the chunks' checksums are in the header, so it
// covers the whole file.
func headCRC(head []byte) uint32 {
	return crc32.Update(crc32.ChecksumIEEE(head[:12]), crc32.IEEETable, head[16:])
}

// padding is the number of zero bytes after array a, to the next 64-byte
// boundary.
func padding(a Array, d Data) int64 {
	end := a.Off + int64(len(d.Bytes))
	return alignUp(end) - end
}

func alignUp(n int64) int64 { return (n + align - 1) &^ (align - 1) }

// Parse checks the framing of the pack file b (the whole file) and the
// checksum of its prefix and header, and decodes the header. It checks
// every array against the data (known type, offset a multiple of 64, inside
// the file, in order without overlap) and the table of the data's
// checksums against its length. It does not verify the data (see
// File.VerifyRange).
func Parse(b []byte) (*Header, []byte, error) {
	if len(b) < prefixLen || !bytes.Equal(b[:8], magic[:]) {
		return nil, nil, fmt.Errorf("%w: no pack file magic", ErrFormat)
	}
	le := binary.LittleEndian
	if v := le.Uint32(b[8:]); v != Version {
		return nil, nil, fmt.Errorf("%w: version %d, this program reads %d", ErrVersion, v, Version)
	}
	hlen, dataOff, size := uint64(le.Uint32(b[16:])), le.Uint64(b[24:]), le.Uint64(b[32:])
	switch {
	case size != uint64(len(b)):
		return nil, nil, fmt.Errorf("%w: the file has %d bytes, its prefix says %d (truncated?)", ErrFormat, len(b), size)
	case hlen > MaxHeader:
		return nil, nil, fmt.Errorf("%w: header of %d bytes, more than %d", ErrFormat, hlen, MaxHeader)
	case dataOff%align != 0 || dataOff < prefixLen+hlen || dataOff > size:
		return nil, nil, fmt.Errorf("%w: data offset %d for a header of %d bytes in %d", ErrFormat, dataOff, hlen, size)
	}
	if got, want := headCRC(b[:dataOff]), le.Uint32(b[12:]); got != want {
		return nil, nil, fmt.Errorf("%w: CRC-32 %08x of the header, the file says %08x", ErrChecksum, got, want)
	}
	h := new(Header)
	if err := json.Unmarshal(b[prefixLen:prefixLen+hlen], h); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %w", ErrFormat, err)
	}
	data := b[dataOff:]
	if c := h.Chunk; c < 64 || c > 1<<30 || c&(c-1) != 0 || int64(len(h.CRCs)) != (int64(len(data))+c-1)/c {
		return nil, nil, fmt.Errorf("%w: %d checksums of %d-byte chunks for %d bytes of data", ErrFormat, len(h.CRCs), c, len(data))
	}
	end := int64(0)
	for _, a := range h.Arrays {
		n := elemSize(a.Type)
		switch {
		case n == 0:
			return nil, nil, fmt.Errorf("%w: array %q of type %q", ErrFormat, a.Name, a.Type)
		case a.Off%align != 0 || a.Off < end || a.Len < 0:
			return nil, nil, fmt.Errorf("%w: array %q at offset %d, length %d (after %d)", ErrFormat, a.Name, a.Off, a.Len, end)
		case a.Off > int64(len(data)) || a.Len > (int64(len(data))-a.Off)/n:
			return nil, nil, fmt.Errorf("%w: array %q (%d bytes at %d) beyond the %d bytes of data", ErrFormat, a.Name, a.Len*n, a.Off, len(data))
		}
		end = a.Off + a.Len*n
	}
	return h, data, nil
}

// verifyChunk checks chunk i of data against its checksum want.
func verifyChunk(data []byte, h *Header, i int, want uint32) error {
	lo := int64(i) * h.Chunk
	if got := crc32.ChecksumIEEE(data[lo:min(lo+h.Chunk, int64(len(data)))]); got != want {
		return fmt.Errorf("%w: CRC-32 %08x of the data at %d, the file says %08x", ErrChecksum, got, lo, want)
	}
	return nil
}
