package diskcache_test

import (
	"context"
	"fmt"
	"os"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/diskcache"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
)

// A resume prepared once is kept on disk and restored the next time, for
// any job: only the comparison runs again. The namespace keeps entries of
// another model or other settings apart.
func Example() {
	dir, err := os.MkdirTemp("", "resumes")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	cfg := matcher.DefaultConfig()
	// A stand-in embedder for the example; diskcache.ModelID(modelDir)
	// names a real model.
	m, err := matcher.NewWithEmbedder(matchertest.HashEmbedder{}, cfg)
	if err != nil {
		panic(err)
	}
	cache, err := diskcache.Open(dir, diskcache.Namespace("hash-embedder", false, cfg), diskcache.DefaultMaxBytes)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	resume := "Data scientist: Python, SQL and machine learning for churn prediction."
	prepare := func() (*matcher.Resume, string) {
		if kws, ok := cache.Get([]byte(resume)); ok {
			r, err := m.RestoreResume(resume, kws)
			if err != nil {
				panic(err)
			}
			return r, "restored from the cache"
		}
		r, err := m.PrepareResume(ctx, resume)
		if err != nil {
			panic(err)
		}
		if err := cache.Put([]byte(resume), r.Prepared()); err != nil {
			panic(err)
		}
		return r, "extracted and embedded"
	}
	for _, jobText := range []string{"Data Scientist: Python, SQL, churn models.", "Analyst: SQL and dashboards."} {
		job, err := m.PrepareJob(ctx, jobText)
		if err != nil {
			panic(err)
		}
		r, how := prepare()
		res, err := m.Compare(ctx, job, r)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s; %d job keywords compared\n", how, len(res.Matched)+len(res.Missing))
	}
	// Output:
	// extracted and embedded; 7 job keywords compared
	// restored from the cache; 3 job keywords compared
}
