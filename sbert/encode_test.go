package sbert

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

func loadTiny(t testing.TB, name string, opts ...Option) *Model {
	t.Helper()
	m, err := Load(context.Background(), "testdata/"+name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEncodeBatchEdges(t *testing.T) {
	m := loadTiny(t, "tiny-max")
	ctx := context.Background()
	got, err := m.EncodeBatch(ctx, nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("EncodeBatch(nil) = %v, %v; want an empty slice and no error", got, err)
	}
	empty, err := m.Encode(ctx, "")
	if err != nil || len(empty) != m.Dim() {
		t.Fatalf("Encode(\"\") = %d values, %v", len(empty), err)
	}
	// A text far beyond MaxSeqLen is truncated like its first tokens.
	long := strings.Repeat("data ", 1000)
	a, err := m.Encode(ctx, long)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Encode(ctx, strings.Repeat("data ", m.MaxSeqLen()))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("a long text and its truncation have different embeddings")
	}
}

// TestChunks checks that EncodeBatch gives the same bits whatever the chunk
// size and whether texts come alone or in a batch.
func TestChunks(t *testing.T) {
	g := readGolden(t, "testdata/tiny-cls/golden.json.gz")
	ctx := context.Background()
	var want [][]float32
	for _, opt := range []Option{WithBatchTokens(0), WithBatchTokens(40), WithBatchTokens(1000), WithBatchTokens(1 << 20)} {
		got, err := loadTiny(t, "tiny-cls", opt).EncodeBatch(ctx, g.Texts)
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got
			continue
		}
		for i := range got {
			if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
				t.Fatalf("text %q: chunking changed the embedding", g.Texts[i])
			}
		}
	}
}

func TestCancel(t *testing.T) {
	m := loadTiny(t, "tiny-cls")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Encode(ctx, "go"); !errors.Is(err, context.Canceled) {
		t.Errorf("Encode with a cancelled context: %v", err)
	}
	if _, err := m.EncodeBatch(ctx, []string{"go", "rust"}); !errors.Is(err, context.Canceled) {
		t.Errorf("EncodeBatch with a cancelled context: %v", err)
	}
	if _, err := Load(ctx, "testdata/tiny-cls"); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context: %v", err)
	}
}

// TestConcurrent encodes from several goroutines at once; each must get
// the embeddings of a sequential run.
func TestConcurrent(t *testing.T) {
	m := loadTiny(t, "tiny-max")
	g := readGolden(t, "testdata/tiny-max/golden.json.gz")
	ctx := context.Background()
	want, err := m.EncodeBatch(ctx, g.Texts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < len(g.Texts); i += 3 {
				got, err := m.Encode(ctx, g.Texts[i])
				if err != nil {
					errs <- err
					return
				}
				if fmt.Sprint(got) != fmt.Sprint(want[i]) {
					errs <- fmt.Errorf("text %q: concurrent Encode differs", g.Texts[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestEncodeAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under -race")
	}
	m := loadTiny(t, "tiny-max")
	ctx := context.Background()
	text := "Senior Go developer with Kubernetes, AWS and PostgreSQL experience"
	m.Encode(ctx, text)
	// The result is the only allocation of a warm Encode.
	if n := testing.AllocsPerRun(100, func() { m.Encode(ctx, text) }); n > 1 {
		t.Errorf("Encode allocates %v times per call, want 1", n)
	}
}

var benchText = strings.Repeat("Experienced software engineer building distributed data pipelines in Go and Python on AWS. ", 20)

// BenchmarkEncode measures one text of n tokens, and a batch of 64 short
// phrases, with all-MiniLM-L6-v2, at the thread counts of -cpu.
//
// Its loops use b.N, not b.Loop: a b.Loop benchmark measures itself in its
// first run, which testing starts before it sets GOMAXPROCS to the first
// -cpu value (Go 1.26), so "-cpu 1" would report two threads' time.
func BenchmarkEncode(b *testing.B) { benchmarkEncode(b) }

// BenchmarkEncodeInt8 is BenchmarkEncode with WithInt8. It also reports
// cos-f32, the least cosine of the embeddings to the float32 model's.
func BenchmarkEncodeInt8(b *testing.B) { benchmarkEncode(b, WithInt8()) }

func benchmarkEncode(b *testing.B, opts ...Option) {
	m, err := Load(context.Background(), sberttest.ModelDir(b), opts...)
	if err != nil {
		b.Fatal(err)
	}
	var f32 *Model // the float32 model of cos-f32, when opts change m
	if len(opts) > 0 {
		if f32, err = Load(context.Background(), sberttest.ModelDir(b)); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	// Words of benchText that are one token each, so that n-2 of them make
	// an n-token text.
	var words []string
	for _, w := range strings.Fields(benchText) {
		if len(m.Tokenizer().Encode(w)) == 3 {
			words = append(words, w)
		}
	}
	for _, n := range []int{8, 32, 128, 256} {
		var sb strings.Builder
		for i := range n - 2 {
			sb.WriteString(words[i%len(words)] + " ")
		}
		text := sb.String()
		if got := len(m.Tokenizer().Encode(text)); got != n {
			b.Fatalf("%d-token text has %d tokens", n, got)
		}
		b.Run(fmt.Sprintf("tokens=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			reportCos(b, m, f32, text)
			defer reportWork(b, m, m.Work())
			defer reportCPU(b, cpuTime())
			for range b.N {
				if _, err := m.Encode(ctx, text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	phrases := strings.Fields("python golang kubernetes docker terraform aws azure gcp sql postgresql mongodb redis kafka spark airflow tableau")
	var batch []string
	for i := range 64 {
		batch = append(batch, phrases[i%len(phrases)]+" "+phrases[(i*7+3)%len(phrases)]+" developer")
	}
	b.Run("batch=64-keyphrases", func(b *testing.B) {
		b.ReportAllocs()
		reportCos(b, m, f32, batch...)
		defer reportWork(b, m, m.Work())
		defer reportCPU(b, cpuTime())
		for range b.N {
			if _, err := m.EncodeBatch(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCos reports the least cosine between the embeddings of texts by m
// and by f32, when f32 is not nil, as cos-f32, and leaves that work out of
// the timings.
func reportCos(b *testing.B, m, f32 *Model, texts ...string) {
	if f32 == nil {
		return
	}
	got, err := m.EncodeBatch(context.Background(), texts)
	if err != nil {
		b.Fatal(err)
	}
	want, err := f32.EncodeBatch(context.Background(), texts)
	if err != nil {
		b.Fatal(err)
	}
	least := 1.0
	for i := range got {
		least = min(least, cosine(got[i], want[i]))
	}
	b.ResetTimer() // which also drops reported metrics
	b.ReportMetric(least, "cos-f32")
}

// reportWork reports the model's floating-point operations per operation
// since start (Model.Work) as MFLOP/op, and their rate as GFLOP/s: against
// BenchmarkCeilingFMA's, how close the encoder comes to the CPU's best.
func reportWork(b *testing.B, m *Model, start Work) {
	w := m.Work().Sub(start)
	b.ReportMetric(float64(w.FLOPs)/1e6/float64(b.N), "MFLOP/op")
	b.ReportMetric(float64(w.FLOPs)/1e9/b.Elapsed().Seconds(), "GFLOP/s")
}

// reportCPU reports the process CPU time per operation since start (all
// threads, zero where unsupported): on a busy machine it shows the work
// done better than ns/op, though it counts work on both cores.
func reportCPU(b *testing.B, start time.Duration) {
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// FuzzEncode feeds arbitrary text to a model with Normalize: every
// embedding must be finite with unit norm, and the same alone as in a batch.
func FuzzEncode(f *testing.F) {
	m := loadTiny(f, "tiny-max")
	g := readGolden(f, "testdata/tiny-max/golden.json.gz")
	// Texts are cut at 128 bytes (the batch below repeats them up to the
	// tiny model's 64 positions): longer ones find little new and make the
	// fuzzer's minimizing, quadratic in the length, take most of its time.
	const maxLen = 128
	for _, text := range g.Texts {
		f.Add(text[:min(len(text), maxLen)])
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > maxLen {
			return
		}
		one, err := m.Encode(ctx, text)
		if err != nil {
			t.Fatal(err)
		}
		var norm float64
		for _, v := range one {
			norm += float64(v) * float64(v)
		}
		if !(math.Abs(norm-1) < 1e-5) {
			t.Fatalf("Encode(%q) has squared norm %g", text, norm)
		}
		batch, err := m.EncodeBatch(ctx, []string{"go", text, strings.Repeat(text, 3)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(batch[1], one) {
			t.Fatalf("Encode(%q) differs alone and in a batch", text)
		}
	})
}

// TestInt8 checks that WithInt8 loads and stays close to the float32
// goldens of the tiny model (the real bound is in TestMiniLMInt8).
func TestInt8(t *testing.T) {
	m := loadTiny(t, "tiny-max", WithInt8())
	g := readGolden(t, "testdata/tiny-max/golden.json.gz")
	got, err := m.EncodeBatch(context.Background(), g.Texts)
	if err != nil {
		t.Fatal(err)
	}
	f := newFidelity()
	for i := range got {
		f.add(g.Texts[i], got[i], g.Emb[i])
	}
	f.check(t, 0.95, 0.2)
}
