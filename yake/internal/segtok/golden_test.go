package segtok

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// The goldens are produced by testdata/gen_golden.py running segtok 1.5.11
// with regex 2026.11.19 (testdata/requirements.txt) under CPython 3.11.

type goldenResult struct {
	Sentences    []string   `json:"sentences"`
	Tokens       [][]string `json:"tokens"`
	Contractions [][]string `json:"contractions"`
}

type goldenCase struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	goldenResult
	NLToSpace         *goldenResult `json:"nl_to_space"`
	WholeTokens       []string      `json:"whole_tokens"`
	WholeContractions []string      `json:"whole_contractions"`
}

type goldenFile struct {
	Provenance       map[string]any `json:"provenance"`
	Cases            []goldenCase   `json:"cases"`
	ContractionLists []struct {
		In  []string `json:"in"`
		Out []string `json:"out"`
	} `json:"contraction_lists"`
}

func loadGolden(t testing.TB, name string) goldenFile {
	t.Helper()
	var g goldenFile
	sberttest.ReadGzipJSON(t, filepath.Join("testdata", name), &g)
	if len(g.Cases) == 0 {
		t.Fatalf("%s: no cases", name)
	}
	return g
}

// firstDiff describes the first difference between two string lists.
func firstDiff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("at [%d]: got %q, want %q (got len %d, want len %d)", i, got[i], want[i], len(got), len(want))
		}
	}
	if len(got) != len(want) {
		if len(got) > len(want) {
			return fmt.Sprintf("got %d items, want %d; first extra %q", len(got), len(want), got[len(want)])
		}
		return fmt.Sprintf("got %d items, want %d; first missing %q", len(got), len(want), want[len(got)])
	}
	return ""
}

func checkResult(t *testing.T, id, text string, want *goldenResult) (fails int) {
	t.Helper()
	got := SplitMulti(text)
	if d := firstDiff(got, want.Sentences); d != "" {
		t.Errorf("%s: SplitMulti(%.200q): %s", id, text, d)
		return 1
	}
	for i, s := range want.Sentences {
		toks := WebTokenizer(s)
		if d := firstDiff(toks, want.Tokens[i]); d != "" {
			t.Errorf("%s: WebTokenizer(%.200q): %s", id, s, d)
			return 1
		}
		c := SplitContractions(slices.Clone(toks))
		if d := firstDiff(c, want.Contractions[i]); d != "" {
			t.Errorf("%s: SplitContractions(%q): %s", id, toks, d)
			return 1
		}
	}
	return 0
}

func testGoldenFile(t *testing.T, name string) {
	g := loadGolden(t, name)
	fails := 0
	for _, c := range g.Cases {
		if fails >= 10 {
			t.Fatalf("stopping after %d failing cases", fails)
		}
		fails += checkResult(t, c.ID, c.Text, &c.goldenResult)
		if c.NLToSpace != nil {
			fails += checkResult(t, c.ID+"/nl_to_space", strings.ReplaceAll(c.Text, "\n", " "), c.NLToSpace)
		}
		if c.WholeTokens != nil {
			toks := WebTokenizer(c.Text)
			if d := firstDiff(toks, c.WholeTokens); d != "" {
				t.Errorf("%s: WebTokenizer(%.200q): %s", c.ID, c.Text, d)
				fails++
			} else if d := firstDiff(SplitContractions(toks), c.WholeContractions); d != "" {
				t.Errorf("%s: SplitContractions(%q): %s", c.ID, toks, d)
				fails++
			}
		}
	}
	for _, c := range g.ContractionLists {
		if d := firstDiff(SplitContractions(slices.Clone(c.In)), c.Out); d != "" {
			t.Errorf("SplitContractions(%q): %s", c.In, d)
			fails++
		}
	}
	t.Logf("%s: %d cases, %d token lists, %d failing", name, len(g.Cases), len(g.ContractionLists), fails)
}

func TestGoldenAdversarial(t *testing.T) { testGoldenFile(t, "segtok_adversarial.json.gz") }
func TestGoldenYAKETexts(t *testing.T)   { testGoldenFile(t, "segtok_yake_golden.json.gz") }
func TestGoldenEval(t *testing.T)        { testGoldenFile(t, "segtok_eval.json.gz") }
func TestGoldenRandom(t *testing.T)      { testGoldenFile(t, "segtok_random.json.gz") }
