#!/usr/bin/env python3
"""Records CPython 3.11's str methods on random strings for pyunicode's tests.

Run (stdlib only):  python3 gen_strings.py | gzip -9n > strings.json.gz
Each case: [s, s.lower(), s.isupper(), s.isdigit(), s.strip(), [per code point: isupper, islower, isdigit, isalpha, isspace]].
"""
import json
import random
import sys

assert sys.version_info[:2] == (3, 11)
rng = random.Random(14)
pool = list("AaZzΣσςΟΔ İIıŞ'.-·\u0345\u0307\u00ad\u02b0\u2160\u24b6\u24d0\u1e9e\u01c5²③٣\u00a0\u2028\u3000\t")
pool += ["\U0001d400", "\U0001e922", "\u10d0", "\u1c90", "\u0130", "\u212a", "\u2126", "\u00df", "\ufb00"]


def rand_char():
    if rng.random() < 0.6:
        return rng.choice(pool)
    while True:
        c = rng.randrange(0x110000)
        if not 0xD800 <= c <= 0xDFFF:
            return chr(c)


cases = []
for _ in range(4000):
    s = "".join(rand_char() for _ in range(rng.randint(1, 8)))
    cases.append([s, s.lower(), s.isupper(), s.isdigit(), s.strip(),
                  [[c.isupper(), c.islower(), c.isdigit(), c.isalpha(), c.isspace()] for c in s]])
json.dump({"provenance": "CPython %s, gen_strings.py" % sys.version.split()[0], "cases": cases},
          sys.stdout, ensure_ascii=False)
