//go:build unix

package packfile

import (
	"os"
	"syscall"
)

// mapFile maps the n bytes of f read-only and shared, so that every
// process that loads the same file shares its pages in the page cache. The
// pages are read when first used.
func mapFile(f *os.File, n int) ([]byte, func() error, error) {
	b, err := syscall.Mmap(int(f.Fd()), 0, n, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}
