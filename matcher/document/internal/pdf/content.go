package pdf

import (
	"fmt"
	"io"
	"math"
)

// A Char is one glyph of text as placed on the page: its Unicode text, the
// start and end of its advance on the baseline and its size, in points with
// y growing upwards.
type Char struct {
	Text       string
	X0, X1, Y  float64
	Size       float64
	Unmapped   bool // the font gives no Unicode for this code
	Horizontal bool // the baseline runs left to right
}

// Page is one page of the document.
type Page struct {
	V Value
	// Box is the crop box (the media box where there is none): x0 y0 x1 y1.
	Box       [4]float64
	resources Value
}

// maxPageTreeDepth bounds the page tree; real files have a few levels.
const maxPageTreeDepth = 64

// Pages walks the page tree and returns at most max pages; n is the number
// of pages the tree holds (counted, not read from /Count).
func (r *Reader) Pages(max int) (pages []Page, n int) {
	var walk func(v Value, depth int, inh map[string]Value)
	seen := make(map[objptr]bool)
	walk = func(v Value, depth int, inh map[string]Value) {
		if depth > maxPageTreeDepth || (v.ptr != objptr{} && seen[v.ptr]) {
			return
		}
		seen[v.ptr] = true
		local := make(map[string]Value, len(inh))
		for k, x := range inh {
			local[k] = x
		}
		for _, k := range []string{"Resources", "MediaBox", "CropBox"} {
			if x := v.Key(k); x.Kind() != Null {
				local[k] = x
			}
		}
		if v.Key("Type").Name() == "Page" || v.Key("Kids").Kind() != Array && v.Key("Contents").Kind() != Null {
			n++
			if len(pages) < max {
				p := Page{V: v}
				box := local["CropBox"]
				if box.Len() != 4 {
					box = local["MediaBox"]
				}
				p.Box = [4]float64{0, 0, 612, 792}
				if box.Len() == 4 {
					for i := range p.Box {
						p.Box[i] = box.Index(i).Float64()
					}
				}
				p.V = v
				p.resources = local["Resources"]
				pages = append(pages, p)
			}
			return
		}
		kids := v.Key("Kids")
		for i := 0; i < kids.Len(); i++ {
			walk(kids.Index(i), depth+1, local)
		}
	}
	walk(r.Trailer().Key("Root").Key("Pages"), 0, nil)
	return pages, n
}

// maxFormDepth bounds form XObjects drawn inside one another.
const maxFormDepth = 12

// Chars interprets the page's content streams and returns its glyphs in the
// order they are drawn. Images are skipped, form XObjects followed. It
// panics with ErrChars past max glyphs.
func (p *Page) Chars(max int) []Char {
	w := &walker{fonts: make(map[objptr]*font), max: max}
	g := gstate{th: 1, ctm: ident}
	w.run(p.V.Key("Contents"), p.resources, g, 0)
	return w.out
}

type matrix [3][3]float64

var ident = matrix{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

func (x matrix) mul(y matrix) matrix {
	var z matrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				z[i][j] += x[i][k] * y[k][j]
			}
		}
	}
	return z
}

func (x matrix) apply(px, py float64) (float64, float64) {
	return px*x[0][0] + py*x[1][0] + x[2][0], px*x[0][1] + py*x[1][1] + x[2][1]
}

type gstate struct {
	tc, tw, th, tl, tfs, trise float64
	font                       *font
	tm, tlm, ctm               matrix
}

type walker struct {
	max     int
	fonts   map[objptr]*font
	out     []Char
	scratch []glyph
}

func num(v Value) float64 { return v.Float64() }

// fontOf returns the font named name in res, loading it once per file
// (w.fonts, by object) and looking it up once per resource dictionary
// (byName).
func (w *walker) fontOf(res Value, name string, byName map[string]*font) *font {
	if f, ok := byName[name]; ok {
		return f
	}
	v := res.Key("Font").Key(name)
	f, ok := w.fonts[v.ptr]
	if !ok || v.ptr == (objptr{}) {
		f = loadFont(v)
		if v.ptr != (objptr{}) {
			w.fonts[v.ptr] = f
		}
	}
	byName[name] = f
	return f
}

func (w *walker) run(strm, res Value, g gstate, depth int) {
	if depth > maxFormDepth {
		return
	}
	var stack []gstate
	fonts := make(map[string]*font) // this resource dictionary's, by name
	show := func(s string) {
		f := g.font
		if f == nil {
			f = &font{codeLen: 1, scale: 0.001, unmapped: true}
		}
		w.scratch = f.decode(s, w.scratch[:0])
		if len(w.out)+len(w.scratch) > w.max {
			panic(ErrChars)
		}
		for _, gl := range w.scratch {
			trm := matrix{{g.tfs * g.th, 0, 0}, {0, g.tfs, 0}, {0, g.trise, 1}}.mul(g.tm).mul(g.ctm)
			x0, y0 := trm[2][0], trm[2][1]
			tx := gl.width*g.tfs + g.tc
			if gl.space {
				tx += g.tw
			}
			tx *= g.th
			g.tm = matrix{{1, 0, 0}, {0, 1, 0}, {tx, 0, 1}}.mul(g.tm)
			end := matrix{{g.tfs * g.th, 0, 0}, {0, g.tfs, 0}, {0, g.trise, 1}}.mul(g.tm).mul(g.ctm)
			size := math.Hypot(trm[1][0], trm[1][1])
			text := gl.text
			w.out = append(w.out, Char{
				Text: text, X0: x0, X1: end[2][0], Y: y0, Size: size,
				Unmapped:   text == "" && (f.unmapped || gl.code != 32),
				Horizontal: math.Abs(trm[0][1]) < 1e-3*math.Abs(trm[0][0]) && trm[0][0] > 0,
			})
		}
	}
	interpretContent(strm, func(op string, args []Value) {
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, g)
			}
		case "Q":
			if n := len(stack); n > 0 {
				g = stack[n-1]
				stack = stack[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrixOf(args).mul(g.ctm)
			}
		case "BT":
			g.tm, g.tlm = ident, ident
		case "Tc":
			if len(args) == 1 {
				g.tc = num(args[0])
			}
		case "Tw":
			if len(args) == 1 {
				g.tw = num(args[0])
			}
		case "Tz":
			if len(args) == 1 {
				g.th = num(args[0]) / 100
			}
		case "TL":
			if len(args) == 1 {
				g.tl = num(args[0])
			}
		case "Ts":
			if len(args) == 1 {
				g.trise = num(args[0])
			}
		case "Tf":
			if len(args) == 2 {
				g.font = w.fontOf(res, args[0].Name(), fonts)
				g.tfs = num(args[1])
			}
		case "TD", "Td":
			if len(args) == 2 {
				if op == "TD" {
					g.tl = -num(args[1])
				}
				g.tlm = matrix{{1, 0, 0}, {0, 1, 0}, {num(args[0]), num(args[1]), 1}}.mul(g.tlm)
				g.tm = g.tlm
			}
		case "Tm":
			if len(args) == 6 {
				g.tm = matrixOf(args)
				g.tlm = g.tm
			}
		case "T*":
			g.tlm = matrix{{1, 0, 0}, {0, 1, 0}, {0, -g.tl, 1}}.mul(g.tlm)
			g.tm = g.tlm
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = num(args[0]), num(args[1])
				args = args[2:]
			}
			g.tlm = matrix{{1, 0, 0}, {0, 1, 0}, {0, -g.tl, 1}}.mul(g.tlm)
			g.tm = g.tlm
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "TJ":
			if len(args) != 1 {
				return
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				x := a.Index(i)
				if x.Kind() == String {
					show(x.RawString())
				} else {
					tx := -num(x) / 1000 * g.tfs * g.th
					g.tm = matrix{{1, 0, 0}, {0, 1, 0}, {tx, 0, 1}}.mul(g.tm)
				}
			}
		case "Do":
			if len(args) != 1 {
				return
			}
			x := res.Key("XObject").Key(args[0].Name())
			if x.Key("Subtype").Name() != "Form" {
				return
			}
			fg := g
			if m := x.Key("Matrix"); m.Len() == 6 {
				vals := make([]Value, 6)
				for i := range vals {
					vals[i] = m.Index(i)
				}
				fg.ctm = matrixOf(vals).mul(g.ctm)
			}
			fres := x.Key("Resources")
			if fres.Kind() == Null {
				fres = res
			}
			w.run(x, fres, fg, depth+1)
		}
	})
}

func matrixOf(a []Value) matrix {
	var m matrix
	for i := 0; i < 6; i++ {
		m[i/2][i%2] = num(a[i])
	}
	m[2][2] = 1
	return m
}

// interpretContent reads a content stream (or an array of them) and calls
// do for every operator with its operands. Inline images are skipped.
func interpretContent(strm Value, do func(op string, args []Value)) {
	var rd io.Reader
	if strm.Kind() == Array {
		readers := make([]io.Reader, 0, min(strm.Len(), 4096))
		for i := 0; i < strm.Len() && i < 4096; i++ {
			readers = append(readers, strm.Index(i).Reader(), eolReader{})
		}
		rd = io.MultiReader(readers...)
	} else if strm.Kind() == Stream {
		rd = strm.Reader()
	} else {
		return
	}
	b := newBuffer(rd, 0)
	b.allowEOF = true
	b.allowObjptr = false
	b.allowStream = false
	var args []Value
	for {
		tok, ok := readTokenRecover(b)
		if tok == io.EOF || b.eof && !ok {
			return
		}
		if !ok {
			continue
		}
		if kw, ok := tok.(keyword); ok {
			switch kw {
			case "null", "[", "]", "<<", ">>", "true", "false":
			case "BI":
				skipInlineImage(b)
				args = args[:0]
				continue
			default:
				do(string(kw), args)
				args = args[:0]
				continue
			}
		}
		b.unreadToken(tok)
		obj, ok := readObjectRecover(b)
		if !ok {
			continue
		}
		if len(args) >= 64 { // no operator takes more; junk in the stream
			args = args[:0]
		}
		args = append(args, Value{nil, objptr{}, obj})
	}
}

// readTokenRecover reads a token, skipping a malformed one as viewers do.
func readTokenRecover(b *buffer) (token, bool) { return recovering(b.readToken) }

// eolReader separates the streams of a page's Contents array, which may
// split a token at their boundaries only at white space.
type eolReader struct{}

func (eolReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = '\n'
	return 1, io.EOF
}

// skipInlineImage skips from BI to the end of EI: the dictionary, the ID
// keyword and the binary data, which ends at white space, "EI", white space.
func skipInlineImage(b *buffer) {
	for {
		tok := b.readToken()
		if tok == io.EOF {
			return
		}
		if tok == keyword("ID") {
			break
		}
	}
	var last [3]byte
	for !b.eof {
		c := b.readByte()
		if isSpace(last[0]) && last[1] == 'E' && last[2] == 'I' && (isSpace(c) || b.eof) {
			return
		}
		last[0], last[1], last[2] = last[1], last[2], c
	}
}

// String describes a char for test failures.
func (c Char) String() string {
	return fmt.Sprintf("%q@(%.1f-%.1f,%.1f)/%.1f", c.Text, c.X0, c.X1, c.Y, c.Size)
}
