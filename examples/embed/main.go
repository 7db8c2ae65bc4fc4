// Command embed turns lines of text into sentence embeddings with a
// sentence-transformers model run by package sbert.
//
//	go run ./examples/embed [-model DIR] [-json | -tokens] [FILE]
//
// It reads one text per line from FILE, or from standard input when FILE is
// absent or "-". The model directory defaults to $JOBMATCH_MODEL_DIR
// (export JOBMATCH_MODEL_DIR=$(./scripts/fetch-model)).
//
// Output, one line per input line:
//
//	-json     {"text": ..., "embedding": [...]}
//	-tokens   {"text": ..., "ids": [...]}: the token ids the model sees,
//	          [CLS] and [SEP] included, after truncation to its maximum length
//	default   a short summary: token count, the first components, the text
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jobmatch/jobmatch/examples/internal/cli"

	"github.com/jobmatch/jobmatch/sbert"
)

func main() { cli.Main("embed", run) }

// batchSize is how many lines are embedded per call, which bounds memory
// for long inputs while letting EncodeBatch pack short texts together.
const batchSize = 256

// maxLine bounds one input line; longer texts are truncated by the model anyway.
const maxLine = 16 << 20

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("embed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := cli.ModelFlags(fs)
	asJSON := fs.Bool("json", false, `print {"text", "embedding"} per line`)
	tokens := fs.Bool("tokens", false, `print {"text", "ids"} per line: the token ids the model sees`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *asJSON && *tokens:
		return errors.New("-json and -tokens exclude each other")
	case fs.NArg() > 1:
		return errors.New("usage: embed [-model DIR] [-int8] [-json | -tokens] [FILE]")
	case model.Dir == "":
		return cli.ErrNoModel
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

	start := time.Now()
	m, err := sbert.Load(ctx, model.Dir, model.Options()...)
	if err != nil {
		return err
	}
	loaded := time.Since(start)

	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var batch []string
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		defer func() { n, batch = n+len(batch), batch[:0] }()
		if *tokens {
			for _, text := range batch {
				if err := enc.Encode(tokenLine{text, modelIDs(m, text)}); err != nil {
					return err
				}
			}
			return nil
		}
		embs, err := m.EncodeBatch(ctx, batch)
		if err != nil {
			return err
		}
		for i, text := range batch {
			if *asJSON {
				err = enc.Encode(embeddingLine{text, embs[i]})
			} else {
				err = summarize(out, n+i, text, len(modelIDs(m, text)), embs[i])
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	for sc.Scan() {
		batch = append(batch, strings.TrimSuffix(sc.Text(), "\r"))
		if len(batch) == batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	if err := flush(); err != nil {
		return err
	}
	if !*asJSON && !*tokens {
		fmt.Fprintf(out, "%d texts, %d dimensions; model loaded in %v, texts embedded in %v\n",
			n, m.Dim(), loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond))
	}
	return out.Flush()
}

type tokenLine struct {
	Text string  `json:"text"`
	IDs  []int32 `json:"ids"`
}

type embeddingLine struct {
	Text      string    `json:"text"`
	Embedding []float32 `json:"embedding"`
}

// modelIDs returns the token ids of text as the model sees them.
func modelIDs(m *sbert.Model, text string) []int32 {
	return m.Tokenizer().Encode(text)
}

// summarize writes one line: index, token count, the first components of
// the embedding and the start of the text.
func summarize(w io.Writer, i int, text string, ntok int, emb []float32) error {
	const show, maxText = 4, 60
	var b strings.Builder
	fmt.Fprintf(&b, "%4d  %3d tokens  [", i+1, ntok)
	for j := 0; j < show && j < len(emb); j++ {
		fmt.Fprintf(&b, "%+.4f ", emb[j])
	}
	b.WriteString("…]  ")
	if r := []rune(text); len(r) > maxText {
		text = string(r[:maxText-1]) + "…"
	}
	b.WriteString(text)
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}
