package main

import (
	"io/fs"
	"math"
	"testing"

	"github.com/jobmatch/jobmatch/yake"
)

func TestRankMeasures(t *testing.T) {
	// Ranked 0, 1, 2, 3 with grades 2, 0, 2, 1.
	m := rankMeasures([]float64{0.9, 0.8, 0.7, 0.6}, []int{2, 0, 2, 1})
	ideal := 3 + 3/math.Log2(3) + 1.0/2
	want := measures{
		ap:   (1 + 2.0/3) / 2,
		p5:   0.4,
		auc:  3.0 / 4,
		ndcg: (3 + 3.0/2 + 1/math.Log2(5)) / ideal,
	}
	if !near(m, want) {
		t.Errorf("rankMeasures = %+v, want %+v", m, want)
	}
	// Equal scores: AUC counts ties as half right.
	if m := rankMeasures([]float64{1, 1, 1, 1}, []int{2, 0, 0, 1}); m.auc != 0.5 {
		t.Errorf("AUC of equal scores = %g, want 0.5", m.auc)
	}
}

func near(a, b measures) bool {
	d := func(x, y float64) bool { return math.Abs(x-y) < 1e-12 }
	return d(a.ap, b.ap) && d(a.p5, b.p5) && d(a.auc, b.auc) && d(a.ndcg, b.ndcg)
}

func TestSpreadAndDistinct(t *testing.T) {
	docs := []document{{text: "a"}, {text: "b"}, {text: "a"}, {text: "c"}, {text: "b"}, {text: "d"}}
	if got := distinct(docs); len(got) != 4 || got[2].text != "c" {
		t.Errorf("distinct = %+v, want a b c d", got)
	}
	if got := spread(docs, 3, 0); len(got) != 3 || got[1].text != "a" || got[2].text != "b" {
		t.Errorf("spread(6 docs, 3, 0) = %+v, want positions 0, 2, 4", got)
	}
	if got := spread(docs, 3, 1); len(got) != 3 || got[0].text != "b" || got[2].text != "d" {
		t.Errorf("spread(6 docs, 3, 1) = %+v, want positions 1, 3, 5", got)
	}
}

// TestShippedData reads the evaluation data that ship with the command: a
// fresh clone must reproduce EVALUATION.md without any other file.
func TestShippedData(t *testing.T) {
	data, err := fs.Sub(shipped, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	resumes, err := readCSV(data, "resumes_dev.csv", "Resume_str", "Category")
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := readCSV(data, "jobs_dev.csv", "Job Description", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(resumes) != 481 || len(jobs) != 336 {
		t.Errorf("shipped data: %d resumes and %d jobs, want 481 and 336 (EVALUATION.md)", len(resumes), len(jobs))
	}
	if d := distinct(resumes); len(d) != 128 {
		t.Errorf("%d distinct resumes, want 128", len(d))
	}
	for _, r := range resumes {
		if r.text == "" || r.category == "" {
			t.Fatalf("resume row %s: empty text or category", r.id)
		}
	}
	// Language detection on real English texts: every resume is English or
	// too list-like to tell (8 rows of headings and names); of the jobs,
	// only the bilingual English and French posting (twice in the file) is
	// not English.
	for _, set := range []struct {
		docs  []document
		other int
	}{{resumes, 0}, {jobs, 2}} {
		other := 0
		for _, d := range set.docs {
			if lang, _ := yake.DetectLanguage(d.text); lang != "en" && lang != "" {
				other++
			}
		}
		if other > set.other {
			t.Errorf("%d texts detected in another language than English, want at most %d", other, set.other)
		}
	}
}
