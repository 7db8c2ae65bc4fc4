// Command extract prints, for each file named on the command line, one
// JSON line with the text document.Extract finds in it and the time taken:
// the measuring script scripts/bench/document_fidelity.py runs it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/jobmatch/jobmatch/matcher/document"
)

type result struct {
	File    string  `json:"file"`
	Format  string  `json:"format,omitempty"`
	Pages   int     `json:"pages,omitempty"`
	Text    string  `json:"text"`
	Error   string  `json:"error,omitempty"`
	Seconds float64 `json:"seconds"`
}

func main() {
	enc := json.NewEncoder(os.Stdout)
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		// The best of three runs, as the references are timed.
		var doc *document.Doc
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			doc, err = document.Extract(context.Background(), data, document.Limits{})
			best = min(best, time.Since(start))
		}
		r := result{File: path, Seconds: best.Seconds()}
		if err != nil {
			r.Error = err.Error()
		} else {
			r.Format, r.Pages, r.Text = doc.Format.String(), doc.Pages, doc.Text
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
