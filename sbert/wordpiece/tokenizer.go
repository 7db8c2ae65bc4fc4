package wordpiece

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"unicode/utf8"
)

// Sentinel errors.
var (
	// ErrMissingToken means a special token (such as [UNK] or [CLS]) is not
	// in the vocabulary.
	ErrMissingToken = errors.New("wordpiece: special token not in vocabulary")
	// ErrUnsupported means a tokenizer configuration asks for behaviour this
	// package does not reproduce, so its ids would not match Hugging Face's.
	ErrUnsupported = errors.New("wordpiece: unsupported tokenizer configuration")
)

// Default token strings and limits, as BERT and Hugging Face use them.
const (
	DefaultUNK          = "[UNK]"
	DefaultCLS          = "[CLS]"
	DefaultSEP          = "[SEP]"
	DefaultPAD          = "[PAD]"
	DefaultMask         = "[MASK]"
	DefaultPrefix       = "##"
	DefaultMaxWordChars = 100
)

// Config holds the options of a Tokenizer. The zero value does no lower
// casing, no accent stripping and no CJK splitting, cleans text and never
// truncates; [Load] fills it from a model's configuration files.
type Config struct {
	// LowerCase lower-cases the text (do_lower_case, BertNormalizer's
	// lowercase).
	LowerCase bool
	// StripAccents decomposes the text (NFD) and drops non-spacing marks.
	// Nil follows LowerCase, as in Hugging Face.
	StripAccents *bool
	// TokenizeCJK makes every CJK ideograph a word of its own
	// (tokenize_chinese_chars, handle_chinese_chars).
	TokenizeCJK bool
	// NoCleanText keeps control characters and does not map white space to
	// a plain space (clean_text=false).
	NoCleanText bool
	// MaxLen is the most ids Encode returns, [CLS] and [SEP] included
	// (max_seq_length); zero means no limit. It must be 0 or at least 2.
	MaxLen int
	// MaxWordChars is the longest word, in code points after
	// normalization, that is split into pieces; longer words become [UNK].
	// Zero means DefaultMaxWordChars.
	MaxWordChars int
	// Prefix marks pieces that continue a word. Empty means DefaultPrefix.
	Prefix string
	// UNK, CLS, SEP and PAD name the special tokens; empty means the
	// defaults.
	UNK, CLS, SEP, PAD string
	// Specials are tokens matched verbatim in the raw text, before
	// normalization, and encoded as their own id (Hugging Face's added
	// tokens with normalized=false). Nil means those of [UNK], [CLS],
	// [SEP], [PAD] and [MASK] that are in the vocabulary; an empty non-nil
	// slice means none.
	Specials []string
}

// Tokenizer splits text into BERT WordPiece tokens exactly as Hugging Face's
// BertTokenizerFast does. It is immutable after creation and safe for
// concurrent use.
type Tokenizer struct {
	tokens []string // id → token
	whole  index    // pieces that start a word
	cont   index    // pieces that continue a word, without the prefix
	// longest is the length in bytes of the longest piece, prefix excluded:
	// longer substrings cannot match.
	longest int

	lower, strip, cjk, clean bool
	maxLen, maxWordChars     int
	unk, cls, sep, pad       int32

	specials    []special
	specialHead [256]bool // first bytes of specials
	pool        sync.Pool // *scratch
}

type special struct {
	text string
	id   int32
}

// ReadVocab reads a vocab.txt: one token per line, the line number (from 0)
// being its id.
func ReadVocab(r io.Reader) ([]string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("wordpiece: read vocabulary: %w", err)
	}
	return parseVocab(string(b), math.MaxInt32)
}

// parseVocab splits vocab.txt into lines, as bufio.ScanLines does (with
// one more "\r" dropped), after counting them: at most max, or an error
// before anything is allocated. The tokens share the memory of s.
func parseVocab(s string, max int) ([]string, error) {
	n := strings.Count(s, "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		n++
	}
	if n > max {
		return nil, fmt.Errorf("wordpiece: read vocabulary: %w: %d tokens, more than %d", ErrTooLarge, n, max)
	}
	vocab := make([]string, 0, n)
	for s != "" {
		var line string
		line, s, _ = strings.Cut(s, "\n")
		vocab = append(vocab, strings.TrimSuffix(strings.TrimSuffix(line, "\r"), "\r"))
	}
	return vocab, nil
}

// New returns a Tokenizer over vocab, where vocab[i] is the token of id i.
// If a token occurs twice, the later id wins, as in Hugging Face.
func New(vocab []string, cfg Config) (*Tokenizer, error) {
	if len(vocab) == 0 {
		return nil, errors.New("wordpiece: empty vocabulary")
	}
	if int64(len(vocab)) > 1<<31-1 {
		return nil, errors.New("wordpiece: vocabulary too large for int32 ids")
	}
	if cfg.MaxLen < 0 || cfg.MaxLen == 1 {
		return nil, fmt.Errorf("wordpiece: MaxLen %d: need 0 or at least 2", cfg.MaxLen)
	}
	if cfg.MaxWordChars < 0 {
		return nil, fmt.Errorf("wordpiece: MaxWordChars %d is negative", cfg.MaxWordChars)
	}
	prefix := or(cfg.Prefix, DefaultPrefix)
	t := &Tokenizer{
		tokens:       vocab,
		lower:        cfg.LowerCase,
		strip:        cfg.LowerCase,
		cjk:          cfg.TokenizeCJK,
		clean:        !cfg.NoCleanText,
		maxLen:       cfg.MaxLen,
		maxWordChars: cfg.MaxWordChars,
	}
	if cfg.StripAccents != nil {
		t.strip = *cfg.StripAccents
	}
	if t.maxWordChars == 0 {
		t.maxWordChars = DefaultMaxWordChars
	}
	conts := 0
	for _, tok := range vocab {
		if strings.HasPrefix(tok, prefix) {
			conts++
		}
	}
	t.whole, t.cont = newIndex(vocab, 0, len(vocab)), newIndex(vocab, len(prefix), conts)
	for i, tok := range vocab {
		t.whole.add(int32(i))
		t.longest = max(t.longest, len(tok))
		if strings.HasPrefix(tok, prefix) {
			t.cont.add(int32(i))
		}
	}
	for _, s := range []struct {
		id   *int32
		name string
	}{
		{&t.unk, or(cfg.UNK, DefaultUNK)},
		{&t.cls, or(cfg.CLS, DefaultCLS)},
		{&t.sep, or(cfg.SEP, DefaultSEP)},
		{&t.pad, or(cfg.PAD, DefaultPAD)},
	} {
		id, ok := t.whole.getString(s.name)
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrMissingToken, s.name)
		}
		*s.id = id
	}
	specials := cfg.Specials
	if specials == nil {
		for _, s := range []string{DefaultPAD, DefaultUNK, DefaultCLS, DefaultSEP, DefaultMask} {
			if _, ok := t.whole.getString(s); ok {
				specials = append(specials, s)
			}
		}
	}
	for _, s := range specials {
		id, ok := t.whole.getString(s)
		switch {
		case s == "":
			return nil, errors.New("wordpiece: empty special token")
		case !ok:
			return nil, fmt.Errorf("%w: %q", ErrMissingToken, s)
		}
		t.specials = append(t.specials, special{s, id})
		t.specialHead[s[0]] = true
	}
	t.pool.New = func() any { return new(scratch) }
	return t, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// MaxLen returns the most ids Encode returns, or 0 for no limit.
func (t *Tokenizer) MaxLen() int { return t.maxLen }

// VocabSize returns the number of ids.
func (t *Tokenizer) VocabSize() int { return len(t.tokens) }

// Token returns the token of id, or "" if id is out of range.
func (t *Tokenizer) Token(id int32) string {
	if id < 0 || int(id) >= len(t.tokens) {
		return ""
	}
	return t.tokens[id]
}

// ID returns the id of a whole token, such as "[CLS]" or "##ing".
func (t *Tokenizer) ID(token string) (int32, bool) {
	id, ok := t.whole.getString(token)
	return id, ok
}

// PadID returns the id used for padding.
func (t *Tokenizer) PadID() int32 { return t.pad }

// Tokenize returns the WordPiece tokens of text, without [CLS] and [SEP]
// and without truncation.
func (t *Tokenizer) Tokenize(text string) []string {
	sc := t.pool.Get().(*scratch)
	sc.ids = t.appendPieces(sc.ids[:0], text, -1, sc)
	toks := make([]string, len(sc.ids))
	for i, id := range sc.ids {
		toks[i] = t.tokens[id]
	}
	t.pool.Put(sc)
	return toks
}

// Encode returns the ids of [CLS] text [SEP], keeping the first MaxLen-2
// pieces of text, as BertTokenizerFast does with truncation=True.
func (t *Tokenizer) Encode(text string) []int32 {
	n := len(text)/4 + 2 // about one piece per word of four letters
	if t.maxLen > 0 {
		n = min(n, t.maxLen)
	}
	return t.AppendEncode(make([]int32, 0, n), text)
}

// AppendEncode appends the ids of Encode(text) to dst and returns the
// extended slice. It allocates only to grow dst.
func (t *Tokenizer) AppendEncode(dst []int32, text string) []int32 {
	sc := t.pool.Get().(*scratch)
	dst = t.appendEncode(dst, text, sc)
	t.pool.Put(sc)
	return dst
}

func (t *Tokenizer) appendEncode(dst []int32, text string, sc *scratch) []int32 {
	limit := -1
	if t.maxLen > 0 {
		limit = t.maxLen - 2
	}
	dst = append(dst, t.cls)
	dst = t.appendPieces(dst, text, limit, sc)
	return append(dst, t.sep)
}

// partLen is about how many bytes of text appendPieces normalizes at once.
const partLen = 1024

// appendPieces appends the piece ids of text to dst, at most limit of them
// when limit >= 0.
func (t *Tokenizer) appendPieces(dst []int32, text string, limit int, sc *scratch) []int32 {
	end := len(dst) + limit
	if limit < 0 {
		end = -1
	}
	for text != "" && len(dst) != end {
		seg, sp, rest := t.cutSpecial(text)
		for seg != "" && len(dst) != end {
			// Work through long texts in parts, so that truncation stops
			// early. Parts end after ASCII white space, where no word,
			// CJK padding or run of combining marks can straddle.
			part := seg
			if len(seg) > partLen {
				cut := strings.LastIndexAny(seg[:partLen], " \t\n\r")
				if cut < 0 {
					if cut = strings.IndexAny(seg[partLen:], " \t\n\r"); cut >= 0 {
						cut += partLen
					}
				}
				if cut >= 0 {
					part = seg[:cut+1]
				}
			}
			seg = seg[len(part):]
			sc.norm = t.normalize(sc.norm[:0], part, sc)
			dst = t.appendWords(dst, sc.norm, end)
		}
		if sp >= 0 && len(dst) != end {
			dst = append(dst, sp)
		}
		text = rest
	}
	return dst
}

// cutSpecial splits text around its first special token: the text before
// it, its id (or -1 if there is none) and the text after it. Of specials
// starting at the same byte the longest wins, as in Hugging Face's
// leftmost-longest matching.
func (t *Tokenizer) cutSpecial(text string) (before string, id int32, after string) {
	if len(t.specials) == 0 {
		return text, -1, ""
	}
	for i := 0; i < len(text); i++ {
		if !t.specialHead[text[i]] {
			continue
		}
		best := -1
		for j, s := range t.specials {
			if strings.HasPrefix(text[i:], s.text) && (best < 0 || len(s.text) > len(t.specials[best].text)) {
				best = j
			}
		}
		if best >= 0 {
			s := t.specials[best]
			return text[:i], s.id, text[i+len(s.text):]
		}
	}
	return text, -1, ""
}

// appendWords splits normalized text into words as BertPreTokenizer does
// (drop white space, isolate punctuation) and appends their piece ids,
// stopping when len(dst) reaches end (never, if end < 0).
func (t *Tokenizer) appendWords(dst []int32, s []byte, end int) []int32 {
	word := 0 // start of the current word
	for i := 0; i < len(s) && len(dst) != end; {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(s[i:])
		}
		switch {
		case r == ' ' || isWhitespace(r):
			dst = t.appendWord(dst, s[word:i], end)
			word = i + n
		case isPunct(r):
			dst = t.appendWord(dst, s[word:i], end)
			dst = t.appendWord(dst, s[i:i+n], end)
			word = i + n
		}
		i += n
	}
	return t.appendWord(dst, s[word:], end)
}

// appendWord appends the WordPiece ids of word: greedy longest match from
// the left, [UNK] for the whole word if some part matches nothing or if it
// has more than MaxWordChars code points.
func (t *Tokenizer) appendWord(dst []int32, word []byte, end int) []int32 {
	if len(word) == 0 || len(dst) == end {
		return dst
	}
	if len(word) > t.maxWordChars && utf8.RuneCount(word) > t.maxWordChars {
		return append(dst, t.unk)
	}
	mark := len(dst)
	vocab := &t.whole
	for start := 0; start < len(word); {
		stop := min(len(word), start+t.longest)
		for stop < len(word) && !utf8.RuneStart(word[stop]) {
			stop--
		}
		for ; stop > start; stop-- {
			if stop < len(word) && !utf8.RuneStart(word[stop]) {
				continue
			}
			if id, ok := vocab.get(word[start:stop]); ok {
				dst = append(dst, id)
				break
			}
		}
		if stop == start {
			return append(dst[:mark], t.unk)
		}
		start = stop
		vocab = &t.cont
	}
	// Truncation cuts between pieces, as in Hugging Face.
	if end >= 0 && len(dst) > end {
		dst = dst[:end]
	}
	return dst
}
