package yake

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"testing"
)

// traceFile is a step-by-step record of the reference on test_n3_EN
// (testdata/upstream/generated, see the README there).
type traceFile struct {
	Sentences         [][]string `json:"sentences"`
	Tags              [][]string `json:"tags"`
	NumberOfSentences int        `json:"number_of_sentences"`
	Stats             struct {
		MaxTF float64 `json:"max_tf"`
	} `json:"stats"`
	Terms []struct {
		Term     string  `json:"term"`
		Stopword bool    `json:"stopword"`
		TF       float64 `json:"tf"`
		TFA      float64 `json:"tf_a"`
		TFN      float64 `json:"tf_n"`
		H        string  `json:"h"`
	} `json:"terms_in_insertion_order"`
	Candidates []struct {
		UniqueKW string  `json:"unique_kw"`
		KW       string  `json:"kw"`
		TF       float64 `json:"tf"`
		Valid    bool    `json:"valid"`
		H        string  `json:"h"`
	} `json:"candidates_in_insertion_order_first_40"`
	NCandidates      int `json:"n_candidates"`
	NValidCandidates int `json:"n_valid_candidates"`
}

func parseRepr(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestTrace feeds the reference's own tokens to the feature computation
// and compares every intermediate value.
func TestTrace(t *testing.T) {
	for _, name := range []string{"trace_test_n3_EN_v073.json", "trace_test_n3_EN_v060.json"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("testdata/upstream/generated/" + name)
			if err != nil {
				t.Fatal(err)
			}
			var tr traceFile
			if err := json.Unmarshal(b, &tr); err != nil {
				t.Fatal(err)
			}
			e, err := New(DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tr.Sentences {
				for j, w := range s {
					want := tr.Tags[i][j]
					if want == "PUNCT" {
						continue
					}
					if got := string(wordTag(w, j)); got != want {
						t.Errorf("sentence %d word %d %q: tag %s, want %s", i, j, w, got, want)
					}
				}
			}
			d := newDoc(&e.cfg, 0)
			for _, s := range tr.Sentences {
				if err := d.addSentence(context.Background(), s); err != nil {
					t.Fatal(err)
				}
			}
			d.scoreTerms()
			if d.nSent != tr.NumberOfSentences {
				t.Errorf("%d sentences, want %d", d.nSent, tr.NumberOfSentences)
			}
			if len(d.terms) != len(tr.Terms) {
				t.Fatalf("%d terms, want %d", len(d.terms), len(tr.Terms))
			}
			for i, want := range tr.Terms {
				got := d.terms[i]
				if id := d.termIndex[want.Term]; int(id) != i {
					t.Fatalf("term %d is %q in the reference, index has %d", i, want.Term, id)
				}
				if got.stop != want.Stopword || got.tf != want.TF || got.tfA != want.TFA || got.tfN != want.TFN {
					t.Fatalf("term %q: stop %v tf %v/%v/%v, want %v %v/%v/%v", want.Term,
						got.stop, got.tf, got.tfA, got.tfN, want.Stopword, want.TF, want.TFA, want.TFN)
				}
				if h := parseRepr(t, want.H); got.h != h {
					t.Fatalf("term %q: h = %v, want %v", want.Term, got.h, h)
				}
			}
			if len(d.cands) != tr.NCandidates {
				t.Errorf("%d candidates, want %d", len(d.cands), tr.NCandidates)
			}
			valid, ok := d.scoreCandidates()
			if !ok || len(valid) != tr.NValidCandidates {
				t.Errorf("%d valid candidates, want %d", len(valid), tr.NValidCandidates)
			}
			for i, want := range tr.Candidates {
				c := &d.cands[i]
				key, kw, ws := d.key(c), d.surface(c), d.candWords(c)
				if key != want.UniqueKW || kw != want.KW || c.tf != want.TF {
					t.Fatalf("candidate %d: %q %q tf %v, want %q %q tf %v", i, key, kw, c.tf, want.UniqueKW, want.KW, want.TF)
				}
				isValid := c.clean && !d.terms[ws[0].term].stop && !d.terms[ws[len(ws)-1].term].stop
				if isValid != want.Valid {
					t.Fatalf("candidate %q: valid %v, want %v", key, isValid, want.Valid)
				}
				if want.Valid {
					if h := parseRepr(t, want.H); c.h != h {
						t.Fatalf("candidate %q: h = %v, want %v", key, c.h, h)
					}
				}
			}
			kws, err := e.extractTokens(context.Background(), tr.Sentences)
			if err != nil || len(kws) != 20 {
				t.Fatalf("extractTokens: %d keywords, %v", len(kws), err)
			}
		})
	}
}
