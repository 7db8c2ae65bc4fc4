package torchzip

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Argument layouts of the pickle opcodes (Python's pickletools).
const (
	argNone   = iota
	argFixed1 // 1-byte argument
	argFixed2
	argFixed4
	argFixed8
	argLen1 // 1-byte length, then that many bytes
	argLen4
	argLen8
	argLine  // text up to a newline
	argLine2 // two such lines
)

var opArgs = func() [256]int8 {
	var a [256]int8
	for i := range a {
		a[i] = -1 // unknown opcode
	}
	for _, op := range []byte("(.012NQRabd}el]ost)u\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98") {
		a[op] = argNone
	}
	for op, arg := range map[byte]int8{
		'K': argFixed1, 'h': argFixed1, 'q': argFixed1, 0x80: argFixed1, 0x82: argFixed1,
		'M': argFixed2, 0x83: argFixed2,
		'J': argFixed4, 'j': argFixed4, 'r': argFixed4, 0x84: argFixed4,
		'G': argFixed8, 0x95: argFixed8,
		'U': argLen1, 'C': argLen1, 0x8c: argLen1, 0x8a: argLen1,
		'T': argLen4, 'B': argLen4, 'X': argLen4, 0x8b: argLen4,
		0x8d: argLen8, 0x8e: argLen8, 0x96: argLen8,
		'I': argLine, 'L': argLine, 'F': argLine, 'S': argLine, 'V': argLine, 'g': argLine, 'p': argLine, 'P': argLine,
		'i': argLine2, 'c': argLine2,
	} {
		a[op] = arg
	}
	return a
}()

// scanPickle walks the opcodes of the pickle p up to STOP and checks that
// every length it declares (strings, bytes, frames) fits in what is left.
// The unpickler allocates declared lengths before reading them, so this
// keeps a small hostile file from asking for gigabytes.
func scanPickle(p []byte) error {
	for i := 0; i < len(p); {
		op := p[i]
		i++
		var n uint64
		switch opArgs[op] {
		case -1:
			return fmt.Errorf("unknown pickle opcode %#x at offset %d", op, i-1)
		case argNone:
			if op == '.' {
				return nil
			}
		case argFixed1:
			n = 1
		case argFixed2:
			n = 2
		case argFixed4:
			n = 4
		case argFixed8:
			n = 8
			if op == 0x95 { // FRAME: the frame's bytes follow as opcodes
				if i+8 <= len(p) && binary.LittleEndian.Uint64(p[i:]) > uint64(len(p)-i-8) {
					return fmt.Errorf("pickle frame at offset %d longer than the file", i-1)
				}
			}
		case argLen1, argLen4, argLen8:
			w := 1
			if opArgs[op] == argLen4 {
				w = 4
			} else if opArgs[op] == argLen8 {
				w = 8
			}
			if i+w > len(p) {
				return fmt.Errorf("pickle truncated at offset %d", i)
			}
			var l uint64
			switch w {
			case 1:
				l = uint64(p[i])
			case 4:
				l = uint64(binary.LittleEndian.Uint32(p[i:]))
			case 8:
				l = binary.LittleEndian.Uint64(p[i:])
			}
			i += w
			if l > uint64(len(p)-i) {
				return fmt.Errorf("pickle argument of %d bytes at offset %d longer than the file", l, i)
			}
			n = l
		case argLine, argLine2:
			for range opArgs[op] - argLine + 1 {
				j := bytes.IndexByte(p[i:], '\n')
				if j < 0 {
					return fmt.Errorf("pickle truncated at offset %d", i)
				}
				i += j + 1
			}
		}
		if n > uint64(len(p)-i) {
			return fmt.Errorf("pickle truncated at offset %d", i)
		}
		i += int(n)
	}
	return fmt.Errorf("pickle has no STOP opcode")
}
