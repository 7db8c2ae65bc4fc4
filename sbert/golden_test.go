package sbert

import (
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// golden is a file written by testdata/gen_golden.py: texts, the token ids
// of the reference tokenizer and the sentence-transformers embeddings.
type golden struct {
	Note     string            `json:"note"`
	Versions map[string]string `json:"versions"`
	Dim      int               `json:"dim"`
	Texts    []string          `json:"texts"`
	IDs      [][]int32         `json:"ids"`
	Raw      string            `json:"embeddings"`
	Emb      [][]float32       `json:"-"`
}

func readGolden(t testing.TB, path string) *golden {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.NewDecoder(zr).Decode(&g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b, err := base64.StdEncoding.DecodeString(g.Raw)
	if err != nil {
		t.Fatalf("%s: embeddings: %v", path, err)
	}
	if len(g.IDs) != len(g.Texts) || len(b) != 4*g.Dim*len(g.Texts) {
		t.Fatalf("%s: %d texts, %d id lists, %d embedding bytes for dim %d", path, len(g.Texts), len(g.IDs), len(b), g.Dim)
	}
	g.Emb = make([][]float32, len(g.Texts))
	for i := range g.Emb {
		g.Emb[i] = make([]float32, g.Dim)
		for j := range g.Emb[i] {
			g.Emb[i][j] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*(i*g.Dim+j):]))
		}
	}
	return &g
}

// fidelity accumulates the worst agreement between embeddings and goldens.
type fidelity struct {
	minCos, maxDiff   float64
	cosText, diffText string
}

func newFidelity() *fidelity { return &fidelity{minCos: 2} }

func (f *fidelity) add(text string, got, want []float32) {
	var dot, ng, nw, diff, scale float64
	for i := range want {
		g, w := float64(got[i]), float64(want[i])
		dot += g * w
		ng += g * g
		nw += w * w
		diff = max(diff, math.Abs(g-w))
		scale = max(scale, math.Abs(w))
	}
	// Differences are relative to the largest component when it exceeds 1,
	// as for models without Normalize.
	diff /= max(1, scale)
	cos := dot / math.Sqrt(ng*nw)
	if ng == 0 && nw == 0 {
		cos = 1
	}
	if !(cos >= f.minCos) {
		f.minCos, f.cosText = cos, text
	}
	if !(diff <= f.maxDiff) {
		f.maxDiff, f.diffText = diff, text
	}
}

// check fails t unless every embedding has cosine ≥ minCos and absolute
// difference ≤ maxDiff·max(1, max|golden|) to its golden, reporting the
// worst cases.
func (f *fidelity) check(t *testing.T, minCos, maxDiff float64) {
	t.Helper()
	t.Logf("worst cosine 1-%.3g (%.60q), worst abs diff %.3g (%.60q)", 1-f.minCos, f.cosText, f.maxDiff, f.diffText)
	if !(f.minCos >= minCos) {
		t.Errorf("cosine %.9f < %g for %q", f.minCos, minCos, f.cosText)
	}
	if !(f.maxDiff <= maxDiff) {
		t.Errorf("abs diff %.3g > %g for %q", f.maxDiff, maxDiff, f.diffText)
	}
}

// checkIDs compares a model's embeddings of the golden token ids with the
// golden embeddings, one sequence at a time and in one batch.
func checkIDs(t *testing.T, m *Model, g *golden, minCos, maxDiff float64) {
	if m.Dim() != g.Dim {
		t.Fatalf("Dim() = %d, golden dim %d", m.Dim(), g.Dim)
	}
	ctx := context.Background()
	single := newFidelity()
	one := make([][]float32, len(g.IDs))
	for i, ids := range g.IDs {
		one[i] = make([]float32, m.Dim())
		if err := m.embedIDs(ctx, g.IDs[i:i+1], one[i:i+1]); err != nil {
			t.Fatalf("text %d %q: %v", i, g.Texts[i], err)
		}
		single.add(g.Texts[i], one[i], g.Emb[i])
		_ = ids
	}
	t.Run("one-by-one", func(t *testing.T) { single.check(t, minCos, maxDiff) })

	batch := make([][]float32, len(g.IDs))
	for i := range batch {
		batch[i] = make([]float32, m.Dim())
	}
	if err := m.embedIDs(ctx, g.IDs, batch); err != nil {
		t.Fatal(err)
	}
	t.Run("batch", func(t *testing.T) {
		f := newFidelity()
		for i := range batch {
			f.add(g.Texts[i], batch[i], g.Emb[i])
		}
		f.check(t, minCos, maxDiff)
	})
	t.Run("batch-equals-single", func(t *testing.T) {
		for i := range batch {
			for j := range batch[i] {
				if batch[i][j] != one[i][j] {
					t.Fatalf("text %d %q: batched [%d] = %g, alone %g", i, g.Texts[i], j, batch[i][j], one[i][j])
				}
			}
		}
	})
}

func TestTinyIDs(t *testing.T) {
	for _, name := range []string{"tiny-cls", "tiny-max"} {
		t.Run(name, func(t *testing.T) {
			dir := "testdata/" + name
			m, err := loadModel(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			checkIDs(t, m, readGolden(t, dir+"/golden.json.gz"), 0.99999, 1e-5)
		})
	}
}

func TestMiniLMIDs(t *testing.T) {
	dir := sberttest.ModelDir(t)
	m, err := loadModel(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	checkIDs(t, m, readGolden(t, "testdata/golden-minilm.json.gz"), 0.99999, 1e-5)
}
