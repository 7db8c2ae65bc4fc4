package sbert

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// golden is a file written by testdata/gen_golden.py: texts, the token ids
// of the reference tokenizer and the sentence-transformers embeddings.
type golden struct {
	Note     string            `json:"note"`
	Weights  string            `json:"weights_sha256"` // of model.safetensors
	Versions map[string]string `json:"versions"`
	Dim      int               `json:"dim"`
	Texts    []string          `json:"texts"`
	IDs      [][]int32         `json:"ids"`
	Raw      string            `json:"embeddings"`
	Emb      [][]float32       `json:"-"`
}

func readGolden(t testing.TB, path string) *golden {
	t.Helper()
	var g golden
	sberttest.ReadGzipJSON(t, path, &g)
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

// checkModel compares the embeddings of a model with a golden file: from
// the golden token ids (the model alone), then from the texts one by one
// with Encode and in shuffled batches of varied sizes with EncodeBatch. Every
// embedding must also be bitwise the same whichever way it was computed.
// With the portable kernels (-tags purego), which are several times slower
// and have one path for every shape, Encode and EncodeBatch take every
// fourth text; the golden ids still run in full.
func checkModel(t *testing.T, m *Model, g *golden, minCos, maxDiff float64) {
	if m.Dim() != g.Dim {
		t.Fatalf("Dim() = %d, golden dim %d", m.Dim(), g.Dim)
	}
	ctx := context.Background()
	fromIDs := make([][]float32, len(g.IDs))
	for i := range fromIDs {
		fromIDs[i] = make([]float32, m.Dim())
	}
	if err := m.embedIDs(ctx, g.IDs, fromIDs); err != nil {
		t.Fatal(err)
	}
	t.Run("ids", func(t *testing.T) {
		f := newFidelity()
		for i := range fromIDs {
			f.add(g.Texts[i], fromIDs[i], g.Emb[i])
		}
		f.check(t, minCos, maxDiff)
	})
	t.Run("tokenizer", func(t *testing.T) {
		bad := 0
		for i, text := range g.Texts {
			if got := m.Tokenizer().Encode(text); !slices.Equal(got, g.IDs[i]) {
				if bad++; bad <= 3 {
					t.Errorf("Encode(%.60q) = %v, want %v", text, got, g.IDs[i])
				}
			}
		}
		if bad > 0 {
			t.Errorf("%d of %d texts tokenized differently", bad, len(g.Texts))
		}
	})

	same := func(t *testing.T, i int, got []float32) {
		t.Helper()
		for j := range got {
			if got[j] != fromIDs[i][j] {
				t.Fatalf("text %d %.60q: [%d] = %g, from the golden ids alone %g", i, g.Texts[i], j, got[j], fromIDs[i][j])
			}
		}
	}
	stride := 1
	if portableKernels {
		stride = 4
	}
	t.Run("Encode", func(t *testing.T) {
		f := newFidelity()
		for i := 0; i < len(g.Texts); i += stride {
			text := g.Texts[i]
			got, err := m.Encode(ctx, text)
			if err != nil {
				t.Fatalf("Encode(%q): %v", text, err)
			}
			f.add(text, got, g.Emb[i])
			same(t, i, got)
		}
		f.check(t, minCos, maxDiff)
	})
	t.Run("EncodeBatch", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		var order []int
		for _, i := range rng.Perm(len(g.Texts)) {
			if i%stride == 0 {
				order = append(order, i)
			}
		}
		f := newFidelity()
		for len(order) > 0 {
			n := min(len(order), 1+rng.IntN(40))
			texts := make([]string, n)
			for k, i := range order[:n] {
				texts[k] = g.Texts[i]
			}
			got, err := m.EncodeBatch(ctx, texts)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("EncodeBatch of %d texts returned %d embeddings", n, len(got))
			}
			for k, i := range order[:n] {
				f.add(g.Texts[i], got[k], g.Emb[i])
				same(t, i, got[k])
			}
			order = order[n:]
		}
		f.check(t, minCos, maxDiff)
	})
}

func TestTiny(t *testing.T) {
	for _, name := range []string{"tiny-cls", "tiny-max"} {
		t.Run(name, func(t *testing.T) {
			dir := "testdata/" + name
			g := readGolden(t, dir+"/golden.json.gz")
			checkWeights(t, dir+"/model.safetensors", g.Weights)
			m, err := Load(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			checkModel(t, m, g, 0.99999, 1e-5)
		})
	}
}

func TestMiniLM(t *testing.T) {
	dir := sberttest.ModelDir(t)
	g := readGolden(t, "testdata/golden-minilm.json.gz")
	checkWeights(t, filepath.Join(dir, "model.safetensors"), g.Weights)
	m, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Int8() {
		t.Fatal("Int8 reports true for a model loaded without WithInt8")
	}
	checkModel(t, m, g, 0.99999, 1e-5)
}

// checkWeights fails t unless the file at path has the SHA-256 of the
// weights the goldens were made with.
func checkWeights(t *testing.T, path, want string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Fatalf("%s has SHA-256 %s; the goldens were made from %s", path, got, want)
	}
}

// TestMiniLMInt8 bounds the error of the int8 weights against the goldens.
func TestMiniLMInt8(t *testing.T) {
	dir := sberttest.ModelDir(t)
	g := readGolden(t, "testdata/golden-minilm.json.gz")
	m, err := Load(context.Background(), dir, WithInt8())
	if err != nil {
		t.Fatal(err)
	}
	if !m.Int8() {
		t.Fatal("Int8 reports false for a model loaded WithInt8")
	}
	got, err := m.EncodeBatch(context.Background(), g.Texts)
	if err != nil {
		t.Fatal(err)
	}
	f := newFidelity()
	var sum float64
	for i := range got {
		f.add(g.Texts[i], got[i], g.Emb[i])
		sum += cosine(got[i], g.Emb[i])
	}
	t.Logf("mean cosine 1-%.3g", 1-sum/float64(len(got)))
	f.check(t, 0.999, 0.01)
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}
