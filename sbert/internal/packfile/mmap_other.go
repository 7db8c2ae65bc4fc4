//go:build !unix

package packfile

import (
	"io"
	"os"
	"unsafe"
)

// mapFile reads the n bytes of f into memory that starts on a 64-byte
// boundary; there is nothing to unmap.
func mapFile(f *os.File, n int) ([]byte, func() error, error) {
	buf := make([]byte, n+align)
	off := (align - int(uintptr(unsafe.Pointer(&buf[0]))%align)) % align
	b := buf[off : off+n : off+n]
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return b, nil, nil
}
