package sberttest

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"testing"
)

// ReadGzipJSON decodes the gzip-compressed JSON file at path, a golden file
// of the tests, into v, failing t on any error.
func ReadGzipJSON(t testing.TB, path string, v any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := json.NewDecoder(zr).Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
