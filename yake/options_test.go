package yake

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// TestOptionsAgainstYake runs unusual option sets (window 0 to 3, n 0 to 5,
// every similarity, thresholds 0 to 1, custom stopwords, languages without
// a list) on real and edge-case texts, recorded from yake 0.7.3 by
// testdata/oracle/gen_options.py. Keywords and scores must be identical.
func TestOptionsAgainstYake(t *testing.T) {
	var golden struct {
		Options []pyParams     `json:"options"`
		Texts   []string       `json:"texts"`
		Results []optionResult `json:"results"`
	}
	sberttest.ReadGzipJSON(t, "testdata/oracle/options.json.gz", &golden)
	if len(golden.Results) < 100 {
		t.Fatalf("only %d results", len(golden.Results))
	}
	extractors := make([]*Extractor, len(golden.Options))
	for i, p := range golden.Options {
		var err error
		if extractors[i], err = New(p.options("seqm")); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range golden.Results {
		got, err := extractors[r.Option].Extract(context.Background(), golden.Texts[r.Text])
		if err != nil {
			t.Fatal(err)
		}
		if err := compareKeywords(got, r.Keywords); err != nil {
			t.Errorf("text %d %.40q, options %d %+v: %v", r.Text, golden.Texts[r.Text], r.Option, extractors[r.Option].Options(), err)
		}
	}
}

// optionResult is [text index, option index, keywords].
type optionResult struct {
	Text, Option int
	Keywords     []pyKeyword
}

func (r *optionResult) UnmarshalJSON(b []byte) error {
	return json.Unmarshal(b, &[]any{&r.Text, &r.Option, &r.Keywords})
}
