//go:build unix

package lambda_test

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/lambda/internal/rie"
)

// imageEnv names a command that runs the Lambda Runtime Interface Emulator
// inside the built image of lambda/Dockerfile, with the emulator's
// arguments as its own: scripts/ci/image.sh builds the image and such a
// command (buildah run) and runs TestImage with it.
const imageEnv = "JOBMATCH_IMAGE_RIE"

// TestImage answers /health and /match, cold and warm, from the function's
// entrypoint inside the image, which must find the model at the path the
// image sets (JOBMATCH_MODEL_DIR=/opt/model), and logs the cold start.
func TestImage(t *testing.T) {
	run := os.Getenv(imageEnv)
	if run == "" {
		t.Skip(imageEnv + " is not set: scripts/ci/image.sh builds the image and runs this test inside it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e, err := rie.Start(ctx, run, "/var/task/bootstrap")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	listening := time.Since(e.Started())

	check(t, e, invocation{"GET", "/health", "", 200})
	match := `{"resume": "Data scientist: Python, SQL, machine learning, statistics.", "job": "Hiring a data scientist with Python and machine learning experience."}`
	t0 := time.Now()
	cold := check(t, e, invocation{"POST", "/match", match, 200})
	coldMatch := time.Since(t0)
	if s, ok := cold["score"].(float64); !ok || s <= 0 || s > 1 {
		t.Errorf("score = %v", cold["score"])
	}
	t0 = time.Now()
	warm := check(t, e, invocation{"POST", "/match", match, 200})
	warmMatch := time.Since(t0)
	cj, _ := json.Marshal(cold)
	wj, _ := json.Marshal(warm)
	if string(cj) != string(wj) {
		t.Errorf("warm result differs from cold one:\n%s\n%s", cj, wj)
	}

	logs := e.Logs()
	if n := logCount(e, `"msg":"model loaded","model_dir":"/opt/model"`, 1); n != 1 {
		t.Errorf("model loaded from /opt/model %d times, want once:\n%s", n, logs)
	}
	// The image holds the pack file of this CPU's kernel (image.sh builds
	// it so): the function maps it rather than preparing the weights.
	if n := logCount(e, `"weights":"/opt/model/jobmatch-`, 1); n != 1 {
		t.Errorf("the model was not loaded from its pack file:\n%s", logs)
	}
	initMs := regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`).FindStringSubmatch(logs)
	loadMs := regexp.MustCompile(`"load_ms":([0-9.]+)`).FindStringSubmatch(logs)
	if initMs == nil || loadMs == nil {
		t.Fatalf("no INIT REPORT or load_ms in the log:\n%s", logs)
	}
	t.Logf("inside the image: emulator listening after %v (buildah run included); init %s ms; model load %s ms; cold /match %v (model load included); warm /match %v",
		listening.Round(time.Millisecond), initMs[1], loadMs[1], coldMatch.Round(time.Millisecond), warmMatch.Round(time.Millisecond))
}
