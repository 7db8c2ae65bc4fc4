package sbert

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// writePack writes the pack file of the model in dir for target to path
// (the name Load looks for when path is "").
func writePack(t testing.TB, dir, path string, target PackTarget, opts ...Option) string {
	t.Helper()
	if path == "" {
		path = filepath.Join(dir, PackFileName(target, newOptions(opts).int8))
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WritePacked(context.Background(), dir, f, target, opts...); err != nil {
		t.Fatal(err)
	}
	return path
}

// linkModel returns a new directory whose entries are symbolic links to
// those of dir, so that pack files can be written beside a model that
// must not change.
func linkModel(t testing.TB, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".pack") {
			continue
		}
		abs, _ := filepath.Abs(filepath.Join(dir, e.Name()))
		if err := os.Symlink(abs, filepath.Join(dst, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// loadFrom loads dir and fails t unless the weights came from the file
// named want, and a pack file was skipped for a reason exactly when
// skipped.
func loadFrom(t *testing.T, dir, want string, skipped bool, opts ...Option) *Model {
	t.Helper()
	m, err := Load(context.Background(), dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	from, packErr := m.LoadedFrom()
	if filepath.Base(from) != want || (packErr != nil) != skipped {
		t.Fatalf("LoadedFrom() = %s, %v; want %s with a pack error %v", from, packErr, want, skipped)
	}
	return m
}

// sameEmbeddings fails t unless a and b embed texts to the same bits.
func sameEmbeddings(t *testing.T, a, b *Model, texts []string) {
	t.Helper()
	ea, err := a.EncodeBatch(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := b.EncodeBatch(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ea {
		for j := range ea[i] {
			if math.Float32bits(ea[i][j]) != math.Float32bits(eb[i][j]) {
				t.Fatalf("text %d %q, value %d: %g from %s, %g from %s", i, texts[i], j, ea[i][j], a.from, eb[i][j], b.from)
			}
		}
	}
}

// TestPackedTiny checks that the tiny models give the same bits from their
// pack files as from their weights files, in float32 and int8.
func TestPackedTiny(t *testing.T) {
	for _, name := range []string{"tiny-cls", "tiny-max"} {
		for _, int8 := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "", true: "-int8"}[int8], func(t *testing.T) {
				var opts []Option
				if int8 {
					opts = append(opts, WithInt8())
				}
				dir := linkModel(t, "testdata/"+name)
				pack := writePack(t, dir, "", PackTarget{}, opts...)
				g := readGolden(t, "testdata/"+name+"/golden.json.gz")
				packed := loadFrom(t, dir, filepath.Base(pack), false, opts...)
				plain := loadFrom(t, dir, "model.safetensors", false, append(opts, WithoutPacked())...)
				if packed.Int8() != int8 {
					t.Errorf("Int8() = %v", packed.Int8())
				}
				sameEmbeddings(t, packed, plain, g.Texts)
				runtime.GC() // the mapping of a dropped model goes
			})
		}
	}
}

// TestPackedMiniLM checks that all-MiniLM-L6-v2 gives the same bits from
// its pack files as from model.safetensors, on golden texts: every fifth
// in float32, every fiftieth in int8, whose portable kernel (on CPUs
// without int8 dot products) is slow. (The path from model.safetensors is
// checked against all the goldens by TestMiniLM and TestMiniLMInt8.)
func TestPackedMiniLM(t *testing.T) {
	dir := linkModel(t, sberttest.ModelDir(t))
	g := readGolden(t, "testdata/golden-minilm.json.gz")
	every := func(n int) []string {
		var some []string
		for i := 0; i < len(g.Texts); i += n {
			some = append(some, g.Texts[i])
		}
		return some
	}
	for _, c := range []struct {
		opts  []Option
		texts []string
	}{{nil, every(5)}, {[]Option{WithInt8()}, every(50)}} {
		pack := writePack(t, dir, "", PackTarget{}, c.opts...)
		packed := loadFrom(t, dir, filepath.Base(pack), false, c.opts...)
		plain := loadFrom(t, dir, "model.safetensors", false, append(c.opts, WithoutPacked())...)
		sameEmbeddings(t, packed, plain, c.texts)
	}
}

// otherKernel returns a float32 kernel of another panel width than this
// process's.
func otherKernel() string {
	if kernels.CurrentLayout().Kernel == "go" {
		return "avx2"
	}
	return "go"
}

// TestPackedFallback checks that a pack file that does not fit the process
// or the model is skipped, saying why, and refused with WithPacked.
func TestPackedFallback(t *testing.T) {
	name := PackFileName(PackTarget{}, false)
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, dir, pack string) // breaks the pack or the model
		want  error
		msg   string
		opts  []Option
	}{
		{"truncated", func(t *testing.T, dir, pack string) { truncate(t, pack, -1) }, ErrCorrupt, "truncated", nil},
		{"empty", func(t *testing.T, dir, pack string) { truncate(t, pack, -1<<40) }, ErrCorrupt, "", nil},
		{"header byte", func(t *testing.T, dir, pack string) { flip(t, pack, 50) }, ErrCorrupt, "checksum", nil},
		{"version", func(t *testing.T, dir, pack string) { flip(t, pack, 8) }, ErrPackMismatch, "version", nil},
		{"kernel", func(t *testing.T, dir, pack string) {
			writePack(t, dir, pack, PackTarget{Kernel: otherKernel()})
		}, ErrPackMismatch, "kernel layout", nil},
		{"arch", func(t *testing.T, dir, pack string) {
			writePack(t, dir, pack, PackTarget{GOARCH: "arm64", Kernel: "neon"})
			if runtime.GOARCH == "arm64" {
				writePack(t, dir, pack, PackTarget{GOARCH: "amd64", Kernel: "avx2"})
			}
		}, ErrPackMismatch, "made for", nil},
		{"config", func(t *testing.T, dir, pack string) {
			editJSON(t, filepath.Join(dir, "config.json"), func(v map[string]any) { v["note"] = "edited" })
		}, ErrPackMismatch, "other model files", nil},
		{"pooling", func(t *testing.T, dir, pack string) {
			editJSON(t, filepath.Join(dir, "1_Pooling/config.json"), func(v map[string]any) { v["note"] = "edited" })
		}, ErrPackMismatch, "other model files", nil},
		{"weights", func(t *testing.T, dir, pack string) { flip(t, filepath.Join(dir, "model.safetensors"), -1) }, ErrPackMismatch, "fingerprint", nil},
		{"int8", func(t *testing.T, dir, pack string) {
			writePack(t, dir, pack, PackTarget{}, WithInt8())
		}, ErrPackMismatch, "int8", nil},
		{"limit", func(t *testing.T, dir, pack string) {}, ErrTooLarge, "", []Option{WithLimits(Limits{MaxWeightBytes: 1000})}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := copyModel(t, "testdata/tiny-cls")
			pack := writePack(t, dir, "", PackTarget{})
			c.setup(t, dir, pack)
			_, err := Load(context.Background(), dir, append(c.opts, WithPacked(pack))...)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), name) {
				t.Fatalf("Load WithPacked: %v; want %v saying %q about %s", err, c.want, c.msg, name)
			}
			if c.want == ErrTooLarge {
				return // the weights file is beyond the limit too
			}
			m := loadFrom(t, dir, "model.safetensors", true)
			if _, packErr := m.LoadedFrom(); !errors.Is(packErr, c.want) {
				t.Errorf("pack error %v, want %v", packErr, c.want)
			}
			loadFrom(t, dir, "model.safetensors", false, WithoutPacked())
		})
	}
}

// TestPackedDamage checks that damage in a pack file's data, which Load
// does not read, fails the first forward pass that would use it, and every
// one after, saying what to do; and that VerifyPacked finds it at once.
func TestPackedDamage(t *testing.T) {
	for _, int8 := range []bool{false, true} {
		var opts []Option
		if int8 {
			opts = append(opts, WithInt8())
		}
		dir := copyModel(t, "testdata/tiny-cls")
		pack := writePack(t, dir, "", PackTarget{}, opts...)
		good := loadFrom(t, dir, filepath.Base(pack), false, opts...)
		if err := good.VerifyPacked(); err != nil {
			t.Fatalf("VerifyPacked of an intact pack file: %v", err)
		}
		if _, err := good.Encode(context.Background(), "data engineer"); err != nil {
			t.Fatalf("Encode from an intact pack file: %v", err)
		}
		flip(t, pack, -3)
		m := loadFrom(t, dir, filepath.Base(pack), false, opts...)
		for range 2 {
			if _, err := m.Encode(context.Background(), "data engineer"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "cmd/pack") {
				t.Fatalf("int8 %v: Encode from a damaged pack file: %v, want ErrCorrupt saying what to do", int8, err)
			}
		}
		m = loadFrom(t, dir, filepath.Base(pack), false, opts...)
		if err := m.VerifyPacked(); !errors.Is(err, ErrCorrupt) {
			t.Errorf("int8 %v: VerifyPacked of a damaged pack file: %v, want ErrCorrupt", int8, err)
		}
	}
}

// TestPackedVerifyAhead checks that Load verifies a pack file's groups in
// the background, without a forward pass, and stops at a damaged one,
// leaving it to the forward pass to report.
func TestPackedVerifyAhead(t *testing.T) {
	dir := copyModel(t, "testdata/tiny-cls")
	pack := writePack(t, dir, "", PackTarget{})
	// verified waits until the first n groups are verified, and reports
	// whether they are.
	verified := func(m *Model, n int) bool {
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if m.guard.done[n-1].Load() {
				break
			}
		}
		for i := range n {
			if !m.guard.done[i].Load() {
				return false
			}
		}
		return true
	}
	m := loadFrom(t, dir, filepath.Base(pack), false)
	if !verified(m, len(m.guard.done)) {
		t.Fatalf("not every group of %d verified in the background", len(m.guard.done))
	}
	flip(t, pack, -3)
	m = loadFrom(t, dir, filepath.Base(pack), false)
	bad := slices.IndexFunc(m.guard.groups, func(group [][]byte) bool {
		return slices.ContainsFunc(group, func(b []byte) bool { return m.guard.f.VerifyRange(b) != nil })
	})
	if bad < 0 {
		t.Fatal("no group holds the damaged byte")
	}
	if bad > 0 && !verified(m, bad) {
		t.Errorf("damage in group %d: the groups before it are not verified", bad)
	}
	time.Sleep(10 * time.Millisecond) // the background may be at it still
	for i := bad; i < len(m.guard.done); i++ {
		if m.guard.done[i].Load() {
			t.Errorf("damage in group %d: group %d counts as verified", bad, i)
		}
	}
	if _, err := m.Encode(context.Background(), "data engineer"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Encode after the background found damage: %v, want ErrCorrupt", err)
	}
}

// TestPackedMissing checks that a missing pack file is no error, unless
// WithPacked requires it, and that pack files for other machines are
// mentioned.
func TestPackedMissing(t *testing.T) {
	loadFrom(t, "testdata/tiny-cls", "model.safetensors", false)
	dir := linkModel(t, "testdata/tiny-cls")
	writePack(t, dir, "", PackTarget{Kernel: otherKernel()})
	m := loadFrom(t, dir, "model.safetensors", true)
	if _, err := m.LoadedFrom(); !errors.Is(err, ErrPackMismatch) || !strings.Contains(err.Error(), otherKernel()) {
		t.Errorf("pack error %v, want ErrPackMismatch naming the pack file for %s", err, otherKernel())
	}
	_, err := Load(context.Background(), "testdata/tiny-cls", WithPacked("testdata/tiny-cls/none.pack"))
	if !errors.Is(err, ErrMissingFile) {
		t.Fatalf("Load WithPacked of a missing file: %v, want ErrMissingFile", err)
	}
}

// TestWritePackedTargets checks the targets WritePacked refuses.
func TestWritePackedTargets(t *testing.T) {
	var sb strings.Builder
	for _, c := range []struct {
		target PackTarget
		opts   []Option
	}{
		{PackTarget{Kernel: "sse9"}, nil},
		{PackTarget{GOARCH: "riscv64", Kernel: otherKernel()}, []Option{WithInt8()}},
		{PackTarget{Kernel: otherKernel()}, []Option{WithInt8()}},
	} {
		if err := WritePacked(context.Background(), "testdata/tiny-cls", &sb, c.target, c.opts...); err == nil {
			t.Errorf("WritePacked for %+v %d options: no error", c.target, len(c.opts))
		}
	}
	if got := PackFileName(PackTarget{GOARCH: "arm64", Kernel: "neon"}, true); got != "jobmatch-arm64-neon-int8.pack" {
		t.Errorf("PackFileName = %s", got)
	}
}

// truncate changes the length of the file at path by delta bytes (to 0 at
// least).
func truncate(t *testing.T, path string, delta int64) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, max(fi.Size()+delta, 0)); err != nil {
		t.Fatal(err)
	}
}

// flip flips the lowest bit of the byte at off of the file at path (from
// its end when off < 0).
func flip(t *testing.T, path string, off int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if off < 0 {
		off += int64(len(b))
	}
	b[off] ^= 1
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
