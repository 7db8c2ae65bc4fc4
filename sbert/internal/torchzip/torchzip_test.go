package torchzip

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/internal/torchzip/torchziptest"
)

// small is written by sbert/testdata/gen_golden.py with torch.save.
const small = "../../testdata/torch-small.bin"

func TestOpen(t *testing.T) {
	f, err := Open(small, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct {
		name  string
		dtype string
		shape []int
		want  []float32
	}{
		{"f32", "F32", []int{2, 3}, []float32{0, 1, 2, 3, 4, 5}},
		{"f16", "F16", []int{3}, []float32{1, -2, 0.5}},
		{"bf16", "BF16", []int{2}, []float32{3, -0.25}},
		{"row0", "F32", []int{3}, []float32{0, 1, 2}},
		{"row1", "F32", []int{3}, []float32{3, 4, 5}},
	} {
		dtype, shape, ok := f.Info(tc.name)
		if !ok || dtype != tc.dtype || !slices.Equal(shape, tc.shape) {
			t.Errorf("Info(%q) = %s %v %v, want %s %v true", tc.name, dtype, shape, ok, tc.dtype, tc.shape)
			continue
		}
		got := make([]float32, len(tc.want))
		if err := f.ReadFloat32(tc.name, got); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ReadFloat32(%q) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if err := f.ReadFloat32("f32", make([]float32, 5)); err == nil {
		t.Error("ReadFloat32 into a short slice succeeded")
	}
	if err := f.ReadFloat32("i64", make([]float32, 3)); !errors.Is(err, ErrDType) {
		t.Errorf("ReadFloat32(i64) = %v, want ErrDType", err)
	}
	if _, _, ok := f.Info("nope"); ok {
		t.Error("Info of a missing tensor reports ok")
	}
}

// rezip copies the archive at path, letting edit change each record's
// name and contents (nil contents drop the record).
func rezip(t *testing.T, path string, edit func(name string, b []byte) (string, []byte)) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, r := range zr.File {
		rc, err := r.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		name, data := edit(r.Name, b.Bytes())
		if data == nil {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestCorrupt(t *testing.T) {
	data, err := os.ReadFile(small)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"truncated", data[:len(data)/2]},
		{"empty", nil},
		{"no data.pkl", rezip(t, small, func(n string, b []byte) (string, []byte) {
			if filepath.Base(n) == "data.pkl" {
				return n, nil
			}
			return n, b
		})},
		{"missing storage", rezip(t, small, func(n string, b []byte) (string, []byte) {
			if filepath.Base(n) == "0" {
				return n, nil
			}
			return n, b
		})},
		{"short storage", rezip(t, small, func(n string, b []byte) (string, []byte) {
			if filepath.Base(n) == "0" {
				return n, b[:len(b)-4]
			}
			return n, b
		})},
		{"big endian", rezip(t, small, func(n string, b []byte) (string, []byte) {
			if filepath.Base(n) == "byteorder" {
				return n, []byte("big")
			}
			return n, b
		})},
		{"garbage pickle", rezip(t, small, func(n string, b []byte) (string, []byte) {
			if filepath.Base(n) == "data.pkl" {
				return n, b[:len(b)/2]
			}
			return n, b
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.bin")
			if err := os.WriteFile(path, tc.b, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path, Limits{})
			t.Log(err)
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("Open = %v, want ErrCorrupt", err)
			}
		})
	}
}

// fuzzTensors are the seed state dict of the fuzz targets: small, since the
// fuzzer minimizes every new input it keeps with a number of runs that
// grows with the square of its length.
var fuzzTensors = []torchziptest.Tensor{
	{Name: "a", Storage: "0", Numel: 6, Shape: []int64{2, 3}},
	{Name: "b", Storage: "1", Class: "HalfStorage", Numel: 2, Offset: 1, Shape: []int64{1}},
}

var fuzzData = map[string][]byte{"0": make([]byte, 24), "1": {0, 0x3c, 0, 0xc0}}

// FuzzNewFile feeds mutated archives to the reader, which must return an
// error or tensors that fit their storages, and never panic. FuzzPickle
// covers data.pkl: these seeds hold one tensor at most, and inputs are cut
// at 512 bytes, to keep the archives short.
func FuzzNewFile(f *testing.F) {
	f.Add(torchziptest.Zip("a", []torchziptest.Record{{Name: "data.pkl", Data: []byte("}.")}}))
	f.Add(torchziptest.Zip("a", []torchziptest.Record{{Name: "data.pkl", Data: torchziptest.Pickle(fuzzTensors[:1])}, {Name: "data/0", Data: fuzzData["0"]}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 512 {
			return
		}
		tf, err := openBytes(b)
		if err == nil {
			checkTensors(t, tf, int64(len(b)))
		}
	})
}

// FuzzPickle feeds mutated data.pkl records in an otherwise valid archive
// to the reader, which must return an error or tensors that fit their
// storages, and never panic. Inputs are cut at 512 bytes.
func FuzzPickle(f *testing.F) {
	f.Add(torchziptest.Pickle(fuzzTensors))
	f.Add([]byte("\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00ah\x00)R\x86b."))
	f.Add([]byte("\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94]\x94K\x01a\x8a\x01\xffu."))
	recs := []torchziptest.Record{{Name: "data.pkl"}, {Name: "data/0", Data: fuzzData["0"]}, {Name: "data/1", Data: fuzzData["1"]}}
	f.Fuzz(func(t *testing.T, p []byte) {
		if len(p) > 512 {
			return
		}
		recs[0].Data = p
		b := torchziptest.Zip("a", recs)
		tf, err := openBytes(b)
		if err == nil {
			checkTensors(t, tf, int64(len(b)))
		}
	})
}

// checkTensors checks that the tensors of tf lie in a file of size bytes
// and can be read, or fail with the errors ReadFloat32 documents.
func checkTensors(t *testing.T, tf *File, size int64) {
	for name, tn := range tf.tensors {
		off, n := tf.Span(name)
		if off < 0 || n < 0 || off > size-n {
			t.Fatalf("tensor %q at [%d, +%d) outside a %d-byte file", name, off, n, size)
		}
		if err := tf.ReadFloat32(name, make([]float32, tn.numel)); err != nil && !errors.Is(err, ErrDType) && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("ReadFloat32(%q): unexpected error %v", name, err)
		}
	}
}

func TestUnpickle(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    string
		ok   bool
	}{
		{"empty dict", "\x80\x02}q\x00.", true},
		{"frame, memoize", "\x80\x04\x95\x03\x00\x00\x00\x00\x00\x00\x00}\x94.", true},
		{"ordered dict with metadata", "\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01}X\x09\x00\x00\x00_metadatah\x00)R\x86b.", false},
		{"ordered dict with state", "\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01}X\x09\x00\x00\x00_metadatah\x00)RsbN.", false},
		{"long memo get", "\x80\x02}r\x00\x01\x00\x000j\x00\x01\x00\x00.", true},
		{"memo get", "\x80\x02}q\x070h\x07.", true},
		{"dup (not written by torch.save)", "\x80\x02}2(K\x011u.", false},
		{"pop mark", "\x80\x02}(K\x01K\x021.", true},
		{"pop past mark", "\x80\x02}(0.", false},
		{"build", "\x80\x02ccollections\nOrderedDict\n)R}X\x01\x00\x00\x00aK\x01sb.", true},
		{"no stop", "\x80\x02}", false},
		{"unknown opcode", "\xff.", false},
		{"text opcode", "I1\n.", false},
		{"huge unicode", "X\xff\xff\xff\x7fab.", false},
		{"huge bytes8", "\x8e\x00\x00\x00\x00\x00\x00\x00\x01.", false},
		{"truncated arg", "J\x01\x02", false},
		{"unterminated line", "cgoo\nbar", false},
		{"forbidden global", "cos\nsystem\n.", false},
		{"two values at stop", "}}.", false},
		{"open mark at stop", "(}.", false},
		{"pop past mark", "}(s.", false},
		{"missing memo", "h\x05.", false},
		{"list key", "}]K\x01s.", false},
		{"duplicate key", "}(K\x01K\x01K\x01K\x02u.", false},
		{"long1 of 9 bytes", "\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x00.", false},
	} {
		u := &unpickler{p: []byte(tc.p), memo: map[uint32]any{}, maxOps: 100, findClass: findClass,
			persistentLoad: func(any) (any, error) { return nil, errors.New("no storages") }}
		v, err := u.load()
		if _, isDict := v.(*dict); (err == nil && isDict) != tc.ok {
			t.Errorf("%s: load(%q) = %s, %v; want a dict: %v", tc.name, tc.p, typeName(v), err, tc.ok)
		}
	}
}

func TestLong1(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want int64
	}{
		{"\x00", 0}, {"\x01\x01", 1}, {"\x01\xff", -1}, {"\x01\x80", -128}, {"\x02\xff\x00", 255},
		{"\x02\x7f\xff", -129}, {"\x06\x00\x00\x00\x00\x00\x01", 1 << 40},
		{"\x08\x00\x00\x00\x00\x00\x00\x00\x80", -1 << 63}, {"\x08\xff\xff\xff\xff\xff\xff\xff\x7f", 1<<63 - 1},
	} {
		u := &unpickler{p: []byte("\x8a" + tc.arg + "."), memo: map[uint32]any{}, maxOps: 10}
		if v, err := u.load(); v != tc.want || err != nil {
			t.Errorf("LONG1 %q = %v, %v; want %d", tc.arg, v, err, tc.want)
		}
	}
}

func openBytes(b []byte) (*File, error) {
	return NewFile(bytes.NewReader(b), int64(len(b)), Limits{})
}
