package segtok

import (
	"fmt"
	"strings"
	"testing"
)

// pathological inputs for backtracking implementations of segtok's patterns.
var pathological = map[string]string{
	"brackets":   "[",
	"formula":    "A)",
	"schemes":    "a:// ",
	"quotes@":    "'",
	"paths":      "http://a.b/(",
	"terminals":  ". ",
	"abbrevs":    "Dr. ",
	"openparens": "(A. ",
	"hyphens":    "a-\n",
	"entities":   "&amp",
	"commas":     "a,",
	"spaces":     " ",
}

func benchText(unit string, size int) string {
	return strings.Repeat(unit, size/len(unit)+1)[:size]
}

func BenchmarkPathological(b *testing.B) {
	for name, unit := range pathological {
		for _, size := range []int{1 << 16, 1 << 18} {
			text := benchText(unit, size)
			b.Run(fmt.Sprintf("%s/%dK", name, size>>10), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					for _, s := range SplitMulti(text) {
						SplitContractions(WebTokenizer(s))
					}
					SplitContractions(WebTokenizer(text))
				}
			})
		}
	}
}

// BenchmarkEval runs the three functions over the resumes and job ads of
// the eval golden, as YAKE does (newlines replaced by spaces).
func BenchmarkEval(b *testing.B) {
	g := loadGolden(b, "segtok_eval.json.gz")
	texts := make([]string, len(g.Cases))
	size := 0
	for i, c := range g.Cases {
		texts[i] = strings.ReplaceAll(c.Text, "\n", " ")
		size += len(texts[i])
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, text := range texts {
			for _, s := range SplitMulti(text) {
				SplitContractions(WebTokenizer(s))
			}
		}
	}
}
