package segtok

import (
	"testing"
)

// TestPropsFollowRegexModule checks code points where the regex module
// (Unicode 16+) and Go's unicode package (Unicode 15) or Python 3.11's str
// methods (Unicode 14) disagree. Expected classes were printed by
// regex 2026.11.19 under CPython 3.11.7, e.g.
// regex.match(r'\p{Lu}', '\u1c89') and '\x1c'.isspace().
func TestPropsFollowRegexModule(t *testing.T) {
	tests := []struct {
		r    rune
		want uint16
	}{
		{0x1C89, pLu | pL | pWord},      // Unicode 16: Go 1.26 does not know it
		{0x1C8A, pLl | pL | pWord},      // Unicode 16
		{0xA7CB, pLu | pL | pWord},      // Unicode 16
		{0xA7DC, pLu | pL | pWord},      // Unicode 16
		{0x10D50, pLu | pL | pWord},     // Unicode 16 (Garay)
		{0x10D70, pLl | pL | pWord},     // Unicode 16
		{0x10D4E, pLm | pL | pWord},     // Unicode 16
		{0x16130, pNd | pWord | pDigit}, // Unicode 16 (Gurung Khema digit)
		{0x1E5F1, pNd | pWord | pDigit}, // Unicode 16 (Ol Onal digit)
		{0x11BF0, pNd | pWord | pDigit}, // Unicode 16 (Sunuwar digit)
		{0x1DF25, pLl | pL | pWord},     // Unicode 15: unassigned for Python 3.11
		{0x11F50, pNd | pWord | pDigit}, // Unicode 15 (Kawi digit)
		{'A', pLu | pL | pWord},
		{0x01C5, pLt | pL | pWord},
		{0x02B0, pLm | pL | pWord},
		{0x2160, pNl | pWord},
		{0x4E00, pL | pWord}, // Lo: a letter, but not in segtok's ALNUM
		{0x00B2, 0},          // superscript two is not \w
		{0x0660, pNd | pWord | pDigit},
		{0x1F600, 0},
		{0x200B, 0},      // zero width space is not \s
		{0x180E, 0},      // Mongolian vowel separator is not \s
		{0x1C, pPySpace}, // str.isspace, but not regex \s
		{' ', pZs | pSpace | pPySpace},
		{0x00A0, pZs | pSpace | pPySpace},
		{'\n', pSpace | pPySpace},
		{0x85, pSpace | pPySpace},
		{0x2028, pSpace | pPySpace},
		{'_', pWord},
		{0xFFFD, 0},
	}
	for _, tt := range tests {
		if got := props(tt.r); got != tt.want {
			t.Errorf("props(%U) = %#x, want %#x", tt.r, got, tt.want)
		}
	}
}

// TestLatin1Cache checks the fast path against the table search.
func TestLatin1Cache(t *testing.T) {
	for r := rune(0); r < 256; r++ {
		if props(r) != lookupProps(r) {
			t.Fatalf("props(%U) = %#x, table %#x", r, props(r), lookupProps(r))
		}
	}
	if n := len(propRanges); n < 1000 {
		t.Fatalf("only %d property ranges: tables.go looks truncated", n)
	}
	for i := 1; i < len(propRanges); i++ {
		if propRanges[i].lo <= propRanges[i-1].hi {
			t.Fatalf("ranges %d and %d overlap or are out of order", i-1, i)
		}
	}
}
