#!/usr/bin/env python3
"""Records the stopword set yake 0.7.3 loads for each language argument.

Black-box use of the PyPI package (requirements.txt); writes stopwords.json.gz:
{"provenance": ..., "languages": {lan: sorted(KeywordExtractor(lan=lan).stopword_set)}}.
Run:  python gen_stopwords.py | gzip -9n > stopwords.json.gz
"""
import contextlib
import io
import json
import sys

import yake

langs = ("ar bg br cz da de el en es et fa fi fr hi hr hu hy id it ja lt lv nl no pl pt ro ru sk sl sv tr uk zh "
         "EN en-US Pt_br ko cs xx").split() + ["", "e", "noLang", "İx"]
out = {}
for lan in langs:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        out[lan] = sorted(yake.KeywordExtractor(lan=lan).stopword_set)
json.dump({"provenance": "yake==0.7.3 KeywordExtractor(lan=...).stopword_set, CPython %s, gen_stopwords.py"
           % sys.version.split()[0], "languages": out}, sys.stdout, ensure_ascii=False)
