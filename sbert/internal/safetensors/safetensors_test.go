package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

// file builds a safetensors file from a JSON header and a data section.
func file(header string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func open(b []byte) (*File, error) { return NewFile(bytes.NewReader(b), int64(len(b))) }

func TestNewFile(t *testing.T) {
	data := make([]byte, 4*6+2*2)
	for i := range 6 {
		binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(float32(i)+0.5))
	}
	binary.LittleEndian.PutUint16(data[24:], 0x3C00) // F16 1.0
	binary.LittleEndian.PutUint16(data[26:], 0xC000) // F16 -2.0
	b := file(`{"__metadata__":{"format":"pt"},"b":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},`+
		`"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}  `, data)
	f, err := open(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("Names() = %v, want [a b]", got)
	}
	if f.Metadata["format"] != "pt" {
		t.Errorf("Metadata = %v", f.Metadata)
	}
	a := make([]float32, 6)
	if err := f.ReadFloat32("a", a); err != nil {
		t.Fatal(err)
	}
	for i, v := range a {
		if v != float32(i)+0.5 {
			t.Fatalf("a[%d] = %g, want %g", i, v, float32(i)+0.5)
		}
	}
	h := make([]float32, 2)
	if err := f.ReadFloat32("b", h); err != nil || h[0] != 1 || h[1] != -2 {
		t.Errorf("b = %v, %v; want [1 -2]", h, err)
	}
	if err := f.ReadFloat32("a", h); err == nil {
		t.Error("ReadFloat32 with a wrong length succeeded")
	}
}

func TestCorrupt(t *testing.T) {
	data := make([]byte, 24)
	ok := `{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}`
	for _, tc := range []struct {
		name, header string
		data         []byte
		want         string
	}{
		{"not an object", `[1]`, data, "does not start"},
		{"bad json", `{"a":{"dtype":"F32",`, data, "header"},
		{"trailing", ok + `x`, data, "trailing"},
		{"unknown field", `{"a":{"dtype":"F32","shape":[6],"data_offsets":[0,24],"x":1}}`, data, "unknown field"},
		{"unknown dtype", `{"a":{"dtype":"F31","shape":[6],"data_offsets":[0,24]}}`, data, "unknown dtype"},
		{"size mismatch", `{"a":{"dtype":"F32","shape":[5],"data_offsets":[0,24]}}`, data, "needs 20 bytes"},
		{"negative dim", `{"a":{"dtype":"F32","shape":[-6],"data_offsets":[0,24]}}`, data, "negative"},
		{"float dim", `{"a":{"dtype":"F32","shape":[6.5],"data_offsets":[0,24]}}`, data, "header"},
		{"huge shape", `{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,24]}}`, data, "too large"},
		{"rank 65", `{"a":{"dtype":"F32","shape":[` + strings.Repeat("1,", 64) + `6],"data_offsets":[0,24]}}`, data, "at most 64"},
		{"missing shape", `{"a":{"dtype":"F32","data_offsets":[0,24]}}`, data, "missing shape"},
		{"three offsets", `{"a":{"dtype":"F32","shape":[6],"data_offsets":[0,12,24]}}`, data, "2 values"},
		{"reversed offsets", `{"a":{"dtype":"F32","shape":[0],"data_offsets":[24,0]}}`, data, "invalid"},
		{"gap", `{"a":{"dtype":"F32","shape":[5],"data_offsets":[4,24]}}`, data, "do not follow"},
		{"overlap", `{"a":{"dtype":"F32","shape":[6],"data_offsets":[0,24]},"b":{"dtype":"F32","shape":[1],"data_offsets":[20,24]}}`, data, "do not follow"},
		{"short data", ok, data[:20], "cover 24 bytes but the data section has 20"},
		{"long data", ok, append(data, 0), "cover 24 bytes but the data section has 25"},
		{"duplicate", `{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"F32","shape":[6],"data_offsets":[0,24]}}`, data, "duplicate"},
		{"metadata not strings", `{"__metadata__":{"a":1},"a":{"dtype":"F32","shape":[6],"data_offsets":[0,24]}}`, data, "__metadata__"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := open(file(tc.header, tc.data))
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrCorrupt mentioning %q", err, tc.want)
			}
		})
	}
	for _, b := range [][]byte{nil, {1, 2, 3}, file(ok, data)[:7]} {
		if _, err := open(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("open(%d bytes) = %v, want ErrCorrupt", len(b), err)
		}
	}
	huge := file(ok, data)
	binary.LittleEndian.PutUint64(huge, 1<<40)
	if _, err := open(huge); !errors.Is(err, ErrCorrupt) {
		t.Errorf("huge header length: %v, want ErrCorrupt", err)
	}
	i64 := file(`{"a":{"dtype":"I64","shape":[3],"data_offsets":[0,24]}}`, data)
	f, err := open(i64)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.ReadFloat32("a", make([]float32, 3)); !errors.Is(err, ErrDType) {
		t.Errorf("ReadFloat32(I64) = %v, want ErrDType", err)
	}
}

// TestHeaderAmplification checks that a header of a million dimensions,
// 2 MB, is refused without allocating them: 60 MB before, now the JSON
// decoder's buffer (about 5 times the header).
func TestHeaderAmplification(t *testing.T) {
	h := `{"a":{"dtype":"F32","shape":[` + strings.Repeat("1,", 1<<20) + `6],"data_offsets":[0,24]}}`
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ParseHeader([]byte(h), 24)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("error %v, want ErrCorrupt", err)
	}
	if limit := 6 * uint64(len(h)); alloc > limit {
		t.Errorf("ParseHeader allocated %d bytes for a %d-byte header, want at most %d", alloc, len(h), limit)
	}
}

func TestF16ToFloat32(t *testing.T) {
	// Encodings from IEEE 754 binary16.
	for _, tc := range []struct {
		h    uint16
		want float32
	}{
		{0x0000, 0}, {0x3C00, 1}, {0xC000, -2}, {0x3555, 0.333251953125}, {0x7BFF, 65504},
		{0x0400, 1.0 / (1 << 14)}, {0x0001, 1.0 / (1 << 24)}, {0x03FF, 1023.0 / (1 << 24)}, {0x8001, -1.0 / (1 << 24)},
		{0x7C00, float32(math.Inf(1))}, {0xFC00, float32(math.Inf(-1))},
	} {
		if got := F16ToFloat32(tc.h); got != tc.want {
			t.Errorf("F16ToFloat32(%#04x) = %g, want %g", tc.h, got, tc.want)
		}
	}
	if got := F16ToFloat32(0x8000); got != 0 || !math.Signbit(float64(got)) {
		t.Errorf("F16ToFloat32(0x8000) = %g, want -0", got)
	}
	if got := F16ToFloat32(0x7E00); !math.IsNaN(float64(got)) {
		t.Errorf("F16ToFloat32(0x7E00) = %g, want NaN", got)
	}
	var b [2]byte
	dst := make([]float32, 1)
	binary.LittleEndian.PutUint16(b[:], 0xC040) // BF16 -3.0
	DecodeFloat32("BF16", b[:], dst)
	if dst[0] != -3 {
		t.Errorf("BF16 0xC040 = %g, want -3", dst[0])
	}
}

// FuzzParseHeader checks that the parser never panics and that every header
// it accepts describes tensors that tile the data section. The seeds are
// short, and inputs cut at 256 bytes: the fuzzer minimizes every new input it
// keeps with a number of runs that grows with the square of its length
// (with the 4 KB header of testdata/tiny-max as a seed it ran 7,691 inputs
// in 20 s, most of its time spent minimizing).
func FuzzParseHeader(f *testing.F) {
	f.Add([]byte(`{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}`), int64(24))
	f.Add([]byte(`{"__metadata__":{"format":"pt"},"b":{"dtype":"BF16","shape":[],"data_offsets":[0,2]}}`), int64(2))
	f.Add([]byte(`{"x":{"dtype":"F16","shape":[1],"data_offsets":[2,4]},"y":{"dtype":"I8","shape":[2,1],"data_offsets":[0,2]}}  `), int64(4))
	f.Fuzz(func(t *testing.T, hdr []byte, size int64) {
		if len(hdr) > 256 {
			return
		}
		sf, err := ParseHeader(hdr, size)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		var end int64
		for _, name := range sf.Names() {
			tn := sf.Tensor(name)
			if tn.Begin != end || tn.End-tn.Begin != int64(tn.NumElements()*dtypeSizes[tn.DType]) {
				t.Fatalf("accepted %s at [%d, %d) after %d", tn, tn.Begin, tn.End, end)
			}
			end = tn.End
		}
		if end != size {
			t.Fatalf("accepted tensors covering %d of %d bytes", end, size)
		}
	})
}
