package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/hub/hubtest"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

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
	fh := hubtest.NewServer(t, "org/model", files)
	fh.Token = "secret"
	cache := t.TempDir()
	last := map[string]Progress{}
	c := &Client{Endpoint: fh.URL, Token: "secret", CacheDir: cache, Progress: func(p Progress) { last[p.File] = p }}

	m := testModel("org/model", "main", files)
	m.Files[2].SHA256 = hubtest.SHA256(files["model.safetensors"]) // pinned and unpinned files
	dir, err := c.Download(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	repoDir := filepath.Join(cache, "models--org--model")
	if want := filepath.Join(repoDir, "snapshots", hubtest.Commit); dir != want {
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
		blob := hubtest.BlobName(data)
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
	if ref, err := os.ReadFile(filepath.Join(repoDir, "refs", "main")); err != nil || string(ref) != hubtest.Commit {
		t.Errorf("refs/main = %q, %v; want %s", ref, err, hubtest.Commit)
	}
	checkBlobs(t, cache, false)
	if fh.CDNSawToken() {
		t.Error("the token was sent to the CDN")
	}

	// At a branch, the Hub is asked for the commit again, but nothing is downloaded.
	n := len(fh.Requests())
	if _, err := c.Download(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	for _, r := range fh.Requests()[n:] {
		if !strings.HasPrefix(r, "HEAD ") {
			t.Errorf("second download at main sent %q, want HEAD requests only", r)
		}
	}
	// At a commit, cached files need no request at all.
	n = len(fh.Requests())
	m.Revision = hubtest.Commit
	if d, err := c.Download(context.Background(), m); err != nil || d != dir {
		t.Fatalf("Download at commit = %s, %v; want %s", d, err, dir)
	}
	if extra := fh.Requests()[n:]; len(extra) > 0 {
		t.Errorf("download of a cached commit sent %q", extra)
	}
}

func TestDownloadErrors(t *testing.T) {
	files := testFiles()
	tests := []struct {
		name   string
		setup  func(*hubtest.Server, *Client, *Model)
		want   error
		noHTTP bool // rejected before any request
	}{
		{"missing file", func(_ *hubtest.Server, _ *Client, m *Model) { m.Files = append(m.Files, File{Path: "vocab.txt"}) }, ErrNotFound, false},
		{"unknown revision", func(_ *hubtest.Server, _ *Client, m *Model) { m.Revision = "v9" }, ErrNotFound, false},
		{"unknown repo", func(_ *hubtest.Server, _ *Client, m *Model) { m.Repo = "org/other" }, ErrNotFound, false},
		{"no token", func(fh *hubtest.Server, _ *Client, _ *Model) { fh.Token = "secret" }, ErrUnauthorized, false},
		{"wrong token", func(fh *hubtest.Server, c *Client, _ *Model) { fh.Token, c.Token = "secret", "guess" }, ErrUnauthorized, false},
		{"corrupt LFS file", func(fh *hubtest.Server, _ *Client, _ *Model) { fh.SetFault("model.safetensors", hubtest.Corrupt) }, ErrChecksum, false},
		{"corrupt small file", func(fh *hubtest.Server, _ *Client, _ *Model) { fh.SetFault("config.json", hubtest.Corrupt) }, ErrChecksum, false},
		{"pinned sha256 differs", func(_ *hubtest.Server, _ *Client, m *Model) { m.Files[0].SHA256 = hubtest.SHA256([]byte("other")) }, ErrChecksum, false},
		{"truncated body", func(fh *hubtest.Server, _ *Client, _ *Model) { fh.SetFault("model.safetensors", hubtest.Truncate) }, io.ErrUnexpectedEOF, false},
		{"repo escapes cache", func(_ *hubtest.Server, _ *Client, m *Model) { m.Repo = "../etc" }, nil, true},
		{"path escapes snapshot", func(_ *hubtest.Server, _ *Client, m *Model) { m.Files[0].Path = "../../x" }, nil, true},
		{"revision escapes refs", func(_ *hubtest.Server, _ *Client, m *Model) { m.Revision = "../../x" }, nil, true},
		{"bad pin", func(_ *hubtest.Server, _ *Client, m *Model) { m.Files[0].SHA256 = "abc" }, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fh := hubtest.NewServer(t, "org/model", files)
			c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
			m := testModel("org/model", "main", files)
			tt.setup(fh, c, &m)
			_, err := c.Download(context.Background(), m)
			if err == nil {
				t.Fatal("Download succeeded, want an error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Download error = %v, want %v", err, tt.want)
			}
			if n := len(fh.Requests()); tt.noHTTP && n > 0 {
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
		if name := filepath.Base(b); name != hubtest.SHA256(data) && name != hubtest.GitBlobHash(data) {
			t.Errorf("blob %s does not match its content", b)
		}
	}
}

func TestDownloadResumesTruncated(t *testing.T) {
	files := testFiles()
	fh := hubtest.NewServer(t, "org/model", files)
	c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
	m := testModel("org/model", "main", files)

	fh.SetFault("model.safetensors", hubtest.Truncate)
	if _, err := c.Download(context.Background(), m); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated download: err = %v, want io.ErrUnexpectedEOF", err)
	}
	weights := files["model.safetensors"]
	part := filepath.Join(c.CacheDir, "models--org--model", "blobs", hubtest.SHA256(weights)+".incomplete")
	fi, err := os.Stat(part)
	if err != nil || fi.Size() != int64(len(weights)/2) {
		t.Fatalf("partial file: %v, %v; want %d bytes", fi, err, len(weights)/2)
	}

	fh.SetFault("model.safetensors", hubtest.None)
	dir, err := c.Download(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "model.safetensors")); !bytes.Equal(got, weights) {
		t.Error("resumed file differs from the original")
	}
	reqs := fh.Requests()
	if want := fmt.Sprintf("CDN bytes=%d-", len(weights)/2); reqs[len(reqs)-1] != want {
		t.Errorf("last request %q, want %q", reqs[len(reqs)-1], want)
	}
}

func TestDownloadCancel(t *testing.T) {
	files := testFiles()
	fh := hubtest.NewServer(t, "org/model", files)
	fh.SetFault("model.safetensors", hubtest.Block)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-fh.Blocking()
		cancel()
	}()
	c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
	_, err := c.Download(ctx, testModel("org/model", "main", files))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Download error = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(c.CacheDir, "models--org--model", "blobs", hubtest.SHA256(files["model.safetensors"]))); err == nil {
		t.Error("a cancelled download entered the cache")
	}
	checkBlobs(t, c.CacheDir, true)
}

// TestDownloadConcurrent downloads one model into one cache from several
// goroutines, as several processes would: the blob lock lets exactly one of
// them fetch each file.
func TestDownloadConcurrent(t *testing.T) {
	if !canLock {
		t.Skip("no file locks on this platform")
	}
	files := testFiles()
	fh := hubtest.NewServer(t, "org/model", files)
	cache := t.TempDir()
	m := testModel("org/model", "main", files)
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := (&Client{Endpoint: fh.URL, CacheDir: cache}).Download(context.Background(), m)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	gets := map[string]int{}
	for _, r := range fh.Requests() {
		if !strings.HasPrefix(r, "HEAD ") {
			gets[r]++
		}
	}
	for r, k := range gets {
		if k != 1 {
			t.Errorf("%q sent %d times, want once", r, k)
		}
	}
	checkBlobs(t, cache, false)
}

func TestDownloadRenamedRepo(t *testing.T) {
	files := testFiles()
	fh := hubtest.NewServer(t, "org/new-name", files)
	fh.RenamedFrom = "org/old-name"
	c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
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
	fh := hubtest.NewServer(t, "org/model", files)
	c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
	m := testModel("org/model", "main", files)
	if _, err := (&Client{CacheDir: c.CacheDir, Offline: true}).Download(context.Background(), m); !errors.Is(err, ErrOffline) {
		t.Fatalf("offline on an empty cache: err = %v, want ErrOffline", err)
	}
	want, err := c.Download(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	n := len(fh.Requests())
	t.Setenv("HF_HUB_OFFLINE", "1")
	got, err := c.Download(context.Background(), m)
	if err != nil || got != want {
		t.Fatalf("offline Download = %s, %v; want %s", got, err, want)
	}
	if len(fh.Requests()) != n {
		t.Error("offline mode sent requests")
	}
}

func TestEnvironment(t *testing.T) {
	files := testFiles()
	fh := hubtest.NewServer(t, "org/model", files)
	fh.Token = "from-env"
	cache := t.TempDir()
	t.Setenv("HF_ENDPOINT", fh.URL+"/")
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
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("Download from a closed port: err = %v, want ErrUnreachable", err)
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
	fh := hubtest.NewServer(t, AllMiniLML6V2.Repo, files)
	fh.Commit = AllMiniLML6V2.Revision
	c := &Client{Endpoint: fh.URL, CacheDir: t.TempDir()}
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
		// Longer names find nothing new and make the fuzzer's minimizing,
		// quadratic in the length, take most of its time.
		if len(repo)+len(rev)+len(file) > 192 {
			return
		}
		if checkModel(repo, rev, []File{{Path: file}}) != nil {
			return
		}
		root := filepath.Join("cache", "models--"+strings.ReplaceAll(repo, "/", "--"))
		for _, p := range []string{
			filepath.Join(root, "snapshots", hubtest.Commit, filepath.FromSlash(file)),
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
