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
	"time"

	"github.com/jobmatch/jobmatch/examples/internal/cli"
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
	if err == nil || !strings.Contains(err.Error(), "Hugging Face Hub not reachable at "+srv.URL) {
		t.Fatalf("err = %v, want one that says the Hub at %s cannot be reached", err, srv.URL)
	}
	// scripts/fetch-model reads status 3 as "use PyPI", which is no error.
	var log bytes.Buffer
	if code := cli.Status("fetchmodel", err, &log); code != ExitUnreachable || !strings.Contains(log.String(), "level=INFO") {
		t.Errorf("exit status %d and log %q, want %d at level INFO", code, log.String(), ExitUnreachable)
	}
}

// TestRunFails checks that a Hub that answers but fails the download is an
// error (status 1), not "unreachable", and that -timeout bounds a stalled one.
func TestRunFails(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault hubtest.Fault
		args  []string
		want  string
	}{
		{"corrupt", hubtest.Corrupt, nil, "checksum mismatch"},
		{"endless", hubtest.Endless, nil, "file too large"},
		{"stalled", hubtest.Block, []string{"-timeout", "300ms"}, "did not finish within -timeout 300ms"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := hubtest.NewServer(t, "org/model", modelFiles())
			srv.SetFault("model.safetensors", tt.fault)
			t.Setenv("HF_ENDPOINT", srv.URL)
			args := append([]string{"-dir", t.TempDir(), "-repo", "org/model", "-revision", "main", "-cache", t.TempDir()}, tt.args...)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := run(ctx, args, nil, nil, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || ctx.Err() != nil {
				t.Fatalf("err = %v, want one that says %q", err, tt.want)
			}
			if code := cli.Status("fetchmodel", err, &bytes.Buffer{}); code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"-dir"}, {"-dir", "x", "extra"}, {"-nosuchflag"}, {"-dir", "x", "-timeout", "0s"}} {
		if err := run(context.Background(), args, nil, nil, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) succeeded, want a usage error", args)
		}
	}
}
