package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/yake"
)

// TestJSONMatchesLibrary runs the command on a test file and checks that
// the JSON round-trips to exactly what the library returns.
func TestJSONMatchesLibrary(t *testing.T) {
	const file = "../testdata/job.txt"
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	stop := filepath.Join(t.TempDir(), "stop.txt")
	if err := os.WriteFile(stop, []byte("data\r\nthe\n\nand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		opts func(*yake.Options)
	}{
		{nil, func(*yake.Options) {}},
		{[]string{"-n", "2", "-top", "7", "-dedup-func", "levs", "-dedup-lim", "0.6", "-window", "2", "-lang", "pt"},
			func(o *yake.Options) {
				o.MaxNGram, o.Top, o.DedupFunc, o.DedupThreshold, o.WindowSize, o.Language = 2, 7, "levs", 0.6, 2, "pt"
			}},
		{[]string{"-stopwords", stop, "-top", "0"}, func(o *yake.Options) { o.Stopwords, o.Top = []string{"data", "the", "and"}, 0 }},
	} {
		var out, errOut bytes.Buffer
		args := append(append([]string{"-json"}, c.args...), file)
		if err := run(context.Background(), args, nil, &out, &errOut); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errOut.String())
		}
		var got []yake.Keyword
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		o := yake.DefaultOptions()
		c.opts(&o)
		e, err := yake.New(o)
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.Extract(context.Background(), string(text))
		if err != nil || len(want) == 0 {
			t.Fatalf("library: %v, %v", want, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%v: %d keywords, want %d", args, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%v: keyword %d = %+v, want %+v", args, i, got[i], want[i])
			}
		}
	}
}

func TestTableAndStdin(t *testing.T) {
	var out bytes.Buffer
	in := strings.NewReader("Google is acquiring data science community Kaggle. Google is acquiring Kaggle.")
	if err := run(context.Background(), []string{"-top", "3"}, in, &out, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "rank") || !strings.HasPrefix(lines[1], "1 ") {
		t.Fatalf("table:\n%s", out.String())
	}
}

func TestEmptyJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-json"}, strings.NewReader("..."), &out, &out); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "[]" {
		t.Fatalf("got %q, want []", got)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-dedup-func", "cosine"}, {"-n", "-2"}, {"a", "b"}, {"-stopwords", "/nonexistent"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader("x"), &out, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
