#!/usr/bin/env python3
"""Write resumes.jsonl.gz: the distinct resumes of the evaluation's development split.

    python3 examples/rank/testdata/extract_resumes.py PATH/TO/resumes_dev.csv

resumes_dev.csv is the even-numbered rows of the public Kaggle "Resume Dataset"
(UpdatedResumeDataSet.csv); its README gives the provenance. The data set repeats
resumes: this keeps the first row of each distinct text, in file order, as JSON
lines {"row", "category", "text"}, gzipped with mtime 0 so that the bytes are
reproducible. Standard library only.
"""
import csv, gzip, json, os, sys

csv.field_size_limit(1 << 30)
seen, out = set(), []
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        t = r["Resume_str"]
        if t in seen:
            continue
        seen.add(t)
        out.append({"row": int(r["row"]), "category": r["Category"], "text": t})
dst = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resumes.jsonl.gz")
with open(dst, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
    for r in out:
        gz.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
print(f"{dst}: {len(out)} resumes", file=sys.stderr)
