package document

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TestFidelity extracts a few real documents of every producer of the
// corpus (testdata/corpus: one resume written by pandoc, LibreOffice 7.4,
// pdfTeX, Chromium and python-docx, and a two-page, two-column pdfTeX
// resume) and checks that the words and their order against the source
// text are no worse than when scripts/bench/document_fidelity.py measured
// them and wrote golden.json (see BENCHMARKS.md for the whole corpus).
func TestFidelity(t *testing.T) {
	raw, err := os.ReadFile("testdata/corpus/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string]struct {
		F1, Order float64
		Producer  string
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden) < 10 {
		t.Fatalf("golden.json has %d documents, want one of every producer", len(golden))
	}
	for name, want := range golden {
		t.Run(want.Producer, func(t *testing.T) {
			data := readFile(t, filepath.Join("testdata/corpus", name))
			truth := string(readFile(t, filepath.Join("testdata/corpus", name+".truth.txt")))
			d, err := Extract(context.Background(), data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			f1, order := wordScores(d.Text, truth)
			const slack = 0.002 // Go's and Python's Unicode tables may differ in a rare letter
			if f1 < want.F1-slack || order < want.Order-slack {
				missing, extra := wordDiff(d.Text, truth)
				t.Errorf("%s: word F1 %.4f, order %.4f; golden %.4f, %.4f\nmissing %q\nextra %q", name, f1, order, want.F1, want.Order, missing, extra)
			}
		})
	}
}

// words splits text as document_fidelity.py does: NFKC, lower case, runs of
// letters and digits, with the ++ and # of C++ and C#.
func words(text string) []string {
	rs := []rune(strings.ToLower(norm.NFKC.String(text)))
	var out []string
	for i := 0; i < len(rs); {
		if !(unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]) || unicode.IsMark(rs[i])) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || unicode.IsMark(rs[j])) {
			j++
		}
		switch {
		case j+1 < len(rs) && rs[j] == '+' && rs[j+1] == '+':
			j += 2
		case j < len(rs) && rs[j] == '#':
			j++
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

// wordScores returns the word-level F1 of got against want (as multisets)
// and the order score: 1 − the edit distance of the word sequences over the
// longer one's length.
func wordScores(got, want string) (f1, order float64) {
	g, w := words(got), words(want)
	if len(g) == 0 || len(w) == 0 {
		return 0, 0
	}
	count := make(map[string]int)
	for _, x := range w {
		count[x]++
	}
	common := 0
	for _, x := range g {
		if count[x] > 0 {
			count[x]--
			common++
		}
	}
	p, r := float64(common)/float64(len(g)), float64(common)/float64(len(w))
	if common > 0 {
		f1 = 2 * p * r / (p + r)
	}
	// Levenshtein distance over words, two rows.
	prev, cur := make([]int, len(w)+1), make([]int, len(w)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(g); i++ {
		cur[0] = i
		for j := 1; j <= len(w); j++ {
			c := prev[j-1]
			if g[i-1] != w[j-1] {
				c = 1 + min(prev[j-1], prev[j], cur[j-1])
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return f1, 1 - float64(prev[len(w)])/float64(max(len(g), len(w)))
}

// wordDiff lists the words missing from got and those it has in excess.
func wordDiff(got, want string) (missing, extra []string) {
	count := make(map[string]int)
	for _, x := range words(want) {
		count[x]++
	}
	for _, x := range words(got) {
		count[x]--
	}
	for x, n := range count {
		for ; n > 0; n-- {
			missing = append(missing, x)
		}
		for ; n < 0; n++ {
			extra = append(extra, x)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}

func TestWordScores(t *testing.T) {
	for _, tt := range []struct {
		got, want string
		f1, order float64
	}{
		{"Go and C++", "go and c++", 1, 1},
		{"and Go", "Go and", 1, 0},
		{"Go", "Go SQL", 2.0 / 3, 0.5},
		{"", "Go", 0, 0},
	} {
		f1, order := wordScores(tt.got, tt.want)
		if f1 != tt.f1 || order != tt.order {
			t.Errorf("wordScores(%q, %q) = %g, %g; want %g, %g", tt.got, tt.want, f1, order, tt.f1, tt.order)
		}
	}
}
