package yake

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// TestRandomAgainstYake runs random texts of awkward tokens (scripts,
// digits, contractions, URLs, odd white space) recorded from yake 0.7.3 by
// testdata/oracle/gen_random.py.
func TestRandomAgainstYake(t *testing.T) {
	var golden struct {
		Cases []randomCase `json:"cases"`
	}
	sberttest.ReadGzipJSON(t, "testdata/oracle/random.json.gz", &golden)
	if len(golden.Cases) < 500 {
		t.Fatalf("only %d cases", len(golden.Cases))
	}
	for i, c := range golden.Cases {
		e, err := New(c.Params.options("seqm"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Extract(context.Background(), c.Text)
		if err != nil {
			t.Fatal(err)
		}
		if err := compareKeywords(got, c.Want); err != nil {
			t.Errorf("case %d %q %+v: %v", i, c.Text, e.Options(), err)
		}
	}
}

// randomCase is [params, text, keywords].
type randomCase struct {
	Params pyParams
	Text   string
	Want   []pyKeyword
}

func (c *randomCase) UnmarshalJSON(b []byte) error {
	return json.Unmarshal(b, &[]any{&c.Params, &c.Text, &c.Want})
}
