// Package torchzip reads float tensors from a PyTorch state dict saved by
// torch.save in the zip format (the pytorch_model.bin of Hugging Face
// models): data.pkl is a pickle of an OrderedDict of tensors rebuilt by
// torch._utils._rebuild_tensor_v2, whose storages are the records data/<key>.
//
// Only the pickle globals of a state dict are honoured; anything else, and
// any tensor that does not fit its storage, is an error.
package torchzip

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path"
	"strings"

	"github.com/jobmatch/jobmatch/sbert/internal/safetensors"
	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"
)

// ErrCorrupt reports a file that is not a valid state dict.
var ErrCorrupt = errors.New("corrupt pytorch file")

// ErrDType reports a tensor whose dtype cannot be converted to float32.
var ErrDType = safetensors.ErrDType

// maxPickle bounds data.pkl, which holds only names and shapes.
const maxPickle = 64 << 20

type storageType struct{ dtype string }

// Storage classes by the safetensors name of their dtype.
var storageTypes = map[string]string{
	"FloatStorage": "F32", "HalfStorage": "F16", "BFloat16Storage": "BF16", "DoubleStorage": "F64",
	"LongStorage": "I64", "IntStorage": "I32", "ShortStorage": "I16", "CharStorage": "I8",
	"ByteStorage": "U8", "BoolStorage": "BOOL",
}

var elemSizes = map[string]int{"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}

type storage struct {
	dtype string
	rec   *zip.File
	numel int64
}

type tensor struct {
	st     *storage
	offset int64 // in elements
	shape  []int
}

// File is an open state dict. Its methods are safe for concurrent use.
type File struct {
	closer  io.Closer
	tensors map[string]*tensor
}

// Open reads the pickle of the state dict at path and checks every tensor
// against its storage record. The caller must Close the file.
func Open(name string) (*File, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	f, err := NewFile(&zr.Reader)
	if err != nil {
		zr.Close()
		return nil, err
	}
	f.closer = zr
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

// NewFile reads the state dict of the zip archive zr.
func NewFile(zr *zip.Reader) (f *File, err error) {
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
	if pkl.UncompressedSize64 > maxPickle {
		return nil, fmt.Errorf("%w: data.pkl is %d bytes", ErrCorrupt, pkl.UncompressedSize64)
	}
	archive := path.Dir(pkl.Name)
	records := make(map[string]*zip.File)
	for _, r := range zr.File {
		if key, ok := strings.CutPrefix(r.Name, archive+"/data/"); ok {
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
	p, err := io.ReadAll(io.LimitReader(rc, maxPickle+1))
	rc.Close()
	if err == nil && len(p) > maxPickle {
		err = fmt.Errorf("more than %d bytes", maxPickle)
	}
	if err == nil {
		err = scanPickle(p)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: data.pkl: %v", ErrCorrupt, err)
	}

	storages := make(map[string]*storage)
	u := pickle.NewUnpickler(bytes.NewReader(p))
	u.FindClass = findClass
	u.PersistentLoad = func(id any) (any, error) { return persistentLoad(id, records, storages) }
	defer func() {
		// The unpickler is not hardened against every malformed input.
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w: data.pkl: %v", ErrCorrupt, r)
		}
	}()
	v, err := u.Load()
	if err != nil {
		return nil, fmt.Errorf("%w: data.pkl: %v", ErrCorrupt, err)
	}
	var entries []types.DictEntry
	switch d := v.(type) {
	case *types.Dict: // torch.save of a dict
		entries = *d
	case *types.OrderedDict: // torch.save of a module's state_dict()
		for e := d.List.Front(); e != nil; e = e.Next() {
			oe := e.Value.(*types.OrderedDictEntry)
			entries = append(entries, types.DictEntry{Key: oe.Key, Value: oe.Value})
		}
	default:
		return nil, fmt.Errorf("%w: data.pkl holds %T, not a state dict", ErrCorrupt, v)
	}
	f = &File{tensors: make(map[string]*tensor, len(entries))}
	for _, e := range entries {
		name, ok := e.Key.(string)
		if !ok {
			return nil, fmt.Errorf("%w: state dict key %v is not a string", ErrCorrupt, e.Key)
		}
		t, ok := e.Value.(*tensor)
		if !ok {
			return nil, fmt.Errorf("%w: state dict entry %q is %T, not a tensor", ErrCorrupt, name, e.Value)
		}
		if f.tensors[name] != nil {
			return nil, fmt.Errorf("%w: state dict key %q appears twice", ErrCorrupt, name)
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
	case module == "torch" && storageTypes[name] != "":
		return &storageType{storageTypes[name]}, nil
	}
	return nil, fmt.Errorf("unexpected pickle global %s.%s", module, name)
}

func toInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case *big.Int:
		if v.IsInt64() {
			return v.Int64(), true
		}
	}
	return 0, false
}

func persistentLoad(id any, records map[string]*zip.File, storages map[string]*storage) (any, error) {
	t, ok := id.(*types.Tuple)
	if !ok || t.Len() != 5 || t.Get(0) != "storage" {
		return nil, fmt.Errorf("unexpected persistent id %v", id)
	}
	typ, ok1 := t.Get(1).(*storageType)
	key, ok2 := t.Get(2).(string)
	numel, ok3 := toInt(t.Get(4))
	if !ok1 || !ok2 || !ok3 || numel < 0 {
		return nil, fmt.Errorf("unexpected persistent id %v", id)
	}
	if s := storages[key]; s != nil {
		if s.dtype != typ.dtype || s.numel != numel {
			return nil, fmt.Errorf("storage %q declared twice differently", key)
		}
		return s, nil
	}
	rec := records[key]
	if rec == nil {
		return nil, fmt.Errorf("storage record data/%s not found", key)
	}
	size := int64(elemSizes[typ.dtype])
	if numel > (1<<62)/size || uint64(numel*size) != rec.UncompressedSize64 {
		return nil, fmt.Errorf("storage data/%s: %d %s elements but the record has %d bytes", key, numel, typ.dtype, rec.UncompressedSize64)
	}
	s := &storage{dtype: typ.dtype, rec: rec, numel: numel}
	storages[key] = s
	return s, nil
}

type rebuildTensor struct{}

// Call implements torch._utils._rebuild_tensor_v2(storage, storage_offset,
// size, stride, requires_grad, backward_hooks[, metadata]) for contiguous
// tensors.
func (rebuildTensor) Call(args ...any) (any, error) {
	if len(args) != 6 && len(args) != 7 {
		return nil, fmt.Errorf("_rebuild_tensor_v2: %d arguments", len(args))
	}
	st, ok := args[0].(*storage)
	offset, ok2 := toInt(args[1])
	size, ok3 := args[2].(*types.Tuple)
	stride, ok4 := args[3].(*types.Tuple)
	if !ok || !ok2 || !ok3 || !ok4 || offset < 0 || size.Len() != stride.Len() {
		return nil, fmt.Errorf("_rebuild_tensor_v2: unexpected arguments")
	}
	t := &tensor{st: st, offset: offset, shape: make([]int, size.Len())}
	// Walk dimensions from the last: a contiguous tensor has stride 1, then
	// the running product of the sizes.
	numel := int64(1)
	for i := size.Len() - 1; i >= 0; i-- {
		d, ok := toInt(size.Get(i))
		s, ok2 := toInt(stride.Get(i))
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
	return t, nil
}

type rebuildParameter struct{}

// Call implements torch._utils._rebuild_parameter(data, requires_grad,
// backward_hooks), returning the data tensor.
func (rebuildParameter) Call(args ...any) (any, error) {
	if len(args) != 3 {
		return nil, fmt.Errorf("_rebuild_parameter: %d arguments", len(args))
	}
	t, ok := args[0].(*tensor)
	if !ok {
		return nil, fmt.Errorf("_rebuild_parameter: data is %T", args[0])
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

// ReadFloat32 reads the named tensor into dst, converting F16 and BF16 to
// float32. dst must have exactly as many elements as the tensor.
func (f *File) ReadFloat32(name string, dst []float32) error {
	t := f.tensors[name]
	if t == nil {
		return fmt.Errorf("tensor %q not found", name)
	}
	n := 1
	for _, d := range t.shape {
		n *= d
	}
	if n != len(dst) {
		return fmt.Errorf("tensor %q: %d elements, want %d", name, n, len(dst))
	}
	size := safetensors.ElemSize(t.st.dtype)
	if size == 0 {
		return fmt.Errorf("tensor %q: %w %s (want F32, F16 or BF16)", name, ErrDType, t.st.dtype)
	}
	rc, err := t.st.rec.Open()
	if err != nil {
		return fmt.Errorf("%w: tensor %q: %v", ErrCorrupt, name, err)
	}
	defer rc.Close()
	if _, err := io.CopyN(io.Discard, rc, t.offset*int64(size)); err != nil {
		return fmt.Errorf("%w: tensor %q: %v", ErrCorrupt, name, err)
	}
	buf := make([]byte, min(1<<20, len(dst)*size))
	for done := 0; done < len(dst); {
		k := min(len(buf)/size, len(dst)-done)
		b := buf[:k*size]
		if _, err := io.ReadFull(rc, b); err != nil {
			return fmt.Errorf("%w: tensor %q: %v", ErrCorrupt, name, err)
		}
		safetensors.DecodeFloat32(t.st.dtype, b, dst[done:done+k])
		done += k
	}
	return nil
}
