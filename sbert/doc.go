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
// kernels, keeping 1.03 times the weights file in memory; [WithInt8] also
// runs calibration texts. With a pack file (see below) it maps that layout
// instead and reads none of it: the first forward pass reads and checks
// what it uses. Measured from process start to a loaded all-MiniLM-L6-v2 on
// this project's 2-core AMD EPYC (Zen 1 class, scripts/bench/loadtime.sh,
// medians, the machine otherwise idle, 2026-12-03): from a warm page cache
// 140 ms from model.safetensors and 10.7 ms from the pack file in float32,
// 358 and 10.5 ms in int8, the first EncodeBatch of 20 phrases then taking
// 33 and 35 ms; from a cold page cache (drop_caches 3) 166 and 21 ms, 396
// and 20 ms.
// A call uses the other cores when they are idle: matrix products of more
// than about 2 MFLOP (8 in int8) and the attention heads are shared with
// GOMAXPROCS-1 helper goroutines, and a call that finds them busy, because other calls are running, does its
// work alone, so concurrent calls never oversubscribe the CPUs. On one
// core of an AVX-512 CPU, 8 tokens take about 2.3 ms and 128 tokens about
// 30 ms, on two 1.3–1.9 and 15–19 ms; [WithInt8] is 2.5–4 and 2.3 times
// faster on one core of a CPU with VNNI. On the AVX2-only Zen 1 class CPU,
// a third of the multiply-add rate, 128 tokens take 94 ms on one core and
// 56 ms on two, and int8 runs at float32's speed. BenchmarkEncode reports
// cpu-ns/op beside ns/op, which a busy machine inflates, and the model's
// MFLOP/op and GFLOP/s ([Model.Work]); set its thread counts with -cpu.
// [Model.Work] counts the texts, tokens and floating-point operations of
// the forward passes: over a CPU's multiply-add rate (BenchmarkCeilingFMA
// and BenchmarkCeilingInt8 in sbert/internal/kernels), the least time any
// implementation of the model needs for the same texts. On the Zen 1 class
// CPU the exact int8 multiply-adds peak at float32's rate (38 GOP/s
// against 39 GFLOP/s on one core), which is why int8 is no faster there.
//
// # Pack files
//
// A pack file holds the weights of a model already prepared for one kind
// of machine: packed for the panel width of one float32 kernel, or, with
// [WithInt8], quantised and calibrated there. [WritePacked] (or go run
// ./sbert/cmd/pack) writes it beside the model as
// jobmatch-<goarch>-<kernel>[-int8].pack; lambda/package.sh and
// lambda/Dockerfile do so at packaging time. [Load] looks for the one of
// this process, maps it read-only (read into memory where there is no
// mmap) and uses its arrays in place: no parsing, no conversion, no copy,
// and the pages are shared by every process that maps the file. The
// mapping lives as long as the Model; it is unmapped once the Model is
// unreachable. The embeddings are bit for bit those of the weights file.
//
// Load uses a pack file only when it proves it was made for this process
// and this model, and otherwise reads the weights file, which stays the
// source of truth, as before; [Model.LoadedFrom] says which and why
// ([WithPacked] requires the pack file, [WithoutPacked] ignores it). The
// proof: format version, GOARCH and byte order, the kernel layout
// (kernel, panel width; for int8 also the vector code that calibration
// ran with), the SHA-256 of the JSON files Load reads (modules.json,
// config.json, the pooling config, sentence_bert_config.json), and the
// weights file's name, size and the SHA-256 of its first and last 64 KiB.
// Hashing the whole weights file would cost more than the rest of the load
// (about 90 ms for all-MiniLM-L6-v2), so a weights file edited in its
// middle, keeping its size and both ends, is not noticed; the pack file
// records the SHA-256 of all of it, for a person to check. The pack file's
// data is never used unchecked, but it is checked as it is first used,
// not at load: Load verifies the CRC-32 of the header, which holds a CRC-32
// of every 64 KiB of the data, and each forward pass verifies the chunks
// it is about to read for the first time (the embeddings and each layer
// as a whole, the word table row by row). So Load reads none of the
// weights, and a process starting from a cold page cache reads the pages
// it uses once, instead of all 90 MB at load and again as it runs. Load
// also starts verifying them in the background, in the order a forward
// pass reads them, so that the first request, arriving a little later,
// finds much of that done (a forward pass waits for a part being verified
// rather than verifying it twice); this takes about 5 ms off the first
// /match of the Lambda function (BENCHMARKS.md). A
// truncated file, or one whose header is damaged, is skipped (or refused
// with WithPacked); damage in the data fails the calls that would use it
// with an error wrapping ErrCorrupt that says to delete or rewrite the
// file, and [Model.VerifyPacked] checks all of it at once for those who
// would rather find out at start-up. The sizes in a pack file are checked
// against its length before any slice is made, and it may not exceed twice
// Limits.MaxWeightBytes.
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
