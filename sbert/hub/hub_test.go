package hub

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

const testCommit = "0123456789abcdef0123456789abcdef01234567"

// fakeHub mimics the Hub: /<repo>/resolve/<rev>/<path> answers small files
// itself with their git blob hash as ETag, and redirects large (LFS) files
// to a CDN on another host, giving their SHA-256 in X-Linked-Etag.
type fakeHub struct {
	repo        string
	renamedFrom string // old repo id that redirects to repo
	commit      string
	files       map[string][]byte
	token       string // required when set

	hub, cdn *httptest.Server

	mu       sync.Mutex
	fault    map[string]string // path -> "corrupt", "truncate" or "block"
	log      []string          // "HEAD /...", "CDN bytes=N-"
	cdnAuth  bool              // the CDN saw an Authorization header
	blocking chan struct{}     // closed when a "block" response has started
}

func newFakeHub(t *testing.T, repo string, files map[string][]byte) *fakeHub {
	t.Helper()
	f := &fakeHub{repo: repo, commit: testCommit, files: files, fault: map[string]string{}, blocking: make(chan struct{})}
	f.cdn = httptest.NewServer(http.HandlerFunc(f.serveCDN))
	mux := http.NewServeMux()
	mux.HandleFunc("/{org}/{name}/resolve/{rev}/{file...}", f.serveResolve)
	f.hub = httptest.NewServer(mux)
	t.Cleanup(f.hub.Close)
	t.Cleanup(f.cdn.Close)
	return f
}

func isLFS(data []byte) bool { return len(data) > 1024 }

func gitBlobHash(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

func sha256Hex(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func (f *fakeHub) record(s string) {
	f.mu.Lock()
	f.log = append(f.log, s)
	f.mu.Unlock()
}

func (f *fakeHub) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

func (f *fakeHub) setFault(path, fault string) {
	f.mu.Lock()
	f.fault[path] = fault
	f.mu.Unlock()
}

func (f *fakeHub) faultOf(path string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fault[path]
}

func (f *fakeHub) serveResolve(w http.ResponseWriter, r *http.Request) {
	f.record(r.Method + " " + r.URL.Path)
	repo, rev, name := r.PathValue("org")+"/"+r.PathValue("name"), r.PathValue("rev"), r.PathValue("file")
	if f.token != "" && r.Header.Get("Authorization") != "Bearer "+f.token {
		w.Header().Set("X-Error-Code", "GatedRepo")
		http.Error(w, "gated", http.StatusUnauthorized)
		return
	}
	if repo == f.renamedFrom {
		http.Redirect(w, r, "/"+f.repo+"/resolve/"+rev+"/"+name, http.StatusTemporaryRedirect)
		return
	}
	if repo != f.repo {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		http.Error(w, "no repo", http.StatusNotFound)
		return
	}
	if rev != "main" && rev != f.commit {
		w.Header().Set("X-Error-Code", "RevisionNotFound")
		http.Error(w, "no revision", http.StatusNotFound)
		return
	}
	w.Header().Set("X-Repo-Commit", f.commit)
	data, ok := f.files[name]
	if !ok {
		w.Header().Set("X-Error-Code", "EntryNotFound")
		http.Error(w, "no file", http.StatusNotFound)
		return
	}
	if isLFS(data) {
		sum := sha256Hex(data)
		w.Header().Set("X-Linked-Etag", `"`+sum+`"`)
		w.Header().Set("X-Linked-Size", strconv.Itoa(len(data)))
		w.Header().Set("ETag", `"`+gitBlobHash([]byte("lfs pointer"))+`"`)
		http.Redirect(w, r, f.cdn.URL+"/blobs/"+sum, http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+gitBlobHash(data)+`"`)
	if f.faultOf(name) == "corrupt" {
		data = corrupt(data)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	if r.Method == http.MethodGet {
		w.Write(data)
	}
}

func corrupt(data []byte) []byte {
	c := bytes.Clone(data)
	c[len(c)/2] ^= 1
	return c
}

func (f *fakeHub) serveCDN(w http.ResponseWriter, r *http.Request) {
	f.record("CDN " + r.Header.Get("Range"))
	if r.Header.Get("Authorization") != "" {
		f.mu.Lock()
		f.cdnAuth = true
		f.mu.Unlock()
	}
	var name string
	var data []byte
	for n, d := range f.files {
		if "/blobs/"+sha256Hex(d) == r.URL.Path {
			name, data = n, d
		}
	}
	if data == nil {
		http.NotFound(w, r)
		return
	}
	switch f.faultOf(name) {
	case "corrupt":
		data = corrupt(data)
	case "truncate":
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Write(data[:len(data)/2]) // the server closes the connection short
		return
	case "block":
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Write(data[:len(data)/2])
		w.(http.Flusher).Flush()
		close(f.blocking)
		<-r.Context().Done()
		return
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// testFiles is a small model: two small JSON files, one nested, and
// weights large enough to be served as LFS.
func testFiles() map[string][]byte {
	weights := make([]byte, 3<<20)
	for i := range weights {
		weights[i] = byte(i * 7 % 251)
	}
	return map[string][]byte{
		"config.json":           []byte(`{"hidden_size": 384}`),
		"1_Pooling/config.json": []byte(`{"pooling_mode_mean_tokens": true}`),
		"model.safetensors":     weights,
	}
}

func testModel(repo, rev string, files map[string][]byte) Model {
	m := Model{Repo: repo, Revision: rev}
	for _, name := range []string{"config.json", "1_Pooling/config.json", "model.safetensors"} {
		m.Files = append(m.Files, File{Path: name})
	}
	return m
}

func TestDownload(t *testing.T) {
	files := testFiles()
	fh := newFakeHub(t, "org/model", files)
	fh.token = "secret"
	cache := t.TempDir()
	last := map[string]Progress{}
	c := &Client{Endpoint: fh.hub.URL, Token: "secret", CacheDir: cache, Progress: func(p Progress) { last[p.File] = p }}

	m := testModel("org/model", "main", files)
	m.Files[2].SHA256 = sha256Hex(files["model.safetensors"]) // pinned and unpinned files
	dir, err := c.Download(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	repoDir := filepath.Join(cache, "models--org--model")
	if want := filepath.Join(repoDir, "snapshots", testCommit); dir != want {
		t.Errorf("snapshot dir = %s, want %s", dir, want)
	}
	for name, data := range files {
		snap := filepath.Join(dir, filepath.FromSlash(name))
		got, err := os.ReadFile(snap)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s: content differs", name)
		}
		blob := gitBlobHash(data)
		if isLFS(data) {
			blob = sha256Hex(data)
		}
		target, err := os.Readlink(snap)
		if err != nil {
			t.Fatalf("%s: not a symlink: %v", name, err)
		}
		up := strings.Repeat("../", strings.Count(name, "/")+2)
		if want := filepath.FromSlash(up + "blobs/" + blob); target != want {
			t.Errorf("%s: link -> %s, want %s", name, target, want)
		}
		if p := last[name]; p.Done != int64(len(data)) || p.Total != int64(len(data)) {
			t.Errorf("%s: last progress %+v, want %d of %d bytes", name, p, len(data), len(data))
		}
	}
	if ref, err := os.ReadFile(filepath.Join(repoDir, "refs", "main")); err != nil || string(ref) != testCommit {
		t.Errorf("refs/main = %q, %v; want %s", ref, err, testCommit)
	}
	checkBlobs(t, cache, false)
	if fh.cdnAuth {
		t.Error("the token was sent to the CDN")
	}

	// At a branch, the Hub is asked for the commit again, but nothing is downloaded.
	n := len(fh.requests())
	if _, err := c.Download(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	for _, r := range fh.requests()[n:] {
		if !strings.HasPrefix(r, "HEAD ") {
			t.Errorf("second download at main sent %q, want HEAD requests only", r)
		}
	}
	// At a commit, cached files need no request at all.
	n = len(fh.requests())
	m.Revision = testCommit
	if d, err := c.Download(context.Background(), m); err != nil || d != dir {
		t.Fatalf("Download at commit = %s, %v; want %s", d, err, dir)
	}
	if extra := fh.requests()[n:]; len(extra) > 0 {
		t.Errorf("download of a cached commit sent %q", extra)
	}
}

func TestDownloadErrors(t *testing.T) {
	files := testFiles()
	tests := []struct {
		name   string
		setup  func(*fakeHub, *Client, *Model)
		want   error
		noHTTP bool // rejected before any request
	}{
		{"missing file", func(_ *fakeHub, _ *Client, m *Model) { m.Files = append(m.Files, File{Path: "vocab.txt"}) }, ErrNotFound, false},
		{"unknown revision", func(_ *fakeHub, _ *Client, m *Model) { m.Revision = "v9" }, ErrNotFound, false},
		{"unknown repo", func(_ *fakeHub, _ *Client, m *Model) { m.Repo = "org/other" }, ErrNotFound, false},
		{"no token", func(fh *fakeHub, _ *Client, _ *Model) { fh.token = "secret" }, ErrUnauthorized, false},
		{"wrong token", func(fh *fakeHub, c *Client, _ *Model) { fh.token, c.Token = "secret", "guess" }, ErrUnauthorized, false},
		{"corrupt LFS file", func(fh *fakeHub, _ *Client, _ *Model) { fh.setFault("model.safetensors", "corrupt") }, ErrChecksum, false},
		{"corrupt small file", func(fh *fakeHub, _ *Client, _ *Model) { fh.setFault("config.json", "corrupt") }, ErrChecksum, false},
		{"pinned sha256 differs", func(_ *fakeHub, _ *Client, m *Model) { m.Files[0].SHA256 = sha256Hex([]byte("other")) }, ErrChecksum, false},
		{"truncated body", func(fh *fakeHub, _ *Client, _ *Model) { fh.setFault("model.safetensors", "truncate") }, io.ErrUnexpectedEOF, false},
		{"repo escapes cache", func(_ *fakeHub, _ *Client, m *Model) { m.Repo = "../etc" }, nil, true},
		{"path escapes snapshot", func(_ *fakeHub, _ *Client, m *Model) { m.Files[0].Path = "../../x" }, nil, true},
		{"revision escapes refs", func(_ *fakeHub, _ *Client, m *Model) { m.Revision = "../../x" }, nil, true},
		{"bad pin", func(_ *fakeHub, _ *Client, m *Model) { m.Files[0].SHA256 = "abc" }, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fh := newFakeHub(t, "org/model", files)
			c := &Client{Endpoint: fh.hub.URL, CacheDir: t.TempDir()}
			m := testModel("org/model", "main", files)
			tt.setup(fh, c, &m)
			_, err := c.Download(context.Background(), m)
			if err == nil {
				t.Fatal("Download succeeded, want an error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Download error = %v, want %v", err, tt.want)
			}
			if n := len(fh.requests()); tt.noHTTP && n > 0 {
				t.Errorf("invalid input sent %d requests", n)
			}
			checkBlobs(t, c.CacheDir, !errors.Is(tt.want, ErrChecksum))
		})
	}
}

// checkBlobs fails t unless every blob in the cache matches its name, which
// is its SHA-256 or git blob hash, and, unless partialOK, no partial download is left.
func checkBlobs(t *testing.T, cache string, partialOK bool) {
	t.Helper()
	blobs, _ := filepath.Glob(filepath.Join(cache, "*", "blobs", "*"))
	for _, b := range blobs {
		if strings.HasSuffix(b, ".incomplete") {
			if !partialOK {
				t.Errorf("left %s behind", b)
			}
			continue
		}
		data, err := os.ReadFile(b)
		if err != nil {
			t.Fatal(err)
		}
		if name := filepath.Base(b); name != sha256Hex(data) && name != gitBlobHash(data) {
			t.Errorf("blob %s does not match its content", b)
		}
	}
}

func TestDownloadResumesTruncated(t *testing.T) {
	files := testFiles()
	fh := newFakeHub(t, "org/model", files)
	c := &Client{Endpoint: fh.hub.URL, CacheDir: t.TempDir()}
	m := testModel("org/model", "main", files)

	fh.setFault("model.safetensors", "truncate")
	if _, err := c.Download(context.Background(), m); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated download: err = %v, want io.ErrUnexpectedEOF", err)
	}
	weights := files["model.safetensors"]
	part := filepath.Join(c.CacheDir, "models--org--model", "blobs", sha256Hex(weights)+".incomplete")
	fi, err := os.Stat(part)
	if err != nil || fi.Size() != int64(len(weights)/2) {
		t.Fatalf("partial file: %v, %v; want %d bytes", fi, err, len(weights)/2)
	}

	fh.setFault("model.safetensors", "")
	dir, err := c.Download(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "model.safetensors")); !bytes.Equal(got, weights) {
		t.Error("resumed file differs from the original")
	}
	reqs := fh.requests()
	if want := fmt.Sprintf("CDN bytes=%d-", len(weights)/2); reqs[len(reqs)-1] != want {
		t.Errorf("last request %q, want %q", reqs[len(reqs)-1], want)
	}
}

func TestDownloadCancel(t *testing.T) {
	files := testFiles()
	fh := newFakeHub(t, "org/model", files)
	fh.setFault("model.safetensors", "block")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-fh.blocking
		cancel()
	}()
	c := &Client{Endpoint: fh.hub.URL, CacheDir: t.TempDir()}
	_, err := c.Download(ctx, testModel("org/model", "main", files))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Download error = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(c.CacheDir, "models--org--model", "blobs", sha256Hex(files["model.safetensors"]))); err == nil {
		t.Error("a cancelled download entered the cache")
	}
	checkBlobs(t, c.CacheDir, true)
}

func TestDownloadRenamedRepo(t *testing.T) {
	files := testFiles()
	fh := newFakeHub(t, "org/new-name", files)
	fh.renamedFrom = "org/old-name"
	c := &Client{Endpoint: fh.hub.URL, CacheDir: t.TempDir()}
	dir, err := c.Download(context.Background(), testModel("org/old-name", "main", files))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "config.json")); !bytes.Equal(got, files["config.json"]) {
		t.Error("config.json differs")
	}
}

func TestOffline(t *testing.T) {
	files := testFiles()
	fh := newFakeHub(t, "org/model", files)
	c := &Client{Endpoint: fh.hub.URL, CacheDir: t.TempDir()}
	m := testModel("org/model", "main", files)
	if _, err := (&Client{CacheDir: c.CacheDir, Offline: true}).Download(context.Background(), m); !errors.Is(err, ErrOffline) {
		t.Fatalf("offline on an empty cache: err = %v, want ErrOffline", err)
	}
	want, err := c.Download(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	n := len(fh.requests())
	t.Setenv("HF_HUB_OFFLINE", "1")
	got, err := c.Download(context.Background(), m)
	if err != nil || got != want {
		t.Fatalf("offline Download = %s, %v; want %s", got, err, want)
	}
	if len(fh.requests()) != n {
		t.Error("offline mode sent requests")
	}
}

func TestEnvironment(t *testing.T) {
	files := testFiles()
	fh := newFakeHub(t, "org/model", files)
	fh.token = "from-env"
	cache := t.TempDir()
	t.Setenv("HF_ENDPOINT", fh.hub.URL+"/")
	t.Setenv("HF_TOKEN", "from-env")
	t.Setenv("HF_HUB_CACHE", cache)
	var c Client
	dir, err := c.Download(context.Background(), testModel("org/model", "main", files))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dir, cache) {
		t.Errorf("snapshot %s is outside HF_HUB_CACHE %s", dir, cache)
	}
}

func TestDefaultCacheDir(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip(err)
	}
	tests := []struct {
		hubCache, hfHome, xdg string
		want                  string
	}{
		{"/a/hub", "/b", "/c", "/a/hub"},
		{"", "/b", "/c", "/b/hub"},
		{"", "", "/c", "/c/huggingface/hub"},
		{"", "", "", filepath.Join(home, ".cache", "huggingface", "hub")},
	}
	for _, tt := range tests {
		t.Setenv("HF_HUB_CACHE", tt.hubCache)
		t.Setenv("HF_HOME", tt.hfHome)
		t.Setenv("XDG_CACHE_HOME", tt.xdg)
		if got, err := DefaultCacheDir(); err != nil || got != filepath.FromSlash(tt.want) {
			t.Errorf("DefaultCacheDir with HF_HUB_CACHE=%q HF_HOME=%q XDG_CACHE_HOME=%q = %q, %v; want %q",
				tt.hubCache, tt.hfHome, tt.xdg, got, err, tt.want)
		}
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	endpoint := srv.URL
	srv.Close() // nothing listens there any more
	c := &Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	_, err := c.Download(context.Background(), testModel("org/model", "main", testFiles()))
	if err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("Download from a closed port: err = %v, want a connection error", err)
	}
}

// TestAllMiniLML6V2 serves the real model through the fake Hub and downloads
// it with the pinned checksums, which proves that the pins match the files.
func TestAllMiniLML6V2(t *testing.T) {
	src := sberttest.ModelDir(t)
	files := map[string][]byte{}
	for _, f := range AllMiniLML6V2.Files {
		data, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		files[f.Path] = data
	}
	fh := newFakeHub(t, AllMiniLML6V2.Repo, files)
	fh.commit = AllMiniLML6V2.Revision
	c := &Client{Endpoint: fh.hub.URL, CacheDir: t.TempDir()}
	dir, err := c.Download(context.Background(), AllMiniLML6V2)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name))); !bytes.Equal(got, data) {
			t.Errorf("%s differs from %s", name, src)
		}
	}
}

// FuzzCheckModel checks that every name Download accepts stays inside the cache.
func FuzzCheckModel(f *testing.F) {
	f.Add("org/name", "main", "1_Pooling/config.json")
	f.Add("../x", "refs/pr/1", "../../etc/passwd")
	f.Add("a/b", "..", "/abs")
	f.Fuzz(func(t *testing.T, repo, rev, file string) {
		if checkModel(repo, rev, []File{{Path: file}}) != nil {
			return
		}
		root := filepath.Join("cache", "models--"+strings.ReplaceAll(repo, "/", "--"))
		for _, p := range []string{
			filepath.Join(root, "snapshots", testCommit, filepath.FromSlash(file)),
			filepath.Join(root, "refs", filepath.FromSlash(rev)),
		} {
			if !strings.HasPrefix(p, root+string(filepath.Separator)) {
				t.Fatalf("repo %q rev %q file %q: %s escapes %s", repo, rev, file, p, root)
			}
		}
		if strings.Count(root, string(filepath.Separator)) != 1 {
			t.Fatalf("repo %q: cache entry %s is not one directory", repo, root)
		}
	})
}
