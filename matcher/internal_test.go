package matcher

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Python", "python"},
		{"  Machine \t\n Learning  ", "machine learning"},
		{"ＰＹＴＨＯＮ３", "python3"},       // full-width forms (NFKC)
		{"ﬁle ﬂow", "file flow"},     // ligatures (NFKC)
		{"Cafe\u0301", "café"},       // combining accent composed
		{"ÀÉÎ", "àéî"},               // lower case beyond ASCII
		{"a\u00a0b\u2003c", "a b c"}, // no-break and em spaces
		{"Ⅻ", "xii"},                 // roman numeral (compatibility)
		{"", ""},
		{" \t ", ""},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"machine-learning, c++ & c#; node.js", []string{"machine", "learning", "c++", "c#", "node", "js"}},
		{"(python3)", []string{"python3"}},
		{"café au lait", []string{"café", "au", "lait"}},
		{"--", nil},
	}
	for _, tt := range tests {
		if got := words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzTextIndex holds newTextIndex, with its shortcut for ASCII words, to
// indexing every run of word characters by the words of its normal form.
func FuzzTextIndex(f *testing.F) {
	for _, s := range []string{
		"Built machine-learning models in Python; C++ and C# at ACME (2019-2021).",
		"ＰＹＴＨＯＮ３ ﬁle Cafe\u0301 ÀÉÎ Ⅻ a\u00a0b naïve résumé Straße İstanbul",
		"Go\u0301lang K8s \xff\xfe bad UTF-8 #tag +1",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		want := &textIndex{at: map[string][]int{}}
		start := -1
		for i, r := range text + " " {
			switch {
			case wordChar(r) && start < 0:
				start = i
			case !wordChar(r) && start >= 0:
				for _, w := range words(normalize(text[start:i])) {
					want.add(w, Span{start, i})
				}
				start = -1
			}
		}
		got := newTextIndex(text)
		if !slices.Equal(got.words, want.words) || !slices.Equal(got.spans, want.spans) || len(got.at) != len(want.at) {
			t.Fatalf("newTextIndex(%q):\n words %q spans %v\n want %q %v", text, got.words, got.spans, want.words, want.spans)
		}
		for w, at := range want.at {
			if !slices.Equal(got.at[w], at) {
				t.Fatalf("newTextIndex(%q): %q at %v, want %v", text, w, got.at[w], at)
			}
		}
	})
}

func TestTextIndex(t *testing.T) {
	x := newTextIndex(normalize("Built machine-learning models in Python; learning machine code. Data databases"))
	tests := []struct {
		phrase string
		want   bool
	}{
		{"machine learning", true},
		{"learning machine", true},
		{"machine learning models", true},
		{"python", true},
		{"machine code", true},
		{"data", true},
		{"database", false}, // only "databases"
		{"learning python", false},
		{"models python", false}, // not adjacent
		{"databases more", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := x.contains(words(tt.phrase)); got != tt.want {
			t.Errorf("contains(%q) = %v, want %v", tt.phrase, got, tt.want)
		}
	}
}

func TestCacheLRU(t *testing.T) {
	c := newCache(2)
	v := func(x float32) []float32 { return []float32{x} }
	c.put("a", v(1))
	c.put("b", v(2))
	c.get("a")       // a is now more recent than b
	c.put("c", v(3)) // evicts b
	if _, ok := c.get("b"); ok {
		t.Error("b still cached, want it evicted as least recently used")
	}
	for k, want := range map[string]float32{"a": 1, "c": 3} {
		if got, ok := c.get(k); !ok || got[0] != want {
			t.Errorf("get(%q) = %v, %v; want [%g], true", k, got, ok, want)
		}
	}
	c.put("a", v(4)) // replace in place
	if got, _ := c.get("a"); got[0] != 4 || c.len() != 2 {
		t.Errorf("after replacing a: get = %v, len = %d; want [4], 2", got, c.len())
	}
	off := newCache(-1)
	off.put("a", v(1))
	if _, ok := off.get("a"); ok || off.len() != 0 {
		t.Error("a disabled cache kept an entry")
	}
}

func TestWeights(t *testing.T) {
	scores := []float64{0.001, 0.02, 0.02, 0.5}
	tests := []struct {
		w    Weighting
		want []float64 // before normalisation
	}{
		{WeightUniform, []float64{1, 1, 1, 1}},
		{WeightRank, []float64{1, 1 / math.Log2(3), 0.5, 1 / math.Log2(5)}},
		{WeightInverse, []float64{1 / 0.011, 1 / 0.03, 1 / 0.03, 1 / 0.51}},
	}
	for _, tt := range tests {
		got := tt.w.weights(scores)
		var sum float64
		for _, x := range tt.want {
			sum += x
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]/sum) > 1e-12 {
				t.Errorf("%s weights = %v, want %v normalised", tt.w, got, tt.want)
				break
			}
		}
	}
}

func TestDefaultConfigDocumented(t *testing.T) {
	// doc.go states the defaults; keep it in step with DefaultConfig.
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(strings.ReplaceAll(string(b), "//", "")), " ")
	c := DefaultConfig()
	want := fmt.Sprintf("(%d job keywords, %d resume keywords, threshold %g, %s weighting, text matching %s)",
		c.JobKeywords, c.ResumeKeywords, c.Threshold, c.Weighting, map[bool]string{true: "on", false: "off"}[c.MatchText])
	if !strings.Contains(doc, want) {
		t.Errorf("doc.go does not state the defaults %q", want)
	}
}

func TestCacheRetriesFailedFlight(t *testing.T) {
	c := newCache(10)
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	errA := errors.New("A failed")
	doneA := make(chan error)
	go func() {
		_, err := c.resolve(ctx, []string{"x"}, func([]string) ([][]float32, error) {
			close(started)
			<-release
			return nil, errA
		})
		doneA <- err
	}()
	<-started
	var fetchedB []string
	doneB := make(chan struct{})
	var vecs [][]float32
	var errB error
	go func() {
		defer close(doneB)
		vecs, errB = c.resolve(ctx, []string{"x", "y"}, func(keys []string) ([][]float32, error) {
			fetchedB = append(fetchedB, keys...)
			out := make([][]float32, len(keys))
			for i := range out {
				out[i] = []float32{float32(i + 1)}
			}
			return out, nil
		})
	}()
	close(release)
	if err := <-doneA; !errors.Is(err, errA) {
		t.Errorf("first call: error %v, want %v", err, errA)
	}
	<-doneB
	if errB != nil || len(vecs) != 2 || vecs[0] == nil || vecs[1] == nil {
		t.Fatalf("second call = %v, %v; want two vectors", vecs, errB)
	}
	if !slices.Contains(fetchedB, "x") {
		t.Errorf("second call fetched %q: want x fetched again after the first call failed", fetchedB)
	}
	if _, ok := c.get("x"); !ok {
		t.Error("x not cached after the second call")
	}
}
