package hub

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultEndpoint is the Hugging Face Hub, used when neither
// [Client.Endpoint] nor HF_ENDPOINT is set.
const DefaultEndpoint = "https://huggingface.co"

// Errors that callers act on. Errors returned by [Client.Download] wrap them.
var (
	// ErrNotFound means the repository, revision or file does not exist,
	// or is private and no token was given.
	ErrNotFound = errors.New("hub: not found")
	// ErrUnauthorized means the Hub refused the request: the repository is
	// gated or private and HF_TOKEN is missing or lacks access.
	ErrUnauthorized = errors.New("hub: unauthorized")
	// ErrChecksum means a downloaded file does not match its pinned SHA-256
	// or the Hub's ETag. The file is discarded.
	ErrChecksum = errors.New("hub: checksum mismatch")
	// ErrOffline means offline mode is on and a file is not in the cache.
	ErrOffline = errors.New("hub: offline and not in cache")
)

// File is one file of a repository.
type File struct {
	// Path is the slash-separated path in the repository, e.g. "1_Pooling/config.json".
	Path string
	// SHA256 is the hex SHA-256 of the file's content. When empty, only the
	// Hub's ETag is checked.
	SHA256 string
}

// Model names files of a model repository at a revision.
type Model struct {
	// Repo is the repository id, "org/name".
	Repo string
	// Revision is a commit hash, branch or tag; empty means "main". A commit
	// hash makes downloads reproducible and lets cached files be used
	// without asking the Hub.
	Revision string
	Files    []File
}

// Progress reports how far the download of one file has come.
type Progress struct {
	File  string // path in the repository
	Done  int64  // bytes on disk, including any resumed part
	Total int64  // size of the file, or -1 when unknown
}

// Client downloads from the Hub. Its zero value is ready to use and
// configured from the environment, like huggingface_hub.
type Client struct {
	// Endpoint is the Hub's base URL. Empty means HF_ENDPOINT, then
	// [DefaultEndpoint].
	Endpoint string
	// Token is sent as a bearer token to the endpoint (never to the CDN it
	// redirects to). Empty means HF_TOKEN.
	Token string
	// CacheDir is the Hub cache. Empty means [DefaultCacheDir].
	CacheDir string
	// HTTPClient sends the requests. Nil means a client whose connections
	// time out after 10 s, so an unreachable Hub fails fast; the body of a
	// large file may take as long as the context allows.
	HTTPClient *http.Client
	// Offline, or HF_HUB_OFFLINE=1, makes Download use the cache only.
	Offline bool
	// Progress, if set, is called as bytes arrive, from the goroutine
	// that called Download.
	Progress func(Progress)
}

var defaultHTTPClient = &http.Client{
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	},
}

// DefaultCacheDir returns the Hub cache directory that huggingface_hub uses:
// HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub,
// else ~/.cache/huggingface/hub.
func DefaultCacheDir() (string, error) {
	if d := os.Getenv("HF_HUB_CACHE"); d != "" {
		return d, nil
	}
	if d := os.Getenv("HF_HOME"); d != "" {
		return filepath.Join(d, "hub"), nil
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "huggingface", "hub"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("hub: cache directory: %w", err)
	}
	return filepath.Join(home, ".cache", "huggingface", "hub"), nil
}

// Download makes sure every file of m is in the cache and returns the
// snapshot directory that holds them, <cache>/models--<org>--<name>/snapshots/<commit>.
// Files already cached are not fetched again; when m.Revision is a branch or
// tag, one request per file asks the Hub which commit it points to now.
func (c *Client) Download(ctx context.Context, m Model) (string, error) {
	rev := m.Revision
	if rev == "" {
		rev = "main"
	}
	if err := checkModel(m.Repo, rev, m.Files); err != nil {
		return "", err
	}
	cache := c.CacheDir
	if cache == "" {
		var err error
		if cache, err = DefaultCacheDir(); err != nil {
			return "", err
		}
	}
	repoDir := filepath.Join(cache, "models--"+strings.ReplaceAll(m.Repo, "/", "--"))
	if c.Offline || envTrue("HF_HUB_OFFLINE") {
		return offlineSnapshot(repoDir, m.Repo, rev, m.Files)
	}

	d := downloader{c: c, repoDir: repoDir, repo: m.Repo, endpoint: c.endpoint()}
	commit := ""
	if isCommit(rev) {
		commit = rev
	}
	for _, f := range m.Files {
		if commit != "" {
			snap := filepath.Join(repoDir, "snapshots", commit, filepath.FromSlash(f.Path))
			if fi, err := os.Stat(snap); err == nil {
				c.report(Progress{File: f.Path, Done: fi.Size(), Total: fi.Size()})
				continue
			}
		}
		// Once a branch is resolved, fetch the remaining files at that
		// commit so the snapshot is consistent even if the branch moves.
		at := rev
		if commit != "" {
			at = commit
		}
		got, err := d.fetch(ctx, at, f)
		if err != nil {
			return "", err
		}
		if commit == "" {
			commit = got
		} else if got != commit {
			return "", fmt.Errorf("hub: %s: %s is at commit %s, expected %s", m.Repo, f.Path, got, commit)
		}
	}
	if commit == "" {
		return "", fmt.Errorf("hub: %s@%s: no files requested", m.Repo, rev)
	}
	if rev != commit {
		if err := writeFileAtomic(filepath.Join(repoDir, "refs", filepath.FromSlash(rev)), []byte(commit)); err != nil {
			return "", fmt.Errorf("hub: %s: write ref %s: %w", m.Repo, rev, err)
		}
	}
	return filepath.Join(repoDir, "snapshots", commit), nil
}

func (c *Client) endpoint() string {
	e := c.Endpoint
	if e == "" {
		e = os.Getenv("HF_ENDPOINT")
	}
	if e == "" {
		e = DefaultEndpoint
	}
	return strings.TrimRight(e, "/")
}

func (c *Client) token() string {
	if c.Token != "" {
		return c.Token
	}
	return os.Getenv("HF_TOKEN")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return defaultHTTPClient
}

func (c *Client) report(p Progress) {
	if c.Progress != nil {
		c.Progress(p)
	}
}

func envTrue(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func offlineSnapshot(repoDir, repo, rev string, files []File) (string, error) {
	commit := rev
	if !isCommit(rev) {
		b, err := os.ReadFile(filepath.Join(repoDir, "refs", filepath.FromSlash(rev)))
		if err != nil {
			return "", fmt.Errorf("%w: %s@%s: %v", ErrOffline, repo, rev, err)
		}
		commit = strings.TrimSpace(string(b))
	}
	snap := filepath.Join(repoDir, "snapshots", commit)
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(snap, filepath.FromSlash(f.Path))); err != nil {
			return "", fmt.Errorf("%w: %s@%s: %s", ErrOffline, repo, rev, f.Path)
		}
	}
	return snap, nil
}

// downloader fetches the files of one repository.
type downloader struct {
	c        *Client
	repoDir  string
	repo     string
	endpoint string
}

// meta is what the Hub says about a file before sending it.
type meta struct {
	commit string
	etag   string
	size   int64  // -1 when unknown
	url    string // where to GET the content
}

// fetch puts file f at revision rev into the cache and returns the commit
// the revision resolved to.
func (d *downloader) fetch(ctx context.Context, rev string, f File) (string, error) {
	resolve := d.endpoint + "/" + d.repo + "/resolve/" + url.PathEscape(rev) + "/" + escapePath(f.Path)
	m, err := d.head(ctx, resolve)
	if err != nil {
		return "", fmt.Errorf("hub: %s@%s: %s: %w", d.repo, rev, f.Path, err)
	}
	if m.commit == "" {
		if !isCommit(rev) {
			return "", fmt.Errorf("hub: %s@%s: %s: response has no X-Repo-Commit header", d.repo, rev, f.Path)
		}
		m.commit = rev
	}
	blobName := m.etag
	if blobName == "" {
		blobName = f.SHA256 // a plain mirror without ETags
	}
	if !safeName(blobName) || !isCommit(m.commit) {
		return "", fmt.Errorf("hub: %s@%s: %s: unusable ETag %q or commit %q", d.repo, rev, f.Path, m.etag, m.commit)
	}
	blob := filepath.Join(d.repoDir, "blobs", blobName)
	if err := d.fetchBlob(ctx, m, f, blob); err != nil {
		return "", fmt.Errorf("hub: %s@%s: %s: %w", d.repo, rev, f.Path, err)
	}
	snap := filepath.Join(d.repoDir, "snapshots", m.commit, filepath.FromSlash(f.Path))
	if err := symlinkAtomic(blob, snap); err != nil {
		return "", fmt.Errorf("hub: %s: link %s: %w", d.repo, f.Path, err)
	}
	return m.commit, nil
}

// fetchBlob makes sure blob is in the cache, downloading it under the
// lock that huggingface_hub uses for it, <cache>/.locks/<repo folder>/<blob>.lock.
func (d *downloader) fetchBlob(ctx context.Context, m meta, f File, blob string) error {
	if fi, err := os.Stat(blob); err == nil {
		d.c.report(Progress{File: f.Path, Done: fi.Size(), Total: fi.Size()})
		return nil
	}
	locks := filepath.Join(filepath.Dir(d.repoDir), ".locks", filepath.Base(d.repoDir))
	if err := os.MkdirAll(locks, 0o755); err != nil {
		return err
	}
	unlock, err := lock(ctx, filepath.Join(locks, filepath.Base(blob)+".lock"))
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer unlock()
	if fi, err := os.Stat(blob); err == nil { // another process fetched it meanwhile
		d.c.report(Progress{File: f.Path, Done: fi.Size(), Total: fi.Size()})
		return nil
	}
	return d.get(ctx, m, f, blob)
}

// head asks for a file's metadata. It follows redirects on the Hub's own
// host (renamed repositories) but not to another host (the CDN that serves
// large files), whose URL becomes the download URL.
func (d *downloader) head(ctx context.Context, resolve string) (meta, error) {
	hc := *d.c.httpClient()
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if req.URL.Host != via[0].URL.Host {
			return http.ErrUseLastResponse
		}
		return nil
	}
	req, err := d.newRequest(ctx, http.MethodHead, resolve)
	if err != nil {
		return meta{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return meta{}, err
	}
	resp.Body.Close()
	m := meta{
		commit: resp.Header.Get("X-Repo-Commit"),
		etag:   normalizeETag(firstHeader(resp.Header, "X-Linked-Etag", "ETag")),
		size:   -1,
		url:    resp.Request.URL.String(),
	}
	if s := firstHeader(resp.Header, "X-Linked-Size", "Content-Length"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			m.size = n
		}
	}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		loc, err := resp.Location()
		if err != nil {
			return meta{}, fmt.Errorf("redirect %s: %w", resp.Status, err)
		}
		m.url = loc.String()
	case resp.StatusCode != http.StatusOK:
		return meta{}, statusError(resp)
	}
	return m, nil
}

// get downloads m into blob, resuming blob+".incomplete" if an earlier
// attempt left one, and verifies it before renaming it into place.
func (d *downloader) get(ctx context.Context, m meta, f File, blob string) error {
	if err := os.MkdirAll(filepath.Dir(blob), 0o755); err != nil {
		return err
	}
	part := blob + ".incomplete"
	out, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()

	sum := newVerifier(f.SHA256, m.etag, m.size)
	have, err := io.Copy(sum, out) // re-hash what an earlier attempt left
	if err != nil {
		return err
	}
	if m.size >= 0 && have >= m.size {
		have = 0 // complete or oversized leftover: it failed verification before
	}
	resp, err := d.open(ctx, m.url, have)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && have > 0 {
		have = 0 // server ignored the Range header: start over
	}
	if have == 0 {
		sum = newVerifier(f.SHA256, m.etag, m.size)
		if err := out.Truncate(0); err != nil {
			return err
		}
	}
	if _, err := out.Seek(have, io.SeekStart); err != nil {
		return err
	}

	total := m.size
	if total < 0 && resp.ContentLength >= 0 {
		total = have + resp.ContentLength
	}
	done := have
	d.c.report(Progress{File: f.Path, Done: done, Total: total})
	buf := make([]byte, 256<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if _, err := out.Write(buf[:n]); err != nil {
				return err
			}
			sum.Write(buf[:n])
			done += int64(n)
			d.c.report(Progress{File: f.Path, Done: done, Total: total})
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("read body after %d bytes: %w", done, rerr)
		}
	}
	if total >= 0 && done != total {
		return fmt.Errorf("got %d of %d bytes: %w", done, total, io.ErrUnexpectedEOF)
	}
	if err := sum.check(); err != nil {
		out.Close()
		os.Remove(part)
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(part, blob)
}

// open sends the GET for a file's content, from byte offset on.
func (d *downloader) open(ctx context.Context, target string, offset int64) (*http.Response, error) {
	req, err := d.newRequest(ctx, http.MethodGet, target)
	if err != nil {
		return nil, err
	}
	if offset > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", offset))
	}
	resp, err := d.c.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return resp, nil
	case http.StatusPartialContent:
		if !strings.HasPrefix(resp.Header.Get("Content-Range"), fmt.Sprintf("bytes %d-", offset)) {
			resp.Body.Close()
			return nil, fmt.Errorf("resume at %d: unexpected Content-Range %q", offset, resp.Header.Get("Content-Range"))
		}
		return resp, nil
	case http.StatusRequestedRangeNotSatisfiable:
		resp.Body.Close()
		return d.open(ctx, target, 0)
	}
	defer resp.Body.Close()
	return nil, statusError(resp)
}

func (d *downloader) newRequest(ctx context.Context, method, target string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, nil)
	if err != nil {
		return nil, err
	}
	// Raw bytes: the checksums are over the file, not a compressed stream.
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("User-Agent", "jobmatch-hub/1 (go)")
	if tok := d.c.token(); tok != "" && sameHost(target, d.endpoint) {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return req, nil
}

func statusError(resp *http.Response) error {
	msg := resp.Status
	if code := resp.Header.Get("X-Error-Code"); code != "" {
		msg += " (" + code + ")"
	}
	if m := resp.Header.Get("X-Error-Message"); m != "" {
		msg += ": " + m
	}
	switch resp.StatusCode {
	case http.StatusNotFound:
		return fmt.Errorf("%w: %s", ErrNotFound, msg)
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%w: %s (is HF_TOKEN set and allowed to read the repository?)", ErrUnauthorized, msg)
	}
	return fmt.Errorf("hub: %s", msg)
}

// verifier hashes a download and checks it against the pinned SHA-256 and
// the ETag: LFS files carry their SHA-256, other files their git blob SHA-1,
// which hashes a "blob <size>\x00" header before the content.
type verifier struct {
	pinned, etag string
	sha256       hash.Hash
	gitBlob      hash.Hash // nil unless the ETag is a git blob hash
}

func newVerifier(pinned, etag string, size int64) *verifier {
	v := &verifier{pinned: strings.ToLower(pinned), etag: strings.ToLower(etag), sha256: sha256.New()}
	if len(v.etag) == 40 && isHex(v.etag) && size >= 0 {
		v.gitBlob = sha1.New()
		fmt.Fprintf(v.gitBlob, "blob %d\x00", size)
	}
	return v
}

func (v *verifier) Write(p []byte) (int, error) {
	v.sha256.Write(p)
	if v.gitBlob != nil {
		v.gitBlob.Write(p)
	}
	return len(p), nil
}

func (v *verifier) check() error {
	got := hex.EncodeToString(v.sha256.Sum(nil))
	if v.pinned != "" && got != v.pinned {
		return fmt.Errorf("%w: sha256 %s, want %s", ErrChecksum, got, v.pinned)
	}
	if len(v.etag) == 64 && isHex(v.etag) && got != v.etag {
		return fmt.Errorf("%w: sha256 %s, ETag %s", ErrChecksum, got, v.etag)
	}
	if v.gitBlob != nil {
		if g := hex.EncodeToString(v.gitBlob.Sum(nil)); g != v.etag {
			return fmt.Errorf("%w: git blob %s, ETag %s", ErrChecksum, g, v.etag)
		}
	}
	return nil
}

func firstHeader(h http.Header, names ...string) string {
	for _, n := range names {
		if v := h.Get(n); v != "" {
			return v
		}
	}
	return ""
}

func normalizeETag(s string) string {
	return strings.Trim(strings.TrimPrefix(s, "W/"), `"`)
}

func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host == ub.Host
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func isCommit(rev string) bool { return len(rev) == 40 && isHex(rev) }

// safeName reports whether s can be a file name inside the cache.
func safeName(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// checkModel rejects names that could escape the cache directory.
func checkModel(repo, rev string, files []File) error {
	org, name, ok := strings.Cut(repo, "/")
	if !ok || !safeName(org) || !safeName(name) {
		return fmt.Errorf("hub: invalid repository id %q, want org/name", repo)
	}
	for _, seg := range strings.Split(rev, "/") {
		if !safeName(seg) {
			return fmt.Errorf("hub: %s: invalid revision %q", repo, rev)
		}
	}
	for _, f := range files {
		if f.Path == "" || path.IsAbs(f.Path) || strings.Contains(f.Path, `\`) || path.Clean(f.Path) != f.Path || f.Path == "." ||
			f.Path == ".." || strings.HasPrefix(f.Path, "../") {
			return fmt.Errorf("hub: %s: invalid file path %q", repo, f.Path)
		}
		if f.SHA256 != "" && (len(f.SHA256) != 64 || !isHex(f.SHA256)) {
			return fmt.Errorf("hub: %s: %s: invalid sha256 %q", repo, f.Path, f.SHA256)
		}
	}
	return nil
}

// symlinkAtomic points link at target with a relative symlink, replacing
// any existing link, as huggingface_hub does.
func symlinkAtomic(target, link string) error {
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return err
	}
	rel, err := filepath.Rel(filepath.Dir(link), target)
	if err != nil {
		return err
	}
	if cur, err := os.Readlink(link); err == nil && cur == rel {
		return nil
	}
	// A name of its own, since other processes may link the same file now.
	tmp := fmt.Sprintf("%s.tmp-%d-%x", link, os.Getpid(), rand.Uint64())
	if err := os.Symlink(rel, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func writeFileAtomic(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
