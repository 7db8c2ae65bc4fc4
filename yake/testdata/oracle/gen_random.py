#!/usr/bin/env python3
"""Records yake 0.7.3's keywords on random texts made of awkward tokens.

Black-box use of the PyPI package (requirements.txt). Writes random.json.gz:
{"provenance", "cases": [[params, text, [[kw, repr(score)]...]], ...]}.
Run:  python gen_random.py | gzip -9n > random.json.gz
"""
import contextlib
import io
import json
import random
import sys

import yake

rng = random.Random(20261126)
vocab = ("Google Kaggle data science DATA Data machine learning learnings the of and is a an in to "
         "CEO U.S. co-founder 2010 3,000 12.5 1e5 x² H₂O ③ ٣ İstanbul ΟΔΟΣ ΤΗΣ της Straße ǅemal "
         "Kaggle's Kaggle’s can't won't O'Hara it's (data) [ml] {x} \"quoted\" «fr» — … - -- . , ; : ! ? "
         "... ?! 'tis ' \" & AT&T e-mail E-MAIL https://x.com/a?b=1 john@example.org 12:30pm "
         "北京 大学 مرحبا שלום 안녕 नमस्ते ไทย 🚀 \u00a0 \t \r\n \n\n café naïve façade ℌ Ⅻ ⅻ ᾼ ﬁ "
         "Dr. Prof. Jan. i.e. e.g. etc. Mr. Smith").split(" ")
vocab += ["\u00a0", "\t", "\n", "\n\n", "  "]
params_pool = [
    {"lan": "en", "n": 3, "top": 20},
    {"lan": "en", "n": 2, "top": 10, "dedup_func": "levs", "dedup_lim": 0.7, "window_size": 2},
    {"lan": "en", "n": 4, "top": 0, "dedup_func": "jaro", "dedup_lim": 0.8},
    {"lan": "en", "n": 3, "top": 15, "dedup_lim": 1.0},
    {"lan": "el", "n": 1, "top": 10},
    {"lan": "de", "n": 3, "top": 10, "window_size": 3},
]
cases = []
for _ in range(600):
    words = [rng.choice(vocab) for _ in range(rng.randint(1, 60))]
    text = "".join(w + rng.choice([" ", " ", " ", "", ". ", ", ", "\n"]) for w in words)
    params = rng.choice(params_pool)
    with contextlib.redirect_stdout(io.StringIO()):
        out = yake.KeywordExtractor(**params).extract_keywords(text)
    cases.append([params, text, [[k, repr(float(s))] for k, s in out]])
json.dump({"provenance": "yake==0.7.3 extract_keywords, CPython %s, gen_random.py" % sys.version.split()[0],
           "cases": cases}, sys.stdout, ensure_ascii=False)
