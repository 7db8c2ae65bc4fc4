package modelfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.json")
	if err := os.WriteFile(path, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		max  int64
		want error
	}{
		{path, 10, nil},
		{link, 10, nil}, // the Hugging Face cache links snapshots to blobs
		{path, 9, ErrTooLarge},
		{dir, 100, ErrNotRegular},
		{filepath.Join(dir, "none"), 100, os.ErrNotExist},
	} {
		b, err := ReadFile(tc.path, tc.max)
		if !errors.Is(err, tc.want) || (err == nil && string(b) != "0123456789") {
			t.Errorf("ReadFile(%s, %d) = %q, %v; want %v", tc.path, tc.max, b, err, tc.want)
		}
	}
}

func TestDecodeArray(t *testing.T) {
	for _, tc := range []struct {
		data string
		n    int
		want error
	}{
		{`[1,2,3]`, 3, nil},
		{`null`, 0, nil},
		{`[]`, 0, nil},
		{``, 0, nil},
		{`[1,2,3,4]`, 0, ErrTooLarge},
		{`[1,2,"x"]`, 0, errAny},
		{`{"a":1}`, 0, errAny},
		{`[1,2`, 0, errAny},
		{`[1,2] `, 2, nil},
		{`[1,2]]`, 0, errAny},
		{`[1,2] 3`, 0, errAny},
	} {
		got, err := DecodeArray[int]([]byte(tc.data), 3)
		if tc.want == errAny {
			if err == nil {
				t.Errorf("DecodeArray(%s) = %v, want an error", tc.data, got)
			}
		} else if !errors.Is(err, tc.want) || len(got) != tc.n {
			t.Errorf("DecodeArray(%s) = %v, %v; want %d elements, %v", tc.data, got, err, tc.n, tc.want)
		}
	}
}

var errAny = errors.New("any error")
