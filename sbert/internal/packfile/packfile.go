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
const Version = 1

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

// Write writes the pack file of h and arrays to w. It sets h.Arrays and
// h.Endian; arrays are written in order, each on a 64-byte boundary.
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

	// The checksum comes first in the file but covers the data: compute
	// it, then write.
	crc := crc32.Update(crc32.ChecksumIEEE(head[:12]), crc32.IEEETable, head[16:])
	var pad [align]byte
	for i, a := range arrays {
		crc = crc32.Update(crc, crc32.IEEETable, a.Bytes)
		crc = crc32.Update(crc, crc32.IEEETable, pad[:padding(h.Arrays[i], a)])
	}
	le.PutUint32(head[12:], crc)
	if _, err := w.Write(head); err != nil {
		return fmt.Errorf("packfile: write: %w", err)
	}
	for i, a := range arrays {
		if _, err := w.Write(a.Bytes); err != nil {
			return fmt.Errorf("packfile: write: %w", err)
		}
		if _, err := w.Write(pad[:padding(h.Arrays[i], a)]); err != nil {
			return fmt.Errorf("packfile: write: %w", err)
		}
	}
	return nil
}

// padding is the number of zero bytes after array a, to the next 64-byte
// boundary.
func padding(a Array, d Data) int64 {
	end := a.Off + int64(len(d.Bytes))
	return alignUp(end) - end
}

func alignUp(n int64) int64 { return (n + align - 1) &^ (align - 1) }

// Parse checks the framing of the pack file b (the whole file) and decodes
// its header. It checks every array against the data: known type, offset a
// multiple of 64, inside the file, in order without overlap. It does not
// verify the checksum (see Verify).
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
	h := new(Header)
	if err := json.Unmarshal(b[prefixLen:prefixLen+hlen], h); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %w", ErrFormat, err)
	}
	data := b[dataOff:]
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

// Verify checks the checksum of the pack file b, which Parse accepted.
func Verify(b []byte) error {
	want := binary.LittleEndian.Uint32(b[12:])
	got := crc32.Update(crc32.ChecksumIEEE(b[:12]), crc32.IEEETable, b[16:])
	if got != want {
		return fmt.Errorf("%w: CRC-32 %08x, the file says %08x", ErrChecksum, got, want)
	}
	return nil
}
