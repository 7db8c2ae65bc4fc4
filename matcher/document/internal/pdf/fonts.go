package pdf

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// A font decodes the strings of a text-showing operator into glyphs: the
// code, its Unicode text and its advance width in text space (font size 1).
type font struct {
	codeLen  int               // bytes per code: 1 for simple fonts, 2 for Type0 by default
	space    [4][][2]uint32    // code space ranges by length-1, from an embedded CMap
	toUni    map[uint32]string // ToUnicode
	simple   *[256]string      // simple fonts: code → text from the Encoding
	widths   map[uint32]float64
	dw       float64 // default width, glyph units
	scale    float64 // glyph units → text space
	unmapped bool    // no ToUnicode and no usable encoding: codes mean nothing
}

// maxCMapEntries bounds the mappings one CMap may declare (a bfrange of
// 0x0000–0xFFFF already declares 65536).
const maxCMapEntries = 1 << 17

type glyph struct {
	code  uint32
	text  string
	width float64 // text space, before Tfs and Th
	space bool    // the single-byte code 32, which takes word spacing
}

// decode splits raw into glyphs.
func (f *font) decode(raw string, out []glyph) []glyph {
	for len(raw) > 0 {
		n := f.codeLength(raw)
		var code uint32
		for i := 0; i < n; i++ {
			code = code<<8 | uint32(raw[i])
		}
		raw = raw[n:]
		g := glyph{code: code, space: n == 1 && code == 32}
		if t, ok := f.toUni[code]; ok {
			g.text = t
		} else if f.simple != nil && code < 256 {
			g.text = f.simple[code]
		}
		w, ok := f.widths[code]
		if !ok {
			w = f.dw
		}
		g.width = w * f.scale
		out = append(out, g)
	}
	return out
}

func (f *font) codeLength(raw string) int {
	for n := 1; n <= 4 && n <= len(raw); n++ {
		var code uint32
		for i := 0; i < n; i++ {
			code = code<<8 | uint32(raw[i])
		}
		for _, r := range f.space[n-1] {
			if r[0] <= code && code <= r[1] {
				return n
			}
		}
	}
	return min(f.codeLen, len(raw))
}

// loadFont reads a font dictionary.
func loadFont(v Value) *font {
	f := &font{codeLen: 1, dw: 0, scale: 0.001}
	subtype := v.Key("Subtype").Name()
	if subtype == "Type0" {
		f.codeLen = 2
		desc := v.Key("DescendantFonts").Index(0)
		f.dw = 1000
		if d := desc.Key("DW"); d.Kind() == Integer || d.Kind() == Real {
			f.dw = d.Float64()
		}
		f.widths = cidWidths(desc.Key("W"))
		if enc := v.Key("Encoding"); enc.Kind() == Stream {
			m := readCMap(enc)
			f.space = m.space
		}
	} else {
		f.widths = make(map[uint32]float64)
		first := v.Key("FirstChar").Int64()
		ws := v.Key("Widths")
		for i := 0; i < ws.Len() && i < 256; i++ {
			f.widths[uint32(first)+uint32(i)] = ws.Index(i).Float64()
		}
		if subtype == "Type3" {
			if m := v.Key("FontMatrix"); m.Len() == 6 {
				f.scale = m.Index(0).Float64()
			}
		}
		if len(f.widths) == 0 {
			f.dw = standardWidth(v.Key("BaseFont").Name())
		}
		f.simple = simpleEncoding(v)
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == Stream {
		m := readCMap(tu)
		f.toUni = m.uni
		if subtype == "Type0" && len(f.space[0])+len(f.space[1])+len(f.space[2])+len(f.space[3]) == 0 {
			f.space = m.space
		}
	}
	if f.toUni == nil && f.simple == nil {
		f.unmapped = true
		// The predefined UCS-2 CMaps are Unicode themselves.
		if e := v.Key("Encoding").Name(); strings.HasPrefix(e, "Uni") && strings.Contains(e, "UCS2") {
			f.toUni = nil
			f.unmapped = false
			f.simple = nil
		}
	}
	return f
}

// standardWidth approximates the widths of the standard 14 fonts, which
// files may use without a Widths array.
func standardWidth(base string) float64 {
	if strings.Contains(base, "Courier") {
		return 600
	}
	return 500
}

func cidWidths(w Value) map[uint32]float64 {
	m := make(map[uint32]float64)
	for i := 0; i < w.Len(); {
		c := w.Index(i)
		next := w.Index(i + 1)
		if next.Kind() == Array {
			first := uint32(c.Int64())
			for k := 0; k < next.Len() && len(m) < maxCMapEntries; k++ {
				m[first+uint32(k)] = next.Index(k).Float64()
			}
			i += 2
			continue
		}
		lo, hi, width := c.Int64(), next.Int64(), w.Index(i+2).Float64()
		if lo < 0 || hi < lo || hi-lo > maxCMapEntries {
			break
		}
		for k := lo; k <= hi && len(m) < maxCMapEntries; k++ {
			m[uint32(k)] = width
		}
		i += 3
	}
	return m
}

// simpleEncoding maps the single-byte codes of a simple font to text: the
// base encoding with the Differences applied. Symbolic fonts without an
// encoding (embedded TrueType subsets) get nil: only a ToUnicode map can
// tell what their codes mean.
func simpleEncoding(v Value) *[256]string {
	enc := v.Key("Encoding")
	base := enc.Name()
	if enc.Kind() == Dict {
		base = enc.Key("BaseEncoding").Name()
	}
	var table *[256]rune
	switch base {
	case "WinAnsiEncoding":
		table = &winAnsiEncoding
	case "MacRomanEncoding":
		table = &macRomanEncoding
	case "StandardEncoding", "":
		table = &standardEncoding
	default:
		table = &pdfDocEncoding
	}
	sub := v.Key("Subtype").Name()
	if enc.Kind() == Null && (sub == "TrueType" || sub == "Type3") && v.Key("ToUnicode").Kind() == Stream {
		return nil
	}
	var out [256]string
	for i, r := range table {
		if r != noRune && r >= 32 {
			out[i] = string(r)
		}
	}
	diffs := enc.Key("Differences")
	code := -1
	for i := 0; i < diffs.Len(); i++ {
		x := diffs.Index(i)
		switch x.Kind() {
		case Integer:
			code = int(x.Int64())
		case Name:
			if code >= 0 && code < 256 {
				out[code] = glyphText(x.Name())
			}
			code++
		}
	}
	return &out
}

// glyphText maps a glyph name to text (the Adobe Glyph List and its uniXXXX,
// uXXXX and ligature conventions). Unknown names (g123, cid45) map to "".
func glyphText(n string) string {
	if r, ok := nameToRune[n]; ok {
		return string(r)
	}
	if i := strings.IndexByte(n, '.'); i > 0 { // a.sc, one.oldstyle
		return glyphText(n[:i])
	}
	if strings.Contains(n, "_") { // f_f_i
		var b strings.Builder
		for _, part := range strings.Split(n, "_") {
			b.WriteString(glyphText(part))
		}
		return b.String()
	}
	if strings.HasPrefix(n, "uni") && len(n) >= 7 && (len(n)-3)%4 == 0 {
		var b strings.Builder
		for i := 3; i < len(n); i += 4 {
			x, err := strconv.ParseUint(n[i:i+4], 16, 16)
			if err != nil {
				return ""
			}
			b.WriteRune(rune(x))
		}
		return b.String()
	}
	if strings.HasPrefix(n, "u") && len(n) >= 5 && len(n) <= 7 {
		if x, err := strconv.ParseUint(n[1:], 16, 32); err == nil && x <= 0x10FFFF {
			return string(rune(x))
		}
	}
	return ""
}

type cmapData struct {
	space [4][][2]uint32
	uni   map[uint32]string
}

func codeOf(s string) (uint32, int) {
	var c uint32
	for i := 0; i < len(s) && i < 4; i++ {
		c = c<<8 | uint32(s[i])
	}
	return c, min(len(s), 4)
}

func utf16Text(s string) string {
	if len(s)%2 == 1 {
		s = s[:len(s)-1]
	}
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return string(utf16.Decode(u))
}

// readCMap reads the code space ranges and the bfchar and bfrange mappings
// of a CMap stream.
func readCMap(v Value) cmapData {
	m := cmapData{uni: make(map[uint32]string)}
	n := -1
	Interpret(v, func(stk *Stack, op string) {
		switch op {
		case "findresource":
			stk.Pop()
			stk.Pop()
			stk.Push(newDict())
		case "begincmap":
			stk.Push(newDict())
		case "endcmap":
			stk.Pop()
		case "begincodespacerange", "beginbfchar", "beginbfrange", "begincidrange", "begincidchar":
			n = int(stk.Pop().Int64())
			n = max(0, min(n, maxCMapEntries)) // the end operator also stops at the stack's bottom
		case "endcodespacerange":
			for i := 0; i < n && stk.Len() >= 2; i++ {
				hi, lo := stk.Pop().RawString(), stk.Pop().RawString()
				if len(lo) == 0 || len(lo) != len(hi) || len(lo) > 4 {
					continue
				}
				a, k := codeOf(lo)
				b, _ := codeOf(hi)
				m.space[k-1] = append(m.space[k-1], [2]uint32{a, b})
			}
			n = -1
		case "endbfchar":
			for i := 0; i < n && stk.Len() >= 2; i++ {
				repl, orig := stk.Pop().RawString(), stk.Pop().RawString()
				if c, _ := codeOf(orig); len(m.uni) < maxCMapEntries {
					m.uni[c] = utf16Text(repl)
				}
			}
			n = -1
		case "endbfrange":
			for i := 0; i < n && stk.Len() >= 3; i++ {
				dst, hi, lo := stk.Pop(), stk.Pop().RawString(), stk.Pop().RawString()
				a, _ := codeOf(lo)
				b, _ := codeOf(hi)
				if b < a || b-a > maxCMapEntries {
					continue
				}
				for c := a; c <= b && len(m.uni) < maxCMapEntries; c++ {
					k := int(c - a)
					switch dst.Kind() {
					case String:
						u := []rune(utf16Text(dst.RawString()))
						if len(u) == 0 {
							continue
						}
						u[len(u)-1] += rune(k)
						m.uni[c] = string(u)
					case Array:
						m.uni[c] = utf16Text(dst.Index(k).RawString())
					}
				}
			}
			n = -1
		case "endcidrange", "endcidchar":
			n = -1
		case "defineresource":
			stk.Pop()
			value := stk.Pop()
			stk.Pop()
			stk.Push(value)
		}
	})
	return m
}

// standardEncoding is Adobe StandardEncoding where it differs from ASCII in
// what matters for words: the quotes and the fi and fl ligatures.
var standardEncoding = func() [256]rune {
	var t [256]rune
	for i := range t {
		t[i] = noRune
	}
	for i := 32; i < 127; i++ {
		t[i] = rune(i)
	}
	t[0x27] = '’'
	t[0x60] = '‘'
	t[0xae] = 'ﬁ'
	t[0xaf] = 'ﬂ'
	t[0xb1] = '–'
	t[0xd0] = '—'
	t[0xb7] = '•'
	return t
}()
