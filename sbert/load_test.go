package sbert

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/internal/safetensors"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// copyModel copies the files of the test model src to a new directory,
// with model.safetensors but without pytorch_model.bin, and returns it.
func copyModel(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"model.safetensors", "config.json", "modules.json", "sentence_bert_config.json", "vocab.txt",
		"tokenizer_config.json", "special_tokens_map.json", "1_Pooling/config.json"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dst, name), b)
	}
	return dst
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// editJSON rewrites the JSON object in path with edit.
func editJSON(t *testing.T, path string, edit func(map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	edit(v)
	if b, err = json.Marshal(v); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, b)
}

// rawTensor is a tensor to write to a safetensors file.
type rawTensor struct {
	name  string
	dtype string
	shape []int
	data  []byte
}

// readTensors returns the tensors of a safetensors file, as F32.
func readTensors(t *testing.T, path string) []rawTensor {
	t.Helper()
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []rawTensor
	for _, name := range f.Names() {
		tn := f.Tensor(name)
		v := make([]float32, tn.NumElements())
		if err := f.ReadFloat32(name, v); err != nil {
			t.Fatal(err)
		}
		data := make([]byte, 4*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(x))
		}
		out = append(out, rawTensor{name, "F32", tn.Shape, data})
	}
	return out
}

// writeTensors writes tensors as a safetensors file.
func writeTensors(t *testing.T, path string, tensors []rawTensor) {
	t.Helper()
	hdr := map[string]any{}
	var data []byte
	for _, r := range tensors {
		hdr[r.name] = map[string]any{"dtype": r.dtype, "shape": r.shape, "data_offsets": []int{len(data), len(data) + len(r.data)}}
		data = append(data, r.data...)
	}
	h, err := json.Marshal(hdr)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(h)))
	b.Write(h)
	b.Write(data)
	writeFile(t, path, b.Bytes())
}

func TestLoadFormats(t *testing.T) {
	for _, name := range []string{"tiny-cls", "tiny-max"} {
		src := filepath.Join("testdata", name)
		g := readGolden(t, filepath.Join(src, "golden.json.gz"))
		t.Run(name+"/pytorch_model.bin", func(t *testing.T) {
			dir := copyModel(t, src)
			os.Remove(filepath.Join(dir, "model.safetensors"))
			b, err := os.ReadFile(filepath.Join(src, "pytorch_model.bin"))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "pytorch_model.bin"), b)
			m, err := Load(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			checkModel(t, m, g, 0.99999, 1e-5)
		})
	}
	src := filepath.Join("testdata", "tiny-cls")
	g := readGolden(t, filepath.Join(src, "golden.json.gz"))
	tensors := readTensors(t, filepath.Join(src, "model.safetensors"))
	for _, tc := range []struct {
		name   string
		rename func(string) string
	}{
		{"bert. prefix", func(s string) string { return "bert." + s }},
		{"gamma and beta", func(s string) string {
			s = strings.Replace(s, "LayerNorm.weight", "LayerNorm.gamma", 1)
			return strings.Replace(s, "LayerNorm.bias", "LayerNorm.beta", 1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyModel(t, src)
			var renamed []rawTensor
			for _, r := range tensors {
				r.name = tc.rename(r.name)
				renamed = append(renamed, r)
			}
			writeTensors(t, filepath.Join(dir, "model.safetensors"), renamed)
			m, err := Load(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			checkModel(t, m, g, 0.99999, 1e-5)
		})
	}
}

func TestLoadErrors(t *testing.T) {
	src := filepath.Join("testdata", "tiny-cls")
	tensors := readTensors(t, filepath.Join(src, "model.safetensors"))
	weights, err := os.ReadFile(filepath.Join(src, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(src, "pytorch_model.bin"))
	if err != nil {
		t.Fatal(err)
	}
	// edit returns a function that writes modified tensors.
	edit := func(f func(r *rawTensor) bool) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			var out []rawTensor
			for _, r := range tensors {
				if f(&r) {
					out = append(out, r)
				}
			}
			writeTensors(t, filepath.Join(dir, "model.safetensors"), out)
		}
	}
	const ffn = "encoder.layer.1.intermediate.dense.weight"
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  error
		msg   string // in the error message
	}{
		{"no weights", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "model.safetensors"))
		}, ErrMissingFile, "model.safetensors"},
		{"truncated safetensors", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "model.safetensors"), weights[:len(weights)-100])
		}, ErrCorrupt, "model.safetensors"},
		{"garbage header", func(t *testing.T, dir string) {
			b := bytes.Clone(weights)
			copy(b[8:], `{"x":[`)
			writeFile(t, filepath.Join(dir, "model.safetensors"), b)
		}, ErrCorrupt, "model.safetensors"},
		{"empty safetensors", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "model.safetensors"), nil)
		}, ErrCorrupt, "model.safetensors"},
		{"wrong shape", edit(func(r *rawTensor) bool {
			if r.name == ffn {
				r.shape = []int{r.shape[1], r.shape[0]}
			}
			return true
		}), ErrCorrupt, ffn},
		{"missing tensor", edit(func(r *rawTensor) bool {
			return r.name != "encoder.layer.0.attention.self.key.bias"
		}), ErrMissingFile, "encoder.layer.0.attention.self.key.bias"},
		{"no embeddings", edit(func(r *rawTensor) bool {
			return !strings.HasPrefix(r.name, "embeddings.word")
		}), ErrMissingFile, "embeddings.word_embeddings.weight"},
		{"integer dtype", edit(func(r *rawTensor) bool {
			if r.name == "embeddings.LayerNorm.weight" {
				r.dtype = "I32"
			}
			return true
		}), ErrUnsupported, "embeddings.LayerNorm.weight"},
		{"truncated pytorch_model.bin", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "model.safetensors"))
			writeFile(t, filepath.Join(dir, "pytorch_model.bin"), bin[:len(bin)/2])
		}, ErrCorrupt, "pytorch_model.bin"},
		{"no config.json", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "config.json"))
		}, ErrMissingFile, "config.json"},
		{"bad config.json", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "config.json"), []byte(`{"hidden_size": "32"}`))
		}, ErrCorrupt, "config.json"},
		{"no modules.json", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "modules.json"))
		}, ErrMissingFile, "modules.json"},
		{"no pooling config", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "1_Pooling", "config.json"))
		}, ErrMissingFile, "1_Pooling"},
		{"tanh gelu", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, "config.json"), func(v map[string]any) { v["hidden_act"] = "gelu_new" })
		}, ErrUnsupported, "gelu_new"},
		{"roberta", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, "config.json"), func(v map[string]any) { v["model_type"] = "roberta" })
		}, ErrUnsupported, "roberta"},
		{"heads do not divide", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, "config.json"), func(v map[string]any) { v["num_attention_heads"] = 5 })
		}, ErrCorrupt, "num_attention_heads"},
		{"config bigger than weights", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, "config.json"), func(v map[string]any) { v["num_hidden_layers"] = 3 })
		}, ErrMissingFile, "encoder.layer.2."},
		{"hidden size mismatch", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, "config.json"), func(v map[string]any) { v["intermediate_size"] = 128 })
		}, ErrCorrupt, "encoder.layer.0.intermediate.dense.weight"},
		{"dense module", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "modules.json"), []byte(`[
				{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
				{"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
				{"idx":2,"name":"2","path":"2_Dense","type":"sentence_transformers.models.Dense"}]`))
		}, ErrUnsupported, "Dense"},
		{"module path escapes", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "modules.json"), []byte(`[
				{"idx":0,"name":"0","path":"../x","type":"sentence_transformers.models.Transformer"},
				{"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]`))
		}, ErrCorrupt, "../x"},
		{"last-token pooling", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, "1_Pooling", "config.json"), func(v map[string]any) { v["pooling_mode_lasttoken"] = true })
		}, ErrUnsupported, "last-token"},
		{"no pooling mode", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, "1_Pooling", "config.json"), func(v map[string]any) { v["pooling_mode_cls_token"] = false })
		}, ErrCorrupt, "no pooling mode"},
		{"max_seq_length too long", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, "sentence_bert_config.json"), func(v map[string]any) { v["max_seq_length"] = 65 })
		}, ErrCorrupt, "max_seq_length"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyModel(t, src)
			tc.setup(t, dir)
			_, err := Load(context.Background(), dir)
			t.Log(err)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want %v mentioning %q", err, tc.want, tc.msg)
			}
		})
	}
}

// TestLoadMemory bounds the memory that loading all-MiniLM-L6-v2 allocates,
// which bounds its peak heap: the weights are read in pieces straight into
// their final layout, never as a whole file plus a copy.
func TestLoadMemory(t *testing.T) {
	dir := sberttest.ModelDir(t)
	fi, err := os.Stat(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	alloc := float64(after.TotalAlloc-before.TotalAlloc) / float64(fi.Size())
	runtime.GC()
	runtime.ReadMemStats(&after)
	live := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / float64(fi.Size())
	runtime.KeepAlive(m)
	t.Logf("Load allocated %.2f× and keeps %.2f× the size of model.safetensors (%d bytes)", alloc, live, fi.Size())
	if alloc > 1.5 || live > 1.1 {
		t.Errorf("Load allocated %.2f× and keeps %.2f× the weights file, want at most 1.5× and 1.1×", alloc, live)
	}
}

// BenchmarkLoad measures Load of all-MiniLM-L6-v2, float32 and int8, from
// model.safetensors and from the pack files (see WritePacked), which it
// writes first beside links to the model's files.
func BenchmarkLoad(b *testing.B) {
	dir := linkModel(b, sberttest.ModelDir(b))
	for _, int8 := range []bool{false, true} {
		var opts []Option
		if int8 {
			opts = append(opts, WithInt8())
		}
		writePack(b, dir, "", PackTarget{}, opts...)
		name := map[bool]string{false: "float32", true: "int8"}[int8]
		for _, packed := range []bool{false, true} {
			opts := opts
			if packed {
				name += "-packed"
			} else {
				opts = append(opts, WithoutPacked())
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					m, err := Load(context.Background(), dir, opts...)
					if err != nil {
						b.Fatal(err)
					}
					if from, _ := m.LoadedFrom(); strings.HasSuffix(from, ".pack") != packed {
						b.Fatalf("loaded from %s", from)
					}
				}
			})
		}
	}
}
