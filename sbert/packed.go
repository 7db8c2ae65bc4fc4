package sbert

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
	"github.com/jobmatch/jobmatch/sbert/internal/packfile"
)

// ErrPackMismatch is wrapped by the errors of a pack file made for another
// program, machine or model: another format version, architecture, kernel
// layout, model files or option. [Load] then reads the weights file
// instead, unless [WithPacked] requires the pack file.
var ErrPackMismatch = errors.New("pack file does not match")

// WithPacked makes [Load] use the pack file at path (see [WritePacked]) and
// fail, with an error saying why, when it cannot: missing, corrupt, or made
// for another machine or model.
func WithPacked(path string) Option {
	return func(o *options) { o.packed, o.noPacked = path, false }
}

// WithoutPacked makes [Load] ignore pack files and read the weights file.
func WithoutPacked() Option {
	return func(o *options) { o.packed, o.noPacked = "", true }
}

// PackTarget names the machine that a pack file is written for: Go's
// GOARCH and the float32 kernel that the kernels pick on its CPU ("avx512",
// "avx2" or "go" on amd64, "neon" or "go" on arm64). The zero PackTarget is
// this process on this CPU.
type PackTarget struct {
	GOARCH string
	Kernel string
}

// orCurrent returns t with its empty fields set for this process.
func (t PackTarget) orCurrent() PackTarget {
	if t.GOARCH == "" {
		t.GOARCH = runtime.GOARCH
	}
	if t.Kernel == "" {
		t.Kernel = kernels.CurrentLayout().Kernel
	}
	return t
}

// PackFileName returns the name of the pack file that [Load] looks for in
// a model directory for target (with [WithInt8] when int8 is true):
// jobmatch-<goarch>-<kernel>[-int8].pack.
func PackFileName(target PackTarget, int8 bool) string {
	t := target.orCurrent()
	name := "jobmatch-" + t.GOARCH + "-" + t.Kernel
	if int8 {
		name += "-int8"
	}
	return name + ".pack"
}

// packModel identifies the model of a pack file: the JSON files that Load
// reads (modelID) and the weights file. A weights file is identified at
// load time by its name, size and the SHA-256 of its first and last
// 64 KiB (Fingerprint), not by hashing it all, which would cost more than
// the rest of a packed load (about 90 ms for all-MiniLM-L6-v2): a weights
// file edited in its middle, keeping its size and both ends, is not
// noticed. SHA256, of the whole file when the pack was written, lets a
// person check that.
type packModel struct {
	Config      string `json:"config_sha256"`
	Int8        bool   `json:"int8"`
	Weights     string `json:"weights"`
	Size        int64  `json:"weights_size"`
	Fingerprint string `json:"weights_fingerprint"`
	SHA256      string `json:"weights_sha256"`
}

// fingerprintBytes is the length of each end of the weights file that
// fingerprint hashes.
const fingerprintBytes = 64 << 10

// fingerprint returns the size of the file at path and the hex SHA-256 of
// its size, first and last fingerprintBytes; with full, also that of the
// whole file.
func fingerprint(path string, full bool) (size int64, fp, sum string, err error) {
	f, size, err := modelfile.Open(path)
	if err != nil {
		return 0, "", "", err
	}
	defer f.Close()
	h := sha256.New()
	binary.Write(h, binary.LittleEndian, size)
	n := min(size, fingerprintBytes)
	for _, off := range []int64{0, size - n} {
		if _, err := io.Copy(h, io.NewSectionReader(f, off, n)); err != nil {
			return 0, "", "", err
		}
	}
	fp = hex.EncodeToString(h.Sum(nil))
	if full {
		h := sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(f, 0, size)); err != nil {
			return 0, "", "", err
		}
		sum = hex.EncodeToString(h.Sum(nil))
	}
	return size, fp, sum, nil
}

// weightsPath returns the weights file that openWeights reads in dir.
func weightsPath(dir string) string {
	st := filepath.Join(dir, "model.safetensors")
	if _, err := os.Stat(st); errors.Is(err, fs.ErrNotExist) {
		return filepath.Join(dir, "pytorch_model.bin")
	}
	return st
}

// hashingReader returns a readFunc that reads with read and hashes every
// file it returns, under its path relative to dir, into h: the identity of
// the JSON files of a model.
func hashingReader(read readFunc, dir string, h hash.Hash) readFunc {
	return func(path string, max int64) ([]byte, error) {
		b, err := read(path, max)
		if err == nil {
			rel, _ := filepath.Rel(dir, path)
			fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(b))
			h.Write(b)
		}
		return b, err
	}
}

// WritePacked writes to w the pack file of the model in dir for target:
// its weights in the layout of target's kernels, with the identity of the
// model's files, so that [Load] maps it instead of reading and preparing
// the weights file. opts are those of Load; with [WithInt8] it writes the
// quantised weights and their calibration, which depend on the float32
// kernel and the vector code of this process, so that an int8 pack file
// can only be written for this process's own target. Write it to
// PackFileName(target, int8) in dir for Load to find it.
func WritePacked(ctx context.Context, dir string, w io.Writer, target PackTarget, opts ...Option) error {
	target = target.orCurrent()
	o := newOptions(opts)
	layout := kernels.CurrentLayout()
	if o.int8 && (target.GOARCH != runtime.GOARCH || target.Kernel != layout.Kernel) {
		return fmt.Errorf("sbert: write pack: int8 weights for %s/%s can only be prepared on such a machine (this one is %s/%s)", target.GOARCH, target.Kernel, runtime.GOARCH, layout.Kernel)
	}
	if !o.int8 {
		l, ok := kernels.FloatLayout(target.Kernel)
		if !ok {
			return fmt.Errorf("sbert: write pack: unknown kernel %q", target.Kernel)
		}
		layout = l
	}
	m, err := Load(ctx, dir, append(opts, WithoutPacked())...)
	if err != nil {
		return err
	}
	id := m.id
	if id.Size, id.Fingerprint, id.SHA256, err = fingerprint(m.from, true); err != nil {
		return fmt.Errorf("sbert: write pack: %w", err)
	}
	arrays := []packfile.Data{packfile.Float32s("arena", m.arena)}
	for i, mat := range m.matrices() {
		name := fmt.Sprintf("m%d", i)
		switch mat := mat.(type) {
		case *kernels.PackedB:
			arrays = append(arrays, packfile.Float32s(name, mat.PackFor(layout)))
		case *kernels.QuantizedB:
			p := mat.Parts()
			arrays = append(arrays, packfile.Int8s(name+".data", p.Data), packfile.Int32s(name+".bias", p.Bias),
				packfile.Float32s(name+".scale", p.Scale), packfile.Float32s(name+".csum", p.Csum))
			for k, b := range p.RowBias {
				arrays = append(arrays, packfile.Float32s(fmt.Sprintf("%s.rowbias%d", name, k), b))
			}
		}
	}
	lj, _ := json.Marshal(layout)
	mj, _ := json.Marshal(id)
	h := packfile.Header{GOARCH: target.GOARCH, Layout: lj, Model: mj}
	if err := packfile.Write(w, h, arrays); err != nil {
		return fmt.Errorf("sbert: write pack: %w", err)
	}
	runtime.KeepAlive(m)
	return nil
}

// matrices returns the weight matrices of m in the order in which assemble
// sets them.
func (m *Model) matrices() []kernels.Weights {
	var ws []kernels.Weights
	for _, l := range m.layers {
		ws = append(ws, l.qkvW, l.attnW, l.ffnW1, l.ffnW2)
	}
	return ws
}

// loadPacked sets the weights of m from the pack file at path, after
// checking that it was made for this process and for the model whose
// JSON files have the identity id (Int8 and Config set).
func loadPacked(ctx context.Context, m *Model, path string, l *layout, id packModel, lim *Limits) error {
	f, err := packfile.Open(path, 2*min(lim.MaxWeightBytes, math.MaxInt64/2))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrMissingFile, err)
	case errors.Is(err, packfile.ErrVersion):
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrPackMismatch, err)
	case errors.Is(err, packfile.ErrTooLarge):
		return fmt.Errorf("sbert: load %s: %w: %w (twice Limits.MaxWeightBytes)", path, ErrTooLarge, err)
	case err != nil:
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrCorrupt, err)
	}
	if err := checkPack(f.Header, l.transformerDir, id); err != nil {
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrPackMismatch, err)
	}
	all := specs(&m.cfg)
	arena, total := 0, int64(0)
	for _, s := range all {
		n := prod(s.shape)
		if isVec(s) {
			arena += n
		}
		total += 4 * int64(n)
	}
	if total > lim.MaxWeightBytes {
		return fmt.Errorf("sbert: load %s: %w: the parameters take %d bytes, more than Limits.MaxWeightBytes = %d", path, ErrTooLarge, total, lim.MaxWeightBytes)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The data is verified as the forward passes first use it, and ahead
	// of them in the background (packGuard).
	p := &packSource{f: f, int8: id.Int8, cursor: cursor{specs: all}}
	p.arena, p.err = f.Float32s("arena", arena)
	if p.err != nil {
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrCorrupt, p.err)
	}
	m.arena = p.arena
	assemble(m, p)
	if p.err != nil {
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrCorrupt, p.err)
	}
	m.pack = f
	m.guard = newPackGuard(f, m, p.mats)
	go m.guard.verifyAhead()
	return nil
}

// checkPack reports how the pack file of header h differs from this
// process and from the model of id, whose weights file is in dir.
func checkPack(h *packfile.Header, dir string, id packModel) error {
	var layout kernels.Layout
	var got packModel
	if err := json.Unmarshal(h.Layout, &layout); err != nil {
		return fmt.Errorf("layout: %w", err)
	}
	if err := json.Unmarshal(h.Model, &got); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	want := kernels.CurrentLayout()
	if !got.Int8 {
		// Float32 weights depend on the panel width only.
		want.VecOps = layout.VecOps
	}
	switch {
	case h.GOARCH != runtime.GOARCH || h.Endian != packfile.NativeEndian:
		return fmt.Errorf("made for %s (%s-endian), this program is %s (%s-endian)", h.GOARCH, h.Endian, runtime.GOARCH, packfile.NativeEndian)
	case layout != want:
		return fmt.Errorf("made for the kernel layout %+v, this CPU and program use %+v", layout, want)
	case got.Int8 != id.Int8:
		return fmt.Errorf("int8 %v, the load asks for int8 %v", got.Int8, id.Int8)
	case got.Config != id.Config:
		return fmt.Errorf("made for other model files (modules.json, config.json, pooling or sentence_bert_config.json differ)")
	}
	path := weightsPath(dir)
	size, fp, _, err := fingerprint(path, false)
	switch {
	case err != nil:
		return fmt.Errorf("weights file: %w", err)
	case filepath.Base(path) != got.Weights || size != got.Size || fp != got.Fingerprint:
		return fmt.Errorf("made from %s of %d bytes, fingerprint %.12s; %s has %d bytes, fingerprint %.12s",
			got.Weights, got.Size, got.Fingerprint, path, size, fp)
	}
	return nil
}

// packSource gives assemble the arrays of a pack file, in place.
type packSource struct {
	cursor
	f    *packfile.File
	int8 bool
	next int        // the number of the next matrix
	mats [][][]byte // the arrays of each matrix, for packGuard
	err  error
}

func (p *packSource) vec() []float32 {
	_, v := p.cursor.vec()
	return v
}

func (p *packSource) matrix(k int) kernels.Weights {
	rows, cols := p.cursor.matrices(k)
	name := fmt.Sprintf("m%d", p.next)
	p.next++
	if p.err != nil {
		return nil
	}
	var w kernels.Weights
	if p.int8 {
		w, p.err = p.quantized(name, rows, cols)
	} else {
		var data []float32
		data, p.err = p.f.Float32s(name, kernels.PackedLen(kernels.CurrentLayout(), rows, cols))
		if p.err == nil {
			w, p.err = kernels.PackedBFrom(rows, cols, data)
			p.mats = append(p.mats, [][]byte{f32Bytes(data)})
		}
	}
	return w
}

// quantized returns the int8 matrix name, rows×cols, with the row biases
// of [CLS] and [SEP] (see quantize).
func (p *packSource) quantized(name string, rows, cols int) (kernels.Weights, error) {
	nd, ng, nc := kernels.QuantizedLens(rows, cols)
	q := kernels.QuantizedParts{N: rows, K: cols, RowBias: make([][]float32, 2)}
	var errs [8]error
	q.Data, errs[0] = p.f.Int8s(name+".data", nd)
	q.Bias, errs[1] = p.f.Int32s(name+".bias", ng)
	q.Scale, errs[2] = p.f.Float32s(name+".scale", ng)
	q.Csum, errs[3] = p.f.Float32s(name+".csum", nc)
	for k := range q.RowBias {
		q.RowBias[k], errs[4+k] = p.f.Float32s(fmt.Sprintf("%s.rowbias%d", name, k), rows)
	}
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	arrays := [][]byte{i8Bytes(q.Data), i32Bytes(q.Bias), f32Bytes(q.Scale), f32Bytes(q.Csum)}
	for _, rb := range q.RowBias {
		arrays = append(arrays, f32Bytes(rb))
	}
	p.mats = append(p.mats, arrays)
	return kernels.QuantizedBFrom(q)
}
