package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/sbert/hub/hubtest"
)

// answer is what the fuzzed Hub sends for the one file it serves.
type answer struct {
	etag, commit, headSize, getSize string
	body                            []byte
	mode                            uint8
}

// Modes of the fuzzed Hub's answer, picked by answer.mode % 6.
const (
	modePlain   = iota // HEAD and GET answer directly
	modeCDN            // HEAD redirects to /cdn, as for LFS files
	modeRange          // GET answers 206 with a Content-Range from etag
	modeLoop           // GET redirects to itself
	modeStatus         // GET answers 416 or 500
	modeChunked        // GET sends the body without a Content-Length
	numModes
)

// FuzzDownload lets the fuzzer write the Hub's answer: ETag, commit, the
// sizes HEAD and GET declare, the body and how it is sent. Whatever it is,
// Download must return within its bounds, write nothing outside the cache
// and nothing larger than Client.MaxFileSize, and hand out only a file that
// is what the server sent and matches the hashes it claimed.
func FuzzDownload(f *testing.F) {
	small := []byte(`{"hidden_size": 384}`)
	f.Add(hubtest.GitBlobHash(small), hubtest.Commit, "20", "20", small, uint8(modePlain))
	f.Add(hubtest.SHA256(small), hubtest.Commit, "20", "", small, uint8(modeCDN))
	f.Add("../../x", "../../../y", "-1", "999999999999", small, uint8(modeChunked))
	f.Add("x.incomplete", hubtest.Commit, "", "3", small, uint8(modeRange))
	f.Add("", hubtest.Commit, "5000", "5000", bytes.Repeat([]byte("a"), 5000), uint8(modeLoop))
	f.Add("abc", strings.Repeat("f", 40), "20", "20", small, uint8(modeStatus))
	f.Add("abc", hubtest.Commit, "", "", bytes.Repeat([]byte("a"), 5000), uint8(modeChunked))

	const limit = 4096
	var cur atomic.Pointer[answer]
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := cur.Load()
		set := func(name, value string) { // an empty value is no header
			if value != "" {
				w.Header().Set(name, value)
			}
		}
		set("X-Repo-Commit", a.commit)
		set("ETag", `"`+a.etag+`"`)
		mode := a.mode % numModes
		if r.Method == http.MethodHead {
			set("Content-Length", a.headSize)
			if mode == modeCDN && r.URL.Path != "/cdn" {
				set("X-Linked-Etag", a.etag)
				set("X-Linked-Size", a.headSize)
				http.Redirect(w, r, "/cdn", http.StatusFound)
			}
			return
		}
		switch mode {
		case modeRange:
			set("Content-Range", a.etag)
			set("Content-Length", a.getSize)
			w.WriteHeader(http.StatusPartialContent)
		case modeLoop:
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
			return
		case modeStatus:
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable + len(a.body)%2*84) // 416 or 500
			return
		case modeChunked:
			w.(http.Flusher).Flush()
		default:
			set("Content-Length", a.getSize)
		}
		w.Write(a.body)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // "invalid Content-Length" is the point
	srv.Start()
	f.Cleanup(srv.Close)
	root := f.TempDir()

	f.Fuzz(func(t *testing.T, etag, commit, headSize, getSize string, body []byte, mode uint8) {
		if len(body) > 2*limit {
			body = body[:2*limit]
		}
		cur.Store(&answer{etag, commit, headSize, getSize, body, mode})
		cache := filepath.Join(root, "cache")
		if err := os.RemoveAll(cache); err != nil {
			t.Fatal(err)
		}
		// No answer mode stalls: a stall or the deadline is a hang, given
		// time enough for a loaded machine.
		c := &Client{Endpoint: srv.URL, CacheDir: cache, MaxFileSize: limit, StallTimeout: 10 * time.Second}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		dir, err := c.Download(ctx, Model{Repo: "org/model", Files: []File{{Path: "config.json"}}})
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrStalled) {
			t.Fatalf("Download did not end by itself: %v", err)
		}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if !strings.HasPrefix(p, cache+string(filepath.Separator)) {
				t.Errorf("wrote %s outside the cache", p)
			}
			if fi, err := d.Info(); err == nil && fi.Size() > limit {
				t.Errorf("%s has %d bytes, over the limit %d", p, fi.Size(), limit)
			}
			return nil
		})
		if err != nil {
			return
		}
		if !strings.HasPrefix(dir, cache+string(filepath.Separator)) {
			t.Fatalf("snapshot %s is outside the cache", dir)
		}
		got, err := os.ReadFile(filepath.Join(dir, "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(body, got) {
			t.Fatalf("handed out %q, which the server did not send (%q)", got, body)
		}
		e := strings.ToLower(normalizeETag(etag))
		sum := sha256.Sum256(got)
		switch {
		case len(e) == 64 && isHex(e) && hex.EncodeToString(sum[:]) != e:
			t.Fatalf("handed out %q, whose SHA-256 is not the ETag %s", got, e)
		case len(e) == 40 && isHex(e) && hubtest.GitBlobHash(got) != e:
			t.Fatalf("handed out %q, whose git blob hash is not the ETag %s", got, e)
		}
	})
}
