//go:build unix

package modelfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFiles checks that a FIFO, which would block a plain open
// until a writer comes, and an endless device are refused at once.
func TestSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, zero} {
		done := make(chan error, 1)
		go func() {
			_, err := ReadFile(path, 1<<20)
			done <- err
		}()
		select {
		case err := <-done:
			if _, statErr := os.Stat(path); statErr == nil && !errors.Is(err, ErrNotRegular) {
				t.Errorf("ReadFile(%s) = %v, want ErrNotRegular", path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadFile(%s) blocks", path)
		}
	}
}

// TestPrefetchSpecialFiles checks that prefetching skips a FIFO and a
// missing file at once, and asks for the regular file.
func TestPrefetchSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo, plain := filepath.Join(dir, "fifo"), filepath.Join(dir, "plain")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := os.WriteFile(plain, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() {
		done <- prefetch([]Span{{Path: fifo}, {Path: filepath.Join(dir, "missing")}, {Path: plain, Off: -1, Len: 1}})
	}()
	select {
	case n := <-done:
		if n != 1 {
			t.Errorf("prefetch asked for %d spans, want 1 (the regular file)", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("prefetch blocks on a FIFO")
	}
}
