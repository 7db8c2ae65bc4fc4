// Command keywords prints the YAKE keywords of a text, as the Python
// package yake 0.7.3 would find them.
//
//	go run ./examples/keywords [flags] [FILE]
//
// It reads FILE, or standard input when FILE is absent or "-". Flags:
//
//	-lang CODE        stopword language (default en)
//	-n N              longest keyword in words (default 3)
//	-top K            number of keywords, 0 for all (default 20)
//	-dedup-lim X      similarity above which a keyword is dropped; 1 disables (default 0.9)
//	-dedup-func NAME  seqm, levs or jaro (default seqm)
//	-window W         co-occurrence window (default 1)
//	-stopwords FILE   one stopword per line, replacing the language's list
//	-json             print a JSON array of {"keyword", "score"} in rank order
//
// Without -json it prints a table: rank, score and keyword. A lower score
// means a more important keyword.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/jobmatch/jobmatch/examples/internal/cli"

	"github.com/jobmatch/jobmatch/yake"
)

func main() { cli.Main("keywords", run) }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	def := yake.DefaultOptions()
	fs := flag.NewFlagSet("keywords", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", def.Language, "stopword language (ISO code)")
	n := fs.Int("n", def.MaxNGram, "longest keyword, in words")
	top := fs.Int("top", def.Top, "number of keywords, 0 for all")
	lim := fs.Float64("dedup-lim", def.DedupThreshold, "similarity above which a keyword is dropped; 1 disables deduplication")
	dedup := fs.String("dedup-func", def.DedupFunc, "similarity: seqm, levs or jaro")
	window := fs.Int("window", def.WindowSize, "co-occurrence window, in words")
	stopFile := fs.String("stopwords", "", "file with one stopword per line, replacing the language's list")
	asJSON := fs.Bool("json", false, `print a JSON array of {"keyword", "score"}`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return errors.New("usage: keywords [flags] [FILE]")
	}
	opts := yake.Options{Language: *lang, MaxNGram: *n, Top: *top, WindowSize: *window, DedupThreshold: *lim, DedupFunc: *dedup}
	if *stopFile != "" {
		words, err := readStopwords(*stopFile)
		if err != nil {
			return err
		}
		opts.Stopwords = words
	}
	e, err := yake.New(opts)
	if err != nil {
		return err
	}
	in := stdin
	if name := fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	text, err := io.ReadAll(in)
	if err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	kws, err := e.Extract(ctx, string(text))
	if err != nil {
		return err
	}
	if *asJSON {
		if kws == nil {
			kws = []yake.Keyword{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(kws)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rank\tscore\tkeyword")
	for i, k := range kws {
		fmt.Fprintf(tw, "%d\t%.6g\t%s\n", i+1, k.Score, k.Text)
	}
	return tw.Flush()
}

// readStopwords reads one stopword per line; they are used as written
// (yake does not lower-case custom stopwords). Empty lines are skipped.
func readStopwords(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("stopwords: %w", err)
	}
	var words []string
	for _, w := range strings.Split(string(b), "\n") {
		if w = strings.TrimSuffix(w, "\r"); w != "" {
			words = append(words, w)
		}
	}
	return words, nil
}
