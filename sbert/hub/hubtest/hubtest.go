// Package hubtest runs a fake Hugging Face Hub on the loopback interface, so
// that downloads can be tested without the network.
//
// Like the real Hub, it answers /<repo>/resolve/<revision>/<path>: small
// files directly, with their git blob hash as ETag, and large (LFS) files
// with a redirect to a CDN on another host and their SHA-256 in
// X-Linked-Etag. Every response carries X-Repo-Commit; errors carry
// X-Error-Code. Faults can be injected per file.
package hubtest

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Commit is the commit a new [Server] reports.
const Commit = "0123456789abcdef0123456789abcdef01234567"

// LFSThreshold is the size above which files are served as LFS files.
const LFSThreshold = 1024

// Fault is a failure injected into the responses for one file.
type Fault int

const (
	None     Fault = iota
	Corrupt        // one byte of the content is flipped
	Truncate       // the body stops half way (LFS files only)
	Block          // the body stops half way and waits for the client to go (LFS files only)
	Endless        // the size is declared, but the body, without a Content-Length, never ends
)

// Server is a fake Hub serving one repository. Set its fields before the
// first request.
type Server struct {
	URL         string            // the Hub endpoint
	Repo        string            // "org/name"
	RenamedFrom string            // an old repo id that redirects to Repo
	Commit      string            // what main and every served file resolve to
	Token       string            // when set, requests without it get 401
	Files       map[string][]byte // path in the repository -> content

	hub, cdn *httptest.Server

	mu       sync.Mutex
	faults   map[string]Fault
	log      []string
	cdnAuth  bool
	blocking chan struct{}
	blocked  bool
}

// NewServer starts a fake Hub serving files as repository repo. It stops
// when the test ends.
func NewServer(t testing.TB, repo string, files map[string][]byte) *Server {
	t.Helper()
	s := &Server{Repo: repo, Commit: Commit, Files: files, faults: map[string]Fault{}, blocking: make(chan struct{})}
	s.cdn = httptest.NewServer(http.HandlerFunc(s.serveCDN))
	mux := http.NewServeMux()
	mux.HandleFunc("/{org}/{name}/resolve/{rev}/{file...}", s.serveResolve)
	s.hub = httptest.NewServer(mux)
	s.URL = s.hub.URL
	t.Cleanup(s.hub.Close)
	t.Cleanup(s.cdn.Close)
	return s
}

// SetFault makes the responses for path fail with f.
func (s *Server) SetFault(path string, f Fault) {
	s.mu.Lock()
	s.faults[path] = f
	s.mu.Unlock()
}

// Requests returns the requests served so far, as "HEAD /path" or
// "GET /path" for the Hub and "CDN <Range header>" for the CDN.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// CDNSawToken reports whether any request to the CDN had an Authorization header.
func (s *Server) CDNSawToken() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cdnAuth
}

// Blocking is closed once a [Block] response has sent half its body.
func (s *Server) Blocking() <-chan struct{} { return s.blocking }

// GitBlobHash returns the git object id of a blob with content data, which
// the Hub sends as ETag of small files.
func GitBlobHash(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// SHA256 returns the hex SHA-256 of data.
func SHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// BlobName returns the hash the server names data by, which is the name
// of its blob in the cache: its SHA-256 if it is an LFS file, else its git
// blob hash.
func BlobName(data []byte) string {
	if IsLFS(data) {
		return SHA256(data)
	}
	return GitBlobHash(data)
}

// IsLFS reports whether the server treats data as an LFS file.
func IsLFS(data []byte) bool { return len(data) > LFSThreshold }

func (s *Server) record(r string) {
	s.mu.Lock()
	s.log = append(s.log, r)
	s.mu.Unlock()
}

func (s *Server) fault(path string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults[path]
}

func (s *Server) serveResolve(w http.ResponseWriter, r *http.Request) {
	s.record(r.Method + " " + r.URL.Path)
	repo, rev, name := r.PathValue("org")+"/"+r.PathValue("name"), r.PathValue("rev"), r.PathValue("file")
	if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		w.Header().Set("X-Error-Code", "GatedRepo")
		http.Error(w, "gated", http.StatusUnauthorized)
		return
	}
	if repo == s.RenamedFrom {
		http.Redirect(w, r, "/"+s.Repo+"/resolve/"+rev+"/"+name, http.StatusTemporaryRedirect)
		return
	}
	if repo != s.Repo {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		http.Error(w, "no repo", http.StatusNotFound)
		return
	}
	if rev != "main" && rev != s.Commit {
		w.Header().Set("X-Error-Code", "RevisionNotFound")
		http.Error(w, "no revision", http.StatusNotFound)
		return
	}
	w.Header().Set("X-Repo-Commit", s.Commit)
	data, ok := s.Files[name]
	if !ok {
		w.Header().Set("X-Error-Code", "EntryNotFound")
		http.Error(w, "no file", http.StatusNotFound)
		return
	}
	if IsLFS(data) {
		sum := SHA256(data)
		w.Header().Set("X-Linked-Etag", `"`+sum+`"`)
		w.Header().Set("X-Linked-Size", strconv.Itoa(len(data)))
		w.Header().Set("ETag", `"`+GitBlobHash([]byte("version https://git-lfs.github.com/spec/v1"))+`"`)
		http.Redirect(w, r, s.cdn.URL+"/blobs/"+sum, http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+GitBlobHash(data)+`"`)
	if s.fault(name) == Corrupt {
		data = corrupt(data)
	}
	if r.Method == http.MethodGet && s.fault(name) == Endless {
		endless(w, r, data)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	if r.Method == http.MethodGet {
		w.Write(data)
	}
}

// endless sends data and then zeros until the client goes away.
func endless(w http.ResponseWriter, r *http.Request, data []byte) {
	w.Write(data)
	zeros := make([]byte, 32<<10)
	for r.Context().Err() == nil {
		if _, err := w.Write(zeros); err != nil {
			return
		}
	}
}

func corrupt(data []byte) []byte {
	c := bytes.Clone(data)
	c[len(c)/2] ^= 1
	return c
}

func (s *Server) serveCDN(w http.ResponseWriter, r *http.Request) {
	s.record("CDN " + r.Header.Get("Range"))
	if r.Header.Get("Authorization") != "" {
		s.mu.Lock()
		s.cdnAuth = true
		s.mu.Unlock()
	}
	var name string
	var data []byte
	for n, d := range s.Files {
		if "/blobs/"+SHA256(d) == r.URL.Path {
			name, data = n, d
		}
	}
	if data == nil {
		http.NotFound(w, r)
		return
	}
	switch s.fault(name) {
	case Corrupt:
		data = corrupt(data)
	case Truncate:
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Write(data[:len(data)/2]) // the server then closes the connection
		return
	case Endless:
		endless(w, r, data)
		return
	case Block:
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Write(data[:len(data)/2])
		w.(http.Flusher).Flush()
		s.mu.Lock()
		if !s.blocked {
			s.blocked = true
			close(s.blocking)
		}
		s.mu.Unlock()
		<-r.Context().Done()
		return
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}
