package modelfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Members returns the raw values of the members named in names of the JSON
// object data (or null), in the order of names (nil for a member that is
// absent), as json.Unmarshal would set struct fields tagged with the names:
// a member's key matches a name without regard to case (so names that
// differ only in case get the same member), and of repeated members the
// last wins, after checking that data is valid JSON as [json.Valid]
// defines it. A name may be a path into nested objects, "model.type": the
// scan then goes through "model" once instead of skipping it. Decoding a
// big file this way and the few members a loader needs with
// [json.Unmarshal] costs a fraction of unmarshalling the whole file into a
// struct: encoding/json scans every byte twice, at several nanoseconds a
// byte, even of the members it skips (tokenizer.json's vocabulary, 30,000
// entries).
func Members(data []byte, names ...string) ([][]byte, error) {
	if off, ok := validJSON(data); !ok {
		// encoding/json words the error.
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("invalid JSON at offset %d", off)
	}
	out := make([][]byte, len(names))
	_, err := members(data, skipSpace(data, 0), "", names, out)
	return out, err
}

// errNotObject reports a value that is not the object Members wants.
var errNotObject = errors.New("not a JSON object")

// members scans the object or null at data[i], known to be valid JSON,
// whose path is path ("" for the document, else ending in a dot), storing
// in out the members that names asks for, and returns the offset past it.
func members(data []byte, i int, path string, names []string, out [][]byte) (int, error) {
	if bytes.HasPrefix(data[i:], []byte("null")) {
		return i + 4, nil // like an empty object, as in encoding/json
	}
	if data[i] != '{' {
		return i, fmt.Errorf("%s%w", strings.TrimSuffix(path, "."), errNotObject)
	}
	for i = skipSpace(data, i+1); data[i] != '}'; i = skipSpace(data, i) {
		if data[i] == ',' {
			i = skipSpace(data, i+1)
		}
		keyEnd := skipString(data, i)
		key := data[i:keyEnd]
		start := skipSpace(data, skipSpace(data, keyEnd)+1) // past the colon
		end, descend := -1, ""
		for _, name := range names {
			rest, ok := strings.CutPrefix(name, path)
			if head, _, nested := strings.Cut(rest, "."); ok && nested && keyEquals(key, head) {
				descend = path + head + "."
			}
		}
		if descend != "" {
			// As encoding/json into nested structs: a repeated object
			// sets the members it has and keeps the others.
			var err error
			if end, err = members(data, start, descend, names, out); err != nil {
				return i, err
			}
		}
		for n, name := range names {
			if rest, ok := strings.CutPrefix(name, path); ok && keyEquals(key, rest) {
				if end < 0 {
					end = skipValue(data, start)
				}
				out[n] = data[start:end]
			}
		}
		if end < 0 {
			end = skipValue(data, start)
		}
		i = end
	}
	return i + 1, nil
}

// keyEquals reports whether the quoted JSON string key decodes to name
// without regard to case, as encoding/json matches a member to a struct
// field's tag (bytes.EqualFold: Unicode simple folding), decoding only keys
// with escapes.
func keyEquals(key []byte, name string) bool {
	raw := key[1 : len(key)-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return bytes.EqualFold(raw, []byte(name))
	}
	var s string
	return json.Unmarshal(key, &s) == nil && strings.EqualFold(s, name)
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset just past the valid string at data[i].
func skipString(data []byte, i int) int {
	for i++; ; i++ {
		for !stringSpecial[data[i]] {
			i++
		}
		switch data[i] {
		case '"':
			return i + 1
		case '\\':
			i++ // the escaped byte; \uXXXX's digits are plain bytes
		}
	}
}

// stringSpecial marks the bytes that end a run of plain bytes in a string.
var stringSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// skipValue returns the offset just past the valid value at data[i].
func skipValue(data []byte, i int) int {
	depth := 0
	for {
		switch c := data[i]; c {
		case '"':
			i = skipString(data, i)
		case '{', '[':
			depth++
			i++
		case '}', ']':
			depth--
			i++
		default:
			i++
			if c == ',' || c == ':' || c == ' ' || c == '\n' || c == '\t' || c == '\r' {
				break
			}
			// A number or literal: up to the next delimiter.
			for i < len(data) && !delimiter[data[i]] {
				i++
			}
		}
		if depth == 0 {
			return i
		}
	}
}

var delimiter = func() (t [256]bool) {
	for _, c := range []byte(",:]}\"{[ \n\t\r") {
		t[c] = true
	}
	return t
}()

// maxDepth is encoding/json's limit on nesting.
const maxDepth = 10000

// validJSON reports whether data is one JSON value with optional white
// space around it, exactly as json.Valid does, or the offset where it
// stops being one. It is a recursive-descent check with an explicit stack,
// several times faster than encoding/json's scanner.
func validJSON(data []byte) (int, bool) {
	// stack holds, per open container, '{' or '['.
	var stack []byte
	i := skipSpace(data, 0)
	for {
		// A value starts at i.
		if i >= len(data) {
			return i, false
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			if len(stack) == maxDepth {
				return i, false
			}
			stack = append(stack, c)
			i = skipSpace(data, i+1)
			if i < len(data) && data[i] == c+2 { // '}' or ']'
				stack = stack[:len(stack)-1]
				i++
				break
			}
			if c == '{' {
				var ok bool
				if i, ok = objectKey(data, i); !ok {
					return i, false
				}
			}
			continue
		case c == '"':
			var ok bool
			if i, ok = validString(data, i); !ok {
				return i, false
			}
		case c == '-' || c >= '0' && c <= '9':
			var ok bool
			if i, ok = validNumber(data, i); !ok {
				return i, false
			}
		default:
			var ok bool
			if i, ok = validLiteral(data, i); !ok {
				return i, false
			}
		}
		// A value ended at i: close containers, or expect the next member.
		for {
			i = skipSpace(data, i)
			if len(stack) == 0 {
				return i, i == len(data)
			}
			if i == len(data) {
				return i, false
			}
			top := stack[len(stack)-1]
			switch data[i] {
			case top + 2:
				stack = stack[:len(stack)-1]
				i++
				continue
			case ',':
				i = skipSpace(data, i+1)
				if top == '{' {
					var ok bool
					if i, ok = objectKey(data, i); !ok {
						return i, false
					}
				}
			default:
				return i, false
			}
			break
		}
	}
}

// objectKey checks a member's key and colon at data[i] and returns the
// offset of its value.
func objectKey(data []byte, i int) (int, bool) {
	if i >= len(data) || data[i] != '"' {
		return i, false
	}
	i, ok := validString(data, i)
	if !ok {
		return i, false
	}
	i = skipSpace(data, i)
	if i >= len(data) || data[i] != ':' {
		return i, false
	}
	return skipSpace(data, i+1), true
}

// validString checks the string at data[i] and returns the offset past it.
// Like encoding/json, it accepts any bytes but control characters and
// invalid escapes (invalid UTF-8 is replaced when decoding, not refused).
func validString(data []byte, i int) (int, bool) {
	for i++; i < len(data); i++ {
		for i < len(data)-1 && !stringSpecial[data[i]] {
			i++
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return i, false
		case c == '\\':
			i++
			if i >= len(data) {
				return i, false
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(data) {
					return len(data), false
				}
				for _, h := range data[i+1 : i+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return i, false
					}
				}
				i += 4
			default:
				return i, false
			}
		}
	}
	return i, false
}

// validNumber checks the number at data[i] (JSON's grammar: -?int frac?
// exp?) and returns the offset past it.
func validNumber(data []byte, i int) (int, bool) {
	digits := func(i int) (int, bool) {
		j := i
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
		return j, j > i
	}
	if data[i] == '-' {
		i++
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else {
		var ok bool
		if i, ok = digits(i); !ok {
			return i, false
		}
	}
	if i < len(data) && data[i] == '.' {
		var ok bool
		if i, ok = digits(i + 1); !ok {
			return i, false
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		var ok bool
		if i, ok = digits(i); !ok {
			return i, false
		}
	}
	return i, true
}

// validLiteral checks true, false or null at data[i].
func validLiteral(data []byte, i int) (int, bool) {
	for _, lit := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(data[i:], []byte(lit)) {
			return i + len(lit), true
		}
	}
	return i, false
}
