package yake

import (
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// TestDedupFuncs compares the similarity functions with yake 0.7.3's own
// (KeywordExtractor.seqm/levs/jaro) on the pairs recorded by
// testdata/oracle/gen_dedup.py.
func TestDedupFuncs(t *testing.T) {
	var golden struct {
		Pairs [][5]any `json:"pairs"`
	}
	sberttest.ReadGzipJSON(t, "testdata/oracle/dedup.json.gz", &golden)
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
