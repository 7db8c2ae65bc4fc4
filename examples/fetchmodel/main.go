// Command fetchmodel downloads a sentence-transformers model from the Hugging
// Face Hub into a plain model directory.
//
//	go run ./examples/fetchmodel -dir DIR [-repo org/name] [-revision REV] [-cache HUB_CACHE] [-timeout 10m]
//
// The files go through the Hugging Face cache (HF_HUB_CACHE, HF_HOME or
// ~/.cache/huggingface/hub) with their checksums verified, and are then
// hard-linked (or copied) into DIR, so that DIR holds the files themselves.
// By default it fetches sentence-transformers/all-MiniLM-L6-v2 at the commit
// pinned in package hub, checked against pinned SHA-256 sums; another repo or
// revision is checked against the Hub's ETags only.
//
// HF_ENDPOINT selects a mirror and HF_TOKEN authenticates. The download gives
// up after -timeout (10 minutes), and a server that sends nothing for 30 s
// fails it sooner. When the Hub cannot be reached at all (no name
// resolution, connection refused) the command says so at level INFO
// within seconds and exits with status 3, which scripts/fetch-model takes
// as its cue to use PyPI instead; any other failure exits with status 1.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/jobmatch/jobmatch/examples/internal/cli"
	"github.com/jobmatch/jobmatch/sbert/hub"
)

func main() { cli.Main("fetchmodel", run) }

// ExitUnreachable is the exit status when the Hub cannot be reached.
const ExitUnreachable = 3

func run(ctx context.Context, args []string, _ io.Reader, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("fetchmodel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "model directory to fill (required)")
	repo := fs.String("repo", hub.AllMiniLML6V2.Repo, "Hub repository, org/name")
	rev := fs.String("revision", hub.AllMiniLML6V2.Revision, "commit hash, branch or tag")
	cache := fs.String("cache", "", "Hugging Face hub cache (default: HF_HUB_CACHE, HF_HOME/hub or ~/.cache/huggingface/hub)")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up a download that takes longer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 || *timeout <= 0 {
		fs.Usage()
		return errors.New("usage: fetchmodel -dir DIR [-repo org/name] [-revision REV] [-timeout DURATION > 0]")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	m := hub.Model{Repo: *repo, Revision: *rev, Files: hub.AllMiniLML6V2.Files}
	if m.Repo != hub.AllMiniLML6V2.Repo || m.Revision != hub.AllMiniLML6V2.Revision {
		// The pinned sums belong to the pinned commit; elsewhere trust the ETags.
		m.Files = nil
		for _, f := range hub.AllMiniLML6V2.Files {
			m.Files = append(m.Files, hub.File{Path: f.Path})
		}
	}
	b := newBar(stderr)
	c := &hub.Client{CacheDir: *cache, Progress: b.update}
	snap, err := c.Download(ctx, m)
	b.finish()
	if err != nil {
		endpoint := cmp.Or(os.Getenv("HF_ENDPOINT"), hub.DefaultEndpoint)
		switch {
		case errors.Is(err, hub.ErrUnreachable):
			return &cli.ExitError{Code: ExitUnreachable, Err: fmt.Errorf("Hugging Face Hub not reachable at %s (set HF_ENDPOINT to use a mirror): %w", endpoint, err)}
		case errors.Is(err, context.DeadlineExceeded):
			return fmt.Errorf("download %s@%s from %s did not finish within -timeout %v: %w", m.Repo, m.Revision, endpoint, *timeout, err)
		}
		return fmt.Errorf("download %s@%s from %s: %w", m.Repo, m.Revision, endpoint, err)
	}
	for _, f := range m.Files {
		if err := place(filepath.Join(snap, filepath.FromSlash(f.Path)), filepath.Join(*dir, filepath.FromSlash(f.Path))); err != nil {
			return err
		}
	}
	slog.New(slog.NewTextHandler(stderr, nil)).Info("model ready", "repo", m.Repo, "revision", m.Revision, "dir", *dir, "cache", snap)
	return nil
}

// place puts the file that src (a snapshot symlink) points to at dst,
// hard-linked when both are on one file system and copied otherwise.
// dst is replaced atomically, so it is never a partial file.
func place(src, dst string) error {
	blob, err := filepath.EvalSymlinks(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.tmp-%d", dst, os.Getpid())
	os.Remove(tmp)
	if err := os.Link(blob, tmp); err != nil {
		if err := copyFile(blob, tmp); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("copy %s to %s: %w", blob, dst, err)
		}
	}
	return os.Rename(tmp, dst)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// bar draws download progress: a redrawn bar on a terminal, one line per
// finished file otherwise (logs, CI).
type bar struct {
	w      io.Writer
	tty    bool
	file   string
	drawn  time.Time
	active bool // a bar line is open on the terminal
}

func newBar(w io.Writer) *bar {
	b := &bar{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			b.tty = true
		}
	}
	return b
}

func (b *bar) update(p hub.Progress) {
	done := p.Total >= 0 && p.Done >= p.Total
	if !b.tty {
		if done {
			fmt.Fprintf(b.w, "fetchmodel: %-34s %10s\n", p.File, size(p.Total))
		}
		return
	}
	if !done && p.File == b.file && time.Since(b.drawn) < 100*time.Millisecond {
		return
	}
	b.file, b.drawn = p.File, time.Now()
	const width = 30
	if p.Total > 0 {
		n := min(int(p.Done*width/p.Total), width)
		fmt.Fprintf(b.w, "\r%-34s [%-*s] %10s / %-10s %3d%%", p.File, width, bars[:n], size(p.Done), size(p.Total), p.Done*100/p.Total)
	} else {
		fmt.Fprintf(b.w, "\r%-34s %10s", p.File, size(p.Done))
	}
	b.active = !done
	if done {
		fmt.Fprintln(b.w)
	}
}

func (b *bar) finish() {
	if b.active {
		fmt.Fprintln(b.w)
		b.active = false
	}
}

const bars = "##############################"

func size(n int64) string {
	switch {
	case n < 0:
		return "?"
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
