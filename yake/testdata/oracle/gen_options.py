#!/usr/bin/env python3
"""Records yake 0.7.3's keywords for unusual option sets on real and edge-case texts.

Black-box use of the PyPI package (requirements.txt). Texts: 20 resumes and 20 job postings from
matcher/eval/testdata (Kaggle Resume Dataset, Glassdoor DS jobs; first rows of the dev split, first 4000
characters) and hand-written edge cases. Writes options.json.gz:
{"provenance", "options": [kwargs...], "texts": [...], "results": [[text index, option index, [[kw, repr(score)]...]]]}.
Run:  python gen_options.py | gzip -9n > options.json.gz
"""
import contextlib
import csv
import gzip
import io
import json
import os
import sys

import yake

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


for path, col, count in [("resumes_dev.csv", "Resume_str", 20),
                         ("jobs_dev.csv", "Job Description", 20)]:
    with open_eval(EVAL_DIR, path) as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i == count:
                break
            texts.append(row[col][:4000])
texts += [
    "Η ΟΔΟΣ ΤΗΣ ΑΘΗΝΑΣ. Ο ΔΡΟΜΟΣ ΤΗΣ ΠΟΛΗΣ ΕΙΝΑΙ ΜΑΚΡΥΣ ΚΑΙ ΟΜΟΡΦΟΣ. Η ΟΔΟΣ ΕΙΝΑΙ ΣΤΕΝΗ.",
    "İstanbul ve İzmir büyük şehirlerdir. İstanbul Boğazı çok güzel. İzmir körfezi de güzel.",
    "The x² term and H₂O molecules ③ appear; 1,000 samples in 12.5 s. The x² term matters.",
    "U.S. officials met in Washington D.C. on Jan. 5. The U.S. officials said no.",
    "Tabs\tand\ttabs\r\nand carriage returns\rhere. Tabs again\tand again.",
    "emoji 🚀 rockets 🚀 launch. Rockets launch daily 🚀.",
    "北京大学 is in 北京. 北京大学 students study hard.",
    "a", "...", " ", "'s 's 's", "The the the THE", "co-founder CEO met co-founder CTO.",
    "Kaggle’s founders and Google’s CEO met. Kaggle’s founders agreed.",
    "machine learning machine learning deep learning deep learning learning machines",
]
options = [
    {"lan": "en", "n": 1, "window_size": 2, "dedup_lim": 0.9, "dedup_func": "seqm", "top": 10},
    {"lan": "en", "n": 4, "window_size": 3, "dedup_lim": 0.5, "dedup_func": "levs", "top": 15},
    {"lan": "en", "n": 5, "window_size": 1, "dedup_lim": 0.7, "dedup_func": "jaro", "top": 0},
    {"lan": "en", "n": 3, "window_size": 1, "dedup_lim": 1.0, "dedup_func": "seqm", "top": 30},
    {"lan": "en", "n": 2, "window_size": 0, "dedup_lim": 0.0, "dedup_func": "seqm", "top": 10},
    {"lan": "en", "n": 3, "window_size": 1, "dedup_lim": 0.3, "dedup_func": "levs", "top": 10},
    {"lan": "en", "n": 3, "window_size": 1, "dedup_lim": 0.9, "dedup_func": "seqm", "top": 20,
     "stopwords": ["data", "experience", "The", "and", "of"]},
    {"lan": "xx", "n": 3, "window_size": 2, "dedup_lim": 0.8, "dedup_func": "jaro", "top": 20},
    {"lan": "pt", "n": 0, "window_size": 1, "dedup_lim": 0.9, "dedup_func": "seqm", "top": 20},
    {"lan": "el", "n": 3, "window_size": 1, "dedup_lim": 0.9, "dedup_func": "seqm", "top": 20},
    {"lan": "tr", "n": 2, "window_size": 1, "dedup_lim": 0.9, "dedup_func": "seqm", "top": 20},
]
results = []
for oi, opt in enumerate(options):
    kw = yake.KeywordExtractor(**opt)
    for ti, text in enumerate(texts):
        with contextlib.redirect_stdout(io.StringIO()):
            out = kw.extract_keywords(text)
        results.append([ti, oi, [[k, repr(float(s))] for k, s in out]])
json.dump({"provenance": "yake==0.7.3 extract_keywords, CPython %s, gen_options.py" % sys.version.split()[0],
           "options": options, "texts": texts, "results": results}, sys.stdout, ensure_ascii=False)
