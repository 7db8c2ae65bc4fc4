// Command loadtime loads a model with sbert.Load and prints, as one line of
// JSON, how long after the launch time given as its argument (Unix
// nanoseconds, taken by the shell just before it started this process)
// the model was ready, how long Load itself took, the CPU time and the peak
// resident memory of the process, and the file the weights came from; then
// how long the first EncodeBatch of twenty keyword phrases took (it reads
// and, from a pack file, verifies the weights it uses) and the peak
// resident memory after it. scripts/bench/loadtime.sh runs it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/jobmatch/jobmatch/sbert"
)

// phrases are keywords of the length YAKE extracts from a resume.
var phrases = []string{
	"python", "machine learning", "data pipelines", "sql", "aws lambda", "project management",
	"statistics", "deep learning", "cloud infrastructure", "kubernetes", "communication skills",
	"spark", "data visualization", "stakeholder management", "etl", "terraform", "go",
	"natural language processing", "agile", "customer success",
}

func main() {
	dir := flag.String("model", os.Getenv("JOBMATCH_MODEL_DIR"), "model directory")
	int8 := flag.Bool("int8", false, "load with sbert.WithInt8")
	noPack := flag.Bool("nopack", false, "load with sbert.WithoutPacked")
	flag.Parse()
	launch, err := strconv.ParseInt(flag.Arg(0), 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "usage: loadtime [-int8] [-nopack] [-model DIR] LAUNCH_UNIX_NS")
		os.Exit(2)
	}
	var opts []sbert.Option
	if *int8 {
		opts = append(opts, sbert.WithInt8())
	}
	if *noPack {
		opts = append(opts, sbert.WithoutPacked())
	}
	start := time.Now()
	m, err := sbert.Load(context.Background(), *dir, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtime:", err)
		os.Exit(1)
	}
	ready := time.Now()
	from, packErr := m.LoadedFrom()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	out := map[string]any{
		"ready_ms":   float64(ready.UnixNano()-launch) / 1e6,
		"load_ms":    float64(ready.Sub(start).Microseconds()) / 1e3,
		"maxrss_mib": float64(ru.Maxrss) / 1024, // KiB on Linux
		"cpu_ms":     float64((ru.Utime.Nano() + ru.Stime.Nano()) / 1e6),
		"from":       from,
	}
	if _, err := m.EncodeBatch(context.Background(), phrases); err != nil {
		fmt.Fprintln(os.Stderr, "loadtime:", err)
		os.Exit(1)
	}
	out["first_ms"] = float64(time.Since(ready).Microseconds()) / 1e3
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	out["first_maxrss_mib"] = float64(ru.Maxrss) / 1024
	if packErr != nil {
		out["pack_error"] = packErr.Error()
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
