#!/usr/bin/env python3
"""The original Python pipeline ranking a folder of resumes against one job, timed.

What jobmatch replaces, done the way the Python original did it: YAKE (yake 0.7.3:
English, up to trigrams, top 30 job keywords and 60 per resume) and
sentence-transformers all-MiniLM-L6-v2 on CPU (the keywords of each resume embedded
in one call), then per job keyword the most similar resume keyword, matched at
cosine >= 0.6, score = sum of the matched keywords' rank weights 1/log2(r+2)
(normalised) times their similarity. Same settings as matcher.DefaultConfig.

    PYTHON scripts/bench/rank_ref.py --model-dir DIR --job FILE --dir DIR [--threads 2] [--limit N]

Prints one JSON object: {"resumes": n, "seconds": s, "per_second": n/s, "cpu_seconds": (all threads),
"load_seconds": ...,
"versions": {...}, "top": [[file, score], ...]}. seconds covers the resumes only (read,
extract, embed, compare); the model load and the job are timed apart, as in
examples/rank's summary line. Use the venv of scripts/bench/rank_requirements.txt.
"""
import argparse
import importlib.metadata
import json
import math
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--job", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="rank only the first N files (0: all)")
    a = ap.parse_args()

    import torch
    torch.set_num_threads(a.threads)
    import numpy as np
    import yake
    from sentence_transformers import SentenceTransformer

    t0 = time.perf_counter()
    model = SentenceTransformer(a.model_dir, device="cpu")
    load = time.perf_counter() - t0
    job_kw = yake.KeywordExtractor(lan="en", n=3, top=30)
    res_kw = yake.KeywordExtractor(lan="en", n=3, top=60)

    def keywords(ext, text):
        seen, out = set(), []
        for k, _ in sorted(ext.extract_keywords(text), key=lambda x: x[1]):
            n = " ".join(k.lower().split())
            if n and n not in seen and len(k.encode()) <= 100:
                seen.add(n)
                out.append(n)
        return out

    job = keywords(job_kw, open(a.job, encoding="utf-8").read())
    w = np.array([1 / math.log2(r + 2) for r in range(len(job))])
    w /= w.sum()
    jv = model.encode(job, normalize_embeddings=True)

    files = sorted(f for f in os.listdir(a.dir) if not f.startswith("."))
    if a.limit:
        files = files[: a.limit]
    scores = []
    start, cpu = time.perf_counter(), time.process_time()
    for f in files:
        kws = keywords(res_kw, open(os.path.join(a.dir, f), encoding="utf-8", errors="replace").read())
        if not kws:
            scores.append((f, 0.0))
            continue
        rv = model.encode(kws, normalize_embeddings=True)
        best = (jv @ rv.T).max(axis=1)
        scores.append((f, float((w * best * (best >= 0.6)).sum())))
    secs, cpu = time.perf_counter() - start, time.process_time() - cpu
    scores.sort(key=lambda x: -x[1])
    versions = {p: importlib.metadata.version(p) for p in ("yake", "sentence-transformers", "torch")}
    versions["python"] = sys.version.split()[0]
    print(json.dumps({"resumes": len(files), "seconds": secs, "per_second": len(files) / secs, "cpu_seconds": cpu,
                      "load_seconds": load, "threads": a.threads, "versions": versions, "top": scores[:5]}))


if __name__ == "__main__":
    main()
