// Package diskcache keeps prepared resumes (their keywords and embeddings,
// matcher.Resume.Prepared) in files, so that a resume seen before is
// restored (matcher.Matcher.RestoreResume) instead of extracted and embedded
// again: ranking a folder against a second job costs only the comparison.
//
// An entry is keyed by the SHA-256 of a namespace and the resume's bytes.
// The namespace names everything else the prepared resume depends on: the
// model, how it is loaded (int8), the matcher's keyword settings and the
// versions of the keyword extractor and the model code; entries of another
// namespace are never read. [Namespace] builds one.
//
// The folder is bounded: when the files pass MaxBytes, the least recently
// used (by modification time, which a hit refreshes if it is over a minute
// old) are removed down to nine tenths of it. Files are read as untrusted
// input: one over MaxEntryBytes, of the wrong length, with a bad checksum or
// counts out of range is a miss and is removed; RestoreResume checks the
// rest. Entries are written to a temporary file and renamed, so a reader
// never sees half of one, and concurrent processes may share the folder.
package diskcache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/jobmatch/jobmatch/matcher"
)

// Limits of an entry, checked before anything is allocated from it.
const (
	// MaxEntryBytes is the largest entry file read.
	MaxEntryBytes = 4 << 20
	maxKeywords   = 1000
	maxDim        = 4096
)

// DefaultMaxBytes bounds the folder by default: about 11,000 resumes of 60
// keywords of 384 dimensions.
const DefaultMaxBytes = 1 << 30

// Version is the entry format's version; it is part of every key.
const Version = 2 // 2: keywords in the vocabulary's canonical form (issue 14)

var magic = [4]byte{'J', 'M', 'R', 'C'}

// Cache is a folder of prepared resumes. It is safe for concurrent use.
type Cache struct {
	dir       string
	namespace string
	maxBytes  int64

	mu   sync.Mutex
	size int64 // bytes of the entry files, as last counted plus written since
}

// DefaultDir returns the folder that the commands use:
// $JOBMATCH_CACHE/resumes, by default ~/.cache/jobmatch/resumes.
func DefaultDir() (string, error) {
	root := os.Getenv("JOBMATCH_CACHE")
	if root == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("diskcache: %w", err)
		}
		root = filepath.Join(home, ".cache", "jobmatch")
	}
	return filepath.Join(root, "resumes"), nil
}

// Namespace returns a namespace for a model and settings: model names the
// model's files ([ModelID]), the rest comes from cfg, int8 and Version.
// Bump Version when the keyword extractor or the model code change what
// they give for the same text.
func Namespace(model string, int8 bool, cfg matcher.Config) string {
	return fmt.Sprintf("jobmatch-resume v%d model=%s int8=%t resume_keywords=%d max_ngram=%d language=%q",
		Version, model, int8, cfg.ResumeKeywords, cfg.MaxNGram, cfg.Language)
}

// Open returns the cache in dir, made if need be, for the namespace, bounded
// to maxBytes (0 means DefaultMaxBytes). It trims the folder if it is over.
func Open(dir, namespace string, maxBytes int64) (*Cache, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("diskcache: %w", err)
	}
	c := &Cache{dir: dir, namespace: namespace, maxBytes: maxBytes}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.trimLocked(); err != nil {
		return nil, err
	}
	return c, nil
}

// path returns the file of the entry of text.
func (c *Cache) path(text []byte) string {
	h := sha256.New()
	h.Write([]byte(c.namespace))
	h.Write([]byte{0})
	h.Write(text)
	key := hex.EncodeToString(h.Sum(nil))
	return filepath.Join(c.dir, key[:2], key+".jmr")
}

// Get returns the prepared keywords of text, if they are cached and the
// entry is sound. A corrupt entry is removed.
func (c *Cache) Get(text []byte) ([]matcher.PreparedKeyword, bool) {
	p := c.path(text)
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, false
	}
	if info.Size() > MaxEntryBytes {
		os.Remove(p)
		return nil, false
	}
	// Entries are renamed into place whole, so the file is as long as it
	// says; decode copies out what it keeps, so the buffer is reused.
	buf := readBuffers.Get().(*[]byte)
	defer readBuffers.Put(buf)
	*buf = slices.Grow((*buf)[:0], int(info.Size()))[:info.Size()]
	if _, err := io.ReadFull(f, *buf); err != nil {
		return nil, false
	}
	kws, err := decode(*buf)
	if err != nil {
		os.Remove(p)
		return nil, false
	}
	// Least recently used goes first; an entry read within the last minute
	// is recent enough, which spares a write when one folder is ranked
	// against several jobs in a row.
	if now := time.Now(); now.Sub(info.ModTime()) > time.Minute {
		os.Chtimes(p, now, now)
	}
	return kws, true
}

// readBuffers holds the buffers that Get reads entries into.
var readBuffers = sync.Pool{New: func() any { return new([]byte) }}

// Put stores the prepared keywords of text, and trims the folder if it
// passes its bound.
func (c *Cache) Put(text []byte, kws []matcher.PreparedKeyword) error {
	b, err := encode(kws)
	if err != nil {
		return err
	}
	p := c.path(text)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("diskcache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return fmt.Errorf("diskcache: %w", err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("diskcache: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size += int64(len(b))
	if c.size > c.maxBytes {
		return c.trimLocked()
	}
	return nil
}

// trimLocked counts the entry files and removes the least recently used
// until they fit in nine tenths of maxBytes, if they are over maxBytes.
func (c *Cache) trimLocked() error {
	type file struct {
		path string
		size int64
		mod  time.Time
	}
	var files []file
	var total int64
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed by another process meanwhile
			}
			return err
		}
		if d.Type().IsRegular() && filepath.Ext(p) == ".jmr" {
			if info, err := d.Info(); err == nil {
				files = append(files, file{p, info.Size(), info.ModTime()})
				total += info.Size()
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("diskcache: %w", err)
	}
	if total > c.maxBytes {
		slices.SortFunc(files, func(a, b file) int { return a.mod.Compare(b.mod) })
		for _, f := range files {
			if total <= c.maxBytes/10*9 {
				break
			}
			if err := os.Remove(f.path); err == nil || errors.Is(err, fs.ErrNotExist) {
				total -= f.size
			}
		}
	}
	c.size = total
	return nil
}

// Size returns the bytes of the entry files, as counted at the last trim
// plus those written since.
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// An entry: magic, Version, keyword count n and dimension d (uint32 each,
// little endian), n keywords (uint16 length, the text, float64 score), n×d
// float32, then the CRC-32C of all that.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func encode(kws []matcher.PreparedKeyword) ([]byte, error) {
	dim := 0
	if len(kws) > 0 {
		dim = len(kws[0].Vec)
	}
	if len(kws) > maxKeywords || dim > maxDim {
		return nil, fmt.Errorf("diskcache: %d keywords of %d dimensions: over the limits", len(kws), dim)
	}
	b := append([]byte{}, magic[:]...)
	b = binary.LittleEndian.AppendUint32(b, Version)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(kws)))
	b = binary.LittleEndian.AppendUint32(b, uint32(dim))
	for _, k := range kws {
		if len(k.Text) > math.MaxUint16 || len(k.Vec) != dim {
			return nil, fmt.Errorf("diskcache: keyword %q does not fit", k.Text)
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(len(k.Text)))
		b = append(b, k.Text...)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(k.Score))
	}
	for _, k := range kws {
		for _, x := range k.Vec {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
	}
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	if len(b) > MaxEntryBytes {
		return nil, fmt.Errorf("diskcache: entry of %d bytes, over %d", len(b), MaxEntryBytes)
	}
	return b, nil
}

var errCorrupt = errors.New("diskcache: corrupt entry")

func decode(b []byte) ([]matcher.PreparedKeyword, error) {
	const head = 16
	if len(b) > MaxEntryBytes || len(b) < head+4 || [4]byte(b[:4]) != magic || binary.LittleEndian.Uint32(b[4:]) != Version {
		return nil, errCorrupt
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, errCorrupt
	}
	n, dim := binary.LittleEndian.Uint32(b[8:]), binary.LittleEndian.Uint32(b[12:])
	if n > maxKeywords || dim > maxDim || (n > 0 && dim == 0) {
		return nil, errCorrupt
	}
	kws := make([]matcher.PreparedKeyword, n)
	at := head
	for i := range kws {
		if at+2 > len(body) {
			return nil, errCorrupt
		}
		l := int(binary.LittleEndian.Uint16(body[at:]))
		at += 2
		if at+l+8 > len(body) {
			return nil, errCorrupt
		}
		kws[i].Text = string(body[at : at+l])
		kws[i].Score = math.Float64frombits(binary.LittleEndian.Uint64(body[at+l:]))
		at += l + 8
	}
	if len(body)-at != int(n)*int(dim)*4 {
		return nil, errCorrupt
	}
	vecs := make([]float32, int(n)*int(dim))
	for i := range vecs {
		vecs[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[at+4*i:]))
	}
	for i := range kws {
		kws[i].Vec = vecs[i*int(dim) : (i+1)*int(dim) : (i+1)*int(dim)]
	}
	return kws, nil
}

// modelSample is how much of each end of a model file ModelID reads.
const modelSample = 1 << 20

// ModelID names the model in dir for a namespace: a hash of its files'
// names, sizes, and the first and last MiB of each, which tells apart any
// two models in practice without reading all of their weights.
func ModelID(dir string) (string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("diskcache: model: %w", err)
	}
	h := sha256.New()
	buf := make([]byte, modelSample)
	for _, de := range des {
		if !de.Type().IsRegular() {
			continue
		}
		info, err := de.Info()
		if err != nil {
			return "", fmt.Errorf("diskcache: model: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", de.Name(), info.Size())
		f, err := os.Open(filepath.Join(dir, de.Name()))
		if err != nil {
			return "", fmt.Errorf("diskcache: model: %w", err)
		}
		for _, off := range []int64{0, max(0, info.Size()-modelSample)} {
			n, err := f.ReadAt(buf, off)
			if err != nil && err != io.EOF {
				f.Close()
				return "", fmt.Errorf("diskcache: model: %w", err)
			}
			h.Write(buf[:n])
		}
		f.Close()
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}
