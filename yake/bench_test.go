package yake

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// benchDocs are the documents the Python benchmark (testdata/bench_yake.py)
// times, so that the two can be compared.
var benchDocs = []string{"ad_300w", "resumes_5k", "resumes_10k", "resumes_25k", "resumes_50k", "resumes_100k"}

func BenchmarkExtract(b *testing.B) {
	ctx := context.Background()
	for _, top := range []int{20, 100} {
		o := DefaultOptions()
		o.Top = top
		e, err := New(o)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range benchDocs {
			text, err := os.ReadFile("testdata/bench/" + name + ".txt")
			if err != nil {
				b.Skip(err)
			}
			b.Run(fmt.Sprintf("%s/top%d", name, top), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					if _, err := e.Extract(ctx, string(text)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
