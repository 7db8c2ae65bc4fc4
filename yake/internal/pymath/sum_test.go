package pymath

import (
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// TestSumAgainstNumpy compares with numpy.sum/mean/std results recorded by
// testdata/gen_numpy.py.
func TestSumAgainstNumpy(t *testing.T) {
	var golden struct {
		Cases []struct {
			A              []float64
			Sum, Mean, Std float64
		}
	}
	sberttest.ReadGzipJSON(t, "testdata/numpy_sum.json.gz", &golden)
	if len(golden.Cases) == 0 {
		t.Fatal("no cases")
	}
	for i, c := range golden.Cases {
		if got := Sum(c.A); got != c.Sum {
			t.Fatalf("case %d (n=%d): Sum = %v, want %v", i, len(c.A), got, c.Sum)
		}
		mean, std := MeanStd(c.A, nil)
		if mean != c.Mean || std != c.Std {
			t.Fatalf("case %d (n=%d): MeanStd = %v, %v, want %v, %v", i, len(c.A), mean, std, c.Mean, c.Std)
		}
	}
}
