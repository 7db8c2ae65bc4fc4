package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/examples/internal/cli"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// golden is sbert's reference data: texts, the token ids and the
// embeddings that sentence-transformers gives them (sbert/testdata/gen_golden.py).
type golden struct {
	Dim        int       `json:"dim"`
	Texts      []string  `json:"texts"`
	IDs        [][]int32 `json:"ids"`
	Embeddings string    `json:"embeddings"` // base64 of little-endian float32, row-major
}

// goldenCases returns every seventh one-line golden text, which takes in
// short keywords and texts longer than the model's 256 tokens, with its ids
// and embedding.
func goldenCases(t *testing.T) (texts []string, ids [][]int32, embs [][]float32) {
	t.Helper()
	var g golden
	sberttest.ReadGzipJSON(t, filepath.Join("..", "..", "sbert", "testdata", "golden-minilm.json.gz"), &g)
	raw, err := base64.StdEncoding.DecodeString(g.Embeddings)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 4*g.Dim*len(g.Texts) || len(g.IDs) != len(g.Texts) {
		t.Fatalf("golden has %d texts, %d id lists and %d embedding bytes of dim %d", len(g.Texts), len(g.IDs), len(raw), g.Dim)
	}
	for i, text := range g.Texts {
		if i%7 != 0 || strings.ContainsAny(text, "\r\n") {
			continue
		}
		emb := make([]float32, g.Dim)
		for j := range emb {
			emb[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*(i*g.Dim+j):]))
		}
		texts, ids, embs = append(texts, text), append(ids, g.IDs[i]), append(embs, emb)
	}
	return texts, ids, embs
}

func jsonLines[T any](t *testing.T, out []byte) []T {
	t.Helper()
	var lines []T
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, maxLine)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("output line %d: %v: %s", len(lines)+1, err, sc.Text())
		}
		lines = append(lines, v)
	}
	return lines
}

func TestTokensMatchReference(t *testing.T) {
	dir := sberttest.ModelDir(t)
	texts, ids, _ := goldenCases(t)
	if !slices.ContainsFunc(ids, func(s []int32) bool { return len(s) == 256 }) {
		t.Fatal("no golden text reaches the 256-token limit; the truncation is untested")
	}
	input := filepath.Join(t.TempDir(), "texts.txt")
	if err := os.WriteFile(input, []byte(strings.Join(texts, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-model", dir, "-tokens", input}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	got := jsonLines[tokenLine](t, stdout.Bytes())
	if len(got) != len(texts) {
		t.Fatalf("%d output lines for %d texts", len(got), len(texts))
	}
	for i, g := range got {
		if g.Text != texts[i] || !slices.Equal(g.IDs, ids[i]) {
			t.Fatalf("line %d: got %q %v\nwant %q %v", i+1, g.Text, g.IDs, texts[i], ids[i])
		}
	}
}

func TestEmbeddingsMatchReference(t *testing.T) {
	dir := sberttest.ModelDir(t)
	texts, _, embs := goldenCases(t)
	var stdout, stderr bytes.Buffer
	stdin := strings.NewReader(strings.Join(texts, "\r\n")) // CRLF and no final newline
	if err := run(context.Background(), []string{"-model", dir, "-json"}, stdin, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	got := jsonLines[embeddingLine](t, stdout.Bytes())
	if len(got) != len(texts) {
		t.Fatalf("%d output lines for %d texts", len(got), len(texts))
	}
	const tol = 1e-4 // float32 against torch's summation order
	for i, g := range got {
		if g.Text != texts[i] || len(g.Embedding) != len(embs[i]) {
			t.Fatalf("line %d: text %q with %d dimensions, want %q with %d", i+1, g.Text, len(g.Embedding), texts[i], len(embs[i]))
		}
		for j := range g.Embedding {
			if d := math.Abs(float64(g.Embedding[j] - embs[i][j])); d > tol {
				t.Fatalf("line %d (%q) component %d: %g, want %g", i+1, texts[i], j, g.Embedding[j], embs[i][j])
			}
		}
	}
}

func TestSummary(t *testing.T) {
	dir := sberttest.ModelDir(t)
	var stdout, stderr bytes.Buffer
	stdin := strings.NewReader("golang developer\n\nkubernetes and terraform on aws\n")
	if err := run(context.Background(), []string{"-model", dir}, stdin, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	// Token counts from the reference tokenizer (transformers 4.46.3 BertTokenizerFast).
	want := []string{"   1    5 tokens  [", "   2    2 tokens  [", "   3   12 tokens  [", "3 texts, 384 dimensions"}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), stdout.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], w)
		}
	}
	if !strings.HasSuffix(lines[0], "golang developer") {
		t.Errorf("line 1 = %q, want the text at its end", lines[0])
	}
}

func TestUsage(t *testing.T) {
	t.Setenv(cli.ModelEnv, "")
	tests := []struct {
		args []string
		want string
	}{
		{nil, "no model"},
		{[]string{"-model", "m", "-json", "-tokens"}, "exclude"},
		{[]string{"-model", "m", "a", "b"}, "usage"},
		{[]string{"-model", filepath.Join(t.TempDir(), "missing")}, "missing"},
		{[]string{"-model", "m", filepath.Join(t.TempDir(), "no-such-input")}, "no-such-input"},
	}
	for _, tt := range tests {
		err := run(context.Background(), tt.args, strings.NewReader("x\n"), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want an error mentioning %q", tt.args, err, tt.want)
		}
	}
}
