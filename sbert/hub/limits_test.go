package hub

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/sbert/hub/hubtest"
)

// The tests in this file play a Hub that lies, stalls or floods, and a
// cache that was tampered with: each must end in a clear error or a
// correct file, soon, with nothing unbounded written.

// patient bounds a test's download: a failure to stop shows as a deadline
// instead of a hung test.
func patient(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// checkQuick fails t when a download that should have stopped at once took
// until the test's deadline, or longer than a loaded machine needs.
func checkQuick(t *testing.T, err error, start time.Time) {
	t.Helper()
	if errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
		t.Fatalf("download ran %v, until %v; want an error at once", time.Since(start).Round(time.Millisecond), err)
	}
}

// checkNoPartial fails t if a .incomplete file is left in cache.
func checkNoPartial(t *testing.T, cache string) {
	t.Helper()
	parts, _ := filepath.Glob(filepath.Join(cache, "*", "blobs", "*.incomplete"))
	for _, p := range parts {
		fi, _ := os.Stat(p)
		t.Errorf("left %s (%d bytes) behind", p, fi.Size())
	}
}

// TestEndlessBody is the reproducer of issue 12 (5): a server that declares
// a size and then streams without end must be cut off at that size.
func TestEndlessBody(t *testing.T) {
	files := testFiles()
	weights := files["model.safetensors"]
	for _, tt := range []struct {
		name string
		file int // in testModel
		pin  bool
	}{
		{"LFS file, declared size", 2, false},
		{"LFS file, pinned size", 2, true},
		{"small file, declared size", 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fh := hubtest.NewServer(t, "org/model", files)
			c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
			m := testModel("org/model", "main", files)
			name := m.Files[tt.file].Path
			fh.SetFault(name, hubtest.Endless)
			if tt.pin {
				m.Files[tt.file].Size = int64(len(weights))
			}
			start := time.Now()
			_, err := c.Download(patient(t), m)
			checkQuick(t, err, start)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Download of an endless %s: err = %v, want ErrTooLarge", name, err)
			}
			checkNoPartial(t, c.CacheDir)
			checkBlobs(t, c.CacheDir, false)
		})
	}
}

// TestMaxFileSize bounds files of unknown size by Client.MaxFileSize: a
// larger declared size is refused before the download, an undeclared one
// is cut off there.
func TestMaxFileSize(t *testing.T) {
	content := bytes.Repeat([]byte("x"), 4096)
	for _, tt := range []struct {
		name     string
		declare  bool // the HEAD response has a Content-Length
		endless  bool
		wantGETs int
	}{
		{"declared too large", true, false, 0},
		{"undeclared, endless", false, true, 1},
		{"undeclared, larger than the limit", false, false, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var gets atomic.Int32
			c := rogue(t, content, func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Del("ETag") // no hash: only the size can stop it
				if !tt.declare {
					w.Header().Del("Content-Length")
				}
				if r.Method != http.MethodGet {
					return false
				}
				gets.Add(1)
				w.Header().Del("Content-Length")
				if tt.endless {
					w.(http.Flusher).Flush()
					for r.Context().Err() == nil {
						if _, err := w.Write(content); err != nil {
							break
						}
					}
					return true
				}
				return false
			})
			c.MaxFileSize = 1000
			start := time.Now()
			_, err := c.Download(patient(t), Model{Repo: "org/model", Revision: hubtest.Commit, Files: []File{{Path: "weights.bin", SHA256: hubtest.SHA256(content)}}})
			checkQuick(t, err, start)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if n := int(gets.Load()); n != tt.wantGETs {
				t.Errorf("sent %d GETs, want %d", n, tt.wantGETs)
			}
			checkNoPartial(t, c.CacheDir)
		})
	}
}

// TestLyingSizes checks every disagreement between the pinned size, the
// size the Hub declares and the Content-Length of the body.
func TestLyingSizes(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789"), 300)
	n := len(content)
	for _, tt := range []struct {
		name     string
		pin      int64
		headSize int // declared by HEAD
		getSize  int // Content-Length of the GET
		sent     int // bytes of content the GET sends
		want     error
	}{
		{"HEAD disagrees with the pin", int64(n), n + 1, n + 1, n, ErrChecksum},
		{"HEAD declares less than is sent", 0, n - 10, n, n, ErrTooLarge},
		{"GET declares more than HEAD", 0, n, n + 10, n, ErrTooLarge},
		{"GET declares less than HEAD", 0, n, n - 10, n - 10, io.ErrUnexpectedEOF},
		{"GET declares more than the pin", int64(n), n, 1 << 40, n, ErrTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := rogue(t, content, func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("ETag", `"`+hubtest.SHA256(content)+`"`)
				if r.Method == http.MethodHead {
					w.Header().Set("Content-Length", strconv.Itoa(tt.headSize))
					return true
				}
				w.Header().Set("Content-Length", strconv.Itoa(tt.getSize))
				w.Write(content[:tt.sent])
				return true
			})
			_, err := c.Download(patient(t), Model{Repo: "org/model", Files: []File{{Path: "w.bin", Size: tt.pin}}})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			checkBlobs(t, c.CacheDir, tt.want == io.ErrUnexpectedEOF)
		})
	}
}

// TestStall checks that a server that stops sending, before the headers or
// in the body, fails the download after Client.StallTimeout, and that the
// part received is resumed later.
func TestStall(t *testing.T) {
	files := testFiles()
	fh := hubtest.NewServer(t, "org/model", files)
	fh.SetFault("model.safetensors", hubtest.Block)
	c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir(), StallTimeout: time.Second}
	m := testModel("org/model", "main", files)
	start := time.Now()
	_, err := c.Download(patient(t), m)
	checkQuick(t, err, start)
	if !errors.Is(err, ErrStalled) {
		t.Fatalf("Download from a stalled body: err = %v, want ErrStalled", err)
	}
	fh.SetFault("model.safetensors", hubtest.None)
	c.StallTimeout = 0 // the default, which no loaded machine reaches
	if _, err := c.Download(patient(t), m); err != nil {
		t.Fatal(err)
	}
	reqs := fh.Requests()
	if want := "CDN bytes=" + strconv.Itoa(len(files["model.safetensors"])/2) + "-"; reqs[len(reqs)-1] != want {
		t.Errorf("last request %q, want %q: the stalled part was not resumed", reqs[len(reqs)-1], want)
	}

	c = rogue(t, nil, func(w http.ResponseWriter, r *http.Request) bool {
		<-r.Context().Done() // no headers ever
		return true
	})
	c.StallTimeout = time.Second
	start = time.Now()
	_, err = c.Download(patient(t), Model{Repo: "org/model", Files: []File{{Path: "config.json"}}})
	checkQuick(t, err, start)
	if !errors.Is(err, ErrStalled) {
		t.Fatalf("Download from a server that sends no headers: err = %v, want ErrStalled", err)
	}
}

// TestHostileHeaders covers what a server controls in its headers: names
// the cache uses as paths, header sizes, redirects, ranges and messages.
func TestHostileHeaders(t *testing.T) {
	content := []byte(`{"hidden_size": 384}`)
	for _, tt := range []struct {
		name string
		bend func(w http.ResponseWriter, r *http.Request) bool
		want string // in the error
	}{
		{"ETag with a path", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("ETag", `"../../../../x"`)
			return false
		}, "unusable ETag"},
		{"ETag of a partial download", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("ETag", `"`+hubtest.GitBlobHash(content)+`.incomplete"`)
			return false
		}, "unusable ETag"},
		{"commit with a path", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("X-Repo-Commit", "../../../x")
			return false
		}, "unusable ETag"},
		{"huge header", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("X-Padding", strings.Repeat("a", 1<<20))
			return false
		}, "header"},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) bool {
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
			return true
		}, "redirects"},
		{"redirect to a file", func(w http.ResponseWriter, r *http.Request) bool {
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
			return true
		}, "not http or https"},
		{"range never satisfiable", func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodGet {
				return false
			}
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return true
		}, "416"},
		{"control characters in the error", func(w http.ResponseWriter, r *http.Request) bool {
			// Go's client refuses ASCII controls in headers; a
			// right-to-left override must be escaped too.
			w.Header().Set("X-Error-Message", "\u202edoog lla")
			w.WriteHeader(http.StatusInternalServerError)
			return true
		}, `\u202e`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			c := rogue(t, content, func(w http.ResponseWriter, r *http.Request) bool {
				requests.Add(1)
				return tt.bend(w, r)
			})
			start := time.Now()
			_, err := c.Download(patient(t), Model{Repo: "org/model", Files: []File{{Path: "config.json"}}})
			checkQuick(t, err, start)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\u202e") {
				t.Fatalf("err = %v, want one that says %q", err, tt.want)
			}
			if n := requests.Load(); n > maxRedirects+2 {
				t.Errorf("sent %d requests", n)
			}
			var outside []string
			filepath.Walk(filepath.Dir(c.CacheDir), func(p string, fi os.FileInfo, err error) error {
				if err == nil && !fi.IsDir() && !strings.HasPrefix(p, c.CacheDir) {
					outside = append(outside, p)
				}
				return nil
			})
			if len(outside) > 0 {
				t.Errorf("wrote %q outside the cache", outside)
			}
		})
	}
}

// TestRedirectDowngrade refuses to follow the Hub from https to a CDN on http.
func TestRedirectDowngrade(t *testing.T) {
	content := bytes.Repeat([]byte("w"), 2048)
	var cdnHits atomic.Int32
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cdnHits.Add(1)
		w.Write(content)
	}))
	defer cdn.Close()
	hub := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Repo-Commit", hubtest.Commit)
		w.Header().Set("X-Linked-Etag", `"`+hubtest.SHA256(content)+`"`)
		http.Redirect(w, r, cdn.URL+"/blob", http.StatusFound)
	}))
	defer hub.Close()
	c := &Client{Endpoint: hub.URL, CacheDir: t.TempDir(), HTTPClient: hub.Client()}
	_, err := c.Download(patient(t), Model{Repo: "org/model", Files: []File{{Path: "w.bin"}}})
	if err == nil || !strings.Contains(err.Error(), "from https") {
		t.Fatalf("err = %v, want a refused redirect from https", err)
	}
	if cdnHits.Load() > 0 {
		t.Error("the plain-http CDN was asked")
	}
}

// TestUnknownSizeChecked checks a small file whose size the Hub does not
// declare against its git blob ETag all the same.
func TestUnknownSizeChecked(t *testing.T) {
	content := []byte(`{"hidden_size": 384}`)
	c := rogue(t, content, func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Del("Content-Length")
		if r.Method == http.MethodGet {
			w.Write(bytes.ToUpper(content)) // chunked, and not what the ETag says
		}
		return true
	})
	_, err := c.Download(patient(t), Model{Repo: "org/model", Files: []File{{Path: "config.json"}}})
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
}

// TestTamperedCache damages a downloaded cache in the ways a disk, a crash
// or a hostile neighbour could: online, Download fetches the file again;
// offline, it says what is wrong. Neither hands out the damaged file.
func TestTamperedCache(t *testing.T) {
	files := testFiles()
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.WriteFile(outside, files["config.json"][:5], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		file   string
		pin    bool // the file's size is pinned
		damage func(snap, blob string) error
	}{
		{"truncated LFS blob", "model.safetensors", false, func(_, blob string) error { return os.Truncate(blob, 100) }},
		{"truncated pinned blob", "model.safetensors", true, func(_, blob string) error { return os.Truncate(blob, 100) }},
		{"flipped byte in a small blob", "config.json", false, func(_, blob string) error {
			data, _ := os.ReadFile(blob)
			data[3] ^= 1
			return os.WriteFile(blob, data, 0o644)
		}},
		{"snapshot links outside", "config.json", false, func(snap, _ string) error {
			os.Remove(snap)
			return os.Symlink(outside, snap)
		}},
		{"snapshot links to another blob", "config.json", true, func(snap, _ string) error {
			os.Remove(snap)
			return os.Symlink(filepath.Join("..", "..", "blobs", hubtest.BlobName(files["model.safetensors"])), snap)
		}},
		{"blob links outside", "config.json", false, func(_, blob string) error {
			os.Remove(blob)
			return os.Symlink(outside, blob)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fh := hubtest.NewServer(t, "org/model", files)
			c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
			m := testModel("org/model", hubtest.Commit, files)
			for i := range m.Files {
				if tt.pin {
					m.Files[i].Size = int64(len(files[m.Files[i].Path]))
				}
			}
			dir, err := c.Download(patient(t), m)
			if err != nil {
				t.Fatal(err)
			}
			snap := filepath.Join(dir, filepath.FromSlash(tt.file))
			blob := filepath.Join(c.CacheDir, "models--org--model", "blobs", hubtest.BlobName(files[tt.file]))
			if err := tt.damage(snap, blob); err != nil {
				t.Fatal(err)
			}

			offline := &Client{CacheDir: c.CacheDir, Offline: true}
			if _, err := offline.Download(patient(t), m); !errors.Is(err, ErrChecksum) {
				t.Errorf("offline Download of a damaged cache: err = %v, want ErrChecksum", err)
			}
			if _, err := c.Download(patient(t), m); err != nil {
				t.Fatal(err)
			}
			for name, want := range files {
				if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name))); !bytes.Equal(got, want) {
					t.Errorf("%s differs from the Hub's after the repair", name)
				}
			}
			checkBlobs(t, c.CacheDir, false)
			if _, err := offline.Download(patient(t), m); err != nil {
				t.Errorf("offline Download of the repaired cache: %v", err)
			}
		})
	}
}

// TestTamperedRef checks that a ref whose content is not a commit cannot
// lead offline Download out of the cache.
func TestTamperedRef(t *testing.T) {
	files := testFiles()
	fh := hubtest.NewServer(t, "org/model", files)
	c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
	m := testModel("org/model", "main", files)
	dir, err := c.Download(patient(t), m)
	if err != nil {
		t.Fatal(err)
	}
	// A copy of the snapshot outside the cache, and a ref that leads there.
	elsewhere := filepath.Join(t.TempDir(), "elsewhere")
	for name := range files {
		p := filepath.Join(elsewhere, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ref := filepath.Join(c.CacheDir, "models--org--model", "refs", "main")
	rel, _ := filepath.Rel(filepath.Join(c.CacheDir, "models--org--model", "snapshots"), elsewhere)
	if err := os.WriteFile(ref, []byte(rel), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := (&Client{CacheDir: c.CacheDir, Offline: true}).Download(patient(t), m)
	if err == nil || !strings.Contains(err.Error(), "not a commit") {
		t.Fatalf("offline Download with refs/main = %q: %q, %v; want an error", rel, got, err)
	}
}

// rogue starts a Hub that serves every file as content, with the headers
// the Hub sends for a small file, once bend has had its say: bend may
// change the headers, or answer itself and return true. It returns a
// client of that Hub with a cache of its own.
func rogue(t *testing.T, content []byte, bend func(w http.ResponseWriter, r *http.Request) bool) *Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Repo-Commit", hubtest.Commit)
		w.Header().Set("ETag", `"`+hubtest.GitBlobHash(content)+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(content)))
		if bend(w, r) {
			return
		}
		if r.Method == http.MethodGet {
			w.Write(content)
		}
	}))
	t.Cleanup(srv.Close)
	return &Client{Endpoint: srv.URL, CacheDir: t.TempDir()}
}

// TestOversizedLeftover checks that a .incomplete file larger than the
// file may be, left by an older version or a lying server, is started over
// rather than resumed or read.
func TestOversizedLeftover(t *testing.T) {
	content := []byte(`{"hidden_size": 384}`)
	var mu sync.Mutex
	var ranges []string
	c := rogue(t, content, func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Del("Content-Length") // unknown size: only MaxFileSize bounds it
		if r.Method == http.MethodGet {
			mu.Lock()
			ranges = append(ranges, r.Header.Get("Range"))
			mu.Unlock()
		}
		return false
	})
	c.MaxFileSize = 1 << 20
	part := filepath.Join(c.CacheDir, "models--org--model", "blobs", hubtest.GitBlobHash(content)+".incomplete")
	if err := os.MkdirAll(filepath.Dir(part), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(part, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(part, 64<<20); err != nil { // sparse
		t.Fatal(err)
	}
	dir, err := c.Download(patient(t), Model{Repo: "org/model", Files: []File{{Path: "config.json"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "config.json")); !bytes.Equal(got, content) {
		t.Errorf("config.json = %q, want %q", got, content)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ranges) != 1 || ranges[0] != "" {
		t.Errorf("GET Range headers %q, want one GET from the start", ranges)
	}
	checkNoPartial(t, c.CacheDir)
}
