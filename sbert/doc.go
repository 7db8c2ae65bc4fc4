// Package sbert turns text into sentence embeddings in pure Go: it loads a
// BERT-family sentence-transformers model directory, such as
// all-MiniLM-L6-v2, and computes the embeddings that sentence-transformers
// computes in float32, within 1e-5 of them (in practice a few 1e-7).
//
// # Faithful to
//
// The tokenizer is [github.com/jobmatch/jobmatch/sbert/wordpiece], which
// reproduces Hugging Face's BertTokenizerFast. The model reproduces
// transformers' BertModel and the sentence-transformers modules after it:
//
//   - embeddings: word + token type (0) + absolute position, then LayerNorm
//     with the layer_norm_eps of config.json;
//   - each encoder layer: multi-head scaled dot-product self-attention,
//     dense + residual + LayerNorm, then the feed-forward block with the
//     exact erf GELU, dense + residual + LayerNorm;
//   - Pooling (1_Pooling/config.json): the CLS token, the max, the mean or
//     the sum/√n of the tokens, concatenated in that order when several are
//     enabled, as sentence-transformers does;
//   - Normalize, when modules.json lists it (its folder may be absent):
//     x / max(‖x‖₂, 1e-12), as torch.nn.functional.normalize.
//
// Texts longer than max_seq_length (sentence_bert_config.json; 256 for
// all-MiniLM-L6-v2) are truncated to that many tokens, [CLS] and [SEP]
// included. The embedding of a text does not depend on the other texts of
// a batch, bit for bit: the texts of a batch are packed one after another
// without padding, every layer but attention works token by token, and
// attention runs over each text's own tokens. That is what Hugging Face's
// padded batches compute, since a masked key gets the score min float32 and
// so the weight 0, without the work spent on padding.
//
// The goldens in testdata/ were made by testdata/gen_golden.py with the
// versions pinned in testdata/requirements.txt.
//
// # Why not cybertron
//
// cybertron's BERT pipeline, the other pure-Go option, was measured at
// about 280 ms and 84 MB allocated per 128-token text on 2 cores, and it
// departs from the reference: its tokenizer turns accented and hyphenated
// words into [UNK], it uses the tanh GELU and LayerNorm eps 1e-5 whatever
// the config says, has no L2 normalisation and no batching, and it calls
// log.Fatal on errors. This package is exact, returns errors, batches, and
// allocates almost nothing per call once warm: scratch memory comes from
// pools and matrix products go through
// github.com/jobmatch/jobmatch/sbert/internal/kernels (packed weights,
// assembly micro-kernels, threads). [WithInt8] trades exactness for speed
// on CPUs with int8 dot products.
//
// # Speed
//
// Load reads the weights once, in pieces, straight into the layout of the
// kernels (about 70 ms for all-MiniLM-L6-v2, 150–200 ms with [WithInt8],
// which also runs calibration texts, and 1.03 times the weights file kept
// in memory). A call uses the other cores when they are idle: matrix
// products of more than about 2 MFLOP (8 in int8) and the attention heads
// are shared with GOMAXPROCS-1 helper goroutines, and a
// call that finds them busy, because other calls are running, does its
// work alone, so concurrent calls never oversubscribe the CPUs. On one
// core of an AVX-512 CPU, 8 tokens take about 2.3 ms and 128 tokens about
// 30 ms, on two 1.3–1.9 and 15–19 ms; [WithInt8] is 2.5–4 and 2.3 times
// faster on one core of a CPU with VNNI. BenchmarkEncode reports cpu-ns/op beside
// ns/op, which a busy machine inflates; set its thread counts with -cpu.
//
// # Which models
//
// Load takes a sentence-transformers directory whose config.json has
// model_type "bert", whose tokenizer is BERT's WordPiece (tokenizer.json or
// vocab.txt), and whose modules.json lists a Transformer, a Pooling of the
// modes above and optionally Normalize. Anything else (DistilBERT, MPNet,
// XLM-RoBERTa, a SentencePiece or BPE tokenizer, a Dense module, weighted-
// mean pooling) is refused with ErrUnsupported rather than computed wrongly.
//
// Tested here against sentence-transformers: all-MiniLM-L6-v2 (the goldens)
// and the tiny random models of testdata/, which exercise CLS and max
// pooling and both weight formats. Of the same architecture, and expected to
// load but not tested here (no model hub is reachable from this project's
// machines): all-MiniLM-L12-v2, paraphrase-MiniLM-L6-v2,
// multi-qa-MiniLM-L6-cos-v1, BAAI/bge-small-en-v1.5, thenlper/gte-small.
// Check a new model the way the goldens do: testdata/gen_golden.py
// computes sentence-transformers' embeddings of the same texts.
//
// All of these are English models. Most multilingual sentence-transformers
// models use XLM-R's SentencePiece tokenizer or DistilBERT
// (paraphrase-multilingual-MiniLM-L12-v2, distiluse-base-multilingual-cased)
// and are refused; a multilingual model must be a BERT with a WordPiece
// vocabulary (a bert-base-multilingual derivative, with up to
// Limits.MaxVocab tokens). To use one, give its directory to Load (or
// matcher.NewFromModelDir) and name its languages in the matcher's
// Config.ModelLanguages, so that results stop warning about them.
//
// # Untrusted models
//
// A model directory may come from anyone. [Load] reads only regular files,
// checks every size that a file declares against the bytes the file has
// and against [Limits] before it allocates, and reads pytorch_model.bin with
// a pickle reader of its own whose work is bounded: a hostile directory
// gets an error, never a crash, a hang or gigabytes of memory.
//
// # Getting the model
//
// ./scripts/fetch-model downloads all-MiniLM-L6-v2 (with checksums) and
// prints its directory; package [github.com/jobmatch/jobmatch/sbert/hub]
// does the same from Go. Tests that need it read JOBMATCH_MODEL_DIR:
//
//	export JOBMATCH_MODEL_DIR=$(./scripts/fetch-model)
//	CGO_ENABLED=0 go test ./sbert/...
package sbert
