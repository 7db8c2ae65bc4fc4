// Command eval measures how well the matcher ranks resumes for job postings,
// to choose the matcher's defaults. It reads the development split of the
// evaluation data (481 resumes labelled by category, 336 data-science job
// postings), ranks all distinct resumes for every job of a subset, and reports
// how high the resumes of the relevant category rank, for the matcher under
// several settings and for two baselines: the Jaccard overlap of the YAKE
// keyword sets, and the cosine similarity of whole-document embeddings.
//
// Usage:
//
//	go run ./matcher/eval [-data DIR] [-model DIR] [-jobs 84] [-years 1] > results.md
//
// The data ship with the command (testdata/, gzipped, see its README), so the
// evaluation reproduces on a fresh clone; -data reads resumes_dev.csv and
// jobs_dev.csv (or their .gz) from a directory instead.
//
// The jobs of the subset alternate between a tuning half and a checking half:
// choose on the first, confirm on the second. See matcher/EVALUATION.md.
package main

import (
	"cmp"
	"compress/gzip"
	"context"
	"embed"
	"encoding/csv"
	"encoding/gob"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/sbert"
	"github.com/jobmatch/jobmatch/similarity"
	"github.com/jobmatch/jobmatch/yake"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		slog.Error("eval", "err", err)
		os.Exit(1)
	}
}

// relevant and related are the resume categories that count as a fit for a
// data-science posting: fully for MAP, P@5 and AUC, and with grades 2 and 1
// for nDCG@10.
var (
	relevant = "Data Science"
	related  = []string{"Python Developer", "Hadoop", "ETL Developer", "Database", "Business Analyst"}
)

// maxKeywords is the most keywords any setting takes from a text; the
// extractor is asked for this many once, and each matcher takes its share.
const maxKeywords = 100

type document struct {
	id       string // row in the original data
	category string // resumes only
	text     string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	flags := flag.NewFlagSet("eval", flag.ContinueOnError)
	dataDir := flags.String("data", "", "`dir`ectory with resumes_dev.csv and jobs_dev.csv, plain or gzipped (default: the shipped testdata)")
	modelDir := flags.String("model", os.Getenv("JOBMATCH_MODEL_DIR"), "model `dir`ectory (default $JOBMATCH_MODEL_DIR)")
	nJobs := flags.Int("jobs", 84, "number of job postings to evaluate, spread evenly over the file")
	offset := flags.Int("offset", 0, "shift the evenly spread job postings by this many rows (another subset)")
	workers := flags.Int("workers", 2, "goroutines for matching")
	docs := flags.Bool("docs", true, "include the whole-document embedding baselines (the slowest part)")
	cacheFile := flags.String("cache", "", "keep the embeddings in this `file` between runs (read if it exists, written at the end)")
	all := flags.Bool("grid", true, "compare the settings around the defaults; false runs the defaults only")
	years := flags.Float64("years", 0, "also run the defaults with Config.YearsShortfall set to this")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *modelDir == "" {
		return errors.New("no model: set -model or JOBMATCH_MODEL_DIR")
	}
	start := time.Now()
	data, err := fs.Sub(shipped, "testdata")
	if err != nil {
		return err
	}
	if *dataDir != "" {
		data = os.DirFS(*dataDir)
	}
	resumes, err := readCSV(data, "resumes_dev.csv", "Resume_str", "Category")
	if err != nil {
		return err
	}
	nRows := len(resumes)
	resumes = distinct(resumes)
	jobs, err := readCSV(data, "jobs_dev.csv", "Job Description", "")
	if err != nil {
		return err
	}
	nAllJobs := len(jobs)
	jobs = spread(jobs, *nJobs, *offset)

	opts := yake.DefaultOptions()
	opts.Top = maxKeywords
	ext, err := yake.New(opts)
	if err != nil {
		return err
	}
	model, err := sbert.Load(ctx, *modelDir)
	if err != nil {
		return err
	}
	e := &evaluation{
		ctx: ctx, workers: *workers, resumes: resumes, jobs: jobs,
		ext: &memoExtractor{ext: ext, memo: map[string][]yake.Keyword{}},
		emb: &memoEmbedder{emb: model, memo: map[string][]float32{}},
	}
	if *cacheFile != "" {
		if err := e.emb.load(*cacheFile); err != nil {
			return err
		}
		defer func() {
			if err := e.emb.save(*cacheFile); err != nil {
				slog.Error("eval: save the embeddings", "err", err)
			}
		}()
	}
	e.grades = make([]int, len(resumes))
	for i, r := range resumes {
		switch {
		case r.category == relevant:
			e.grades[i] = 2
		case slices.Contains(related, r.category):
			e.grades[i] = 1
		}
	}

	var rows []row
	add := func(name string, scores [][]float64, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rows = append(rows, e.measure(name, scores))
		slog.Info("evaluated", "method", name, "elapsed", time.Since(start).Round(time.Second))
		return nil
	}
	if err := add("random order", e.constant(), nil); err != nil {
		return err
	}
	d := matcher.DefaultConfig()
	scores, err := e.jaccard(d.JobKeywords, d.ResumeKeywords)
	if err := add(fmt.Sprintf("Jaccard of keyword sets (%d job, %d resume)", d.JobKeywords, d.ResumeKeywords), scores, err); err != nil {
		return err
	}
	if *docs {
		first, mean, err := e.documentEmbeddings(150)
		if err := add("whole document: first chunk embedding", first, err); err != nil {
			return err
		}
		if err := add("whole document: mean of chunk embeddings", mean, err); err != nil {
			return err
		}
	}
	cfgs := []matcher.Config{base()}
	if *all {
		cfgs = grid()
	}
	if *years > 0 {
		c := base()
		c.YearsShortfall = *years
		cfgs = append(cfgs, c)
	}
	for _, cfg := range cfgs {
		scores, err := e.matcher(cfg)
		if err := add(configName(cfg), scores, err); err != nil {
			return err
		}
	}

	counts := map[string]int{}
	for _, r := range resumes {
		counts[r.category]++
	}
	fmt.Fprintf(out, "Command: `go run ./matcher/eval %s`\n\n", strings.Join(args, " "))
	fmt.Fprintf(out, "Data: %d resume rows, %d distinct texts (%d %q, %d related); %d of %d job postings (%d tuning, %d checking).\n",
		nRows, len(resumes), counts[relevant], relevant, func() (n int) {
			for _, c := range related {
				n += counts[c]
			}
			return n
		}(), len(jobs), nAllJobs, (len(jobs)+1)/2, len(jobs)/2)
	fmt.Fprintf(out, "Distinct keywords and chunks embedded: %d. Run time: %s.\n", len(e.emb.memo), time.Since(start).Round(time.Second))
	y := e.years
	fmt.Fprintf(out, "Years of experience (default settings): %d of %d postings ask years for one of their keywords; %d of %d resumes state years for a matched keyword or in general; "+
		"%d of %d (posting, resume) pairs have a matched keyword with years asked and stated, %d with fewer stated (%d of them with a %q resume).\n\n",
		y.jobs, len(jobs), len(y.resumes), len(resumes), y.pairs, len(jobs)*len(resumes), y.fewer, y.fewerRelevant, relevant)
	writeTable(out, rows)
	return nil
}

// grid returns the matcher settings to compare: the defaults, and around
// them one setting changed at a time.
func grid() []matcher.Config {
	base := base() // the memoising embedder caches
	var cfgs []matcher.Config
	add := func(edit func(*matcher.Config)) {
		c := base
		edit(&c)
		if !slices.Contains(cfgs, c) {
			cfgs = append(cfgs, c)
		}
	}
	add(func(*matcher.Config) {})
	for _, th := range []float64{0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1} {
		add(func(c *matcher.Config) { c.Threshold = th })
	}
	for _, w := range []matcher.Weighting{matcher.WeightRank, matcher.WeightInverse, matcher.WeightUniform} {
		for _, th := range []float64{0.5, 0.6, 0.7} {
			add(func(c *matcher.Config) { c.Weighting, c.Threshold = w, th })
		}
	}
	for _, n := range []int{10, 20, 30, 40, 50} {
		add(func(c *matcher.Config) { c.JobKeywords = n })
	}
	for _, text := range []bool{false, true} {
		for _, n := range []int{20, 40, 60, 80, 100} {
			add(func(c *matcher.Config) { c.MatchText, c.ResumeKeywords = text, n })
		}
	}
	return cfgs
}

// base is the default configuration as the grid uses it.
func base() matcher.Config {
	c := matcher.DefaultConfig()
	c.CacheSize = -1
	return c
}

func configName(c matcher.Config) string {
	s := fmt.Sprintf("matcher %s, threshold %.1f", c.Weighting, c.Threshold)
	if d := matcher.DefaultConfig(); c.JobKeywords != d.JobKeywords || c.ResumeKeywords != d.ResumeKeywords {
		s += fmt.Sprintf(", %d job / %d resume keywords", c.JobKeywords, c.ResumeKeywords)
	}
	if c.MatchText {
		s += ", text matching"
	}
	if c.YearsShortfall > 0 {
		s += fmt.Sprintf(", years shortfall %g", c.YearsShortfall)
	}
	if c == base() {
		s = "**" + s + " (default)**"
	}
	return s
}

// shipped is the development split of the evaluation data, gzipped.
//
//go:embed testdata/*.csv.gz
var shipped embed.FS

// readCSV reads the text column (and the label column, if named) of the CSV
// file name, or else name.gz, in data: a header row and a "row" column.
func readCSV(data fs.FS, name, textCol, labelCol string) ([]document, error) {
	path := name
	f, err := data.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		path = name + ".gz"
		f, err = data.Open(path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r = z
	}
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	col := func(name string) int { return slices.Index(recs[0], name) }
	it, il, ir := col(textCol), col(labelCol), col("row")
	if it < 0 || ir < 0 || (labelCol != "" && il < 0) {
		return nil, fmt.Errorf("%s: missing columns in %q", path, recs[0])
	}
	docs := make([]document, 0, len(recs)-1)
	for _, r := range recs[1:] {
		d := document{id: r[ir], text: r[it]}
		if il >= 0 {
			d.category = r[il]
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// distinct drops repeated texts: the resume data set holds many copies, and
// ranking copies would count the same resume several times.
func distinct(docs []document) []document {
	seen := map[string]bool{}
	var out []document
	for _, d := range docs {
		if !seen[d.text] {
			seen[d.text] = true
			out = append(out, d)
		}
	}
	return out
}

// spread picks n documents evenly spaced over docs, starting at offset.
func spread(docs []document, n, offset int) []document {
	if n <= 0 || n >= len(docs) {
		return docs
	}
	out := make([]document, n)
	for i := range out {
		out[i] = docs[(i*len(docs)/n+offset)%len(docs)]
	}
	return out
}

// memoExtractor extracts the keywords of each distinct text once.
type memoExtractor struct {
	ext  *yake.Extractor
	mu   sync.Mutex
	memo map[string][]yake.Keyword
}

func (m *memoExtractor) Extract(ctx context.Context, text string) ([]yake.Keyword, error) {
	m.mu.Lock()
	kws, ok := m.memo[text]
	m.mu.Unlock()
	if ok {
		return kws, nil
	}
	kws, err := m.ext.Extract(ctx, text)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.memo[text] = kws
	m.mu.Unlock()
	return kws, nil
}

// memoEmbedder embeds each distinct text once.
type memoEmbedder struct {
	emb  *sbert.Model
	mu   sync.Mutex
	memo map[string][]float32
}

func (m *memoEmbedder) EncodeBatch(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var todo []string
	var at []int
	m.mu.Lock()
	for i, t := range texts {
		if v, ok := m.memo[t]; ok {
			out[i] = v
		} else {
			todo, at = append(todo, t), append(at, i)
		}
	}
	m.mu.Unlock()
	if len(todo) == 0 {
		return out, nil
	}
	vecs, err := m.emb.EncodeBatch(ctx, todo)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	for k, v := range vecs {
		m.memo[todo[k]] = v
		out[at[k]] = v
	}
	m.mu.Unlock()
	return out, nil
}

// load reads embeddings saved by save, if path exists.
func (m *memoEmbedder) load(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(&m.memo); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// save writes every embedding computed so far to path.
func (m *memoEmbedder) save(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	m.mu.Lock()
	err = gob.NewEncoder(f).Encode(m.memo)
	m.mu.Unlock()
	return errors.Join(err, f.Close())
}

type evaluation struct {
	ctx     context.Context
	workers int
	resumes []document
	jobs    []document
	grades  []int // per resume: 2 relevant, 1 related, 0 other
	ext     *memoExtractor
	emb     *memoEmbedder
	years   yearsCount // of the default settings
}

// yearsCount counts how often the evaluation data states years of
// experience where the matcher can compare them.
type yearsCount struct {
	jobs                        int          // postings that ask years for a keyword
	resumes                     map[int]bool // resumes that state years for a matched keyword
	pairs, fewer, fewerRelevant int          // pairs with years asked and stated; with fewer stated
}

// constant scores every resume 0, leaving the order to the tie-breaking
// shuffle: the random baseline.
func (e *evaluation) constant() [][]float64 {
	s := make([][]float64, len(e.jobs))
	for j := range s {
		s[j] = make([]float64, len(e.resumes))
	}
	return s
}

// matcher scores every resume for every job with one matcher setting.
func (e *evaluation) matcher(cfg matcher.Config) ([][]float64, error) {
	m, err := matcher.New(e.ext, e.emb, cfg)
	if err != nil {
		return nil, err
	}
	resumes := make([]*matcher.Resume, len(e.resumes))
	for i, r := range e.resumes {
		if resumes[i], err = m.PrepareResume(e.ctx, r.text); err != nil {
			return nil, fmt.Errorf("resume row %s: %w", r.id, err)
		}
	}
	scores := make([][]float64, len(e.jobs))
	count := yearsCount{resumes: map[int]bool{}}
	var mu sync.Mutex
	err = e.parallel(len(e.jobs), func(j int) error {
		job, err := m.PrepareJob(e.ctx, e.jobs[j].text)
		if err != nil {
			return fmt.Errorf("job row %s: %w", e.jobs[j].id, err)
		}
		scores[j] = make([]float64, len(resumes))
		asks := false
		for i, r := range resumes {
			res, err := m.Compare(e.ctx, job, r)
			if err != nil {
				return err
			}
			scores[j][i] = res.Score
			stated, fewer := false, false
			for _, k := range append(res.Matched, res.Missing...) {
				asks = asks || k.YearsRequired != nil
				if k.YearsRequired != nil && k.YearsStated != nil {
					stated, fewer = true, fewer || *k.YearsStated < *k.YearsRequired
				}
			}
			mu.Lock()
			if stated {
				count.pairs++
				count.resumes[i] = true
			}
			if fewer {
				count.fewer++
				if e.grades[i] == 2 {
					count.fewerRelevant++
				}
			}
			mu.Unlock()
		}
		if asks {
			mu.Lock()
			count.jobs++
			mu.Unlock()
		}
		return nil
	})
	if cfg == base() {
		e.years = count
	}
	return scores, err
}

// jaccard scores by the Jaccard index of the lower-cased keyword sets.
func (e *evaluation) jaccard(nJob, nResume int) ([][]float64, error) {
	set := func(text string, n int) (map[string]bool, error) {
		kws, err := e.ext.Extract(e.ctx, text)
		if err != nil {
			return nil, err
		}
		s := map[string]bool{}
		for _, k := range kws[:min(n, len(kws))] {
			s[strings.Join(strings.Fields(strings.ToLower(k.Text)), " ")] = true
		}
		return s, nil
	}
	rs := make([]map[string]bool, len(e.resumes))
	for i, r := range e.resumes {
		var err error
		if rs[i], err = set(r.text, nResume); err != nil {
			return nil, err
		}
	}
	scores := make([][]float64, len(e.jobs))
	err := e.parallel(len(e.jobs), func(j int) error {
		js, err := set(e.jobs[j].text, nJob)
		if err != nil {
			return err
		}
		scores[j] = make([]float64, len(rs))
		for i, r := range rs {
			inter := 0
			for k := range js {
				if r[k] {
					inter++
				}
			}
			if union := len(js) + len(r) - inter; union > 0 {
				scores[j][i] = float64(inter) / float64(union)
			}
		}
		return nil
	})
	return scores, err
}

// documentEmbeddings scores by the cosine similarity of whole-document
// embeddings: the text is cut into chunks of chunkWords words (so that each
// fits the model's 256 tokens), and a document is the embedding of its first
// chunk, or the mean of all its chunks' embeddings.
func (e *evaluation) documentEmbeddings(chunkWords int) (first, mean [][]float64, err error) {
	embed := func(text string) (f, m []float32, err error) {
		ws := strings.Fields(text)
		var chunks []string
		for i := 0; i < len(ws); i += chunkWords {
			chunks = append(chunks, strings.Join(ws[i:min(i+chunkWords, len(ws))], " "))
		}
		if len(chunks) == 0 {
			chunks = []string{""}
		}
		vecs, err := e.emb.EncodeBatch(e.ctx, chunks)
		if err != nil {
			return nil, nil, err
		}
		m = make([]float32, len(vecs[0]))
		for _, v := range vecs {
			for k, x := range v {
				m[k] += x / float32(len(vecs))
			}
		}
		return vecs[0], m, nil
	}
	docs := append(slices.Clone(e.resumes), e.jobs...)
	firsts, means := make([][]float32, len(docs)), make([][]float32, len(docs))
	err = e.parallel(len(docs), func(i int) error {
		var err error
		firsts[i], means[i], err = embed(docs[i].text)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	sims := func(vecs [][]float32) ([][]float64, error) {
		m, err := similarity.NewMatrix(vecs[len(e.resumes):], vecs[:len(e.resumes)])
		if err != nil {
			return nil, err
		}
		out := make([][]float64, len(e.jobs))
		for j := range out {
			out[j] = slices.Clone(m.RawRow(j))
		}
		return out, nil
	}
	if first, err = sims(firsts); err != nil {
		return nil, nil, err
	}
	mean, err = sims(means)
	return first, mean, err
}

// parallel runs f(0..n-1) on e.workers goroutines and returns the first
// error.
func (e *evaluation) parallel(n int, f func(int) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan int)
	)
	for range e.workers {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// row holds a method's mean measures over the tuning and checking jobs.
type row struct {
	name          string
	tune, check   measures
	tuneN, checkN int
}

type measures struct{ ap, p5, auc, ndcg float64 }

func (m *measures) add(o measures) { m.ap += o.ap; m.p5 += o.p5; m.auc += o.auc; m.ndcg += o.ndcg }
func (m *measures) div(n int) {
	f := float64(n)
	m.ap, m.p5, m.auc, m.ndcg = m.ap/f, m.p5/f, m.auc/f, m.ndcg/f
}

// measure averages the ranking measures over the jobs; even positions of the
// subset tune, odd ones check.
func (e *evaluation) measure(name string, scores [][]float64) row {
	r := row{name: name}
	for j, s := range scores {
		m := rankMeasures(s, e.grades)
		if j%2 == 0 {
			r.tune.add(m)
			r.tuneN++
		} else {
			r.check.add(m)
			r.checkN++
		}
	}
	r.tune.div(max(1, r.tuneN))
	r.check.div(max(1, r.checkN))
	return r
}

// tieBreak is a fixed random order of the resumes: equal scores are ranked
// in this order, which favours no category.
var tieBreak []int

// rankMeasures ranks the resumes by score and returns average precision,
// precision at 5 and ROC AUC with grade 2 as relevant, and nDCG@10 with the
// grades as gains.
func rankMeasures(scores []float64, grades []int) measures {
	if len(tieBreak) != len(scores) {
		tieBreak = rand.New(rand.NewPCG(1, 1)).Perm(len(scores))
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(tieBreak[a], tieBreak[b])
	})
	var m measures
	hits, nRel := 0, 0
	for _, g := range grades {
		if g == 2 {
			nRel++
		}
	}
	for k, i := range order {
		if grades[i] == 2 {
			hits++
			m.ap += float64(hits) / float64(k+1)
			if k < 5 {
				m.p5 += 0.2
			}
		}
	}
	m.ap /= float64(max(1, nRel))
	// AUC: the share of (relevant, other) pairs ordered right, ties half.
	var good float64
	for i, gi := range grades {
		if gi != 2 {
			continue
		}
		for k, gk := range grades {
			if gk == 2 {
				continue
			}
			switch {
			case scores[i] > scores[k]:
				good++
			case scores[i] == scores[k]:
				good += 0.5
			}
		}
	}
	m.auc = good / float64(nRel*(len(grades)-nRel))
	dcg := func(gains []int) float64 {
		var s float64
		for k, g := range gains[:min(10, len(gains))] {
			s += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(k)+2)
		}
		return s
	}
	got := make([]int, len(order))
	for k, i := range order {
		got[k] = grades[i]
	}
	ideal := slices.Clone(grades)
	slices.SortFunc(ideal, func(a, b int) int { return b - a })
	m.ndcg = dcg(got) / dcg(ideal)
	return m
}

func writeTable(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| method | MAP tune / check | P@5 tune / check | AUC tune / check | nDCG@10 tune / check |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f |\n", r.name,
			r.tune.ap, r.check.ap, r.tune.p5, r.check.p5, r.tune.auc, r.check.auc, r.tune.ndcg, r.check.ndcg)
	}
}
