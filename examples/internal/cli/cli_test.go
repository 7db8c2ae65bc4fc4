package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/sbert"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// TestModelFlags checks that -int8 turns into sbert.WithInt8 and that
// Parse wants a model directory.
func TestModelFlags(t *testing.T) {
	dir := sberttest.ModelDir(t)
	for _, tt := range []struct {
		args []string
		int8 bool
	}{
		{[]string{"-model", dir}, false},
		{[]string{"-model", dir, "-int8"}, true},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		m := ModelFlags(fs)
		if err := Parse(fs, tt.args, m); err != nil {
			t.Fatal(err)
		}
		var warned bytes.Buffer
		model, err := sbert.Load(context.Background(), m.Dir, m.options(&warned)...)
		if err != nil {
			t.Fatal(err)
		}
		if model.Int8() != tt.int8 {
			t.Errorf("%q: the model's Int8 is %v, want %v", tt.args, model.Int8(), tt.int8)
		}
		// -int8 warns where int8 runs in portable Go, and only there.
		if want := tt.int8 && !sbert.Int8Accelerated(); strings.Contains(warned.String(), "warning: -int8") != want {
			t.Errorf("%q: warned %q; want a warning: %v", tt.args, warned.String(), want)
		}
	}

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := Parse(fs, []string{"-model", ""}, ModelFlags(fs)); err != ErrNoModel {
		t.Errorf("Parse without a model directory: %v, want ErrNoModel", err)
	}
}

// TestStatus checks the exit status and the log level of each kind of error.
func TestStatus(t *testing.T) {
	for _, tt := range []struct {
		err   error
		code  int
		level string // in the log line; "" for none
	}{
		{nil, 0, ""},
		{flag.ErrHelp, 2, ""},
		{errors.New("disk full"), 1, "level=ERROR"},
		{&ExitError{Code: 3, Err: errors.New("no network")}, 3, "level=INFO"},
		{fmt.Errorf("wrapped: %w", &ExitError{Code: 4, Err: errors.New("busy")}), 4, "level=INFO"},
	} {
		var log bytes.Buffer
		if got := Status("cmd", tt.err, &log); got != tt.code {
			t.Errorf("Status(%v) = %d, want %d", tt.err, got, tt.code)
		}
		if line := log.String(); tt.level == "" && line != "" || !strings.Contains(line, tt.level) {
			t.Errorf("Status(%v) logged %q, want %q", tt.err, line, tt.level)
		}
	}
}
