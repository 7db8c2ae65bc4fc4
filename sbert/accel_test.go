package sbert

import (
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestInt8Accelerated checks Int8Accelerated against the CPU's features and
// that Int8Warning speaks exactly when it is false.
func TestInt8Accelerated(t *testing.T) {
	want := !portableKernels && (runtime.GOARCH == "amd64" && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VNNI ||
		runtime.GOARCH == "arm64" && cpu.ARM64.HasASIMDDP)
	if got := Int8Accelerated(); got != want {
		t.Errorf("Int8Accelerated() = %v on %s (portable kernels %v), want %v", got, runtime.GOARCH, portableKernels, want)
	}
	if w := Int8Warning(); (w == "") != want || (w != "" && !strings.Contains(w, "slower than float32")) {
		t.Errorf("Int8Warning() = %q with Int8Accelerated() %v", w, want)
	}
}
