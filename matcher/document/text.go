package document

import (
	"bytes"
	"context"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// decodeText decodes text in the common encodings to UTF-8: UTF-8 with or
// without a byte-order mark, UTF-16 with a mark or recognised by its zero
// bytes, and, when the bytes are not UTF-8, Windows-1252 (a superset of the
// printable Latin-1). ok is false for data that is not text: NUL bytes or
// many control characters.
func decodeText(data []byte) (string, bool) {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		enc = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	default:
		enc = utf16WithoutBOM(data)
	}
	if enc == nil && !utf8.Valid(trimPartialRune(data)) {
		enc = charmap.Windows1252
	}
	s := string(data)
	if enc != nil {
		b, err := enc.NewDecoder().Bytes(data)
		if err != nil {
			return "", false
		}
		s = string(b)
	}
	control := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 0:
			return "", false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			control++
		}
	}
	return s, control*100 <= len(s)
}

// utf16WithoutBOM recognises UTF-16 text without a byte-order mark by the
// zero high bytes of its ASCII characters.
func utf16WithoutBOM(data []byte) encoding.Encoding {
	n := min(len(data), 4096) &^ 1
	if n < 4 {
		return nil
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd*10 >= half*6 && even*10 < half:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case even*10 >= half*6 && odd*10 < half:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	return nil
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of a
// prefix cut from a longer text.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// decodeDoc decodes the bytes of a text format (decodeText) within lim.
func decodeDoc(ctx context.Context, data []byte, lim Limits) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s, ok := decodeText(data)
	if !ok {
		return "", fmt.Errorf("%w: binary data", ErrUnsupportedFormat)
	}
	if n := utf8.RuneCountInString(s); n > lim.MaxChars {
		return "", fmt.Errorf("%w: %d characters of text, limit %d (Limits.MaxChars)", ErrTooLarge, n, lim.MaxChars)
	}
	return s, nil
}

func readPlain(ctx context.Context, data []byte, lim Limits) (*Doc, error) {
	s, err := decodeDoc(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	var b paragraphs
	b.addText(s)
	return &Doc{Text: b.String()}, nil
}
