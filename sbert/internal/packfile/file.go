package packfile

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
)

// File is an opened pack file: its header and its data, mapped read-only
// where the system allows (unix), read into memory elsewhere. The slices
// that its methods return point into the mapping, which stays until the
// File is unreachable: whoever uses them must keep the File reachable
// (runtime.KeepAlive) until it is done, and must verify them
// ([File.VerifyRange]) before they use them. A File is safe for concurrent
// use.
type File struct {
	Header *Header
	Path   string
	buf    []byte // the whole file
	data   []byte // from the data offset
	index  map[string]Array
	// checked holds per chunk of data 0 (not verified yet), chunkGood or
	// chunkBad.
	checked []atomic.Uint32
}

const (
	chunkGood = 1
	chunkBad  = 2
)

// Open maps the pack file at path, which must be a regular file of at most
// max bytes, and checks its framing and header (see Parse). It does not
// read the data: the pages of the mapping are read when they are used, so
// that a process starting from a cold page cache reads what it uses, not
// the whole file. Verify the data before use with VerifyRange or Verify.
func Open(path string, max int64) (*File, error) {
	f, size, err := modelfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	switch {
	case size > max:
		return nil, fmt.Errorf("packfile: %s: %w: %d bytes, more than %d", path, ErrTooLarge, size, max)
	case size < prefixLen:
		return nil, fmt.Errorf("packfile: %s: %w: %d bytes", path, ErrFormat, size)
	case int64(int(size)) != size:
		return nil, fmt.Errorf("packfile: %s: %w: %d bytes do not fit in memory", path, ErrTooLarge, size)
	}
	buf, unmap, err := mapFile(f, int(size))
	if err != nil {
		return nil, fmt.Errorf("packfile: %s: %w", path, err)
	}
	h, data, err := Parse(buf)
	var index map[string]Array
	if err == nil {
		index, err = indexArrays(h, data)
	}
	if err != nil {
		if unmap != nil {
			unmap()
		}
		return nil, fmt.Errorf("packfile: %s: %w", path, err)
	}
	pf := &File{Header: h, Path: path, buf: buf, data: data, index: index, checked: make([]atomic.Uint32, len(h.CRCs))}
	if unmap != nil {
		runtime.AddCleanup(pf, func(unmap func() error) { unmap() }, unmap)
	}
	return pf, nil
}

// indexArrays returns the arrays of h by name, checking that the data
// lies on a 64-byte boundary in memory.
func indexArrays(h *Header, data []byte) (map[string]Array, error) {
	if len(data) > 0 && uintptr(unsafe.Pointer(&data[0]))%align != 0 {
		return nil, errors.New("data not 64-byte aligned in memory")
	}
	index := make(map[string]Array, len(h.Arrays))
	for _, a := range h.Arrays {
		if _, dup := index[a.Name]; dup {
			return nil, fmt.Errorf("%w: two arrays named %q", ErrFormat, a.Name)
		}
		index[a.Name] = a
	}
	return index, nil
}

// Verify checks every chunk of the data, on all the cores of the process.
func (f *File) Verify() error {
	n := len(f.checked)
	workers := min(runtime.GOMAXPROCS(0), max(n/16, 1))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { errs[w] = f.verifyChunks(w*n/workers, (w+1)*n/workers) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// VerifyRange checks the chunks of the data that b, a slice of bytes of
// the data (such as an array that the File returned, or part of one),
// lies in. Chunks verified once are not read again: the cost of a call
// whose chunks are all verified is a few loads.
func (f *File) VerifyRange(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(f.data)))
	off := uintptr(unsafe.Pointer(unsafe.SliceData(b))) - base
	if off >= uintptr(len(f.data)) || uintptr(len(b)) > uintptr(len(f.data))-off {
		return fmt.Errorf("packfile: %s: VerifyRange of %d bytes that are not in the data", f.Path, len(b))
	}
	c := uintptr(f.Header.Chunk)
	return f.verifyChunks(int(off/c), int((off+uintptr(len(b))-1)/c)+1)
}

// Prefetch asks the system to start reading the pages of the parts of the
// data in parts in the background, so that a process starting from a cold
// page cache finds them read when it uses them. It returns at once; where
// the file was read into memory it does nothing.
func (f *File) Prefetch(parts ...[]byte) {
	page := uintptr(os.Getpagesize())
	base := uintptr(unsafe.Pointer(unsafe.SliceData(f.buf)))
	var ranges [][]byte
	for _, b := range parts {
		off := uintptr(unsafe.Pointer(unsafe.SliceData(b))) - base
		if len(b) == 0 || off >= uintptr(len(f.buf)) || uintptr(len(b)) > uintptr(len(f.buf))-off {
			continue
		}
		lo := off &^ (page - 1) // madvise wants a page boundary
		ranges = append(ranges, f.buf[lo:off+uintptr(len(b))])
	}
	go func() {
		for _, r := range ranges {
			adviseWillNeed(r)
		}
		runtime.KeepAlive(f)
	}()
}

// verifyChunks checks the chunks [lo, hi) of the data.
func (f *File) verifyChunks(lo, hi int) error {
	for i := lo; i < hi; i++ {
		switch f.checked[i].Load() {
		case chunkGood:
			continue
		case chunkBad:
			return f.chunkError(i)
		}
		// Two goroutines may check the same chunk at once: both find
		// the same.
		if err := verifyChunk(f.data, f.Header, i, f.Header.CRCs[i]); err != nil {
			f.checked[i].Store(chunkBad)
			return fmt.Errorf("packfile: %s: %w", f.Path, err)
		}
		f.checked[i].Store(chunkGood)
	}
	return nil
}

func (f *File) chunkError(i int) error {
	return fmt.Errorf("packfile: %s: %w: the data at %d", f.Path, ErrChecksum, int64(i)*f.Header.Chunk)
}

// array returns the bytes of the named array, which must have type typ and
// n elements.
func (f *File) array(name, typ string, n int) ([]byte, error) {
	a, ok := f.index[name]
	switch {
	case !ok:
		return nil, fmt.Errorf("packfile: %s: %w: no array %q", f.Path, ErrFormat, name)
	case a.Type != typ || a.Len != int64(n):
		return nil, fmt.Errorf("packfile: %s: %w: array %q is %d × %s, want %d × %s", f.Path, ErrFormat, name, a.Len, a.Type, n, typ)
	}
	return f.data[a.Off : a.Off+a.Len*elemSize(typ)], nil
}

// Float32s returns the named array of n float32s, in place.
func (f *File) Float32s(name string, n int) ([]float32, error) {
	b, err := f.array(name, "f32", n)
	if err != nil || n == 0 {
		return nil, err
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), n), nil
}

// Int32s returns the named array of n int32s, in place.
func (f *File) Int32s(name string, n int) ([]int32, error) {
	b, err := f.array(name, "i32", n)
	if err != nil || n == 0 {
		return nil, err
	}
	return unsafe.Slice((*int32)(unsafe.Pointer(&b[0])), n), nil
}

// Int8s returns the named array of n int8s, in place.
func (f *File) Int8s(name string, n int) ([]int8, error) {
	b, err := f.array(name, "i8", n)
	if err != nil || n == 0 {
		return nil, err
	}
	return unsafe.Slice((*int8)(unsafe.Pointer(&b[0])), n), nil
}
