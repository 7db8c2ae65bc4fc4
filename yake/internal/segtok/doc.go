// Package segtok is a Go port of the parts of segtok 1.5.11 (Florian
// Leitner, MIT licence) that YAKE uses: the sentence splitter split_multi,
// the web_tokenizer and split_contractions.
//
// The port is exact, quirks included, against segtok running on the
// pinned `regex` module: testdata/gen_golden.py records segtok's output for
// real resumes and job ads, the YAKE goldens and thousands of adversarial
// strings, and the tests compare with it. segtok's character classes
// (\p{Ll}, \w, \s, ...) come from that regex module and Python's
// str.isspace through generated tables (gen_tables.py), not from Go's
// unicode package, whose Unicode version differs. HTML entities are
// unescaped like Python's html.unescape with its HTML5 entity table.
//
// segtok matches with backtracking regular expressions; here each pattern
// is a hand-written scanner that finds the same match in one pass, so all
// three functions run in time linear in their input.
//
// Input that is not valid UTF-8 is accepted: each invalid byte is treated
// as U+FFFD (no letter, digit or space) and copied through unchanged.
package segtok
