// Package yake extracts keywords from a single document with YAKE
// (Campos et al., "YAKE! Keyword extraction from single documents using
// multiple local features", Information Sciences 509, 2020), giving the
// same keywords, in the same order and with bit-identical scores, as the
// Python package yake 0.7.3 with the same options.
//
// The Python package is licensed under the AGPL-3.0. This package is an
// independent implementation written from the paper and from a behaviour
// specification; the Python package was only run as a black box to
// produce test vectors, its source was neither read nor translated. The
// stopword lists in stopwords/ are yake's data files, copied byte for byte
// (see NOTICE).
//
// Exactness rests on a few details the tests pin down: sentence splitting
// and tokenisation by a port of segtok 1.5.11 (internal/segtok); Python's
// str semantics for lower-casing and character classes (internal/pyunicode);
// numpy's pairwise summation and a correctly rounded logarithm
// (internal/pymath); products kept out of fused multiply-adds; and a stable
// sort. Where yake 0.7.3 raises an exception that it then swallows (a
// division by zero for some n-grams of four or more words with inner
// stopwords), Extract returns no keywords, as yake does.
//
// Input is UTF-8; invalid bytes are each read as U+FFFD, as a Go range
// loop does (Python never sees invalid UTF-8 in a str).
//
// Where the Go API deliberately differs from yake: Top = 0 returns every
// keyword even with deduplication disabled (yake returns none), and an
// unknown DedupFunc is an error (yake silently uses "levs"). Highlight
// reproduces yake's TextHighlighter, whose rules for overlapping keywords
// were inferred from its behaviour (see Highlighter.Highlight).
//
// The tests compare with the upstream test suites of yake 0.6.0 and 0.7.3,
// with thousands of outputs recorded from yake 0.7.3 (testdata/), and with
// CPython and numpy for the kernels; scores must be bit-identical.
package yake
