package pyunicode

import (
	"encoding/json"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// TestAgainstCPython compares with CPython 3.11 on the random strings of
// testdata/gen_strings.py.
func TestAgainstCPython(t *testing.T) {
	var golden struct {
		Cases [][6]json.RawMessage `json:"cases"`
	}
	sberttest.ReadGzipJSON(t, "testdata/strings.json.gz", &golden)
	if len(golden.Cases) == 0 {
		t.Fatal("no cases")
	}
	fails := 0
	for _, c := range golden.Cases {
		var s, lower, strip string
		var isUpper, isDigit bool
		var perRune [][5]bool
		for i, dst := range []any{&s, &lower, &isUpper, &isDigit, &strip, &perRune} {
			if err := json.Unmarshal(c[i], dst); err != nil {
				t.Fatal(err)
			}
		}
		check := func(what string, got, want any) {
			if got != want {
				t.Errorf("%q: %s = %q, want %q", s, what, got, want)
				if fails++; fails > 20 {
					t.FailNow()
				}
			}
		}
		check("Lower", Lower(s), lower)
		check("StrIsUpper", StrIsUpper(s), isUpper)
		check("StrIsDigit", StrIsDigit(s), isDigit)
		check("Strip", Strip(s), strip)
		i := 0
		for _, r := range s {
			want := perRune[i]
			got := [5]bool{IsUpper(r), IsLower(r), IsDigit(r), IsAlpha(r), IsSpace(r)}
			check(string(r)+" classes", got, want)
			i++
		}
	}
}

func TestFinalSigma(t *testing.T) {
	for in, want := range map[string]string{
		"ΟΔΟΣ":     "οδος",
		"ΤΗΣ ΟΔΟΥ": "της οδου",
		"Σ":        "σ",
		"ΑΣ'Α":     "ασ'α", // apostrophe is case-ignorable, then a cased letter follows
		"ΑΣ.":      "ας.",
		"İstanbul": "i̇stanbul",
	} {
		if got := Lower(in); got != want {
			t.Errorf("Lower(%q) = %q, want %q", in, got, want)
		}
	}
}
