package diskcache

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/matcher"
)

func sample(n, dim int, seed float32) []matcher.PreparedKeyword {
	kws := make([]matcher.PreparedKeyword, n)
	for i := range kws {
		kws[i] = matcher.PreparedKeyword{Text: strings.Repeat("k", i+1) + " skill", Score: float64(i) / 7}
		kws[i].Vec = make([]float32, dim)
		for j := range kws[i].Vec {
			kws[i].Vec[j] = seed + float32(i*dim+j)/3
		}
	}
	return kws
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir, "ns", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, kws := range [][]matcher.PreparedKeyword{sample(60, 384, 1), sample(1, 3, -2), {}} {
		text := []byte("resume with " + kws2text(kws))
		if _, ok := c.Get(text); ok {
			t.Fatal("hit before Put")
		}
		if err := c.Put(text, kws); err != nil {
			t.Fatal(err)
		}
		got, ok := c.Get(text)
		if !ok || !reflect.DeepEqual(got, kws) {
			t.Fatalf("Get after Put: %v, %d keywords, want %d", ok, len(got), len(kws))
		}
		other, err := Open(dir, "another model", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := other.Get(text); ok {
			t.Error("an entry of one namespace was read in another")
		}
		if _, ok := c.Get(append(text, ' ')); ok {
			t.Error("another text hit")
		}
	}
}

func kws2text(kws []matcher.PreparedKeyword) string {
	var b strings.Builder
	for _, k := range kws {
		b.WriteString(k.Text)
	}
	return b.String()
}

// TestCorruptEntries checks that damaged files are misses, and are removed.
func TestCorruptEntries(t *testing.T) {
	good, err := encode(sample(3, 4, 0))
	if err != nil {
		t.Fatal(err)
	}
	resum := func(b []byte) []byte {
		return binary.LittleEndian.AppendUint32(b[:len(b)-4:len(b)-4], crc32.Checksum(b[:len(b)-4], castagnoli))
	}
	edit := func(f func(b []byte) []byte) []byte { return f(append([]byte{}, good...)) }
	tests := map[string][]byte{
		"empty":            {},
		"truncated":        good[:len(good)-5],
		"flipped bit":      edit(func(b []byte) []byte { b[20] ^= 1; return b }),
		"bad magic":        resum(edit(func(b []byte) []byte { b[0] = 'X'; return b })),
		"other version":    resum(edit(func(b []byte) []byte { b[4] = 9; return b })),
		"huge count":       resum(edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 1<<30); return b })),
		"huge dimension":   resum(edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[12:], 1<<30); return b })),
		"count too small":  resum(edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 2); return b })),
		"long text length": resum(edit(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[16:], 60000); return b })),
		"over the limit":   append(append([]byte{}, good...), make([]byte, MaxEntryBytes)...),
	}
	c, err := Open(t.TempDir(), "ns", 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range tests {
		text := []byte(name)
		p := c.path(text)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if kws, ok := c.Get(text); ok {
			t.Errorf("%s: a hit with %d keywords", name, len(kws))
		}
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s: the corrupt file is still there", name)
		}
	}
	if _, err := decode(good); err != nil {
		t.Fatalf("the good entry does not decode: %v", err)
	}
}

func TestBounded(t *testing.T) {
	dir := t.TempDir()
	entry, _ := encode(sample(10, 16, 0))
	max := int64(5*len(entry) + 10)
	c, err := Open(dir, "ns", max)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for i := range 12 {
		text := []byte{byte('a' + i)}
		if err := c.Put(text, sample(10, 16, float32(i))); err != nil {
			t.Fatal(err)
		}
		// Make the order of use plain to the file system's clock.
		os.Chtimes(c.path(text), old.Add(time.Duration(i)*time.Second), old.Add(time.Duration(i)*time.Second))
		if c.Size() > max {
			t.Fatalf("after %d entries the cache holds %d bytes, over %d", i+1, c.Size(), max)
		}
	}
	if _, ok := c.Get([]byte{'a' + 11}); !ok {
		t.Error("the newest entry is gone")
	}
	// The hit refreshed the entry, an hour old, for the least recently used
	// order.
	if info, err := os.Stat(c.path([]byte{'a' + 11})); err != nil {
		t.Error(err)
	} else if time.Since(info.ModTime()) > time.Minute {
		t.Errorf("the entry read is not refreshed: modified %v", info.ModTime())
	}
	if _, ok := c.Get([]byte{'a'}); ok {
		t.Error("the oldest entry is still there")
	}
	// Opening again counts what is there and trims to a smaller bound.
	c, err = Open(dir, "ns", int64(2*len(entry)))
	if err != nil {
		t.Fatal(err)
	}
	if c.Size() > int64(2*len(entry)) {
		t.Errorf("reopened with a smaller bound: %d bytes", c.Size())
	}
}

func TestModelID(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.json", []byte(`{"hidden_size": 384}`))
	weights := make([]byte, 3*modelSample)
	write("model.safetensors", weights)
	id := func() string {
		s, err := ModelID(dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := id()
	if id() != first {
		t.Fatal("ModelID differs for the same files")
	}
	weights[len(weights)-1] = 1 // the last MiB
	write("model.safetensors", weights)
	if id() == first {
		t.Error("ModelID did not change with the weights")
	}
	if _, err := ModelID(filepath.Join(dir, "nope")); err == nil {
		t.Error("no error for a missing folder")
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := encode(sample(2, 3, 0))
	f.Add(good)
	f.Add([]byte("JMRC"))
	f.Fuzz(func(t *testing.T, b []byte) {
		kws, err := decode(b)
		if err != nil {
			return
		}
		again, err := encode(kws)
		if err != nil {
			t.Fatalf("a decoded entry does not encode: %v", err)
		}
		if back, err := decode(again); err != nil || len(back) != len(kws) {
			t.Fatalf("re-encoded entry: %v", err)
		}
	})
}
