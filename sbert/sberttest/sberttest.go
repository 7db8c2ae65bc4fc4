// Package sberttest gives tests the directory of a real sentence-transformers
// model. Tests that need the model call [ModelDir]: in a plain `go test` it
// skips the test with a message that says how to get the model; under CI
// (the CI environment variable set) a missing model fails the test instead.
//
// It also reads the gzip-compressed JSON goldens of the project's tests
// ([ReadGzipJSON]), yake's included.
package sberttest

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that holds the model directory.
const EnvVar = "JOBMATCH_MODEL_DIR"

// ModelDir returns the model directory named by [EnvVar]. It skips t when the
// variable is unset, or fails t when running under CI or when the directory
// has no config.json.
func ModelDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(EnvVar)
	if dir == "" {
		msg := EnvVar + " is not set: run `export " + EnvVar + "=$(./scripts/fetch-model)` to get all-MiniLM-L6-v2"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (required under CI)")
		}
		t.Skip(msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "config.json")); err != nil {
		t.Fatalf("%s=%s is not a model directory: %v", EnvVar, dir, err)
	}
	return dir
}
