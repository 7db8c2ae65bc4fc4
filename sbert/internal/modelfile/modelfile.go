// Package modelfile opens the files of a model directory, which may come
// from anyone, with the checks that every loader of the module needs before
// it reads a byte: the path must name a regular file (a FIFO would block
// the reader forever, a device such as /dev/zero never ends), possibly
// through symbolic links, as in the Hugging Face cache; and a whole-file
// read is bounded by a byte count the caller sets.
package modelfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrTooLarge reports a file, or a size declared in one, beyond a limit
// that the caller set (or its default).
var ErrTooLarge = errors.New("exceeds a loader limit")

// ErrNotRegular reports a path that is not a regular file (a directory,
// FIFO, socket or device).
var ErrNotRegular = errors.New("not a regular file")

// Open opens the regular file at path and returns it with its size. It
// checks the path before opening it, so that a FIFO does not block, and
// the opened file again, so that a path swapped in between is caught.
func Open(path string) (*os.File, int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s: %w (mode %v)", path, ErrNotRegular, fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	fi2, err := f.Stat()
	if err == nil && !os.SameFile(fi, fi2) {
		err = fmt.Errorf("%s: %w (replaced while opening)", path, ErrNotRegular)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi2.Size(), nil
}

// ReadFile returns the contents of the regular file at path, or an error
// wrapping [ErrTooLarge] without reading it when it is longer than max
// bytes. It never reads more than max+1 bytes, even from a file that grows.
func ReadFile(path string, max int64) ([]byte, error) {
	f, size, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > max {
		return nil, fmt.Errorf("%s: %w: %d bytes, more than %d", path, ErrTooLarge, size, max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", path, ErrTooLarge, max)
	}
	return b, nil
}

// DecodeArray decodes the JSON array data (or null, or nothing) one element
// at a time,
// failing with [ErrTooLarge] before it decodes element max+1: so an array of
// many tiny elements ({} is two bytes, its Go value may be a hundred) costs
// no more than max elements.
func DecodeArray[T any](data []byte, max int) ([]T, error) {
	if len(data) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok == nil {
		return nil, err
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("%v where an array was expected", tok)
	}
	var out []T
	for dec.More() {
		if len(out) == max {
			return nil, fmt.Errorf("%w: more than %d array elements", ErrTooLarge, max)
		}
		var v T
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the array")
	}
	return out, nil
}

// Default sets *v to def when it is zero or negative: the zero value of a
// limit means its default.
func Default[T int | int64](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// MapReader returns a function like [ReadFile] that reads from memory: the
// file at dir/name holds files[name] (names with slashes), and empty or
// absent entries do not exist. Fuzz targets load from it in microseconds.
func MapReader(dir string, files map[string]string) func(path string, max int64) ([]byte, error) {
	return func(path string, max int64) ([]byte, error) {
		rel, err := filepath.Rel(dir, path)
		s := files[filepath.ToSlash(rel)]
		switch {
		case err != nil || s == "":
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		case int64(len(s)) > max:
			return nil, fmt.Errorf("%s: %w: %d bytes, more than %d", path, ErrTooLarge, len(s), max)
		}
		return []byte(s), nil
	}
}
