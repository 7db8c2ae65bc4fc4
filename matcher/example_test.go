package matcher_test

import (
	"context"
	"fmt"

	"github.com/jobmatch/jobmatch/matcher"
)

// In these examples a toy extractor takes the comma- or period-separated
// pieces of a text as its keywords, most important first, and a toy embedder
// knows a few hand-made vectors; keywords are embedded in their canonical
// form (the default Vocabulary knows that k8s is Kubernetes and Excel is
// Microsoft Excel, and writes a resume's aliases out). A real Matcher uses YAKE and all-MiniLM-L6-v2: see
// NewFromModelDir.
func toyMatcher() (*matcher.Matcher, error) {
	emb := &tableEmbedder{table: map[string][]float32{
		"kubernetes":      vec(1),
		"sql":             vec(0, 1),
		"postgresql":      vec(0, 1, 0.5),
		"python":          vec(0, 0, 1),
		"apache spark":    vec(0, 0, 0, 1),
		"microsoft excel": vec(0, 0.3, 0, 0.2, 1),
		"cooking":         vec(0, 0, 0, 0, 0, 1),
	}}
	return matcher.New(&listExtractor{}, emb, matcher.DefaultConfig())
}

func Example() {
	m, err := toyMatcher()
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := m.Match(context.Background(),
		"Python, Kubernetes, SQL, Spark",
		"python. k8s. PostgreSQL. Excel")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("score %.2f\n", res.Score)
	for _, k := range res.Matched {
		fmt.Printf("matched %-10s ~ %-16s %.2f via %s\n", k.Keyword, k.Resume, k.Similarity, k.Via)
	}
	for _, k := range res.Missing {
		fmt.Printf("missing %-10s (closest %s, %.2f)\n", k.Keyword, k.Resume, k.Similarity)
	}
	// Output:
	// score 0.81
	// matched Python     ~ python           1.00 via keyword
	// matched Kubernetes ~ Kubernetes       1.00 via keyword
	// matched SQL        ~ PostgreSQL       0.89 via embedding
	// missing Spark      (closest Microsoft Excel, 0.19)
}

func ExampleMatcher_RankResumes() {
	m, err := toyMatcher()
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	job, err := m.PrepareJob(ctx, "Python, Kubernetes, SQL")
	if err != nil {
		fmt.Println(err)
		return
	}
	resumes := []string{"Cooking", "python, postgresql", "k8s, python, sql"}
	ranked, err := m.RankResumes(ctx, job, resumes)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range ranked {
		fmt.Printf("%.2f %s\n", r.Result.Score, resumes[r.Index])
	}
	// Output:
	// 1.00 k8s, python, sql
	// 0.68 python, postgresql
	// 0.00 Cooking
}
