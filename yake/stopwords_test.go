package yake

import (
	"slices"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// TestStopwordsAgainstYake compares every loaded list with the set yake
// 0.7.3 builds (testdata/oracle/gen_stopwords.py), quirks included.
func TestStopwordsAgainstYake(t *testing.T) {
	var golden struct {
		Languages map[string][]string `json:"languages"`
	}
	sberttest.ReadGzipJSON(t, "testdata/oracle/stopwords.json.gz", &golden)
	if len(golden.Languages) < 35 {
		t.Fatalf("only %d languages", len(golden.Languages))
	}
	for lang, want := range golden.Languages {
		set := stopwordSet(languageCode(lang))
		got := make([]string, 0, len(set))
		for w := range set {
			got = append(got, w)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("language %q: entry %d is %q, want %q", lang, i, got[i], want[i])
					break
				}
			}
			t.Errorf("language %q: %d stopwords, want %d", lang, len(got), len(want))
		}
	}
}
