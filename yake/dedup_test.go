package yake

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"testing"
)

// TestDedupFuncs compares the similarity functions with yake 0.7.3's own
// (KeywordExtractor.seqm/levs/jaro) on the pairs recorded by
// testdata/oracle/gen_dedup.py.
func TestDedupFuncs(t *testing.T) {
	var golden struct {
		Pairs [][5]any `json:"pairs"`
	}
	readGzipJSON(t, "testdata/oracle/dedup.json.gz", &golden)
	if len(golden.Pairs) < 1000 {
		t.Fatalf("only %d pairs", len(golden.Pairs))
	}
	funcs := []struct {
		name string
		f    similarity
	}{{"seqm", seqm}, {"levs", levs}, {"jaro", jaro}}
	fails := 0
	for _, p := range golden.Pairs {
		a, b := p[0].(string), p[1].(string)
		for i, fn := range funcs {
			want := p[2+i].(float64)
			if got := fn.f(a, b); got != want {
				t.Errorf("%s(%q, %q) = %v, want %v", fn.name, string(a), string(b), got, want)
				if fails++; fails > 20 {
					t.Fatal("too many failures")
				}
			}
		}
	}
}

func TestDedupNames(t *testing.T) {
	for _, name := range []string{"seqm", "SEQM", "sequencematcher", "levs", "Leve", "levenshtein", "jaro", "JARO_WINKLER"} {
		o := DefaultOptions()
		o.DedupFunc = name
		if _, err := New(o); err != nil {
			t.Errorf("DedupFunc %q: %v", name, err)
		}
	}
}

// readGzipJSON decodes the gzip-compressed JSON file at path into v.
func readGzipJSON(t *testing.T, path string, v any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(zr).Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
