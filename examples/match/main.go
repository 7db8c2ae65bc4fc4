// Command match tells how well a resume fits a job description: the score
// and how it came about, the languages of the texts and any warnings, the
// job's keywords that the resume matches (with the resume keyword that
// matches each, their similarity, and the lines where both were found) and
// those it misses.
//
// Usage:
//
//	match -resume FILE -job FILE [-json] [-threshold X] [-model DIR]
//
// The files may be PDF, DOCX, ODT, HTML, Markdown or plain text in any
// common encoding, told apart by their content (matcher.DocumentText).
// The model directory defaults to $JOBMATCH_MODEL_DIR (see ./scripts/fetch-model).
// With -json it prints the matcher.Result as JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/jobmatch/jobmatch/examples/internal/cli"

	"github.com/jobmatch/jobmatch/matcher"
)

func main() { cli.Main("match", run) }

func run(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg := matcher.DefaultConfig()
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	resumePath := fs.String("resume", "", "resume `file`: PDF, DOCX, ODT, HTML, Markdown or text (required)")
	jobPath := fs.String("job", "", "job description `file`, in any of the resume's formats (required)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	fs.Float64Var(&cfg.Threshold, "threshold", cfg.Threshold, "least similarity for a job keyword to count as matched")
	model := cli.ModelFlags(fs)
	if err := cli.Parse(fs, args, model, "resume", "job"); err != nil {
		return err
	}
	resumeData, err := cli.ReadFile(*resumePath)
	if err != nil {
		return err
	}
	jobData, err := cli.ReadFile(*jobPath)
	if err != nil {
		return err
	}
	m, err := matcher.NewFromModelDir(ctx, model.Dir, cfg, model.Options()...)
	if err != nil {
		return err
	}
	resume, err := cli.Text(ctx, m, *resumePath, resumeData)
	if err != nil {
		return err
	}
	job, err := cli.Text(ctx, m, *jobPath, jobData)
	if err != nil {
		return err
	}
	res, err := m.Match(ctx, job, resume)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return report(stdout, res, job, resume)
}

// report writes res for people to read; job and resume are the texts it
// was computed from, for the line numbers of the evidence.
func report(w io.Writer, res *matcher.Result, job, resume string) error {
	n := len(res.Matched) + len(res.Missing)
	fmt.Fprintf(w, "Score: %.0f%%  (%d of %d job keywords matched; threshold %.2f, %s weighting)\n",
		100*res.Score, len(res.Matched), n, res.Settings.Threshold, res.Settings.Weighting)
	fmt.Fprintf(w, "Language: job %s, resume %s (the model covers %s)\n",
		orUnsure(res.Language.Job), orUnsure(res.Language.Resume), res.Settings.ModelLanguages)
	for _, warning := range res.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", warning)
	}
	if res.Explanation != "" {
		fmt.Fprintf(w, "Why: %s\n", res.Explanation)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nMatched\tin the resume\tsimilarity\tvia\tpoints\tjob line\tresume line\n")
	for _, k := range res.Matched {
		fmt.Fprintf(tw, "  %s\t%s\t%.2f\t%s\t+%.1f\t%s\t%s\n", k.Keyword, k.Resume, k.Similarity, k.Via,
			100*k.Contribution, lines(job, k.JobSpans), lines(resume, k.ResumeSpans))
	}
	fmt.Fprintf(tw, "\nMissing\tclosest in the resume\tsimilarity\t\tcosts\tjob line\t\n")
	for _, k := range res.Missing {
		fmt.Fprintf(tw, "  %s\t%s\t%.2f\t\t−%.1f\t%s\t\n", k.Keyword, k.Resume, k.Similarity, 100*k.Importance, lines(job, k.JobSpans))
	}
	return tw.Flush()
}

func orUnsure(lang string) string {
	if lang == "" {
		return "unsure"
	}
	return lang
}

// lines returns the line numbers of spans in text, "-" when there are none.
func lines(text string, spans []matcher.Span) string {
	var out []string
	for _, s := range spans {
		if s.Start <= len(text) {
			if l := strconv.Itoa(1 + strings.Count(text[:s.Start], "\n")); !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
}
