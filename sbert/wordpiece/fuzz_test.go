package wordpiece_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "Hello, World!", "Café 東京 [MASK]", "a\u0301\U0001d165", "\x00\xff\ufffd", strings.Repeat("ab", 80)} {
		f.Add(s)
	}
	tok := tiny(f, wordpiece.Config{LowerCase: true, TokenizeCJK: true, MaxLen: 16})
	cls, _ := tok.ID("[CLS]")
	sep, _ := tok.ID("[SEP]")
	f.Fuzz(func(t *testing.T, text string) {
		// Longer texts find nothing new and make the fuzzer's minimizing,
		// quadratic in the length, take most of its time.
		if len(text) > 256 {
			return
		}
		ids := tok.Encode(text)
		if len(ids) < 2 || len(ids) > tok.MaxLen() {
			t.Fatalf("Encode(%q) has %d ids, want 2 to %d", text, len(ids), tok.MaxLen())
		}
		if ids[0] != cls || ids[len(ids)-1] != sep {
			t.Fatalf("Encode(%q) = %v: not framed by [CLS] and [SEP]", text, ids)
		}
		for _, id := range ids {
			if id < 0 || int(id) >= tok.VocabSize() {
				t.Fatalf("Encode(%q) = %v: id %d out of range", text, ids, id)
			}
		}
		pieces := tok.Tokenize(text)
		if n := len(ids) - 2; n > len(pieces) || !slices.EqualFunc(ids[1:1+n], pieces[:n], func(id int32, p string) bool { return tok.Token(id) == p }) {
			t.Fatalf("Encode(%q) = %v disagrees with Tokenize = %q", text, ids, pieces)
		}
		if len(ids) < tok.MaxLen() && len(pieces) != len(ids)-2 {
			t.Fatalf("Encode(%q) = %v truncated but Tokenize has %d pieces", text, ids, len(pieces))
		}
		// Valid UTF-8 decodes to the same ids after a round trip through
		// runes; invalid bytes are dropped like U+FFFD.
		if fixed := strings.ToValidUTF8(text, "\ufffd"); fixed != text && utf8.ValidString(fixed) {
			if got := tok.Encode(fixed); !slices.Equal(got, ids) {
				t.Fatalf("Encode(%q) = %v, but with U+FFFD for bad bytes %v", text, ids, got)
			}
		}
	})
}
