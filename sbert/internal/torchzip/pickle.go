package torchzip

import (
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf8"
)

// The values of the pickle machine: int64, float64, string, []byte, bool,
// nil, tuple, *list, *dict, and what findClass and persistentLoad return.
type (
	tuple []any
	list  struct{ items []any }
	// dict keeps its entries in order, which is all an OrderedDict adds.
	dict struct {
		keys, values []any
		index        map[any]int
	}
	// callable is a global that REDUCE may call.
	callable interface{ call(args tuple) (any, error) }
)

func newDict() *dict { return &dict{index: map[any]int{}} }

// set adds an entry; keys must be strings or integers, and unique, as in
// every dict that torch.save writes.
func (d *dict) set(k, v any) error {
	switch k.(type) {
	case string, int64:
	default:
		return fmt.Errorf("dict key of type %s", typeName(k))
	}
	if _, dup := d.index[k]; dup {
		return fmt.Errorf("dict key %s appears twice", short(k))
	}
	d.index[k] = len(d.keys)
	d.keys = append(d.keys, k)
	d.values = append(d.values, v)
	return nil
}

// unpickler runs the part of the pickle machine that torch.save uses
// (protocols 2 to 5: no text opcodes, no object construction beyond the
// globals that findClass allows), with its work bounded: at most maxOps
// opcodes, each of which allocates a small constant or the bytes of its own
// argument, and no value is ever walked recursively. So a pickle of n
// bytes costs O(min(n, maxOps)) time and memory, whatever it holds.
type unpickler struct {
	p              []byte
	pos            int
	stack          []any
	marks          []int
	memo           map[uint32]any
	maxOps         int
	findClass      func(module, name string) (any, error)
	persistentLoad func(pid any) (any, error)
}

// popMark pops the items above the last mark.
func (u *unpickler) popMark() ([]any, error) {
	if len(u.marks) == 0 {
		return nil, fmt.Errorf("no mark on the stack")
	}
	m := u.marks[len(u.marks)-1]
	u.marks = u.marks[:len(u.marks)-1]
	items := u.stack[m:]
	u.stack = u.stack[:m]
	return items, nil
}

// popItems pops the items of op: n of them for the opcode single, else
// those above the last mark.
func (u *unpickler) popItems(op, single byte, n int) ([]any, error) {
	if op == single {
		return u.popN(n)
	}
	return u.popMark()
}

// popN pops n items, in stack order.
func (u *unpickler) popN(n int) ([]any, error) {
	floor := 0
	if len(u.marks) > 0 {
		floor = u.marks[len(u.marks)-1]
	}
	if len(u.stack)-floor < n {
		return nil, fmt.Errorf("stack underflow")
	}
	items := u.stack[len(u.stack)-n:]
	u.stack = u.stack[:len(u.stack)-n]
	return items, nil
}

func (u *unpickler) top() (any, error) {
	if len(u.stack) == 0 || (len(u.marks) > 0 && len(u.stack) == u.marks[len(u.marks)-1]) {
		return nil, fmt.Errorf("stack underflow")
	}
	return u.stack[len(u.stack)-1], nil
}

// next returns the next n bytes of the pickle.
func (u *unpickler) next(n uint64) ([]byte, error) {
	if n > uint64(len(u.p)-u.pos) {
		return nil, fmt.Errorf("argument of %d bytes at offset %d past the end", n, u.pos)
	}
	b := u.p[u.pos : u.pos+int(n)]
	u.pos += int(n)
	return b, nil
}

// length reads a little-endian length of w bytes.
func (u *unpickler) length(w int) (uint64, error) {
	b, err := u.next(uint64(w))
	if err != nil {
		return 0, err
	}
	var v uint64
	for i := w - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v, nil
}

// line reads text up to a newline, of at most 256 bytes (module and class
// names).
func (u *unpickler) line() (string, error) {
	for i := u.pos; i < len(u.p) && i-u.pos <= 256; i++ {
		if u.p[i] == '\n' {
			s := string(u.p[u.pos:i])
			u.pos = i + 1
			return s, nil
		}
	}
	return "", fmt.Errorf("no newline within 256 bytes of offset %d", u.pos)
}

// load runs the pickle up to STOP and returns its value.
func (u *unpickler) load() (any, error) {
	for ops := 0; ; ops++ {
		if ops == u.maxOps {
			return nil, fmt.Errorf("%w: more than %d pickle opcodes", ErrTooLarge, u.maxOps)
		}
		if u.pos == len(u.p) {
			return nil, fmt.Errorf("no STOP opcode")
		}
		op := u.p[u.pos]
		u.pos++
		v, push, err := u.step(op)
		if err == errStop {
			if len(u.stack) != 1 || len(u.marks) != 0 {
				return nil, fmt.Errorf("STOP with %d values and %d marks on the stack", len(u.stack), len(u.marks))
			}
			return u.stack[0], nil
		}
		if err != nil {
			return nil, fmt.Errorf("opcode %#x at offset %d: %w", op, u.pos-1, err)
		}
		if push {
			u.stack = append(u.stack, v)
		}
	}
}

var errStop = fmt.Errorf("STOP")

// step runs one opcode; it returns the value to push, if any.
func (u *unpickler) step(op byte) (v any, push bool, err error) {
	switch op {
	case '.': // STOP
		return nil, false, errStop
	case 0x80: // PROTO
		b, err := u.next(1)
		if err != nil || b[0] > 5 {
			return nil, false, fmt.Errorf("bad protocol")
		}
		return nil, false, nil
	case 0x95: // FRAME: a length that only helps buffered readers
		_, err := u.length(8)
		return nil, false, err
	case '(': // MARK
		u.marks = append(u.marks, len(u.stack))
		return nil, false, nil
	case '0': // POP
		_, err := u.popN(1)
		return nil, false, err
	case '1': // POP_MARK
		_, err := u.popMark()
		return nil, false, err
	case 'N':
		return nil, true, nil
	case 0x88, 0x89: // NEWTRUE, NEWFALSE
		return op == 0x88, true, nil
	case 'K', 'M': // BININT1, BININT2
		n, err := u.length(int(op-'K')/2 + 1) // K = 0x4b, M = 0x4d
		return int64(n), err == nil, err
	case 'J': // BININT
		n, err := u.length(4)
		return int64(int32(n)), err == nil, err
	case 0x8a: // LONG1, at most 8 bytes: sizes and offsets are int64
		n, err := u.length(1)
		if err != nil || n > 8 {
			return nil, false, fmt.Errorf("LONG1 of %d bytes (at most 8 accepted)", n)
		}
		b, err := u.next(n)
		if err != nil {
			return nil, false, err
		}
		var x int64
		for i := len(b) - 1; i >= 0; i-- {
			x = x<<8 | int64(b[i])
		}
		if n > 0 && n < 8 && b[n-1]&0x80 != 0 { // sign-extend
			x -= 1 << (8 * n)
		}
		return x, true, nil
	case 'G': // BINFLOAT, big-endian
		b, err := u.next(8)
		if err != nil {
			return nil, false, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), true, nil
	case 'X', 0x8c, 0x8d, 'T', 'U', 'B', 'C', 0x8e, 0x96: // strings and bytes
		n, err := u.length(lengthWidth(op))
		if err != nil {
			return nil, false, err
		}
		b, err := u.next(n)
		if err != nil {
			return nil, false, err
		}
		switch op {
		case 'X', 0x8c, 0x8d:
			if !utf8.Valid(b) {
				return nil, false, fmt.Errorf("invalid UTF-8 in a unicode string")
			}
			return string(b), true, nil
		case 'T', 'U': // Python 2 str
			return string(b), true, nil
		}
		return append([]byte(nil), b...), true, nil
	case ')':
		return tuple{}, true, nil
	case 't':
		items, err := u.popMark()
		return tuple(append([]any(nil), items...)), err == nil, err
	case 0x85, 0x86, 0x87: // TUPLE1, TUPLE2, TUPLE3
		items, err := u.popN(int(op - 0x84))
		return tuple(append([]any(nil), items...)), err == nil, err
	case ']':
		return &list{}, true, nil
	case 'l':
		items, err := u.popMark()
		return &list{items: append([]any(nil), items...)}, err == nil, err
	case 'a', 'e': // APPEND, APPENDS
		items, err := u.popItems(op, 'a', 1)
		if err != nil {
			return nil, false, err
		}
		t, err := u.top()
		l, ok := t.(*list)
		if err != nil || !ok {
			return nil, false, fmt.Errorf("append to %s", typeName(t))
		}
		l.items = append(l.items, items...)
		return nil, false, nil
	case '}':
		return newDict(), true, nil
	case 'd', 's', 'u': // DICT, SETITEM, SETITEMS
		items, err := u.popItems(op, 's', 2)
		if err != nil {
			return nil, false, err
		}
		if len(items)%2 != 0 {
			return nil, false, fmt.Errorf("odd number of dict items")
		}
		var d *dict
		if op == 'd' {
			d = newDict()
		} else {
			t, err := u.top()
			var ok bool
			if d, ok = t.(*dict); err != nil || !ok {
				return nil, false, fmt.Errorf("set item of %s", typeName(t))
			}
		}
		for i := 0; i < len(items); i += 2 {
			if err := d.set(items[i], items[i+1]); err != nil {
				return nil, false, err
			}
		}
		return d, op == 'd', nil
	case 'c': // GLOBAL
		module, err := u.line()
		if err != nil {
			return nil, false, err
		}
		name, err := u.line()
		if err != nil {
			return nil, false, err
		}
		v, err := u.findClass(module, name)
		return v, err == nil, err
	case 0x93: // STACK_GLOBAL
		items, err := u.popN(2)
		if err != nil {
			return nil, false, err
		}
		module, ok1 := items[0].(string)
		name, ok2 := items[1].(string)
		if !ok1 || !ok2 {
			return nil, false, fmt.Errorf("STACK_GLOBAL of %s and %s", typeName(items[0]), typeName(items[1]))
		}
		v, err := u.findClass(module, name)
		return v, err == nil, err
	case 'R': // REDUCE
		items, err := u.popN(2)
		if err != nil {
			return nil, false, err
		}
		f, ok1 := items[0].(callable)
		args, ok2 := items[1].(tuple)
		if !ok1 || !ok2 {
			return nil, false, fmt.Errorf("REDUCE of %s with %s", typeName(items[0]), typeName(items[1]))
		}
		v, err := f.call(args)
		return v, err == nil, err
	case 'b': // BUILD: only the attributes of an OrderedDict (_metadata), ignored
		if _, err := u.popN(1); err != nil {
			return nil, false, err
		}
		t, err := u.top()
		if _, ok := t.(*dict); err != nil || !ok {
			return nil, false, fmt.Errorf("BUILD of %s", typeName(t))
		}
		return nil, false, nil
	case 'Q': // BINPERSID
		items, err := u.popN(1)
		if err != nil {
			return nil, false, err
		}
		v, err := u.persistentLoad(items[0])
		return v, err == nil, err
	case 'q', 'r', 0x94: // BINPUT, LONG_BINPUT, MEMOIZE
		var i uint64
		switch op {
		case 'q':
			i, err = u.length(1)
		case 'r':
			i, err = u.length(4)
		default:
			i = uint64(len(u.memo))
		}
		if err != nil {
			return nil, false, err
		}
		t, err := u.top()
		if err != nil {
			return nil, false, err
		}
		u.memo[uint32(i)] = t
		return nil, false, nil
	case 'h', 'j': // BINGET, LONG_BINGET
		i, err := u.length(1 + 3*int(op-'h')/2) // h = 0x68: 1 byte, j = 0x6a: 4
		if err != nil {
			return nil, false, err
		}
		v, ok := u.memo[uint32(i)]
		if !ok {
			return nil, false, fmt.Errorf("memo entry %d not set", i)
		}
		return v, true, nil
	}
	return nil, false, fmt.Errorf("unsupported pickle opcode")
}

// lengthWidth returns the size of the length before the bytes of a string
// opcode.
func lengthWidth(op byte) int {
	switch op {
	case 0x8c, 'U', 'C': // SHORT_BINUNICODE, SHORT_BINSTRING, SHORT_BINBYTES
		return 1
	case 'X', 'T', 'B': // BINUNICODE, BINSTRING, BINBYTES
		return 4
	}
	return 8 // BINUNICODE8, BINBYTES8, BYTEARRAY8
}

// typeName names the kind of a pickle value, for errors: never its
// contents, which may be huge or a deep graph.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "None"
	case tuple:
		return "tuple"
	case *list:
		return "list"
	case *dict:
		return "dict"
	case string:
		return "str"
	case []byte:
		return "bytes"
	}
	return fmt.Sprintf("%T", v)
}

// short formats a scalar for an error message, cut to 64 bytes.
func short(v any) string {
	switch v := v.(type) {
	case string:
		if len(v) > 64 {
			v = v[:64] + "…"
		}
		return fmt.Sprintf("%q", v)
	case int64:
		return fmt.Sprint(v)
	}
	return typeName(v)
}
