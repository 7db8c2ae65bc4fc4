// Package safetensors reads tensors from files in the safetensors format
// (https://github.com/huggingface/safetensors) with the checks of the
// reference implementation: the header must be a JSON object of tensor
// entries whose byte ranges are in bounds, match dtype×shape, do not overlap
// and cover the data section exactly.
//
// A file is an 8-byte little-endian header length N, N bytes of JSON, then
// the data section:
//
//	{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
//	 "__metadata__": {"format": "pt"}}
package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
)

// ErrCorrupt reports a file that does not follow the format.
var ErrCorrupt = errors.New("corrupt safetensors file")

// ErrDType reports a tensor whose dtype cannot be converted to float32.
var ErrDType = errors.New("unsupported dtype")

// MaxHeaderSize bounds the JSON header, as the reference implementation does.
const MaxHeaderSize = 100 << 20

// Tensor describes one tensor of a file.
type Tensor struct {
	Name  string
	DType string // "F32", "F16", "BF16", "I64", ...
	Shape []int
	Begin int64 // byte offsets relative to the data section
	End   int64
}

// NumElements returns the product of the shape (1 for a scalar).
func (t *Tensor) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// File is an open safetensors file. Its methods are safe for concurrent use.
type File struct {
	r        io.ReaderAt
	closer   io.Closer
	dataOff  int64 // file offset of the data section
	tensors  map[string]*Tensor
	names    []string // sorted by Begin
	Metadata map[string]string
}

var dtypeSizes = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// Open parses the header of the regular file at path and checks it against
// the file size. The caller must Close the returned file.
func Open(path string) (*File, error) {
	f, size, err := modelfile.Open(path)
	if err != nil {
		return nil, err
	}
	sf, err := NewFile(f, size)
	if err != nil {
		f.Close()
		return nil, err
	}
	sf.closer = f
	return sf, nil
}

// Close closes the file opened by [Open]; it does nothing for a File made by
// [NewFile].
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// NewFile parses the header of a safetensors file of the given size read
// through r.
func NewFile(r io.ReaderAt, size int64) (*File, error) {
	var lenBuf [8]byte
	if size < 8 {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the 8-byte header length", ErrCorrupt, size)
	}
	if _, err := r.ReadAt(lenBuf[:], 0); err != nil {
		return nil, fmt.Errorf("%w: reading header length: %v", ErrCorrupt, err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > MaxHeaderSize {
		return nil, fmt.Errorf("%w: header length %d exceeds %d", ErrCorrupt, n, MaxHeaderSize)
	}
	if int64(n) > size-8 {
		return nil, fmt.Errorf("%w: header length %d exceeds file size %d", ErrCorrupt, n, size)
	}
	hdr := make([]byte, n)
	if _, err := r.ReadAt(hdr, 8); err != nil {
		return nil, fmt.Errorf("%w: reading header: %v", ErrCorrupt, err)
	}
	f, err := ParseHeader(hdr, size-8-int64(n))
	if err != nil {
		return nil, err
	}
	f.r = r
	f.dataOff = 8 + int64(n)
	return f, nil
}

// ParseHeader parses the JSON header hdr of a file whose data section is
// dataSize bytes long. The returned File has no reader: use it to inspect
// tensors only.
func ParseHeader(hdr []byte, dataSize int64) (*File, error) {
	if len(hdr) == 0 || hdr[0] != '{' {
		return nil, fmt.Errorf("%w: header does not start with '{'", ErrCorrupt)
	}
	dec := json.NewDecoder(bytes.NewReader(hdr))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	f := &File{tensors: make(map[string]*Tensor)}
	if _, err := dec.Token(); err != nil { // '{'
		return nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
		}
		name := tok.(string) // object keys are always strings
		if _, dup := f.tensors[name]; dup || (name == "__metadata__" && f.Metadata != nil) {
			return nil, fmt.Errorf("%w: header: duplicate key %q", ErrCorrupt, name)
		}
		if name == "__metadata__" {
			if err := dec.Decode(&f.Metadata); err != nil {
				return nil, fmt.Errorf("%w: header: __metadata__: %v", ErrCorrupt, err)
			}
			if f.Metadata == nil {
				f.Metadata = map[string]string{}
			}
			continue
		}
		var e struct {
			DType       string `json:"dtype"`
			Shape       ints   `json:"shape"`
			DataOffsets ints   `json:"data_offsets"`
		}
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("%w: header: tensor %q: %v", ErrCorrupt, name, err)
		}
		t, err := checkEntry(name, e.DType, e.Shape, e.DataOffsets)
		if err != nil {
			return nil, err
		}
		f.tensors[name] = t
		f.names = append(f.names, name)
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	// The reference writer pads the header with spaces; nothing else may follow.
	if rest := hdr[dec.InputOffset():]; len(bytes.Trim(rest, " ")) != 0 {
		return nil, fmt.Errorf("%w: header: trailing data after JSON object", ErrCorrupt)
	}
	slices.SortFunc(f.names, func(a, b string) int {
		ta, tb := f.tensors[a], f.tensors[b]
		if ta.Begin != tb.Begin {
			return cmpInt64(ta.Begin, tb.Begin)
		}
		return cmpInt64(ta.End, tb.End)
	})
	var end int64
	for _, name := range f.names {
		t := f.tensors[name]
		if t.Begin != end {
			return nil, fmt.Errorf("%w: tensor %q: data_offsets [%d, %d] do not follow the previous tensor ending at %d", ErrCorrupt, name, t.Begin, t.End, end)
		}
		end = t.End
	}
	if end != dataSize {
		return nil, fmt.Errorf("%w: tensors cover %d bytes but the data section has %d", ErrCorrupt, end, dataSize)
	}
	return f, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// maxRank bounds the dimensions of a tensor (PyTorch allows 64) and the
// values of an array of the header.
const maxRank = 64

// ints is an array of the header of at most maxRank integers, checked
// before they are allocated: 2 bytes of JSON ("1,") would otherwise cost
// 8 bytes, then 16 once copied to a shape.
type ints []int64

func (v *ints) UnmarshalJSON(b []byte) error {
	if n := bytes.Count(b, []byte(",")); n >= maxRank {
		return fmt.Errorf("array of %d values or more (at most %d)", n+1, maxRank)
	}
	return json.Unmarshal(b, (*[]int64)(v))
}

func checkEntry(name, dtype string, shape, offsets ints) (*Tensor, error) {
	size, ok := dtypeSizes[dtype]
	if !ok {
		return nil, fmt.Errorf("%w: tensor %q: unknown dtype %q", ErrCorrupt, name, dtype)
	}
	if shape == nil {
		return nil, fmt.Errorf("%w: tensor %q: missing shape", ErrCorrupt, name)
	}
	if len(offsets) != 2 {
		return nil, fmt.Errorf("%w: tensor %q: data_offsets must have 2 values, got %d", ErrCorrupt, name, len(offsets))
	}
	t := &Tensor{Name: name, DType: dtype, Shape: make([]int, len(shape)), Begin: offsets[0], End: offsets[1]}
	n := int64(1)
	for i, d := range shape {
		if d < 0 {
			return nil, fmt.Errorf("%w: tensor %q: negative dimension %d", ErrCorrupt, name, d)
		}
		if d != 0 && n > math.MaxInt32*int64(1024)/d { // keeps n*size far below overflow
			return nil, fmt.Errorf("%w: tensor %q: shape %v too large", ErrCorrupt, name, shape)
		}
		n *= d
		t.Shape[i] = int(d)
	}
	if t.Begin < 0 || t.End < t.Begin {
		return nil, fmt.Errorf("%w: tensor %q: invalid data_offsets [%d, %d]", ErrCorrupt, name, t.Begin, t.End)
	}
	if t.End-t.Begin != n*int64(size) {
		return nil, fmt.Errorf("%w: tensor %q: %s%v needs %d bytes, data_offsets [%d, %d] span %d", ErrCorrupt, name, dtype, shape, n*int64(size), t.Begin, t.End, t.End-t.Begin)
	}
	return t, nil
}

// Tensor returns the description of the named tensor, or nil.
func (f *File) Tensor(name string) *Tensor { return f.tensors[name] }

// Names returns the tensor names in file order.
func (f *File) Names() []string { return slices.Clone(f.names) }

// ReadFloat32 reads the named tensor into dst, converting F16 and BF16 to
// float32. dst must have exactly as many elements as the tensor.
func (f *File) ReadFloat32(name string, dst []float32) error {
	t := f.tensors[name]
	if t == nil {
		return fmt.Errorf("tensor %q not found", name)
	}
	if n := t.NumElements(); n != len(dst) {
		return fmt.Errorf("tensor %q: %d elements, want %d", name, n, len(dst))
	}
	if err := ReadFloat32At(f.r, f.dataOff+t.Begin, t.DType, dst); err != nil {
		if errors.Is(err, ErrDType) {
			return fmt.Errorf("tensor %q: %w", name, err)
		}
		return fmt.Errorf("%w: tensor %q: %v", ErrCorrupt, name, err)
	}
	return nil
}

// ReadFloat32At reads len(dst) values of dtype at offset off of r into
// dst, converting F16 and BF16 to float32. It reads in chunks of 1 MiB, so
// that a large tensor needs little memory beyond dst.
func ReadFloat32At(r io.ReaderAt, off int64, dtype string, dst []float32) error {
	size := ElemSize(dtype)
	if size == 0 {
		return fmt.Errorf("%w %s (want F32, F16 or BF16)", ErrDType, dtype)
	}
	const chunk = 1 << 20
	buf := make([]byte, min(chunk, len(dst)*size))
	for done := 0; done < len(dst); {
		n := min(len(buf)/size, len(dst)-done)
		b := buf[:n*size]
		if _, err := r.ReadAt(b, off); err != nil {
			return err
		}
		DecodeFloat32(dtype, b, dst[done:done+n])
		done += n
		off += int64(len(b))
	}
	return nil
}

// Span returns the byte range of the named tensor in the file, [off,
// off+n), or n = -1 for a missing tensor.
func (f *File) Span(name string) (off, n int64) {
	t := f.tensors[name]
	if t == nil {
		return 0, -1
	}
	return f.dataOff + t.Begin, t.End - t.Begin
}

// Info returns the dtype and shape of the named tensor.
func (f *File) Info(name string) (dtype string, shape []int, ok bool) {
	t := f.tensors[name]
	if t == nil {
		return "", nil, false
	}
	return t.DType, t.Shape, true
}

// ElemSize returns the size in bytes of the float dtypes that
// [DecodeFloat32] converts ("F32", "F16", "BF16"), or 0 for other dtypes.
func ElemSize(dtype string) int {
	switch dtype {
	case "F32":
		return 4
	case "F16", "BF16":
		return 2
	}
	return 0
}

// DecodeFloat32 converts little-endian values of dtype in src to dst, which
// must hold len(src)/ElemSize(dtype) values.
func DecodeFloat32(dtype string, src []byte, dst []float32) {
	switch dtype {
	case "F32":
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
		}
	case "F16":
		for i := range dst {
			dst[i] = F16ToFloat32(binary.LittleEndian.Uint16(src[2*i:]))
		}
	case "BF16":
		for i := range dst {
			dst[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(src[2*i:])) << 16)
		}
	}
}

// F16ToFloat32 converts an IEEE 754 half-precision value to float32 exactly.
func F16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf, NaN
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
	case mant == 0:
		return math.Float32frombits(sign)
	}
	// Subnormal half: exact as a normal float32.
	v := float32(mant) * (1.0 / (1 << 24))
	if sign != 0 {
		v = -v
	}
	return v
}

// String describes t as name dtype[shape].
func (t *Tensor) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s%v", t.Name, t.DType, t.Shape)
	return b.String()
}
