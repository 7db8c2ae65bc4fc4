// Package torchzip reads float tensors from a PyTorch state dict saved by
// torch.save in the zip format (the pytorch_model.bin of Hugging Face
// models): data.pkl is a pickle of an OrderedDict of tensors rebuilt by
// torch._utils._rebuild_tensor_v2, whose storages are the records data/<key>.
//
// Only the pickle opcodes and globals of a state dict are honoured, by an
// unpickler of its own whose work is bounded ([Limits]); anything else, any
// tensor that does not fit its storage, and any storage record that is
// compressed or does not fit in the file, is an error. So the tensors of a
// file never claim more bytes than it has.
//
// github.com/nlpodyssey/gopickle, which this package used before, is not
// used: it builds whatever value a pickle describes, with no bound on its
// memo, stack or literals, so 16 KB of opcodes took 2.5 GB and a
// 1M-digit integer 3.5 s (SECURITY.md). A state dict needs a dozen opcodes.
package torchzip

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
	"github.com/jobmatch/jobmatch/sbert/internal/safetensors"
)

// ErrCorrupt reports a file that is not a valid state dict.
var ErrCorrupt = errors.New("corrupt pytorch file")

// ErrDType reports a tensor whose dtype cannot be converted to float32.
var ErrDType = safetensors.ErrDType

// ErrTooLarge reports a data.pkl beyond [Limits].
var ErrTooLarge = modelfile.ErrTooLarge

// Limits bounds the work of reading data.pkl, which holds only names and
// shapes; a zero field takes its default. The tensors themselves are
// bounded by the file: their storage records must lie in it, uncompressed.
type Limits struct {
	// PickleBytes bounds data.pkl once uncompressed.
	PickleBytes int64
	// PickleOps bounds the opcodes run, each of which allocates at most
	// about 128 bytes beyond its argument.
	PickleOps int
}

// Defaults of [Limits], ten times what bert-large needs (60 KB and 12,000
// opcodes for its 390 tensors) and more: 16 MiB at most for the opcodes.
const (
	DefaultPickleBytes = 16 << 20
	DefaultPickleOps   = 1 << 17
)

type storageType struct{ dtype string }

// Storage classes by the safetensors name of their dtype.
var storageTypes = map[string]string{
	"FloatStorage": "F32", "HalfStorage": "F16", "BFloat16Storage": "BF16", "DoubleStorage": "F64",
	"LongStorage": "I64", "IntStorage": "I32", "ShortStorage": "I16", "CharStorage": "I8",
	"ByteStorage": "U8", "BoolStorage": "BOOL",
}

var elemSizes = map[string]int64{"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}

type storage struct {
	dtype string
	off   int64 // of the record's bytes in the file
	numel int64
}

type tensor struct {
	st     *storage
	offset int64 // in elements
	numel  int64
	shape  []int
}

// File is an open state dict. Its methods are safe for concurrent use.
type File struct {
	r       io.ReaderAt
	closer  io.Closer
	tensors map[string]*tensor
}

// Open reads the pickle of the state dict in the regular file at path and
// checks every tensor against its storage record. The caller must Close
// the file.
func Open(name string, lim Limits) (*File, error) {
	r, size, err := modelfile.Open(name)
	if err != nil {
		return nil, err
	}
	f, err := NewFile(r, size, lim)
	if err != nil {
		r.Close()
		return nil, err
	}
	f.closer = r
	return f, nil
}

// Close closes the file opened by [Open]; it does nothing for a File made by
// [NewFile].
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// NewFile reads the state dict of the zip archive of size bytes in r.
func NewFile(r io.ReaderAt, size int64, lim Limits) (*File, error) {
	if lim.PickleBytes <= 0 {
		lim.PickleBytes = DefaultPickleBytes
	}
	if lim.PickleOps <= 0 {
		lim.PickleOps = DefaultPickleOps
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	var pkl *zip.File
	for _, r := range zr.File {
		if path.Base(r.Name) == "data.pkl" && strings.Count(r.Name, "/") == 1 {
			if pkl != nil {
				return nil, fmt.Errorf("%w: several data.pkl records", ErrCorrupt)
			}
			pkl = r
		}
	}
	if pkl == nil {
		return nil, fmt.Errorf("%w: no <archive>/data.pkl record (not a zip-format torch.save file)", ErrCorrupt)
	}
	if pkl.UncompressedSize64 > uint64(lim.PickleBytes) {
		return nil, fmt.Errorf("%w: data.pkl is %d bytes, more than %d", ErrTooLarge, pkl.UncompressedSize64, lim.PickleBytes)
	}
	archive := path.Dir(pkl.Name)
	records := make(map[string]*zip.File)
	for _, r := range zr.File {
		if key, ok := strings.CutPrefix(r.Name, archive+"/data/"); ok {
			if records[key] != nil {
				return nil, fmt.Errorf("%w: record data/%.64s appears twice", ErrCorrupt, key)
			}
			records[key] = r
		}
		if r.Name == archive+"/byteorder" {
			if err := checkByteOrder(r); err != nil {
				return nil, err
			}
		}
	}
	rc, err := pkl.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: data.pkl: %v", ErrCorrupt, err)
	}
	// The zip directory's size is a claim: read one byte more to see a lie.
	p, err := io.ReadAll(io.LimitReader(rc, lim.PickleBytes+1))
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("%w: data.pkl: %v", ErrCorrupt, err)
	}
	if int64(len(p)) > lim.PickleBytes {
		return nil, fmt.Errorf("%w: data.pkl is more than %d bytes", ErrTooLarge, lim.PickleBytes)
	}

	storages := make(map[string]*storage)
	u := &unpickler{
		p: p, memo: map[uint32]any{}, maxOps: lim.PickleOps,
		findClass:      findClass,
		persistentLoad: func(id any) (any, error) { return persistentLoad(id, records, storages, size) },
	}
	v, err := u.load()
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, fmt.Errorf("data.pkl: %w", err)
		}
		return nil, fmt.Errorf("%w: data.pkl: %v", ErrCorrupt, err)
	}
	d, ok := v.(*dict)
	if !ok {
		return nil, fmt.Errorf("%w: data.pkl holds a %s, not a state dict", ErrCorrupt, typeName(v))
	}
	f := &File{r: r, tensors: make(map[string]*tensor, len(d.keys))}
	for i, k := range d.keys {
		name, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("%w: state dict key %s is not a string", ErrCorrupt, short(k))
		}
		t, ok := d.values[i].(*tensor)
		if !ok {
			return nil, fmt.Errorf("%w: state dict entry %s is a %s, not a tensor", ErrCorrupt, short(name), typeName(d.values[i]))
		}
		f.tensors[name] = t
	}
	return f, nil
}

// checkByteOrder accepts the byteorder record of files written on
// little-endian machines, the only ones this package decodes.
func checkByteOrder(r *zip.File) error {
	rc, err := r.Open()
	if err != nil {
		return fmt.Errorf("%w: byteorder: %v", ErrCorrupt, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 16))
	if err != nil {
		return fmt.Errorf("%w: byteorder: %v", ErrCorrupt, err)
	}
	if string(b) != "little" {
		return fmt.Errorf("%w: byteorder %q (want \"little\")", ErrCorrupt, b)
	}
	return nil
}

func findClass(module, name string) (any, error) {
	switch {
	case module == "torch._utils" && name == "_rebuild_tensor_v2":
		return rebuildTensor{}, nil
	case module == "torch._utils" && name == "_rebuild_parameter":
		return rebuildParameter{}, nil
	case module == "collections" && name == "OrderedDict":
		return orderedDict{}, nil
	case module == "torch" && storageTypes[name] != "":
		return &storageType{storageTypes[name]}, nil
	}
	return nil, fmt.Errorf("unexpected pickle global %.64s.%.64s", module, name)
}

// persistentLoad resolves ('storage', class, key, location, numel) to the
// record data/<key>, which must hold numel elements uncompressed, as
// torch.save writes it, inside the file of size bytes: so the tensors of a
// file can never claim more bytes than it has.
func persistentLoad(id any, records map[string]*zip.File, storages map[string]*storage, size int64) (any, error) {
	t, ok := id.(tuple)
	if !ok || len(t) != 5 || t[0] != "storage" {
		return nil, fmt.Errorf("persistent id is a %s, not ('storage', ...)", typeName(id))
	}
	typ, ok1 := t[1].(*storageType)
	key, ok2 := t[2].(string)
	numel, ok3 := t[4].(int64)
	if !ok1 || !ok2 || !ok3 || numel < 0 {
		return nil, fmt.Errorf("persistent id ('storage', %s, %s, _, %s) unexpected", typeName(t[1]), typeName(t[2]), typeName(t[4]))
	}
	if s := storages[key]; s != nil {
		if s.dtype != typ.dtype || s.numel != numel {
			return nil, fmt.Errorf("storage %s declared twice differently", short(key))
		}
		return s, nil
	}
	rec := records[key]
	if rec == nil {
		return nil, fmt.Errorf("storage record data/%.64s not found", key)
	}
	elem := elemSizes[typ.dtype]
	if numel > size/elem || uint64(numel*elem) != rec.UncompressedSize64 {
		return nil, fmt.Errorf("storage data/%.64s: %d %s elements but the record declares %d bytes in a %d-byte file", key, numel, typ.dtype, rec.UncompressedSize64, size)
	}
	if rec.Method != zip.Store || rec.CompressedSize64 != rec.UncompressedSize64 {
		return nil, fmt.Errorf("storage data/%.64s is compressed (torch.save stores records as they are)", key)
	}
	off, err := rec.DataOffset()
	if err != nil {
		return nil, fmt.Errorf("storage data/%.64s: %v", key, err)
	}
	if off < 0 || off > size-numel*elem {
		return nil, fmt.Errorf("storage data/%.64s: %d bytes at offset %d past the end of a %d-byte file", key, numel*elem, off, size)
	}
	s := &storage{dtype: typ.dtype, off: off, numel: numel}
	storages[key] = s
	return s, nil
}

// orderedDict is collections.OrderedDict, called with no arguments.
type orderedDict struct{}

func (orderedDict) call(args tuple) (any, error) {
	if len(args) != 0 {
		return nil, fmt.Errorf("OrderedDict with %d arguments", len(args))
	}
	return newDict(), nil
}

type rebuildTensor struct{}

// call implements torch._utils._rebuild_tensor_v2(storage, storage_offset,
// size, stride, requires_grad, backward_hooks[, metadata]) for contiguous
// tensors.
func (rebuildTensor) call(args tuple) (any, error) {
	if len(args) != 6 && len(args) != 7 {
		return nil, fmt.Errorf("_rebuild_tensor_v2: %d arguments", len(args))
	}
	st, ok := args[0].(*storage)
	offset, ok2 := args[1].(int64)
	size, ok3 := args[2].(tuple)
	stride, ok4 := args[3].(tuple)
	if !ok || !ok2 || !ok3 || !ok4 || offset < 0 || len(size) != len(stride) || len(size) > 64 {
		return nil, fmt.Errorf("_rebuild_tensor_v2: unexpected arguments")
	}
	t := &tensor{st: st, offset: offset, shape: make([]int, len(size))}
	// Walk dimensions from the last: a contiguous tensor has stride 1, then
	// the running product of the sizes.
	numel := int64(1)
	for i := len(size) - 1; i >= 0; i-- {
		d, ok := size[i].(int64)
		s, ok2 := stride[i].(int64)
		if !ok || !ok2 || d < 0 || d > 1<<40 {
			return nil, fmt.Errorf("_rebuild_tensor_v2: bad size or stride")
		}
		if d > 1 && s != numel {
			return nil, fmt.Errorf("_rebuild_tensor_v2: non-contiguous tensor (stride %d at dim %d)", s, i)
		}
		t.shape[i] = int(d)
		if d != 0 && numel > (1<<40)/d {
			return nil, fmt.Errorf("_rebuild_tensor_v2: tensor too large")
		}
		numel *= d
	}
	if offset > st.numel || numel > st.numel-offset {
		return nil, fmt.Errorf("_rebuild_tensor_v2: %d elements at offset %d exceed a storage of %d", numel, offset, st.numel)
	}
	t.numel = numel
	return t, nil
}

type rebuildParameter struct{}

// call implements torch._utils._rebuild_parameter(data, requires_grad,
// backward_hooks), returning the data tensor.
func (rebuildParameter) call(args tuple) (any, error) {
	if len(args) != 3 {
		return nil, fmt.Errorf("_rebuild_parameter: %d arguments", len(args))
	}
	t, ok := args[0].(*tensor)
	if !ok {
		return nil, fmt.Errorf("_rebuild_parameter: data is a %s", typeName(args[0]))
	}
	return t, nil
}

// Info returns the dtype (with safetensors names: "F32", "F16", ...) and
// the shape of the named tensor.
func (f *File) Info(name string) (dtype string, shape []int, ok bool) {
	t := f.tensors[name]
	if t == nil {
		return "", nil, false
	}
	return t.st.dtype, t.shape, true
}

// Span returns the byte range of the named tensor in the file, [off,
// off+n), or n = -1 for a missing tensor.
func (f *File) Span(name string) (off, n int64) {
	t := f.tensors[name]
	if t == nil {
		return 0, -1
	}
	size := elemSizes[t.st.dtype]
	return t.st.off + t.offset*size, t.numel * size
}

// ReadFloat32 reads the named tensor into dst, converting F16 and BF16 to
// float32. dst must have exactly as many elements as the tensor.
func (f *File) ReadFloat32(name string, dst []float32) error {
	t := f.tensors[name]
	if t == nil {
		return fmt.Errorf("tensor %q not found", name)
	}
	if t.numel != int64(len(dst)) {
		return fmt.Errorf("tensor %q: %d elements, want %d", name, t.numel, len(dst))
	}
	off, _ := f.Span(name)
	if err := safetensors.ReadFloat32At(f.r, off, t.st.dtype, dst); err != nil {
		if errors.Is(err, ErrDType) {
			return fmt.Errorf("tensor %q: %w", name, err)
		}
		return fmt.Errorf("%w: tensor %q: %v", ErrCorrupt, name, err)
	}
	return nil
}
