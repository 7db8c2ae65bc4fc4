package wordpiece

import (
	"hash/maphash"
	"math/bits"
	"unsafe"
)

// index maps pieces to ids like a map[string]int32, built in a fraction of
// the time (one slice, no per-entry allocation: the tokenizer is on the
// path of every cold start) and looked up from bytes. Its keys are the
// tokens of the ids it holds with their first skip bytes cut off, so it
// stores ids only.
type index struct {
	seed   maphash.Seed
	slots  []int32 // id+1 of the piece whose hash leads here first; 0 is empty
	mask   uint64
	tokens []string
	skip   int
}

// newIndex returns an empty index for up to n pieces of tokens.
func newIndex(tokens []string, skip, n int) index {
	size := uint64(1) << bits.Len(uint(2*n)) // at most half full
	return index{seed: maphash.MakeSeed(), slots: make([]int32, size), mask: size - 1, tokens: tokens, skip: skip}
}

func (x *index) key(id int32) string { return x.tokens[id][x.skip:] }

// add maps the key of id to id; a later id replaces an earlier one with
// the same key.
func (x *index) add(id int32) {
	key := x.key(id)
	for i := maphash.String(x.seed, key) & x.mask; ; i = (i + 1) & x.mask {
		if s := x.slots[i]; s == 0 || x.key(s-1) == key {
			x.slots[i] = id + 1
			return
		}
	}
}

// get returns the id of piece.
func (x *index) get(piece []byte) (int32, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	for i := maphash.Bytes(x.seed, piece) & x.mask; ; i = (i + 1) & x.mask {
		s := x.slots[i]
		if s == 0 {
			return 0, false
		}
		if x.key(s-1) == string(piece) {
			return s - 1, true
		}
	}
}

// getString is get for a string.
func (x *index) getString(piece string) (int32, bool) {
	return x.get(unsafe.Slice(unsafe.StringData(piece), len(piece))) // read only
}
