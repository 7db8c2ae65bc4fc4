#!/usr/bin/env python3
"""Time yake==0.7.3 (requirements.txt) on the benchmark documents and print ms/doc as JSON.

The documents are the files in bench/ (committed, so the Go benchmark reads exactly the same bytes);
`--write` rebuilds them deterministically from shared/eval:
  * ad_300w.txt: the first job posting (jobs_dev.csv order) with at least 300 words, cut right after
    its 300th whitespace-separated word;
  * resumes_<N>k.txt for N in 5, 10, 25, 50, 100: resumes in resumes_dev.csv order joined by "\\n\\n"
    until at least N*1024 bytes (UTF-8), then cut at the last whitespace at or before N*1024 bytes.

    ~/venvs/yake/bin/python bench_yake.py [--write] [--min-time 2]
"""
import argparse
import csv
import gzip
import json
import os
import platform
import re
import statistics
import sys
import time
import importlib.metadata

import yake

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "bench")
SIZES_K = [5, 10, 25, 50, 100]
TOPS = [20, 100]


# The evaluation data ship with the repository (gzipped); --eval reads another folder of them.
EVAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "matcher", "eval", "testdata")


def open_eval(eval_dir, name):
    """Opens the evaluation CSV name in eval_dir, plain or gzipped (the repository ships it gzipped)."""
    path = os.path.join(eval_dir, name)
    if os.path.exists(path):
        return open(path, newline="", encoding="utf-8")
    return gzip.open(path + ".gz", "rt", newline="", encoding="utf-8")


def write_docs(eval_dir):
    csv.field_size_limit(1 << 30)
    os.makedirs(BENCH, exist_ok=True)
    with open_eval(eval_dir, "jobs_dev.csv") as f:
        jobs = [r["Job Description"] for r in csv.DictReader(f)]
    with open_eval(eval_dir, "resumes_dev.csv") as f:
        resumes = [r["Resume_str"] for r in csv.DictReader(f)]
    ad = next(j for j in jobs if len(j.split()) >= 300)
    end = list(re.finditer(r"\S+", ad))[299].end()
    docs = {"ad_300w.txt": ad[:end]}
    for k in SIZES_K:
        limit = k * 1024
        text = ""
        for r in resumes:
            text = r if not text else text + "\n\n" + r
            if len(text.encode("utf-8")) >= limit:
                break
        b = text.encode("utf-8")[:limit]
        cut = max(b.rfind(c) for c in (b" ", b"\n", b"\t", b"\r"))
        docs[f"resumes_{k}k.txt"] = b[:cut].decode("utf-8")
    for name, text in docs.items():
        with open(os.path.join(BENCH, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)


def doc_names():
    return ["ad_300w.txt"] + [f"resumes_{k}k.txt" for k in SIZES_K]


def time_doc(text, top, min_time):
    kw = yake.KeywordExtractor(lan="en", n=3, top=top)
    kw.extract_keywords(text)  # warm-up (stopword file, imports)
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        kw.extract_keywords(text)
        times.append(time.perf_counter() - t0)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="rebuild bench/*.txt from shared/eval")
    ap.add_argument("--eval", default=EVAL_DIR, help="folder of resumes_dev.csv and jobs_dev.csv, plain or gzipped")
    ap.add_argument("--min-time", type=float, default=2.0, help="seconds per document and top")
    args = ap.parse_args()
    if args.write:
        write_docs(args.eval)
    results = []
    for name in doc_names():
        with open(os.path.join(BENCH, name), encoding="utf-8", newline="") as f:
            text = f.read()
        for top in TOPS:
            times = time_doc(text, top, args.min_time)
            results.append({
                "doc": name, "bytes": len(text.encode("utf-8")), "words": len(text.split()), "top": top,
                "ms_per_doc_median": round(statistics.median(times) * 1e3, 3),
                "ms_per_doc_min": round(min(times) * 1e3, 3), "reps": len(times),
            })
            print(f"{name} top={top}: {results[-1]['ms_per_doc_median']} ms", file=sys.stderr, flush=True)
    print(json.dumps({
        "python": platform.python_version(), "yake": importlib.metadata.version("yake"),
        "platform": platform.platform(), "params": {"lan": "en", "n": 3, "top": TOPS},
        "results": results,
    }, indent=1))


if __name__ == "__main__":
    main()
