package yake

import (
	"context"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEdgeInputs(t *testing.T) {
	e, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", " ", "\n\t ", "...", "!!! ??? ...", "'s", "a", "the of and"} {
		kws, err := e.Extract(context.Background(), text)
		if err != nil || len(kws) != 0 {
			t.Errorf("Extract(%q) = %v, %v; want no keywords", text, kws, err)
		}
	}
}

// TestInvalidUTF8 checks that each invalid byte reads as U+FFFD.
func TestInvalidUTF8(t *testing.T) {
	e, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	bad := "Kaggle\xff platform \xc3 hosts data\xe2\x82 science competitions. Kaggle hosts data science."
	var b strings.Builder
	for _, r := range bad {
		b.WriteRune(r)
	}
	good := b.String()
	if !utf8.ValidString(good) || strings.Count(good, "\uFFFD") != 4 {
		t.Fatalf("replacement: %q", good)
	}
	got, err1 := e.Extract(context.Background(), bad)
	want, err2 := e.Extract(context.Background(), good)
	if err1 != nil || err2 != nil || len(want) == 0 {
		t.Fatal(err1, err2, want)
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("keyword %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestInvalidOptions(t *testing.T) {
	for _, mod := range []func(*Options){
		func(o *Options) { o.MaxNGram = -1 },
		func(o *Options) { o.MaxNGram = MaxNGramLimit + 1 },
		func(o *Options) { o.MaxNGram = 1_000_000_000 },
		func(o *Options) { o.Top = -1 },
		func(o *Options) { o.WindowSize = -1 },
		func(o *Options) { o.WindowSize = WindowSizeLimit + 1 },
		func(o *Options) { o.DedupThreshold = 1.5 },
		func(o *Options) { o.DedupThreshold = -0.1 },
		func(o *Options) { o.DedupThreshold = math.NaN() },
		func(o *Options) { o.DedupFunc = "cosine" },
		func(o *Options) { o.DedupFunc = "" },
	} {
		o := DefaultOptions()
		mod(&o)
		if _, err := New(o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("New(%+v) error = %v, want ErrInvalidOptions", o, err)
		}
	}
}

func TestOptionsRoundTrip(t *testing.T) {
	o := DefaultOptions()
	o.Stopwords = []string{"x", "y"}
	e, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	o.Stopwords[0] = "changed"
	got := e.Options()
	if got.Stopwords[0] != "x" || got.MaxNGram != 3 || got.DedupFunc != "seqm" {
		t.Errorf("Options() = %+v", got)
	}
}

// TestCancel checks that a cancelled context stops a large extraction.
func TestCancel(t *testing.T) {
	e, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Extract(ctx, strings.Repeat("Some words here. ", 1000)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestLargeInput extracts from a few megabytes of real text; the 10 MB
// case runs with JOBMATCH_YAKE_LARGE=1.
func TestLargeInput(t *testing.T) {
	doc, err := os.ReadFile("testdata/bench/resumes_100k.txt")
	if err != nil {
		t.Skip(err)
	}
	size := 2 << 20
	if os.Getenv("JOBMATCH_YAKE_LARGE") != "" {
		size = 10 << 20
	}
	text := strings.Repeat(string(doc)+"\n\n", size/len(doc)+1)[:size]
	e, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	kws, err := e.Extract(context.Background(), text)
	if err != nil || len(kws) != 20 {
		t.Fatalf("%d keywords, %v", len(kws), err)
	}
	for i := 1; i < len(kws); i++ {
		if kws[i].Score < kws[i-1].Score {
			t.Fatalf("not sorted: %v", kws)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{"", "Google is acquiring Kaggle.", "ΟΔΟΣ ΤΗΣ ΑΘΗΝΑΣ", "a\xffb c", "(a b) c, d; e.", "x² y³ ①", "İstanbul"} {
		f.Add(s, 3, 1, 20, 0.9, "seqm")
	}
	f.Add("a b c d e f g h i j k l m n o p", 1_000_000_000, 1, 20, 0.9, "seqm")
	f.Add("a b c d e f g h i j k l m n o p", MaxNGramLimit, 1_000_000, 0, 1.0, "levs")
	f.Fuzz(func(t *testing.T, text string, n, window, top int, lim float64, dedup string) {
		o := DefaultOptions()
		o.MaxNGram, o.WindowSize, o.Top, o.DedupThreshold, o.DedupFunc = n, window, top, lim, dedup
		e, err := New(o)
		if err != nil {
			if !errors.Is(err, ErrInvalidOptions) {
				t.Fatalf("New: %v", err)
			}
			return
		}
		kws, err := e.Extract(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		if o.Top > 0 && len(kws) > o.Top {
			t.Fatalf("%d keywords, top %d", len(kws), o.Top)
		}
		for _, k := range kws {
			if w := strings.Count(k.Text, " ") + 1; w > max(n, 1) {
				t.Fatalf("keyword %q has %d words, MaxNGram %d", k.Text, w, n)
			}
		}
		for i := 1; i < len(kws); i++ {
			if kws[i].Score < kws[i-1].Score {
				t.Fatalf("not sorted: %v", kws)
			}
		}
		_ = e.Highlight(text, kws)
	})
}

// TestConcurrent runs one Extractor from several goroutines.
func TestConcurrent(t *testing.T) {
	doc, err := os.ReadFile("testdata/bench/resumes_5k.txt")
	if err != nil {
		t.Skip(err)
	}
	e, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	want, err := e.Extract(context.Background(), string(doc))
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := e.Extract(context.Background(), string(doc))
			if err == nil && !slices.Equal(got, want) {
				err = errors.New("different keywords from a concurrent call")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
