#!/usr/bin/env python3
"""Records yake 0.7.3's TextHighlighter on adversarial and real inputs.

Black-box use of the PyPI package (requirements.txt). Adversarial cases: random token sequences
with punctuation and empty tokens, random keyword lists. Real cases: 40 texts of matcher/eval/testdata
(first 20 resumes and 20 job postings of the dev split, first 3000 characters) highlighted with their
own top-20 keywords for n = 1, 2, 3. Writes highlight.json.gz:
{"provenance", "cases": [[max_ngram_size, text, [keywords...], expected], ...]}.
Run:  python gen_highlight.py | gzip -9n > highlight.json.gz
"""
import csv
import gzip
import json
import os
import random
import sys

import yake
from yake.core.highlight import TextHighlighter

rng = random.Random(5)
vocab = ["a", "b", "c", "d", "e", "a.", "(b", "c)", "d,", "e?", "a.b", "x.,y", "\"c\"", "", "B", "A", "é!", "σ"]
cases = []
for _ in range(4000):
    text = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 9)))
    n = rng.randint(1, 4)
    kws = [" ".join(rng.choice("abcdeσ") for _ in range(rng.randint(1, n))) for _ in range(rng.randint(0, 5))]
    cases.append([n, text, kws, TextHighlighter(n).highlight(text, kws)])

csv.field_size_limit(1 << 30)
texts = []
# The evaluation data ship with the repository, gzipped.
EVAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "matcher", "eval", "testdata")


def open_eval(eval_dir, name):
    """Opens the evaluation CSV name in eval_dir, plain or gzipped (the repository ships it gzipped)."""
    path = os.path.join(eval_dir, name)
    if os.path.exists(path):
        return open(path, newline="", encoding="utf-8")
    return gzip.open(path + ".gz", "rt", newline="", encoding="utf-8")


for path, col in [("resumes_dev.csv", "Resume_str"), ("jobs_dev.csv", "Job Description")]:
    with open_eval(EVAL_DIR, path) as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i == 20:
                break
            texts.append(row[col][:3000])
for n in (1, 2, 3):
    ex = yake.KeywordExtractor(n=n, top=20)
    for text in texts:
        kws = [k for k, _ in ex.extract_keywords(text)]
        cases.append([n, text, kws, TextHighlighter(n).highlight(text, kws)])
json.dump({"provenance": "yake==0.7.3 yake.core.highlight.TextHighlighter, CPython %s, gen_highlight.py"
           % sys.version.split()[0], "cases": cases}, sys.stdout, ensure_ascii=False)
