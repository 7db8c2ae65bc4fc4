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
	"io/fs"
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
	// ErrChecksum means a downloaded or cached file does not match its
	// pinned SHA-256 or size, or the Hub's ETag or declared size. A download
	// that fails so is discarded; a cached file that does is fetched again
	// (or, offline, reported).
	ErrChecksum = errors.New("hub: checksum mismatch")
	// ErrOffline means offline mode is on and a file is not in the cache.
	ErrOffline = errors.New("hub: offline and not in cache")
	// ErrUnreachable means no connection to the Hub could be made: the
	// name did not resolve, or the connection (or the proxy) was refused.
	ErrUnreachable = errors.New("hub: cannot reach the Hub")
	// ErrTooLarge means a file is larger than expected: the server sent
	// more than it declared or than the pinned size, or declared more than
	// [Client.MaxFileSize]. The download is discarded.
	ErrTooLarge = errors.New("hub: file too large")
	// ErrStalled means the server sent nothing for [Client.StallTimeout]:
	// no response headers, or no bytes of a body. What arrived before is
	// kept, and the next call resumes from it.
	ErrStalled = errors.New("hub: server stalled")
)

// Limits that apply when the [Client]'s fields leave them unset.
const (
	// DefaultMaxFileSize bounds files whose size is not pinned.
	DefaultMaxFileSize int64 = 2 << 30
	// DefaultStallTimeout bounds the wait for response headers and for each
	// read of a body.
	DefaultStallTimeout = 30 * time.Second
	// maxRedirects bounds the redirects one request follows.
	maxRedirects = 10
	// maxHeaderBytes bounds the response headers of the default HTTP client.
	maxHeaderBytes = 64 << 10
	// cheapHash is the size up to which a cached file is hashed on every
	// use; larger ones have their size checked, and are hashed only when
	// no size is known to check.
	cheapHash = 16 << 20
)

// File is one file of a repository.
type File struct {
	// Path is the slash-separated path in the repository, e.g. "1_Pooling/config.json".
	Path string
	// SHA256 is the hex SHA-256 of the file's content. When empty, only the
	// Hub's ETag is checked.
	SHA256 string
	// Size is the file's length in bytes; zero means unknown. A pinned size
	// is checked against what the Hub declares before a download, stops a
	// download as soon as a server sends more, and checks cached files
	// without a request; otherwise [Client.MaxFileSize] bounds the file.
	Size int64
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
	// time out after 10 s, so an unreachable Hub fails fast, and that takes
	// at most 64 KiB of response headers. Download sets its redirect policy
	// on a copy: at most 10 redirects, to http or https only, never from
	// https to http.
	HTTPClient *http.Client
	// MaxFileSize bounds a file whose size is not pinned ([File.Size]): a
	// larger declared size is refused before the download, and a download
	// stops as soon as it passes the bound. Zero means [DefaultMaxFileSize].
	MaxFileSize int64
	// StallTimeout bounds how long a request waits for the response headers
	// and, while a body is read, for its next bytes; then the request fails
	// with [ErrStalled]. Zero means [DefaultStallTimeout]. The whole download
	// takes as long as the context allows.
	StallTimeout time.Duration
	// Offline, or HF_HUB_OFFLINE=1, makes Download use the cache only.
	Offline bool
	// Progress, if set, is called as bytes arrive, from the goroutine
	// that called Download.
	Progress func(Progress)
}

var defaultHTTPClient = &http.Client{
	Transport: &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  DefaultStallTimeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		IdleConnTimeout:        90 * time.Second,
		ForceAttemptHTTP2:      true,
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
// Files already cached are checked (see [File.Size]) and not fetched again
// unless they fail; when m.Revision is a branch or tag, one request per file
// asks the Hub which commit it points to now.
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
	d := downloader{c: c, repoDir: filepath.Join(cache, "models--"+strings.ReplaceAll(m.Repo, "/", "--")), repo: m.Repo, endpoint: c.endpoint()}
	if c.Offline || envTrue("HF_HUB_OFFLINE") {
		return d.offline(rev, m.Files)
	}

	commit := ""
	if isCommit(rev) {
		commit = rev
	}
	for _, f := range m.Files {
		if commit != "" {
			if n, err := d.cached(commit, f); err == nil {
				c.report(Progress{File: f.Path, Done: n, Total: n})
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
		if err := writeFileAtomic(filepath.Join(d.repoDir, "refs", filepath.FromSlash(rev)), []byte(commit)); err != nil {
			return "", fmt.Errorf("hub: %s: write ref %s: %w", m.Repo, rev, err)
		}
	}
	return filepath.Join(d.repoDir, "snapshots", commit), nil
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

func (c *Client) maxFileSize() int64 {
	if c.MaxFileSize > 0 {
		return c.MaxFileSize
	}
	return DefaultMaxFileSize
}

func (c *Client) stallTimeout() time.Duration {
	if c.StallTimeout > 0 {
		return c.StallTimeout
	}
	return DefaultStallTimeout
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

// downloader fetches the files of one repository.
type downloader struct {
	c        *Client
	repoDir  string
	repo     string
	endpoint string
}

// offline returns the snapshot of rev from the cache, every file in it checked.
func (d *downloader) offline(rev string, files []File) (string, error) {
	commit := rev
	if !isCommit(rev) {
		ref, err := os.Open(filepath.Join(d.repoDir, "refs", filepath.FromSlash(rev)))
		if err != nil {
			return "", fmt.Errorf("%w: %s@%s: %v", ErrOffline, d.repo, rev, err)
		}
		b, err := io.ReadAll(io.LimitReader(ref, 128))
		ref.Close()
		if commit = strings.TrimSpace(string(b)); err != nil || !isCommit(commit) {
			return "", fmt.Errorf("hub: %s@%s: ref %.64q is not a commit (%v)", d.repo, rev, b, err)
		}
	}
	for _, f := range files {
		if _, err := d.cached(commit, f); errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%w: %s@%s: %s", ErrOffline, d.repo, rev, f.Path)
		} else if err != nil {
			return "", fmt.Errorf("hub: %s@%s: %s: %w", d.repo, rev, f.Path, err)
		}
	}
	return filepath.Join(d.repoDir, "snapshots", commit), nil
}

// cached checks f in the snapshot of commit and returns its size. The
// snapshot entry must lead to a blob of this repository, named by its hash
// (a file of the snapshot itself also does, as huggingface_hub leaves where
// it cannot link), which must pass [verify].
func (d *downloader) cached(commit string, f File) (int64, error) {
	snap := filepath.Join(d.repoDir, "snapshots", commit)
	file, err := filepath.EvalSymlinks(filepath.Join(snap, filepath.FromSlash(f.Path)))
	if err != nil {
		return 0, err
	}
	blobs, _ := filepath.EvalSymlinks(filepath.Join(d.repoDir, "blobs"))
	snap, _ = filepath.EvalSymlinks(snap)
	etag := ""
	switch {
	case filepath.Dir(file) == blobs && validBlobName(filepath.Base(file)):
		etag = filepath.Base(file)
	case file != filepath.Join(snap, filepath.FromSlash(f.Path)):
		return 0, fmt.Errorf("%w: the cached file leads to %s, outside the repository's blobs", ErrChecksum, file)
	}
	return verify(file, want{sha256: f.SHA256, etag: etag, size: pinnedSize(f)}, false)
}

// meta is what the Hub says about a file before sending it.
type meta struct {
	commit string
	etag   string
	size   int64  // -1 when unknown
	limit  int64  // the most bytes the download may take
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
	if !validBlobName(blobName) || !isCommit(m.commit) {
		return "", fmt.Errorf("hub: %s@%s: %s: unusable ETag %.100q or commit %.100q", d.repo, rev, f.Path, m.etag, m.commit)
	}
	maxSize := d.c.maxFileSize()
	switch {
	case f.Size > 0 && m.size >= 0 && m.size != f.Size:
		return "", fmt.Errorf("hub: %s@%s: %s: %w: the Hub declares %d bytes, pinned %d", d.repo, rev, f.Path, ErrChecksum, m.size, f.Size)
	case f.Size > 0:
		m.size = f.Size
	case m.size > maxSize:
		return "", fmt.Errorf("hub: %s@%s: %s: %w: the Hub declares %d bytes, over the limit of %d (Client.MaxFileSize)", d.repo, rev, f.Path, ErrTooLarge, m.size, maxSize)
	}
	m.limit = m.size
	if m.limit < 0 {
		m.limit = maxSize
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

// fetchBlob makes sure blob is in the cache and passes [verify], downloading
// it under the lock that huggingface_hub uses for it,
// <cache>/.locks/<repo folder>/<blob>.lock. A blob that fails is replaced.
func (d *downloader) fetchBlob(ctx context.Context, m meta, f File, blob string) error {
	w := want{sha256: f.SHA256, etag: m.etag, size: m.size}
	if d.have(blob, w, f) {
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
	if d.have(blob, w, f) { // another process fetched it meanwhile
		return nil
	}
	if err := os.Remove(blob); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return d.get(ctx, m, f, blob)
}

// have reports whether blob is in the cache and passes verify.
func (d *downloader) have(blob string, w want, f File) bool {
	n, err := verify(blob, w, false)
	if err == nil {
		d.c.report(Progress{File: f.Path, Done: n, Total: n})
	}
	return err == nil
}

// head asks for a file's metadata. It follows redirects on the Hub's own
// host (renamed repositories) but not to another host (the CDN that serves
// large files), whose URL becomes the download URL.
func (d *downloader) head(ctx context.Context, resolve string) (meta, error) {
	resp, w, err := d.send(ctx, http.MethodHead, resolve, 0)
	if err != nil {
		return meta{}, err
	}
	resp.Body.Close()
	w.release()
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
		if err := checkRedirect(loc, resp.Request.URL); err != nil {
			return meta{}, err
		}
		m.url = loc.String()
	case resp.StatusCode != http.StatusOK:
		return meta{}, statusError(resp)
	}
	return m, nil
}

// get downloads m into blob, resuming blob+".incomplete" if an earlier
// attempt left one, and verifies it before renaming it into place. It
// stops as soon as the body passes m.limit. What a broken connection, a
// stall or a cancellation leaves is kept for the next attempt; a body that
// is too large or fails verification is deleted.
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
	discard := func(err error) error {
		out.Close()
		os.Remove(part)
		return err
	}
	fi, err := out.Stat()
	if err != nil {
		return err
	}
	have := fi.Size()
	if have >= m.limit {
		have = 0 // complete or oversized leftover: it failed verification before
	}
	resp, w, err := d.open(ctx, m.url, have)
	if err != nil {
		return err
	}
	defer w.release()
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		have = 0 // a fresh start, or the server ignored the Range header
	}
	if err := out.Truncate(have); err != nil {
		return err
	}
	if _, err := out.Seek(have, io.SeekStart); err != nil {
		return err
	}
	if n := resp.ContentLength; n >= 0 && (have+n > m.limit || m.size >= 0 && have+n != m.size) {
		return discard(sizeError(fmt.Sprintf("the response declares %d bytes from byte %d", n, have), have+n, m))
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
			w.poke()
			if int64(n) > m.limit-done {
				return discard(sizeError("the server sent more", done+int64(n), m))
			}
			if _, err := out.Write(buf[:n]); err != nil {
				return err
			}
			done += int64(n)
			d.c.report(Progress{File: f.Path, Done: done, Total: total})
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("read body after %d bytes: %w", done, w.err(rerr))
		}
	}
	if total >= 0 && done != total {
		return fmt.Errorf("got %d of %d bytes: %w", done, total, io.ErrUnexpectedEOF)
	}
	if err := out.Sync(); err != nil {
		return err
	}
	if _, err := verify(part, want{sha256: f.SHA256, etag: m.etag, size: m.size}, true); err != nil {
		return discard(err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(part, blob)
}

// sizeError says that a body of n bytes does not fit m: larger than its
// size or limit is ErrTooLarge, smaller than its size io.ErrUnexpectedEOF.
func sizeError(what string, n int64, m meta) error {
	switch {
	case m.size >= 0 && n < m.size:
		return fmt.Errorf("%s: %d bytes, want %d: %w", what, n, m.size, io.ErrUnexpectedEOF)
	case m.size >= 0:
		return fmt.Errorf("%w: %s than the %d bytes declared or pinned", ErrTooLarge, what, m.size)
	}
	return fmt.Errorf("%w: %s than the limit of %d bytes (Client.MaxFileSize)", ErrTooLarge, what, m.limit)
}

// open sends the GET for a file's content, from byte offset on.
func (d *downloader) open(ctx context.Context, target string, offset int64) (*http.Response, *watch, error) {
	resp, w, err := d.send(ctx, http.MethodGet, target, offset)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return resp, w, nil
	case resp.StatusCode == http.StatusPartialContent && offset > 0:
		if strings.HasPrefix(resp.Header.Get("Content-Range"), fmt.Sprintf("bytes %d-", offset)) {
			return resp, w, nil
		}
		err = fmt.Errorf("resume at %d: unexpected Content-Range %.100q", offset, resp.Header.Get("Content-Range"))
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && offset > 0:
		resp.Body.Close()
		w.release()
		return d.open(ctx, target, 0)
	default:
		err = statusError(resp)
	}
	resp.Body.Close()
	w.release()
	return nil, nil, err
}

// send sends a request under the client's redirect policy and the stall
// timeout. A HEAD request follows redirects on the Hub's own host only, and
// returns one to another host (the CDN) as its response. The caller
// releases the watch once done with the body, and pokes it after each read.
func (d *downloader) send(ctx context.Context, method, target string, offset int64) (*http.Response, *watch, error) {
	w := newWatch(ctx, d.c.stallTimeout())
	req, err := http.NewRequestWithContext(w.ctx, method, target, nil)
	if err != nil {
		w.release()
		return nil, nil, err
	}
	// Raw bytes: the checksums are over the file, not a compressed stream.
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("User-Agent", "jobmatch-hub/1 (go)")
	if tok := d.c.token(); tok != "" && sameHost(target, d.endpoint) {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if offset > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", offset))
	}
	hc := *d.httpClient()
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if err := checkRedirect(req.URL, via[len(via)-1].URL); err != nil {
			return err
		}
		if method == http.MethodHead && req.URL.Host != via[0].URL.Host {
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := hc.Do(req)
	if err != nil {
		err = w.err(err)
		w.release()
		var op *net.OpError
		var dns *net.DNSError
		if errors.As(err, &dns) || errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
			err = fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		return nil, nil, err
	}
	return resp, w, nil
}

func (d *downloader) httpClient() *http.Client {
	if d.c.HTTPClient != nil {
		return d.c.HTTPClient
	}
	return defaultHTTPClient
}

// checkRedirect refuses a redirect from one URL to another that is not
// http or https, or that goes from https to http.
func checkRedirect(to, from *url.URL) error {
	switch {
	case to.Scheme != "http" && to.Scheme != "https":
		return fmt.Errorf("redirect to %.100q refused: not http or https", to.Redacted())
	case from.Scheme == "https" && to.Scheme == "http":
		return fmt.Errorf("redirect from https to %.100q refused", to.Redacted())
	}
	return nil
}

// watch cancels a request that receives nothing for a while: no response
// headers, or no bytes of the body since the last poke.
type watch struct {
	ctx   context.Context
	stop  context.CancelCauseFunc
	timer *time.Timer
	d     time.Duration
}

func newWatch(ctx context.Context, d time.Duration) *watch {
	w := &watch{d: d}
	w.ctx, w.stop = context.WithCancelCause(ctx)
	w.timer = time.AfterFunc(d, func() { w.stop(fmt.Errorf("%w: nothing received for %v (Client.StallTimeout)", ErrStalled, d)) })
	return w
}

func (w *watch) poke() { w.timer.Reset(w.d) }

func (w *watch) release() {
	w.timer.Stop()
	w.stop(context.Canceled)
}

// err returns why the request failed with err: a stall, the caller's
// context, or err itself. Call it before release.
func (w *watch) err(err error) error {
	if cause := context.Cause(w.ctx); cause != nil {
		return cause
	}
	return err
}

func statusError(resp *http.Response) error {
	msg := resp.Status
	if code := resp.Header.Get("X-Error-Code"); code != "" {
		msg += fmt.Sprintf(" (%.100q)", code)
	}
	if m := resp.Header.Get("X-Error-Message"); m != "" {
		msg += fmt.Sprintf(": %.200q", m)
	}
	switch resp.StatusCode {
	case http.StatusNotFound:
		return fmt.Errorf("%w: %s", ErrNotFound, msg)
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%w: %s (is HF_TOKEN set and allowed to read the repository?)", ErrUnauthorized, msg)
	}
	return fmt.Errorf("hub: %s", msg)
}

// want is what a file must be: its pinned SHA-256, the Hub's ETag (an
// LFS file's SHA-256 or a small file's git blob SHA-1; anything else is
// not a hash and not checked) and its size, -1 when unknown.
type want struct {
	sha256, etag string
	size         int64
}

func pinnedSize(f File) int64 {
	if f.Size > 0 {
		return f.Size
	}
	return -1
}

// verify checks that name is a regular file (not a link) of the wanted size
// and content, and returns its size. It hashes the content if full is set,
// if the file is small enough to hash cheaply, or if no size is known.
func verify(name string, w want, full bool) (int64, error) {
	fi, err := os.Lstat(name)
	if err != nil {
		return 0, err
	}
	size := fi.Size()
	switch {
	case !fi.Mode().IsRegular():
		return 0, fmt.Errorf("%w: %s is not a regular file", ErrChecksum, name)
	case w.size >= 0 && size != w.size:
		return 0, fmt.Errorf("%w: %s has %d bytes, want %d", ErrChecksum, name, size, w.size)
	case !full && size > cheapHash && w.size >= 0:
		return size, nil
	}
	in, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	etag := strings.ToLower(w.etag)
	sha := sha256.New()
	var git hash.Hash // a git blob hash covers a "blob <size>\x00" header and the content
	hashes := io.Writer(sha)
	if len(etag) == 40 && isHex(etag) {
		git = sha1.New()
		fmt.Fprintf(git, "blob %d\x00", size)
		hashes = io.MultiWriter(sha, git)
	}
	if n, err := io.Copy(hashes, in); err != nil {
		return 0, err
	} else if n != size {
		return 0, fmt.Errorf("%w: %s changed while read", ErrChecksum, name)
	}
	got := hex.EncodeToString(sha.Sum(nil))
	switch {
	case w.sha256 != "" && got != strings.ToLower(w.sha256):
		return 0, fmt.Errorf("%w: sha256 %s, want %s", ErrChecksum, got, strings.ToLower(w.sha256))
	case len(etag) == 64 && isHex(etag) && got != etag:
		return 0, fmt.Errorf("%w: sha256 %s, ETag %s", ErrChecksum, got, etag)
	case git != nil && hex.EncodeToString(git.Sum(nil)) != etag:
		return 0, fmt.Errorf("%w: git blob %s, ETag %s", ErrChecksum, hex.EncodeToString(git.Sum(nil)), etag)
	}
	return size, nil
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

// validBlobName reports whether s can name a blob: a safe name that is
// neither hidden nor a partial download's.
func validBlobName(s string) bool {
	return safeName(s) && !strings.HasPrefix(s, ".") && !strings.HasSuffix(s, ".incomplete")
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
