package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/hub"
	"github.com/jobmatch/jobmatch/sbert/hub/hubtest"
)

// modelFiles gives every file fetchmodel asks for a distinct content, the
// weights large enough to be an LFS file.
func modelFiles() map[string][]byte {
	files := map[string][]byte{}
	for _, f := range hub.AllMiniLML6V2.Files {
		files[f.Path] = []byte(`{"file": "` + f.Path + `"}`)
	}
	files["model.safetensors"] = bytes.Repeat([]byte("weights "), 4096)
	return files
}

func TestRun(t *testing.T) {
	files := modelFiles()
	srv := hubtest.NewServer(t, "org/model", files)
	t.Setenv("HF_ENDPOINT", srv.URL)
	dir := filepath.Join(t.TempDir(), "model")
	var stderr bytes.Buffer
	args := []string{"-dir", dir, "-repo", "org/model", "-revision", "main", "-cache", t.TempDir()}
	if err := run(context.Background(), args, nil, nil, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	for name, want := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.Mode().IsRegular() {
			t.Errorf("%s is %v, want a regular file", name, fi.Mode())
		}
		if got, _ := os.ReadFile(p); !bytes.Equal(got, want) {
			t.Errorf("%s: content differs from the Hub's", name)
		}
		if !strings.Contains(stderr.String(), "fetchmodel: "+name+" ") {
			t.Errorf("no progress line for %s in:\n%s", name, stderr.String())
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(leftovers) > 0 {
		t.Errorf("left %v behind", leftovers)
	}
}

// TestRunPinned fetches the default model, whose files are checked against
// the pinned SHA-256 sums: fake content must be refused.
func TestRunPinned(t *testing.T) {
	srv := hubtest.NewServer(t, hub.AllMiniLML6V2.Repo, modelFiles())
	srv.Commit = hub.AllMiniLML6V2.Revision
	t.Setenv("HF_ENDPOINT", srv.URL)
	dir := filepath.Join(t.TempDir(), "model")
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-dir", dir, "-cache", t.TempDir()}, nil, nil, &stderr)
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Fatalf("run with fake files at the pinned commit: err = %v, want a checksum mismatch", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s was created although the download failed", dir)
	}
}

func TestRunUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	t.Setenv("HF_ENDPOINT", srv.URL)
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-dir", t.TempDir(), "-cache", t.TempDir()}, nil, nil, &stderr)
	if err == nil || !strings.Contains(err.Error(), "cannot reach the Hugging Face Hub at "+srv.URL) {
		t.Fatalf("err = %v, want one that says the Hub at %s cannot be reached", err, srv.URL)
	}
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"-dir"}, {"-dir", "x", "extra"}, {"-nosuchflag"}} {
		if err := run(context.Background(), args, nil, nil, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) succeeded, want a usage error", args)
		}
	}
}
