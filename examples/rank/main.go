// Command rank ranks the resumes in a folder against one job description and
// prints a table, best fit first.
//
// Usage:
//
//	rank -job FILE [-json] [-threshold X] [-model DIR] [-resumes] DIR
//
// Every regular file in DIR whose name does not start with a dot is read as
// a resume. The job and the resumes may be PDF, DOCX, ODT, HTML, Markdown
// or plain text in any common encoding, told apart by their content
// (matcher.DocumentText); a file without text ranks last with score 0. The model directory defaults to $JOBMATCH_MODEL_DIR (see
// ./scripts/fetch-model). With -json it prints the ranking as JSON: a list of
// {"file", "score", "result"}.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/jobmatch/jobmatch/examples/internal/cli"

	"github.com/jobmatch/jobmatch/matcher"
)

func main() { cli.Main("rank", run) }

// entry is one row of the ranking.
type entry struct {
	File   string          `json:"file"`
	Score  float64         `json:"score"`
	Result *matcher.Result `json:"result"`
}

func run(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg := matcher.DefaultConfig()
	fs := flag.NewFlagSet("rank", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jobPath := fs.String("job", "", "job description `file`: PDF, DOCX, ODT, HTML, Markdown or text (required)")
	dir := fs.String("resumes", "", "`dir`ectory of resume files, in the job's formats (or give it as the argument)")
	asJSON := fs.Bool("json", false, "print the ranking as JSON")
	fs.Float64Var(&cfg.Threshold, "threshold", cfg.Threshold, "least similarity for a job keyword to count as matched")
	model := cli.ModelFlags(fs)
	if err := cli.ParseN(fs, args, model, 1, "job"); err != nil {
		return err
	}
	switch {
	case *dir == "" && fs.NArg() == 1:
		*dir = fs.Arg(0)
	case *dir == "" || fs.NArg() == 1:
		return errors.New("one resume directory is required: -resumes DIR or DIR")
	}
	job, err := cli.ReadFile(*jobPath)
	if err != nil {
		return err
	}
	names, docs, err := readDir(*dir)
	if err != nil {
		return err
	}
	m, err := matcher.NewFromModelDir(ctx, model.Dir, cfg, model.Options()...)
	if err != nil {
		return err
	}
	jobText, err := cli.Text(ctx, m, *jobPath, job)
	if err != nil {
		return err
	}
	texts := make([]string, len(docs))
	for i, d := range docs {
		if texts[i], err = cli.Text(ctx, m, filepath.Join(*dir, names[i]), d); err != nil {
			return err
		}
	}
	prepared, err := m.PrepareJob(ctx, jobText)
	if err != nil {
		return err
	}
	ranked, err := m.RankResumes(ctx, prepared, texts)
	if err != nil {
		return err
	}
	entries := make([]entry, len(ranked))
	for i, r := range ranked {
		entries[i] = entry{File: names[r.Index], Score: r.Result.Score, Result: r.Result}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	return table(stdout, entries)
}

// readDir reads every regular, non-hidden file of dir, in name order.
func readDir(dir string) (names []string, docs [][]byte, err error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, de := range des {
		if !de.Type().IsRegular() || strings.HasPrefix(de.Name(), ".") {
			continue
		}
		b, err := cli.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			return nil, nil, err
		}
		names = append(names, de.Name())
		docs = append(docs, b)
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("no resume files in %s", dir)
	}
	return names, docs, nil
}

// table writes the ranking for people to read: the most important missing
// keywords show why a resume ranks lower.
func table(w io.Writer, entries []entry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tSCORE\tMATCHED\tFILE\tTOP MISSING")
	for i, e := range entries {
		var missing []string
		for _, k := range e.Result.Missing[:min(3, len(e.Result.Missing))] {
			missing = append(missing, k.Keyword)
		}
		n := len(e.Result.Matched) + len(e.Result.Missing)
		fmt.Fprintf(tw, "%d\t%.0f%%\t%d/%d\t%s\t%s\n", i+1, 100*e.Score, len(e.Result.Matched), n, e.File, strings.Join(missing, ", "))
	}
	return tw.Flush()
}
