package sbert

import (
	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
	"github.com/jobmatch/jobmatch/sbert/internal/torchzip"
	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

// ErrTooLarge is wrapped by the errors of [Load] for a file, or a size
// declared in one, beyond [Limits]: raise the limit if the model is one
// you trust.
var ErrTooLarge = modelfile.ErrTooLarge

// Limits bounds what [Load] reads from a model directory, which may come
// from anyone. Every size a file declares (shapes, counts, lengths) is
// checked against the bytes the file really has and against these limits
// before memory is allocated for it, so Load allocates about the size of
// the files it reads (twice it for half-precision weights, which it
// converts to float32) plus small constants, and its time is linear in
// them. Only regular files are read (or symbolic links to them): a FIFO or
// a device is an error wrapping [ErrCorrupt], never a blocked read.
//
// The limits of the tokenizer also bound the model's own files:
// MaxConfigBytes each of modules.json, config.json and the Pooling config,
// MaxVocab the vocab_size of config.json. A zero field takes its value in
// [DefaultLimits]; exceeding a limit is an error wrapping [ErrTooLarge].
type Limits struct {
	wordpiece.Limits
	// MaxWeightBytes bounds the memory of the parameters once loaded, 4
	// bytes each.
	MaxWeightBytes int64
	// MaxPickleBytes bounds data.pkl of a pytorch_model.bin, uncompressed.
	MaxPickleBytes int64
	// MaxPickleOps bounds the pickle opcodes of data.pkl, which cost up to
	// about 128 bytes each.
	MaxPickleOps int
}

// DefaultLimits are the limits that [Load] applies where [WithLimits] sets
// none: [wordpiece.DefaultLimits], and room for bert-large (1.3 GB of
// float32 weights) with a vocabulary of a million tokens.
var DefaultLimits = Limits{
	Limits:         wordpiece.DefaultLimits,
	MaxWeightBytes: 4 << 30,
	MaxPickleBytes: torchzip.DefaultPickleBytes,
	MaxPickleOps:   torchzip.DefaultPickleOps,
}

// WithLimits sets the limits of [Load]; its zero fields keep their
// defaults.
func WithLimits(l Limits) Option {
	return func(o *options) { o.limits = l }
}

// withDefaults returns l with its zero fields set from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	l.Limits = l.Limits.WithDefaults()
	modelfile.Default(&l.MaxWeightBytes, d.MaxWeightBytes)
	modelfile.Default(&l.MaxPickleBytes, d.MaxPickleBytes)
	modelfile.Default(&l.MaxPickleOps, d.MaxPickleOps)
	return l
}
