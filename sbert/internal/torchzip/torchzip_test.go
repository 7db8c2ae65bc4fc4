package torchzip

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"testing"
)

const tiny = "../../testdata/tiny-cls/pytorch_model.bin"

func TestOpen(t *testing.T) {
	f, err := Open(tiny)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dtype, shape, ok := f.Info("encoder.layer.1.intermediate.dense.weight")
	if !ok || dtype != "F32" || len(shape) != 2 || shape[0] != 64 || shape[1] != 32 {
		t.Fatalf("Info = %s %v %v, want F32 [64 32] true", dtype, shape, ok)
	}
	dst := make([]float32, 64*32)
	if err := f.ReadFloat32("encoder.layer.1.intermediate.dense.weight", dst); err != nil {
		t.Fatal(err)
	}
	if err := f.ReadFloat32("encoder.layer.1.intermediate.dense.weight", dst[:10]); err == nil {
		t.Error("ReadFloat32 into a short slice succeeded")
	}
	if _, _, ok := f.Info("nope"); ok {
		t.Error("Info of a missing tensor reports ok")
	}
}

func TestCorrupt(t *testing.T) {
	data, err := os.ReadFile(tiny)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10, len(data) / 2, len(data) - 30} {
		if _, err := zip.NewReader(bytes.NewReader(data[:n]), int64(n)); err == nil {
			t.Errorf("zip of %d bytes of %d opened", n, len(data))
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/x.bin", data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir + "/x.bin"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open(truncated) = %v, want ErrCorrupt", err)
	}
}

// FuzzNewFile feeds mutated archives to the reader, which must return an
// error or tensors that fit their storages, and never panic.
func FuzzNewFile(f *testing.F) {
	data, err := os.ReadFile(tiny)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, b []byte) {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		tf, err := NewFile(zr)
		if err != nil {
			return
		}
		for name, tn := range tf.tensors {
			n := 1
			for _, d := range tn.shape {
				n *= d
			}
			if n > 1<<20 {
				continue
			}
			_ = tf.ReadFloat32(name, make([]float32, n))
		}
	})
}
