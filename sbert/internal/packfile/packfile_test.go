package packfile

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unsafe"
)

// sample returns a small pack file with one array of each type.
func sample(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	h := Header{GOARCH: "amd64", Layout: []byte(`{"kernel":"go"}`), Model: []byte(`{}`)}
	err := Write(&b, h, []Data{
		Float32s("f", []float32{1, 2, 3}),
		Int8s("b", []int8{-1, 0, 1, 2, 3}),
		Int32s("i", []int32{-7}),
		Float32s("empty", nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.pack")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRoundTrip(t *testing.T) {
	f, err := Open(writeTemp(t, sample(t)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Verify(); err != nil {
		t.Fatal(err)
	}
	if f.Header.GOARCH != "amd64" || f.Header.Endian != NativeEndian || string(f.Header.Layout) != `{"kernel":"go"}` {
		t.Errorf("header %+v", f.Header)
	}
	fs, err := f.Float32s("f", 3)
	if err != nil || !slices.Equal(fs, []float32{1, 2, 3}) {
		t.Errorf("Float32s(f) = %v, %v", fs, err)
	}
	bs, err := f.Int8s("b", 5)
	if err != nil || !slices.Equal(bs, []int8{-1, 0, 1, 2, 3}) {
		t.Errorf("Int8s(b) = %v, %v", bs, err)
	}
	is, err := f.Int32s("i", 1)
	if err != nil || !slices.Equal(is, []int32{-7}) {
		t.Errorf("Int32s(i) = %v, %v", is, err)
	}
	if e, err := f.Float32s("empty", 0); err != nil || len(e) != 0 {
		t.Errorf("Float32s(empty) = %v, %v", e, err)
	}
	for name, get := range map[string]func() error{
		"wrong length": func() error { _, err := f.Float32s("f", 4); return err },
		"wrong type":   func() error { _, err := f.Int32s("f", 3); return err },
		"no such":      func() error { _, err := f.Int8s("nope", 1); return err },
	} {
		if err := get(); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", name, err)
		}
	}
	for _, a := range f.Header.Arrays {
		if a.Off%align != 0 {
			t.Errorf("array %s at offset %d", a.Name, a.Off)
		}
	}
}

// TestDamage checks that every kind of damage is caught by Open or Verify
// with its error.
func TestDamage(t *testing.T) {
	good := sample(t)
	dataOff := int(binary.LittleEndian.Uint64(good[24:]))
	edit := func(f func(b []byte) []byte) []byte { return f(slices.Clone(good)) }
	for _, c := range []struct {
		name   string
		b      []byte
		max    int64
		open   error // from Open
		verify error // from Verify, when Open succeeds
	}{
		{"truncated", good[:len(good)-1], 1 << 20, ErrFormat, nil},
		{"prefix only", good[:prefixLen], 1 << 20, ErrFormat, nil},
		{"short", good[:7], 1 << 20, ErrFormat, nil},
		{"appended", append(slices.Clone(good), 0), 1 << 20, ErrFormat, nil},
		{"magic", edit(func(b []byte) []byte { b[1] = 'X'; return b }), 1 << 20, ErrFormat, nil},
		{"version", edit(func(b []byte) []byte { b[8]++; return b }), 1 << 20, ErrVersion, nil},
		{"data byte", edit(func(b []byte) []byte { b[dataOff] ^= 1; return b }), 1 << 20, nil, ErrChecksum},
		{"last byte", edit(func(b []byte) []byte { b[len(b)-1] ^= 0x80; return b }), 1 << 20, nil, ErrChecksum},
		{"checksum", edit(func(b []byte) []byte { b[12] ^= 1; return b }), 1 << 20, ErrChecksum, nil},
		{"header byte", edit(func(b []byte) []byte { b[prefixLen+2] ^= 1; return b }), 1 << 20, ErrChecksum, nil},
		{"chunk table", edit(func(b []byte) []byte {
			i := bytes.Index(b, []byte(`"crcs":[`)) + len(`"crcs":[`)
			b[i] = '1' + (b[i]-'0'+1)%9 // another checksum, the header's own left as it was
			return b
		}), 1 << 20, ErrChecksum, nil},
		{"header length", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[16:], 1<<30); return b }), 1 << 20, ErrFormat, nil},
		{"data offset", edit(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[24:], 65); return b }), 1 << 20, ErrFormat, nil},
		{"too large", good, int64(len(good) - 1), ErrTooLarge, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Open(writeTemp(t, c.b), c.max)
			if c.open != nil {
				if !errors.Is(err, c.open) {
					t.Fatalf("Open: %v, want %v", err, c.open)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if err := f.Verify(); !errors.Is(err, c.verify) {
				t.Fatalf("Verify: %v, want %v", err, c.verify)
			}
		})
	}
}

// TestArrayBounds checks Parse's checks of the array table on headers
// rewritten by hand.
func TestArrayBounds(t *testing.T) {
	for _, c := range []struct {
		name   string
		arrays string
	}{
		{"beyond", `[{"name":"a","type":"f32","off":0,"len":100}]`},
		{"overflow", `[{"name":"a","type":"f32","off":0,"len":4611686018427387904}]`},
		{"unaligned", `[{"name":"a","type":"i8","off":1,"len":1}]`},
		{"negative", `[{"name":"a","type":"i8","off":0,"len":-1}]`},
		{"overlap", `[{"name":"a","type":"i8","off":64,"len":1},{"name":"b","type":"i8","off":0,"len":1}]`},
		{"type", `[{"name":"a","type":"f64","off":0,"len":1}]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := frame([]byte(`{"arrays":`+c.arrays+`}`), make([]byte, 128))
			if _, _, err := Parse(b); !errors.Is(err, ErrFormat) {
				t.Fatalf("Parse: %v, want ErrFormat", err)
			}
		})
	}
	if _, _, err := Parse(frame([]byte(`{"arrays":[{"name":"a","type":"i8","off":64,"len":64}]}`), make([]byte, 128))); err != nil {
		t.Fatalf("Parse of a valid table: %v", err)
	}
}

// frame returns a pack file of the header hdr, to which it adds the data's
// checksums, and the data.
func frame(hdr, data []byte) []byte {
	crcs, _ := json.Marshal(chunkCRCs([][]byte{data}, 64))
	hdr = append(hdr[:len(hdr)-1:len(hdr)-1], []byte(`,"chunk":64,"crcs":`+string(crcs)+`}`)...)
	dataOff := alignUp(prefixLen + int64(len(hdr)))
	b := make([]byte, dataOff, dataOff+int64(len(data)))
	copy(b, magic[:])
	binary.LittleEndian.PutUint32(b[8:], Version)
	binary.LittleEndian.PutUint32(b[16:], uint32(len(hdr)))
	binary.LittleEndian.PutUint64(b[24:], uint64(dataOff))
	binary.LittleEndian.PutUint64(b[32:], uint64(dataOff)+uint64(len(data)))
	copy(b[prefixLen:], hdr)
	binary.LittleEndian.PutUint32(b[12:], headCRC(b))
	return append(b, data...)
}

// FuzzParse checks that Parse never panics and that what it accepts lies
// inside the file and has a checksum for every chunk of its data.
func FuzzParse(f *testing.F) {
	f.Add(sample(f))
	f.Add([]byte("\x89JMPACK\n"))
	f.Add(frame([]byte(`{"arrays":[{"name":"a","type":"i8","off":0,"len":3}]}`), make([]byte, 64)))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Most inputs would stop at the header's checksum: set it, so
		// that the header and array checks behind it are explored.
		if len(b) >= prefixLen {
			b = slices.Clone(b)
			if off := binary.LittleEndian.Uint64(b[24:]); off >= prefixLen && off <= uint64(len(b)) {
				binary.LittleEndian.PutUint32(b[12:], headCRC(b[:off]))
			}
		}
		h, data, err := Parse(b)
		if err != nil {
			return
		}
		for _, a := range h.Arrays {
			if end := a.Off + a.Len*elemSize(a.Type); a.Off < 0 || end > int64(len(data)) {
				t.Fatalf("array %+v beyond %d bytes of data", a, len(data))
			}
		}
		if int64(len(h.CRCs))*h.Chunk < int64(len(data)) {
			t.Fatalf("%d checksums of %d bytes for %d bytes of data", len(h.CRCs), h.Chunk, len(data))
		}
		for i, want := range h.CRCs {
			if err := verifyChunk(data, h, i, want); err != nil && !errors.Is(err, ErrChecksum) {
				t.Fatalf("chunk %d: %v", i, err)
			}
		}
	})
}

// TestVerifyRange checks that VerifyRange reads the chunks a range lies
// in, and only those: damage in one array is found by its range and by
// Verify, not by the range of another array in other chunks, and stays
// found.
func TestVerifyRange(t *testing.T) {
	var b bytes.Buffer
	big := make([]int8, 3*ChunkSize)
	err := Write(&b, Header{Layout: []byte(`{}`), Model: []byte(`{}`)}, []Data{Int8s("a", big), Float32s("b", []float32{1, 2})})
	if err != nil {
		t.Fatal(err)
	}
	good := b.Bytes()
	dataOff := int(binary.LittleEndian.Uint64(good[24:]))
	bad := slices.Clone(good)
	bad[dataOff+ChunkSize+5] ^= 4 // the second chunk of a
	for _, c := range []struct {
		name    string
		file    []byte
		lo, hi  int // of a
		wantErr bool
	}{
		{"good", good, 0, len(big), false},
		{"before", bad, 0, ChunkSize, false},
		{"after", bad, 2 * ChunkSize, len(big), false},
		{"one byte", bad, ChunkSize + 5, ChunkSize + 6, true},
		{"across", bad, ChunkSize - 1, ChunkSize + 1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Open(writeTemp(t, c.file), 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := f.Int8s("a", len(big))
			fb, _ := f.Float32s("b", 2)
			bytesOf := func(v []int8) []byte { return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v)) }
			for range 2 { // the second time from what the first found
				err := f.VerifyRange(bytesOf(a[c.lo:c.hi]))
				if (err != nil) != c.wantErr || err != nil && !errors.Is(err, ErrChecksum) {
					t.Fatalf("VerifyRange(a[%d:%d]) = %v, want an error %v", c.lo, c.hi, err, c.wantErr)
				}
			}
			if err := f.VerifyRange(unsafe.Slice((*byte)(unsafe.Pointer(&fb[0])), 8)); err != nil {
				t.Errorf("VerifyRange(b) = %v", err)
			}
			if err := f.Verify(); (err != nil) != (&c.file[0] == &bad[0]) {
				t.Errorf("Verify = %v", err)
			}
			if err := f.VerifyRange(make([]byte, 1)); err == nil {
				t.Error("VerifyRange of bytes outside the file: no error")
			}
		})
	}
}
