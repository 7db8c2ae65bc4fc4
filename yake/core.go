package yake

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/yake/internal/pymath"
	"github.com/jobmatch/jobmatch/yake/internal/pyunicode"
)

// Tags given to each word occurrence (paper, section 3.1).
const (
	tagDigit   = 'd' // a number: "2010", "3,000", "12.5"
	tagUnusual = 'u' // letters mixed with digits, neither, or 2+ ASCII punctuation marks
	tagAcronym = 'a' // all upper case: "CEO"
	tagName    = 'n' // capitalised and not at the start of the sentence
	tagPlain   = 'p'
)

// punctuation is Python's string.punctuation.
const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

func isPunct(r rune) bool { return r < utf8.RuneSelf && strings.IndexByte(punctuation, byte(r)) >= 0 }

// checkEvery is how many tokens are processed between two looks at ctx.
const checkEvery = 4096

// term is a single word, lower-cased and with a plural "s" removed.
type term struct {
	stop         bool
	tf, tfA, tfN float64
	sents        []int32 // distinct sentence ids, increasing
	inDeg        int     // co-occurrence graph: distinct predecessors
	outDeg       int
	inTF, outTF  float64 // sums of the edge weights
	h            float64
}

// candidate is an n-gram of consecutive words of one phrase. Its words
// are those of its first occurrence, d.words[end-n+1 : end+1]: a candidate
// costs the same few bytes whatever its length.
type candidate struct {
	id    int32 // insertion order
	end   int32 // index in doc.words of the last word of the first occurrence
	n     int32 // length in words
	tf    float64
	clean bool // some occurrence has neither a 'u' nor a 'd' tag
	h     float64
}

// blockWord is one word of the phrase being read.
type blockWord struct {
	word  string
	lower int32 // index in doc.lowers
	tag   byte
	term  int32
}

// lowerWord is a distinct lower-cased word and its term.
type lowerWord struct {
	text string
	term int32
}

// doc accumulates the statistics of one document.
type doc struct {
	cfg       *config
	terms     []term
	termIndex map[string]int32
	lowers    []lowerWord
	lowerIdx  map[string]int32
	edges     map[uint64]float64 // from<<32|to → co-occurrence count
	words     []blockWord        // every word of every phrase, in order
	cands     []candidate
	// candIndex is a trie of the candidates read backwards from their last
	// word: the child of candidate c (or of the root, c = -1) by the
	// lower-cased word w is the candidate one word longer at the front,
	// found at (c+1)<<32 | w. Each n-gram ending at a word is one step from
	// the one a word shorter, so reading a word costs O(n), not O(n²).
	candIndex map[uint64]int32
	nSent     int
	nWords    int // words read since the last look at the context
}

// newDoc returns an empty document sized for about size bytes of text.
func newDoc(cfg *config, size int) *doc {
	words := size/6 + 16
	return &doc{
		cfg:       cfg,
		termIndex: make(map[string]int32, words/4),
		lowerIdx:  make(map[string]int32, words/4),
		edges:     make(map[uint64]float64, words),
		candIndex: make(map[uint64]int32, words),
	}
}

// addSentence reads the tokens of the next sentence. Tokens made only of
// ASCII punctuation end the current phrase. It looks at ctx every
// checkEvery words, so that a long sentence can be cancelled.
func (d *doc) addSentence(ctx context.Context, tokens []string) error {
	sid := int32(d.nSent)
	d.nSent++
	phrase := len(d.words) // the current phrase is d.words[phrase:]
	for pos, word := range tokens {
		if strings.IndexFunc(word, func(r rune) bool { return !isPunct(r) }) < 0 {
			phrase = len(d.words)
			continue
		}
		if d.nWords++; d.nWords == checkEvery {
			d.nWords = 0
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		tag := wordTag(word, pos)
		lower := d.lower(word)
		id := d.lowers[lower].term
		t := &d.terms[id]
		t.tf++
		switch tag {
		case tagAcronym:
			t.tfA++
		case tagName:
			t.tfN++
		}
		if len(t.sents) == 0 || t.sents[len(t.sents)-1] != sid {
			t.sents = append(t.sents, sid)
		}
		block := d.words[phrase:]
		if tag != tagUnusual && tag != tagDigit {
			for _, prev := range block[max(0, len(block)-d.cfg.window):] {
				if prev.tag != tagUnusual && prev.tag != tagDigit {
					d.addEdge(prev.term, id)
				}
			}
		}
		d.words = append(d.words, blockWord{word: word, lower: lower, tag: tag, term: id})
		d.addCandidates(phrase)
	}
	return nil
}

// wordTag classifies one occurrence of word at position pos of its sentence.
func wordTag(word string, pos int) byte {
	noComma := strings.ReplaceAll(word, ",", "")
	if pyunicode.StrIsDigit(noComma) || pyunicode.StrIsDigit(strings.Replace(noComma, ".", "", 1)) {
		return tagDigit
	}
	digits, alphas, puncts, uppers, n := 0, 0, 0, 0, 0
	for _, r := range word {
		n++
		if pyunicode.IsDigit(r) {
			digits++
		}
		if pyunicode.IsAlpha(r) {
			alphas++
		}
		if isPunct(r) {
			puncts++
		}
		if pyunicode.IsUpper(r) {
			uppers++
		}
	}
	if digits > 0 && alphas > 0 || digits == 0 && alphas == 0 || puncts > 1 {
		return tagUnusual
	}
	if pyunicode.StrIsUpper(word) {
		return tagAcronym
	}
	first, _ := utf8.DecodeRuneInString(word)
	if n > 1 && pos > 0 && uppers == 1 && pyunicode.IsUpper(first) {
		return tagName
	}
	return tagPlain
}

// lower returns the index of word.lower() in d.lowers, adding it.
func (d *doc) lower(word string) int32 {
	lw := pyunicode.Lower(word)
	if i, ok := d.lowerIdx[lw]; ok {
		return i
	}
	i := int32(len(d.lowers))
	d.lowers = append(d.lowers, lowerWord{text: lw, term: d.term(lw)})
	d.lowerIdx[lw] = i
	return i
}

// term returns the id of the term for a lower-cased word, creating it.
// Whether a term is a stopword is decided by its first occurrence only.
func (d *doc) term(lower string) int32 {
	_, simpleStop := d.cfg.stop[lower]
	key := lower
	if strings.HasSuffix(key, "s") && utf8.RuneCountInString(key) > 3 {
		key = key[:len(key)-1]
	}
	if id, ok := d.termIndex[key]; ok {
		return id
	}
	stop := simpleStop
	if !stop {
		_, stop = d.cfg.stop[key]
	}
	if !stop {
		n := 0
		for _, r := range key {
			if !isPunct(r) {
				n++
			}
		}
		stop = n < 3
	}
	id := int32(len(d.terms))
	d.terms = append(d.terms, term{stop: stop})
	d.termIndex[key] = id
	return id
}

func (d *doc) addEdge(from, to int32) {
	k := uint64(from)<<32 | uint64(uint32(to))
	w, ok := d.edges[k]
	if !ok {
		d.terms[from].outDeg++
		d.terms[to].inDeg++
	}
	d.edges[k] = w + 1
	d.terms[from].outTF++
	d.terms[to].inTF++
}

func (d *doc) edge(from, to int32) (float64, bool) {
	w, ok := d.edges[uint64(from)<<32|uint64(uint32(to))]
	return w, ok
}

// addCandidates registers the n-grams of the current phrase,
// d.words[phrase:], that end at its last word, shortest first.
func (d *doc) addCandidates(phrase int) {
	end := len(d.words) - 1
	node := int32(-1)
	clean := true
	for start := end; start >= max(phrase, end-max(d.cfg.n, 1)+1); start-- {
		w := d.words[start]
		clean = clean && w.tag != tagUnusual && w.tag != tagDigit
		k := uint64(node+1)<<32 | uint64(uint32(w.lower))
		if id, ok := d.candIndex[k]; ok {
			c := &d.cands[id]
			c.tf++
			c.clean = c.clean || clean
			node = id
			continue
		}
		node = int32(len(d.cands))
		d.candIndex[k] = node
		d.cands = append(d.cands, candidate{id: node, end: int32(end), n: int32(end - start + 1), tf: 1, clean: clean})
	}
}

// candWords returns the words of c's first occurrence.
func (d *doc) candWords(c *candidate) []blockWord {
	return d.words[c.end-c.n+1 : c.end+1]
}

// surface returns c as it first occurred, its words joined by spaces.
func (d *doc) surface(c *candidate) string {
	var b strings.Builder
	for i, w := range d.candWords(c) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.word)
	}
	return b.String()
}

// key returns c's lower-cased words joined by spaces.
func (d *doc) key(c *candidate) string {
	var b strings.Builder
	for i, w := range d.candWords(c) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d.lowers[w.lower].text)
	}
	return b.String()
}

// scoreTerms computes the weight h of every term (paper, section 3.3).
func (d *doc) scoreTerms() {
	var tfs []float64
	maxTF := 0.0
	for i := range d.terms {
		t := &d.terms[i]
		if !t.stop {
			tfs = append(tfs, t.tf)
		}
		maxTF = max(maxTF, t.tf)
	}
	if len(tfs) == 0 {
		return
	}
	mean, std := pymath.MeanStd(tfs, nil)
	// Few distinct values reach the logarithms (small counts and sentence
	// numbers), and the correctly rounded log is slow, so remember them.
	logs := make(map[float64]float64)
	log := func(x float64) float64 {
		y, ok := logs[x]
		if !ok {
			y = pymath.Log(x)
			logs[x] = y
		}
		return y
	}
	avgStd := mean + std
	nSent := float64(d.nSent)
	for i := range d.terms {
		t := &d.terms[i]
		rel := t.tf / maxTF
		pwl, pwr := 0.0, 0.0
		if t.inDeg > 0 {
			pwl = float64(t.inDeg) / t.inTF
		}
		if t.outDeg > 0 {
			pwr = float64(t.outDeg) / t.outTF
		}
		wrel := (0.5 + float64(pwl*rel)) + (0.5 + float64(pwr*rel))
		wfreq := t.tf / avgStd
		wspread := float64(len(t.sents)) / nSent
		wcase := max(t.tfA, t.tfN) / (1 + log(t.tf))
		wpos := log(log(3 + median(t.sents)))
		t.h = float64(wpos*wrel) / (wcase + wfreq/wrel + wspread/wrel)
	}
}

// median returns numpy.median of increasing integers.
func median(s []int32) float64 {
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return (float64(s[m-1]) + float64(s[m])) / 2
}

// scoreCandidates returns the valid candidates with their weight h set.
// It reports false where yake's computation divides by zero.
func (d *doc) scoreCandidates() ([]*candidate, bool) {
	var valid []*candidate
	for i := range d.cands {
		c := &d.cands[i]
		ws := d.candWords(c)
		if !c.clean || d.terms[ws[0].term].stop || d.terms[ws[len(ws)-1].term].stop {
			continue
		}
		sum, prod := 0.0, 1.0
		for j, w := range ws {
			id := w.term
			t := &d.terms[id]
			if !t.stop {
				sum += t.h
				prod = float64(prod * t.h)
				continue
			}
			prev, next := ws[j-1].term, ws[j+1].term
			p1, p2 := 0.0, 0.0
			if w, ok := d.edge(prev, id); ok {
				p1 = w / d.terms[prev].tf
			}
			if w, ok := d.edge(id, next); ok {
				p2 = w / d.terms[next].tf
			}
			prob := float64(p1 * p2)
			prod = float64(prod * (1 + (1 - prob)))
			sum -= 1 - prob
		}
		den := float64((sum + 1) * c.tf)
		if den == 0 {
			return nil, false
		}
		c.h = prod / den
		valid = append(valid, c)
	}
	// A stable sort by h: ties keep insertion order, as Python's sorted.
	slices.SortFunc(valid, func(a, b *candidate) int {
		switch {
		case a.h < b.h:
			return -1
		case b.h < a.h:
			return 1
		}
		return int(a.id) - int(b.id)
	})
	return valid, true
}

// keywords picks the best candidates, skipping those too similar to one
// already picked.
func (d *doc) keywords(ctx context.Context, valid []*candidate) ([]Keyword, error) {
	cfg := d.cfg
	if cfg.dedupLim >= 1 {
		if cfg.top > 0 && len(valid) > cfg.top {
			valid = valid[:cfg.top]
		}
		out := make([]Keyword, len(valid))
		for i, c := range valid {
			out[i] = Keyword{Text: d.key(c), Score: c.h}
		}
		return out, nil
	}
	var out []Keyword
	type pick struct {
		key string
		sk  sketch
	}
	var picked []pick
	for i, c := range valid {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		key := d.key(c)
		var sk sketch
		if cfg.prefilter {
			sk = sketchOf(key)
		}
		dup := false
		for _, p := range picked {
			// seqm scores 0 when its pre-filter fails, and 0 never exceeds
			// the threshold.
			if cfg.prefilter && !sk.similarEnough(p.sk) {
				continue
			}
			if cfg.dedup(key, p.key) > cfg.dedupLim {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		picked = append(picked, pick{key, sk})
		out = append(out, Keyword{Text: d.surface(c), Score: c.h})
		if len(out) == cfg.top {
			break
		}
	}
	return out, nil
}
