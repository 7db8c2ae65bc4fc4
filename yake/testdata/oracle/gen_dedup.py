#!/usr/bin/env python3
"""Records yake 0.7.3's similarity functions on many string pairs.

Black-box use of the PyPI package (requirements.txt); writes dedup.json.gz:
{"provenance": ..., "pairs": [[a, b, seqm, levs, jaro], ...]}.
Run:  python gen_dedup.py | gzip -9n > dedup.json.gz
"""
import json
import random
import sys

import yake

rng = random.Random(20261126)
words = ("data science machine learning deep model models google kaggle cloud next "
         "conference san francisco platform competition competitions learn learned learner "
         "a ab abc abcd abcde i e o u x y z é ü ß σ ς ΟΔΟΣ 北京 大学 ab-cd u.s. 12 2010 co-founder "
         "data-driven datum dat date dates science-fiction sciences scientist "
         "i\u0307zmir e\u0301te \U0001f1eb\U0001f1f7 \U0001f468\u200d\U0001f469\u200d\U0001f467 "
         "\u1100\u1161\u11a8 \u0915\u094d\u0937 \u0915\u094d\u200d\u0937 \u0e01\u0e33 \u00e9\u0301 \u0644\u0627").split()
alphabet = ["a", "b", "c", "d", "e", "é", " ", "ς", "\u0301", "\u0307", "\u200d", "\u094d", "\u0915", "\U0001f1eb", "\r\n"]


def phrase():
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))


def mutate(s):
    s = list(s)
    for _ in range(rng.randint(0, 3)):
        op = rng.random()
        i = rng.randint(0, len(s))
        if op < 0.4:
            s.insert(i, rng.choice(alphabet))
        elif s and op < 0.7:
            del s[min(i, len(s) - 1)]
        elif s:
            s[min(i, len(s) - 1)] = rng.choice(alphabet)
    return "".join(s) or "x"


pairs = set()
while len(pairs) < 8000:
    a = phrase()
    r = rng.random()
    if r < 0.5:
        b = mutate(a)
    elif r < 0.7:
        b = " ".join(reversed(a.split()))
    elif r < 0.85:
        b = a + " " + rng.choice(words)
    else:
        b = phrase()
    pairs.add((a, b))
for a in ["ab", "abc", "abcd", "abcde", "a", "aaaa", "ab ab", "a b", "ab c"]:
    for b in ["ab", "abc", "abcd", "abcde", "a", "aaaa", "ab ab", "a b", "ab c", "ba", "abdc"]:
        pairs.add((a, b))

kw = yake.KeywordExtractor()
out = []
for a, b in sorted(pairs):
    out.append([a, b, kw.seqm(a, b), kw.levs(a, b), kw.jaro(a, b)])
json.dump({"provenance": "yake==0.7.3 (jellyfish==1.3.0) KeywordExtractor().seqm/levs/jaro, "
           "CPython %s, gen_dedup.py" % sys.version.split()[0], "pairs": out},
          sys.stdout, ensure_ascii=False)
