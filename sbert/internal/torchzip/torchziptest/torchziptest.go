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
// torch.save writes (without memo entries).
func Pickle(ts []Tensor) []byte {
	var b bytes.Buffer
	b.WriteString("\x80\x02}(")
	for _, t := range ts {
		str(&b, t.Name)
		b.WriteString("ctorch._utils\n_rebuild_tensor_v2\n((")
		str(&b, "storage")
		class := t.Class
		if class == "" {
			class = "FloatStorage"
		}
		b.WriteString("ctorch\n" + class + "\n")
		str(&b, t.Storage)
		str(&b, "cpu")
		Int(&b, t.Numel)
		b.WriteString("tQ")
		Int(&b, t.Offset)
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
			b.WriteByte('(')
			for _, d := range dims {
				Int(&b, d)
			}
			b.WriteByte('t')
		}
		b.WriteString("\x89ccollections\nOrderedDict\n)RtR")
	}
	b.WriteString("u.")
	return b.Bytes()
}

func str(b *bytes.Buffer, s string) {
	b.WriteByte('X')
	binary.Write(b, binary.LittleEndian, uint32(len(s)))
	b.WriteString(s)
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
