// Package cli holds what the example commands share: the main function that
// runs a command with a cancellable context and turns its error into an exit
// status, the -model and -int8 flags, the checks of a command's flags and
// the reading of document files.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/document"
	"github.com/jobmatch/jobmatch/sbert"
)

// ModelEnv names the environment variable that holds the default model
// directory (the one the tests read too).
const ModelEnv = "JOBMATCH_MODEL_DIR"

// Run is a command's body: it reads args and stdin and writes stdout and
// stderr, and stops when ctx is cancelled.
type Run func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// Main runs run with a context cancelled by SIGINT or SIGTERM and exits with
// the status [Status] gives its error.
func Main(name string, run Run) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(Status(name, err, os.Stderr))
}

// Status returns the exit status for a command's error and logs the error
// to stderr: 0 for none; 2 for a usage error; an [ExitError]'s own code,
// logged at level INFO; 1 for any other error, logged at level ERROR.
func Status(name string, err error, stderr io.Writer) int {
	var exit *ExitError
	log := slog.New(slog.NewTextHandler(stderr, nil))
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 2
	case errors.As(err, &exit):
		log.Info(name+" stopped", "reason", exit.Err)
		return exit.Code
	}
	log.Error(name+" failed", "err", err)
	return 1
}

// ExitError is an outcome that a calling script expects and acts on, not a
// failure: the command exits with Code and logs Err at level INFO. For
// example fetchmodel exits 3 when the Hub cannot be reached, and
// scripts/fetch-model then takes the model from PyPI.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Model holds the flags that choose the model and how to load it.
type Model struct {
	Dir  string // -model
	Int8 bool   // -int8
}

// ModelFlags defines -model on fs, defaulting to $JOBMATCH_MODEL_DIR, and
// -int8.
func ModelFlags(fs *flag.FlagSet) *Model {
	m := new(Model)
	fs.StringVar(&m.Dir, "model", os.Getenv(ModelEnv), "sentence-transformers model `dir`ectory (default $"+ModelEnv+")")
	fs.BoolVar(&m.Int8, "int8", false, "load the model's linear layers as int8: embeddings 2 to 4 times as fast on CPUs with int8 dot products (AVX-512 VNNI, arm64), similarities within about 0.01")
	return m
}

// Options returns the options of sbert.Load that the flags ask for, and
// warns on standard error when -int8 is set on a CPU without int8
// dot-product instructions (sbert.Int8Warning).
func (m *Model) Options() []sbert.Option { return m.options(os.Stderr) }

func (m *Model) options(warn io.Writer) []sbert.Option {
	if !m.Int8 {
		return nil
	}
	if w := sbert.Int8Warning(); w != "" {
		fmt.Fprintln(warn, "warning: -"+w)
	}
	return []sbert.Option{sbert.WithInt8()}
}

// Parse parses args with fs and checks what the commands that take input
// files and the model share: every flag named in required is set, the
// model directory is known, and no argument is left over.
func Parse(fs *flag.FlagSet, args []string, model *Model, required ...string) error {
	return ParseN(fs, args, model, 0, required...)
}

// ParseN is Parse for a command that takes up to n arguments after its
// flags.
func ParseN(fs *flag.FlagSet, args []string, model *Model, n int, required ...string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	var missing []string
	for _, name := range required {
		if f := fs.Lookup(name); f == nil || f.Value.String() == "" {
			missing = append(missing, "-"+name)
		}
	}
	switch {
	case len(missing) > 0:
		fs.Usage()
		return fmt.Errorf("-%s are required; missing %s", strings.Join(required, " and -"), strings.Join(missing, ", "))
	case model.Dir == "":
		return ErrNoModel
	case fs.NArg() > n:
		return fmt.Errorf("unexpected arguments %q", fs.Args()[n:])
	}
	return nil
}

// ReadFile reads a document file of at most document.DefaultLimits().MaxBytes.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := document.DefaultLimits().MaxBytes
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return b, nil
}

// Text returns the text the matcher reads in a document file's data (PDF,
// DOCX, ODT, HTML, Markdown or plain text, told apart by content, never by
// the file's name); a document without text is the empty text.
func Text(ctx context.Context, m *matcher.Matcher, path string, data []byte) (string, error) {
	text, err := m.DocumentText(ctx, data)
	if errors.Is(err, document.ErrEmpty) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return text, nil
}

// ErrNoModel says that no model directory was given.
var ErrNoModel = errors.New("no model: pass -model DIR or set " + ModelEnv + " (export " + ModelEnv + "=$(./scripts/fetch-model))")

// Loopback returns an error unless rawURL names this machine (localhost or a
// loopback address): the load and attack programs send traffic nowhere else.
func Loopback(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); !(u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())) {
		return fmt.Errorf("host %q is not loopback", u.Hostname())
	}
	return nil
}
