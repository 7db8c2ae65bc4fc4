package torchzip

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/sbert/internal/torchzip/torchziptest"
)

// withPickle returns an archive whose data.pkl is p.
func withPickle(p []byte) []byte {
	return torchziptest.Zip("archive", []torchziptest.Record{{Name: "data.pkl", Data: p}, {Name: "byteorder", Data: []byte("little")}})
}

// TestPickleBounds feeds hostile pickles that made the reader stall or
// run out of memory: each must fail with ErrCorrupt or ErrTooLarge, quickly
// and allocating no more than twice the file and 128 bytes per opcode
// allowed.
func TestPickleBounds(t *testing.T) {
	long := []byte("\x80\x02L" + strings.Repeat("7", 1<<20) + "L\n.")
	// A persistent id whose class is a tuple of two references to a tuple
	// of two references..., 64 deep: 2^64 leaves for anything that walks
	// it as a tree, such as an error message that prints it.
	var dag bytes.Buffer
	dag.WriteString("\x80\x02(\x8c\x07storage]q\x01")
	for range 64 {
		dag.WriteString("h\x01\x86q\x01")
	}
	dag.WriteString("\x8c\x010\x8c\x03cpuK\x01tQ.")
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty lists", withPickle(append(append([]byte("\x80\x02"), bytes.Repeat([]byte("]"), 1<<21)...), '.')), ErrTooLarge},
		{"memo flood", withPickle(append(append([]byte("\x80\x02]"), bytes.Repeat([]byte("\x94"), 1<<21)...), '.')), ErrTooLarge},
		{"long literal", withPickle(long), ErrCorrupt},
		{"long4 literal", withPickle(append([]byte("\x80\x02\x8b\x00\x00\x10\x00"), append(bytes.Repeat([]byte{0xff}, 1<<20), '.')...)), ErrCorrupt},
		{"tree of references", withPickle(dag.Bytes()), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			done := make(chan error, 1)
			go func() {
				_, err := openBytes(tc.b)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("NewFile still running after 20 s")
			}
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d-byte file: %v; %d bytes allocated", len(tc.b), err, alloc)
			if !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
			if limit := 2*uint64(len(tc.b)) + 128*DefaultPickleOps + 1<<20; alloc > limit {
				t.Errorf("allocated %d bytes for a %d-byte file, want at most %d", alloc, len(tc.b), limit)
			}
		})
	}
}

// TestStorageClaims checks the sizes that the zip directory declares for
// storage records against the bytes of the file.
func TestStorageClaims(t *testing.T) {
	data := make([]byte, 24)
	for i := range data {
		data[i] = byte(i)
	}
	ts := []torchziptest.Tensor{{Name: "a", Storage: "0", Numel: 6, Shape: []int64{2, 3}}, {Name: "b", Storage: "0", Numel: 6, Offset: 2, Shape: []int64{4}}}
	f, err := openBytes(torchziptest.File(ts, map[string][]byte{"0": data}))
	if err != nil {
		t.Fatal(err)
	}
	offA, nA := f.Span("a")
	offB, nB := f.Span("b")
	if nA != 24 || nB != 16 || offB != offA+8 {
		t.Errorf("spans a [%d +%d) b [%d +%d), want 24 and 16 bytes, b 8 bytes after a", offA, nA, offB, nB)
	}
	if _, n := f.Span("c"); n != -1 {
		t.Errorf("Span of a missing tensor has %d bytes", n)
	}

	pkl := torchziptest.Pickle(ts)
	var deflated bytes.Buffer
	zw := zip.NewWriter(&deflated)
	for _, r := range []struct {
		name string
		b    []byte
	}{{"a/data.pkl", pkl}, {"a/data/0", data}} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: r.name, Method: zip.Deflate})
		w.Write(r.b)
	}
	zw.Close()
	for _, tc := range []struct {
		name string
		b    []byte
		msg  string
	}{
		{"declared beyond the file", torchziptest.Zip("a", []torchziptest.Record{{Name: "data.pkl", Data: pkl}, {Name: "data/0", Data: data, Size: 1 << 40}}), "declares"},
		{"declared size differs", torchziptest.Zip("a", []torchziptest.Record{{Name: "data.pkl", Data: pkl}, {Name: "data/0", Data: data, Size: 28}}), "declares"},
		{"compressed record", deflated.Bytes(), "compressed"},
		{"record twice", torchziptest.Zip("a", []torchziptest.Record{{Name: "data.pkl", Data: pkl}, {Name: "data/0", Data: data}, {Name: "data/0", Data: data}}), "twice"},
	} {
		_, err := openBytes(tc.b)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want ErrCorrupt mentioning %q", tc.name, err, tc.msg)
		}
	}
}

// TestPickleBomb checks that a data.pkl that inflates to more than
// PickleBytes, whatever size the zip directory declares for it, is cut
// there.
func TestPickleBomb(t *testing.T) {
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestCompression)
	fw.Write(bytes.Repeat([]byte("]"), 8<<20)) // 8 MiB of EMPTY_LIST in 8 KB
	fw.Close()
	for _, declared := range []uint64{100, 8 << 20} {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "a/data.pkl", Method: zip.Deflate, UncompressedSize64: declared, CompressedSize64: uint64(z.Len())})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(z.Bytes())
		zw.Close()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err = NewFile(bytes.NewReader(b.Bytes()), int64(b.Len()), Limits{PickleBytes: 1 << 20})
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("declared %d bytes: %v; %d bytes allocated", declared, err, alloc)
		if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrCorrupt) {
			t.Errorf("declared %d bytes: error %v, want ErrTooLarge or ErrCorrupt", declared, err)
		}
		if alloc > 8<<20 {
			t.Errorf("declared %d bytes: %d bytes allocated, want at most 8 MiB", declared, alloc)
		}
	}
}

// TestManyTensors reads a state dict of 400 tensors, as large as
// bert-large's, in pairs of views of one storage: its pickle memo passes
// 255 entries, and the second of a pair refers to the storage key of the
// first, so that the pickle has LONG_BINPUT and LONG_BINGET, as the
// pytorch_model.bin of any real model.
func TestManyTensors(t *testing.T) {
	var ts []torchziptest.Tensor
	data := map[string][]byte{}
	for i := range 400 {
		key := fmt.Sprint(i / 2)
		ts = append(ts, torchziptest.Tensor{Name: fmt.Sprint("t", i), Storage: key, Numel: 4, Offset: int64(i%2) * 2, Shape: []int64{2}})
		data[key] = binary.LittleEndian.AppendUint32(data[key], math.Float32bits(float32(i)))
		data[key] = binary.LittleEndian.AppendUint32(data[key], math.Float32bits(-float32(i)))
	}
	f, err := openBytes(torchziptest.File(ts, data))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		got := make([]float32, 2)
		if err := f.ReadFloat32(fmt.Sprint("t", i), got); err != nil || got[0] != float32(i) || got[1] != -float32(i) {
			t.Fatalf("tensor t%d = %v, %v; want [%d -%d]", i, got, err, i, i)
		}
	}
}
