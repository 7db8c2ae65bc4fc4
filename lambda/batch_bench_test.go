//go:build unix

package lambda

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// BenchmarkBatch measures the batch handler with the real model on the
// first 100 of the 128 real resumes that ship in
// examples/rank/testdata/resumes.jsonl.gz (the evaluation's Kaggle resumes,
// median about 2.4 kB), the job of examples/testdata, and a store in
// memory, so that it measures scoring, not S3: cpu_ms_per_resume is the cost
// that terraform/README.md's capacity note scales. Each iteration is a
// fresh Batch (no embedding cache carried over) whose model is loaded
// before the timer starts. Run with -cpu 1 for one vCPU (1769 MB of Lambda).
func BenchmarkBatch(b *testing.B) {
	modelDir := sberttest.ModelDir(b)
	f, err := os.Open("../examples/rank/testdata/resumes.jsonl.gz")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for dec := json.NewDecoder(zr); ; {
		var r struct{ Text string }
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, r.Text)
	}
	job, err := os.ReadFile("../examples/testdata/job.txt")
	if err != nil {
		b.Fatal(err)
	}
	const n = 100
	store := &memStore{objects: map[string][]byte{}}
	ev := BatchEvent{BatchInput: BatchInput{Job: string(job), Bucket: "in", ResultsBucket: "out"}}
	for i, text := range texts[:n] {
		key := fmt.Sprintf("r/%03d.txt", i)
		store.objects["in/"+key] = []byte(text)
		ev.Items = append(ev.Items, BatchItem{Key: key, Size: int64(len(text))})
	}
	var scored int
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		svc := New(Options{ModelDir: modelDir, Logger: slog.New(slog.DiscardHandler)})
		if err := svc.Warm(context.Background()); err != nil {
			b.Fatal(err)
		}
		batch := NewBatch(svc, BatchOptions{Store: store})
		before := cpuTime(b)
		b.StartTimer()
		out, err := batch.Handle(context.Background(), ev)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime(b) - before
		b.StartTimer()
		scored = out.Scored
	}
	if scored != n {
		b.Fatalf("scored %d of %d", scored, n)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*n), "ms_per_resume")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N*n), "cpu_ms_per_resume")
}

// cpuTime is the CPU time (user and system) the process has used: on a
// shared machine, wall time says more about the neighbours than the code.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
