package cli

import (
	"context"
	"flag"
	"io"
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
		model, err := sbert.Load(context.Background(), m.Dir, m.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		if model.Int8() != tt.int8 {
			t.Errorf("%q: the model's Int8 is %v, want %v", tt.args, model.Int8(), tt.int8)
		}
	}

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := Parse(fs, []string{"-model", ""}, ModelFlags(fs)); err != ErrNoModel {
		t.Errorf("Parse without a model directory: %v, want ErrNoModel", err)
	}
}
