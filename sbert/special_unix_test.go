//go:build unix

package sbert

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLoadSpecialFiles replaces model files with a FIFO, which blocks a
// plain open until a writer comes, and with a link to /dev/zero, which never
// ends: Load must refuse both at once.
func TestLoadSpecialFiles(t *testing.T) {
	src := filepath.Join("testdata", "tiny-cls")
	for _, name := range []string{"modules.json", "config.json", "1_Pooling/config.json", "model.safetensors", "pytorch_model.bin", "vocab.txt", "tokenizer.json", "tokenizer_config.json"} {
		for _, kind := range []string{"fifo", "/dev/zero"} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				dir := copyModel(t, src)
				path := filepath.Join(dir, name)
				if name == "pytorch_model.bin" {
					os.Remove(filepath.Join(dir, "model.safetensors"))
				}
				os.Remove(path)
				var err error
				if kind == "fifo" {
					err = syscall.Mkfifo(path, 0o644)
				} else {
					err = os.Symlink("/dev/zero", path)
				}
				if err != nil {
					t.Skip(err)
				}
				err, _ = boundedLoad(t, dir)
				if !errors.Is(err, ErrCorrupt) {
					t.Errorf("Load = %v, want ErrCorrupt", err)
				}
			})
		}
	}
}
