// Command rank ranks resumes against one job description, best fit first:
// a folder of hundreds or thousands of them, streamed on every core, with a
// progress bar on a terminal.
//
// Usage:
//
//	rank -job FILE [-top N] [-min-score X] [-format table|csv|json] [-cache=false] DIR|FILE...
//	rank -job FILE -resumes DIR ...
//
// Every regular file of each DIR whose name does not start with a dot is
// read as a resume, as is every FILE. The job and the resumes may be PDF,
// DOCX, ODT, HTML, Markdown or plain text in any common encoding, told apart
// by their content (matcher.DocumentText); a file without text ranks with
// score 0. The model directory defaults to $JOBMATCH_MODEL_DIR (see
// ./scripts/fetch-model).
//
// Resumes are read and matched as they come, at most one per core at a
// time, and only a summary of each is kept (with -top N, only the N best),
// so memory stays bounded whatever the number of files. A file that cannot
// be read or is over the matcher's size limit is reported on stderr and
// the others go on. -min-score drops resumes that score less.
//
// Prepared resumes (keywords and embeddings) are kept on disk in
// $JOBMATCH_CACHE/resumes (by default ~/.cache/jobmatch/resumes, at most
// -cache-max-mb), keyed by the resume's text, the model and the keyword
// settings, so ranking the same folder against a second job costs only the
// comparison. -cache=false neither reads nor writes it.
//
// With -format json it prints a list of {"file", "score", "matched",
// "missing"}; csv prints rank, file, score, the matched and job keyword
// counts and the missing keywords. A summary goes to stderr: how many
// resumes, how fast, how many from the cache, the CPU time they took (on a
// machine shared with other work, resumes per CPU second times the cores
// is what the machine alone would do), and what the model computed for
// them (sbert.Model.Work: texts, tokens, GFLOP).
package main

import (
	"cmp"
	"container/heap"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/jobmatch/jobmatch/examples/internal/cli"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/diskcache"
	"github.com/jobmatch/jobmatch/sbert"
)

func main() {
	// A ranking allocates much and keeps little (a pack file's weights are
	// mapped, not on the heap), so the collector would run often: at 400 a
	// warm run is about a fifth faster for some 25 MB more. GOGC, when set,
	// wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	cli.Main("rank", run)
}

// entry is one row of the ranking.
type entry struct {
	File    string   `json:"file"`
	Score   float64  `json:"score"`
	Matched []string `json:"matched"`
	Missing []string `json:"missing"`
}

func run(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg := matcher.DefaultConfig()
	fs := flag.NewFlagSet("rank", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jobPath := fs.String("job", "", "job description `file`: PDF, DOCX, ODT, HTML, Markdown or text (required)")
	dir := fs.String("resumes", "", "`dir`ectory of resume files, in the job's formats (or give folders and files as arguments)")
	format := fs.String("format", "table", "output: table, csv or json")
	asJSON := fs.Bool("json", false, "same as -format json")
	top := fs.Int("top", 0, "keep only the `N` best resumes (0: all)")
	minScore := fs.Float64("min-score", 0, "leave out resumes that score less than `x` (0 to 1)")
	useCache := fs.Bool("cache", true, "keep prepared resumes on disk ($JOBMATCH_CACHE/resumes) and reuse them")
	cacheMB := fs.Int64("cache-max-mb", diskcache.DefaultMaxBytes>>20, "bound of the on-disk cache in MiB")
	fs.Float64Var(&cfg.Threshold, "threshold", cfg.Threshold, "least similarity for a job keyword to count as matched")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ranking to `file`")
	model := cli.ModelFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	paths := fs.Args()
	if *dir != "" {
		paths = append([]string{*dir}, paths...)
	}
	if *asJSON {
		*format = "json"
	}
	switch {
	case *jobPath == "" || len(paths) == 0:
		fs.Usage()
		return errors.New("-job and the resumes (-resumes DIR, or folders and files as arguments) are required")
	case model.Dir == "":
		return cli.ErrNoModel
	case *top < 0 || *minScore < 0 || *minScore > 1 || *cacheMB < 1:
		return errors.New("-top must be ≥ 0, -min-score in [0, 1], -cache-max-mb ≥ 1")
	case *format != "table" && *format != "csv" && *format != "json":
		return fmt.Errorf("-format %q: want table, csv or json", *format)
	}
	job, err := cli.ReadFile(*jobPath)
	if err != nil {
		return err
	}
	files, err := list(paths)
	if err != nil {
		return err
	}
	m, err := newMatcher(ctx, model, cfg)
	if err != nil {
		return err
	}
	var cache *diskcache.Cache
	if *useCache {
		if cache, err = openCache(model, m.Config(), *cacheMB<<20); err != nil {
			return err
		}
	}
	jobText, err := cli.Text(ctx, m, *jobPath, job)
	if err != nil {
		return err
	}
	prepared, err := m.PrepareJob(ctx, jobText)
	if err != nil {
		return err
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// The model's work (sbert.Model.Work) over the ranking: the least time
	// any implementation needs is its FLOPs at the CPU's multiply-add rate.
	worker, _ := m.Embedder().(interface{ Work() sbert.Work })
	var work0 sbert.Work
	if worker != nil {
		work0 = worker.Work()
	}
	start, cpu := time.Now(), cpuTime()
	bar := newBar(stderr, len(files))
	r := ranker{m: m, cache: cache, files: files, top: *top, minScore: *minScore}
	err = m.MatchEach(ctx, prepared, len(files), r.prepare, func(i int, res *matcher.Result, err error) error {
		bar.Add(1)
		r.add(i, res, err)
		return nil
	})
	bar.Finish()
	if err != nil {
		return err
	}
	elapsed, cpu := time.Since(start), cpuTime()-cpu
	for _, e := range r.errs {
		fmt.Fprintln(stderr, e)
	}
	fmt.Fprintf(stderr, "ranked %d resumes in %.3f s (%.1f/s), %d from the cache, %d failed, %.3f s of CPU",
		len(files)-len(r.errs), elapsed.Seconds(), float64(len(files))/elapsed.Seconds(), r.hits.Load(), len(r.errs), cpu.Seconds())
	if worker != nil {
		w := worker.Work().Sub(work0)
		fmt.Fprintf(stderr, ", the model embedded %d texts (%d tokens, %.2f GFLOP)", w.Sequences, w.Tokens, float64(w.FLOPs)/1e9)
	}
	if n := r.putErrs.Load(); n > 0 {
		fmt.Fprintf(stderr, ", %d could not be cached", n)
	}
	fmt.Fprintln(stderr)

	entries := r.ranking()
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	case "csv":
		return writeCSV(stdout, entries)
	}
	return table(stdout, entries)
}

// newMatcher loads the model; tests replace it.
var newMatcher = func(ctx context.Context, model *cli.Model, cfg matcher.Config) (*matcher.Matcher, error) {
	return matcher.NewFromModelDir(ctx, model.Dir, cfg, model.Options()...)
}

// list returns the resume files of paths: folders' regular, non-hidden
// files in name order, and files as given.
func list(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		des, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		for _, de := range des {
			if de.Type().IsRegular() && !strings.HasPrefix(de.Name(), ".") {
				files = append(files, filepath.Join(p, de.Name()))
			}
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no resume files in %s", strings.Join(paths, ", "))
	}
	return files, nil
}

func openCache(model *cli.Model, cfg matcher.Config, maxBytes int64) (*diskcache.Cache, error) {
	dir, err := diskcache.DefaultDir()
	if err != nil {
		return nil, err
	}
	id, err := diskcache.ModelID(model.Dir)
	if err != nil {
		return nil, err
	}
	return diskcache.Open(dir, diskcache.Namespace(id, model.Int8, cfg), maxBytes)
}

// newBar returns a progress bar on w when w is a terminal, and one that
// writes nothing otherwise.
func newBar(w io.Writer, n int) *progressbar.ProgressBar {
	if f, ok := w.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		return progressbar.DefaultSilent(int64(n))
	}
	return progressbar.NewOptions(n, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("ranking"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("resumes"),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
}

// ranker prepares the resumes and keeps the ranking. add is called by one
// goroutine at a time (MatchEach's yield); prepare by several.
type ranker struct {
	m        *matcher.Matcher
	cache    *diskcache.Cache
	files    []string
	top      int
	minScore float64

	hits    atomic.Int64
	kept    byScore // with top > 0, a heap of the best, worst first
	errs    []string
	putErrs atomic.Int64
}

// prepare returns the prepared resume of file i: its text read from the
// document, then its keywords and embeddings from the cache when they are
// there and sound, else extracted, embedded and cached.
func (r *ranker) prepare(ctx context.Context, i int) (*matcher.Resume, error) {
	raw, err := cli.ReadFile(r.files[i])
	if err != nil {
		return nil, err
	}
	doc, err := cli.Text(ctx, r.m, r.files[i], raw)
	if err != nil {
		return nil, err
	}
	if len(doc) > r.m.Config().MaxTextBytes {
		return nil, fmt.Errorf("%w: %s has %d bytes of text, over %d", matcher.ErrTooLarge, r.files[i], len(doc), r.m.Config().MaxTextBytes)
	}
	text := []byte(doc)
	if r.cache != nil {
		if kws, ok := r.cache.Get(text); ok {
			if res, err := r.m.RestoreResume(string(text), kws); err == nil {
				r.hits.Add(1)
				return res, nil
			}
		}
	}
	res, err := r.m.PrepareResume(ctx, string(text))
	if err != nil {
		return nil, err
	}
	if r.cache != nil && r.cache.Put(text, res.Prepared()) != nil {
		r.putErrs.Add(1) // a full or read-only cache slows the next run, no more
	}
	return res, nil
}

func (r *ranker) add(i int, res *matcher.Result, err error) {
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("%s: %v", r.files[i], err))
		return
	}
	if res.Score < r.minScore {
		return
	}
	e := entry{File: r.files[i], Score: res.Score, Matched: make([]string, len(res.Matched)), Missing: make([]string, len(res.Missing))}
	for k, kw := range res.Matched {
		e.Matched[k] = kw.Keyword
	}
	for k, kw := range res.Missing {
		e.Missing[k] = kw.Keyword
	}
	if r.top == 0 {
		r.kept = append(r.kept, e)
		return
	}
	if len(r.kept) < r.top {
		heap.Push(&r.kept, e)
	} else if better(e, r.kept[0]) {
		r.kept[0] = e
		heap.Fix(&r.kept, 0)
	}
}

// order orders entries best first: higher score, then file name.
func order(a, b entry) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.File, b.File))
}

func better(a, b entry) bool { return order(a, b) < 0 }

// ranking returns the kept entries, best first.
func (r *ranker) ranking() []entry {
	out := slices.Clone([]entry(r.kept))
	slices.SortFunc(out, order)
	return out
}

// byScore is a min-heap of entries: the worst on top.
type byScore []entry

func (h byScore) Len() int           { return len(h) }
func (h byScore) Less(i, j int) bool { return better(h[j], h[i]) }
func (h byScore) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *byScore) Push(x any)        { *h = append(*h, x.(entry)) }
func (h *byScore) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// table writes the ranking for people to read: the most important missing
// keywords show why a resume ranks lower.
func table(w io.Writer, entries []entry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tSCORE\tMATCHED\tFILE\tTOP MISSING")
	for i, e := range entries {
		fmt.Fprintf(tw, "%d\t%.0f%%\t%d/%d\t%s\t%s\n", i+1, 100*e.Score, len(e.Matched), len(e.Matched)+len(e.Missing),
			e.File, strings.Join(e.Missing[:min(3, len(e.Missing))], ", "))
	}
	return tw.Flush()
}

func writeCSV(w io.Writer, entries []entry) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"rank", "file", "score", "matched", "job_keywords", "missing"})
	for i, e := range entries {
		cw.Write([]string{strconv.Itoa(i + 1), e.File, strconv.FormatFloat(e.Score, 'f', 4, 64),
			strconv.Itoa(len(e.Matched)), strconv.Itoa(len(e.Matched) + len(e.Missing)), strings.Join(e.Missing, "; ")})
	}
	cw.Flush()
	return cw.Error()
}
