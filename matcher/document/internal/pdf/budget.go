package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
)

// Errors that callers act on; the parser raises them with panic and
// Recover returns them.
var (
	// ErrDecompressed: the streams read decompress to more than the budget.
	ErrDecompressed = errors.New("decompressed streams exceed the limit")
	// ErrObjects: more object look-ups than the budget allows.
	ErrObjects = errors.New("object look-ups exceed the limit")
	// ErrChars: a page draws more glyphs than the caller allows.
	ErrChars = errors.New("too many glyphs")
	// ErrEncrypted: the file is encrypted with a password it does not hold,
	// or with a method this package does not implement.
	ErrEncrypted = errors.New("the PDF is encrypted")
)

// maxResolveDepth bounds chains of references resolved inside one another.
const maxResolveDepth = 64

// A Budget bounds the work of one extraction. It is not safe for concurrent
// use; each extraction has its own.
type Budget struct {
	Ctx          context.Context
	Decompressed int64 // bytes that streams may still produce
	Objects      int64 // object look-ups left
}

// object charges one object look-up.
func (b *Budget) object() {
	if b == nil {
		return
	}
	if b.Objects--; b.Objects < 0 {
		panic(ErrObjects)
	}
	if b.Objects%1024 == 0 {
		b.checkCtx()
	}
}

func (b *Budget) checkCtx() {
	if b.Ctx != nil {
		if err := b.Ctx.Err(); err != nil {
			panic(err)
		}
	}
}

// reader charges the bytes read from r against the budget.
func (b *Budget) reader(r io.Reader) io.Reader {
	if b == nil {
		return r
	}
	return &budgetReader{r: r, b: b}
}

type budgetReader struct {
	r io.Reader
	b *Budget
}

func (r *budgetReader) Read(p []byte) (int, error) {
	r.b.checkCtx()
	if r.b.Decompressed <= 0 {
		panic(ErrDecompressed)
	}
	if int64(len(p)) > r.b.Decompressed+1 {
		p = p[:r.b.Decompressed+1]
	}
	n, err := r.r.Read(p)
	r.b.Decompressed -= int64(n)
	if r.b.Decompressed < 0 {
		panic(ErrDecompressed)
	}
	return n, err
}

// maxObjects is the largest object number a file of this size can hold:
// an object takes at least 2 bytes even inside an object stream.
func (r *Reader) maxObjects() int64 { return max(r.end/2, 16) }

// Recover turns a panic raised while reading into *err. Runtime errors
// (index out of range, nil dereference) in this package are malformed input
// too, since the parser trusts the file's structure; they become errors that
// say so rather than crashing the caller.
func Recover(err *error) {
	x := recover()
	if x == nil {
		return
	}
	switch x := x.(type) {
	case error:
		if errors.Is(x, ErrDecompressed) || errors.Is(x, ErrObjects) || errors.Is(x, ErrChars) || errors.Is(x, context.Canceled) || errors.Is(x, context.DeadlineExceeded) {
			*err = x
			return
		}
		*err = fmt.Errorf("%w: %v", errMalformed, x)
	default:
		*err = fmt.Errorf("%w: %v", errMalformed, x)
	}
}

// errMalformed wraps every structural error; callers test it with IsMalformed.
var errMalformed = errors.New("malformed PDF")

// IsMalformed reports whether err says the file is not a well-formed PDF.
func IsMalformed(err error) bool { return errors.Is(err, errMalformed) }

// fatal reports the panics that must stop the whole read rather than skip
// one malformed token: exhausted budgets, a done context, runtime errors.
func fatal(r any) bool {
	if _, ok := r.(runtime.Error); ok {
		return true
	}
	err, ok := r.(error)
	return ok && (errors.Is(err, ErrDecompressed) || errors.Is(err, ErrObjects) || errors.Is(err, ErrChars) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}
