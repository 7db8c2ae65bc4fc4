// Package torchziptest writes state dicts in the zip format of torch.save
// (pickle protocol 2, uncompressed records), for tests: valid ones, and
// ones whose declared sizes lie.
package torchziptest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// Tensor is one entry of a state dict: a view of Shape (contiguous unless
// Stride is set) at element Offset of storage record data/<Storage>, which
// declares Numel elements of the storage class Class ("FloatStorage" when
// empty).
type Tensor struct {
	Name    string
	Storage string
	Class   string
	Numel   int64
	Offset  int64
	Shape   []int64
	Stride  []int64
}

// Pickle returns the data.pkl of a dict of tensors, with the opcodes
// torch.save writes: like Python's pickler, it memoizes each string and
// global (BINPUT, LONG_BINPUT past 255 entries) and writes a repeated one
// as a reference to the memo (BINGET, LONG_BINGET).
func Pickle(ts []Tensor) []byte {
	w := &writer{memo: map[string]uint32{}}
	w.WriteString("\x80\x02}")
	w.put()
	w.WriteString("(")
	for _, t := range ts {
		w.str(t.Name)
		w.global("torch._utils", "_rebuild_tensor_v2")
		w.WriteString("((")
		w.str("storage")
		class := t.Class
		if class == "" {
			class = "FloatStorage"
		}
		w.global("torch", class)
		w.str(t.Storage)
		w.str("cpu")
		Int(&w.Buffer, t.Numel)
		w.WriteString("tQ")
		Int(&w.Buffer, t.Offset)
		stride := t.Stride
		if stride == nil {
			stride = make([]int64, len(t.Shape))
			n := int64(1)
			for i := len(t.Shape) - 1; i >= 0; i-- {
				stride[i] = n
				n *= t.Shape[i]
			}
		}
		for _, dims := range [][]int64{t.Shape, stride} {
			w.WriteByte('(')
			for _, d := range dims {
				Int(&w.Buffer, d)
			}
			w.WriteByte('t')
		}
		w.WriteByte(0x89)
		w.global("collections", "OrderedDict")
		w.WriteString(")RtR")
	}
	w.WriteString("u.")
	return w.Bytes()
}

// writer writes a pickle with a memo of strings and globals.
type writer struct {
	bytes.Buffer
	memo map[string]uint32
	n    uint32
}

// put memoizes the value on top of the stack.
func (w *writer) put() {
	if w.n < 256 {
		w.WriteByte('q')
		w.WriteByte(byte(w.n))
	} else {
		w.WriteByte('r')
		binary.Write(w, binary.LittleEndian, w.n)
	}
	w.n++
}

// ref writes a reference to the memoized value key and reports whether
// there was one.
func (w *writer) ref(key string) bool {
	i, ok := w.memo[key]
	switch {
	case !ok:
		return false
	case i < 256:
		w.WriteByte('h')
		w.WriteByte(byte(i))
	default:
		w.WriteByte('j')
		binary.Write(w, binary.LittleEndian, i)
	}
	return true
}

func (w *writer) str(s string) {
	if w.ref("s" + s) {
		return
	}
	w.WriteByte('X')
	binary.Write(w, binary.LittleEndian, uint32(len(s)))
	w.WriteString(s)
	w.memo["s"+s] = w.n
	w.put()
}

func (w *writer) global(module, name string) {
	if w.ref("g" + module + "." + name) {
		return
	}
	w.WriteString("c" + module + "\n" + name + "\n")
	w.memo["g"+module+"."+name] = w.n
	w.put()
}

// Int writes the pickle opcode that pushes v, as Python's pickler chooses
// it: BININT1, BININT2, BININT or LONG1.
func Int(b *bytes.Buffer, v int64) {
	switch {
	case v >= 0 && v < 1<<8:
		b.WriteByte('K')
		b.WriteByte(byte(v))
	case v >= 0 && v < 1<<16:
		b.WriteByte('M')
		binary.Write(b, binary.LittleEndian, uint16(v))
	case v >= -1<<31 && v < 1<<31:
		b.WriteByte('J')
		binary.Write(b, binary.LittleEndian, int32(v))
	default:
		b.WriteString("\x8a\x08")
		binary.Write(b, binary.LittleEndian, v)
	}
}

// Record is one record of an archive. Size, when not zero, is the
// uncompressed size that the zip directory declares instead of len(Data).
type Record struct {
	Name string
	Data []byte
	Size uint64
}

// Zip returns an archive of the records, stored uncompressed under
// archive/, as torch.save writes them.
func Zip(archive string, recs []Record) []byte {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, r := range recs {
		size := r.Size
		if size == 0 {
			size = uint64(len(r.Data))
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: archive + "/" + r.Name, Method: zip.Store,
			CRC32: crc32.ChecksumIEEE(r.Data), CompressedSize64: size, UncompressedSize64: size,
		})
		if err != nil {
			panic(err) // only for names zip cannot hold
		}
		w.Write(r.Data)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return out.Bytes()
}

// File returns a pytorch_model.bin holding the tensors and the storage
// records data (by key).
func File(ts []Tensor, data map[string][]byte) []byte {
	recs := []Record{{Name: "data.pkl", Data: Pickle(ts)}, {Name: "byteorder", Data: []byte("little")}}
	seen := map[string]bool{}
	for _, t := range ts {
		if !seen[t.Storage] {
			seen[t.Storage] = true
			recs = append(recs, Record{Name: "data/" + t.Storage, Data: data[t.Storage]})
		}
	}
	return Zip("archive", recs)
}
