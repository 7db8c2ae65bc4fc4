#!/usr/bin/env python3
"""Generate the large YAKE golden corpus: generated/corpus_v073.json.gz.

The real yake==0.7.3 from PyPI is used only as a black-box oracle (it is AGPL-3.0: nothing of its code
is copied or translated here). Every package is pinned in requirements.txt.

Documents (deterministic):
  * 120 resumes and 80 job postings from the evaluation data (matcher/eval/testdata) (every 4th row of each CSV, in file order),
  * every distinct input text of upstream/**/*.json (the study copy shared/yake/golden) (upstream test inputs),
  * module docstrings of the CPython 3.11 standard library (PSF licence) and the long descriptions of
    numpy, networkx, click and tabulate from their installed metadata (BSD-3-Clause / MIT),
  * texts written for this project (composed_texts.py): news-like and technical English, Portuguese,
    German, Greek, Arabic and Korean, texts full of URLs, numbers and odd punctuation; each paragraph
    alone and all paragraphs together.
Each document is run with every option set of OPTION_SETS (lan set to the document's language).

    ~/venvs/yake/bin/python gen_golden.py [--eval DIR] [--golden DIR]
"""
import argparse
import csv
import glob
import gzip
import importlib
import importlib.metadata
import json
import math
import os
import platform
import sys

import jellyfish
import networkx
import numpy
import regex
import yake
from yake.core.highlight import TextHighlighter

from composed_texts import COMPOSED

HERE = os.path.dirname(os.path.abspath(__file__))

CUSTOM_STOPWORDS = sorted({
    "the", "and", "of", "to", "in", "a", "an", "with", "for", "on", "at", "by", "is", "are", "was",
    "data", "experience", "team", "work", "years", "de", "e", "o", "die", "der", "und", "και", "το",
})

# Option sets; "lan" is added per document. Names are stable ids used in case ids.
OPTION_SETS = [
    ("default", {"n": 3, "top": 20}),
    ("n1_all", {"n": 1, "top": 0, "dedup_lim": 0.9}),
    ("n2_levs_ws2", {"n": 2, "top": 50, "dedup_func": "levs", "window_size": 2}),
    ("n3_jaro_07", {"n": 3, "top": 10, "dedup_func": "jaro", "dedup_lim": 0.7}),
    ("nodedup", {"n": 3, "top": 20, "dedup_lim": 1.0}),
    ("custom_stop", {"n": 2, "top": 20, "stopwords": CUSTOM_STOPWORDS}),
    ("n4_seqm_08", {"n": 4, "top": 30, "dedup_func": "seqm", "dedup_lim": 0.8}),
]

STDLIB_MODULES = [
    "argparse", "asyncio", "bisect", "calendar", "collections", "concurrent.futures", "configparser",
    "contextlib", "csv", "dataclasses", "decimal", "difflib", "email", "enum", "fractions", "functools",
    "gettext", "gzip", "heapq", "html.parser", "http.cookies", "imaplib", "inspect", "ipaddress", "json",
    "logging", "mailbox", "optparse", "pickle", "pickletools", "pydoc", "queue", "random", "sched",
    "selectors", "shlex", "smtplib", "socketserver", "statistics", "string", "subprocess", "tarfile",
    "tempfile", "textwrap", "threading", "timeit", "tokenize", "turtle", "typing", "unittest", "uuid",
    "xml.dom.minidom", "zipfile", "zipimport",
]
PACKAGE_DESCRIPTIONS = ["numpy", "networkx", "click", "tabulate"]


# The evaluation data ship with the repository (gzipped); --eval reads another folder of them.
EVAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "matcher", "eval", "testdata")


def open_eval(eval_dir, name):
    """Opens the evaluation CSV name in eval_dir, plain or gzipped (the repository ships it gzipped)."""
    path = os.path.join(eval_dir, name)
    if os.path.exists(path):
        return open(path, newline="", encoding="utf-8")
    return gzip.open(path + ".gz", "rt", newline="", encoding="utf-8")


def repr_score(x):
    # repr of a Python float is the shortest string that round-trips; Go's strconv.ParseFloat reads
    # it exactly, including "nan", "inf" and "-inf" (which JSON numbers cannot hold).
    return repr(float(x))


def eval_docs(eval_dir):
    csv.field_size_limit(1 << 30)
    docs = []
    for fname, col, count, kind in (("resumes_dev.csv", "Resume_str", 120, "resume"),
                                    ("jobs_dev.csv", "Job Description", 80, "job")):
        with open_eval(eval_dir, fname) as f:
            rows = list(csv.DictReader(f))
        for row in rows[::4][:count]:
            docs.append({"id": f"{kind}:{row['row']}", "kind": kind, "lan": "en",
                         "source": f"shared/eval/{fname} row {row['row']}", "text": row[col]})
    return docs


def golden_docs(root):
    docs, seen = [], set()
    for path in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        items = data.get("cases", [data]) if isinstance(data, dict) else []
        for item in items:
            texts = [item.get("text")] + list(item.get("inputs") or [])
            lan = (item.get("effective_params") or item.get("params") or {}).get("lan", "en")
            for t in texts:
                if isinstance(t, str) and t.strip() and t not in seen:
                    seen.add(t)
                    rel = os.path.relpath(path, root)
                    docs.append({"id": f"golden:{len(docs)}", "kind": "upstream", "lan": lan,
                                 "source": f"shared/yake/golden/{rel}", "text": t})
    return docs


def library_docs():
    docs = []
    for name in STDLIB_MODULES:
        mod = importlib.import_module(name)
        doc = mod.__doc__ or ""
        if len(doc) >= 300:
            docs.append({"id": f"stdlib:{name}", "kind": "technical", "lan": "en",
                         "source": f"CPython {platform.python_version()} {name}.__doc__ (PSF licence)",
                         "text": doc})
    for name in PACKAGE_DESCRIPTIONS:
        md = importlib.metadata.metadata(name)
        text = md.get_payload() or md.get("Description") or ""
        licence = md.get("License-Expression") or md.get("License") or "see package"
        docs.append({"id": f"pkgdesc:{name}", "kind": "technical", "lan": "en",
                     "source": f"{name}=={md['Version']} long description ({licence.splitlines()[0]})",
                     "text": text})
    return docs


def composed_docs():
    docs = []
    for key, (lan, kind, paras) in COMPOSED.items():
        for i, p in enumerate(paras):
            docs.append({"id": f"{key}:p{i}", "kind": kind, "lan": lan,
                         "source": "yake/testdata/composed_texts.py", "text": p})
        docs.append({"id": f"{key}:all", "kind": kind, "lan": lan,
                     "source": "yake/testdata/composed_texts.py", "text": "\n\n".join(paras)})
    return docs


def run_case(doc, params):
    kwargs = dict(params)
    if "stopwords" in kwargs:
        kwargs["stopwords"] = set(kwargs["stopwords"])
    kw = yake.KeywordExtractor(**kwargs)
    result = kw.extract_keywords(doc["text"])
    return result, [[str(k), repr_score(s)] for k, s in result]


def highlights(text, result, sizes):
    out = []
    for m in sizes:
        try:
            out.append({"max_ngram_size": m, "text": TextHighlighter(max_ngram_size=m).highlight(text, result)})
        except Exception as e:  # record, do not hide, oracle failures
            out.append({"max_ngram_size": m, "error": f"{type(e).__name__}: {e}"})
    return out


def libc():
    name, version = platform.libc_ver()
    return f"{name} {version}".strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default=EVAL_DIR, help="folder of resumes_dev.csv and jobs_dev.csv, plain or gzipped")
    ap.add_argument("--golden", default=os.path.join(HERE, "upstream"), help="the upstream goldens (shared/yake/golden)")
    ap.add_argument("--out", default=os.path.join(HERE, "generated", "corpus_v073.json.gz"))
    args = ap.parse_args()

    docs = eval_docs(args.eval) + golden_docs(args.golden) + library_docs() + composed_docs()
    cases = []
    for di, doc in enumerate(docs):
        for name, opts in OPTION_SETS:
            params = {"lan": doc["lan"], **opts}
            result, expected = run_case(doc, params)
            case = {"id": f"{doc['id']}/{name}", "doc": di, "params": params, "expected": expected}
            if di % 5 == 0 and name in ("default", "n1_all"):
                case["highlight"] = highlights(doc["text"], result, sorted({params["n"], 3, 1}))
            cases.append(case)
        print(f"{di + 1}/{len(docs)} {doc['id']}", file=sys.stderr, flush=True)

    data = {
        "provenance": {
            "generator": "yake/testdata/gen_golden.py",
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "libc": libc(),
            "yake": importlib.metadata.version("yake"),
            "segtok": importlib.metadata.version("segtok"),
            "regex": regex.__version__,
            "numpy": numpy.__version__,
            "networkx": networkx.__version__,
            "jellyfish": importlib.metadata.version("jellyfish"),
            "scores": "repr() of the Python float, parse with strconv.ParseFloat; may be nan/inf/negative",
        },
        "option_sets": [{"name": n, "params": o} for n, o in OPTION_SETS],
        "docs": docs,
        "cases": cases,
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "wb") as f:
        with gzip.GzipFile(filename="", fileobj=f, mode="wb", mtime=0, compresslevel=9) as g:
            g.write(raw)
    print(f"{args.out}: {len(docs)} docs, {len(cases)} cases, {os.path.getsize(args.out)} bytes",
          file=sys.stderr)


if __name__ == "__main__":
    main()
