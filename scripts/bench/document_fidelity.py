#!/usr/bin/env python3
"""Measure matcher/document against reference extractors on the corpus that
document_corpus.py generates.

For every document and every extractor that reads its format:
  F1     word-level F1 of the extracted words against the truth (multisets of
         lower-cased NFKC words: runs of letters and digits, C++ and C# kept)
  order  1 - normalised edit distance between the word sequences (1 = the
         truth's words in the truth's order)
  speed  pages/s for PDF (the corpus's pages over the extractor's time),
         documents/s otherwise; in-process timing (best of 3) for the Go
         extractors and the Python libraries, wall time of one process per
         file for the command-line tools (pdftotext, pandoc), which includes
         their start.

    python3 scripts/bench/document_fidelity.py --corpus .cache/document-corpus [--goldens FILE]

prints the Markdown tables of BENCHMARKS.md. Needs the Python packages of
document-requirements.txt, poppler-utils and pandoc, and Go.
"""
import argparse
import collections
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

from rapidfuzz.distance import Levenshtein

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORD = re.compile(r"[^\W_]+(?:\+\+|#)?")


def words(text):
    return WORD.findall(unicodedata.normalize("NFKC", text).lower())


def scores(got, want):
    g, w = words(got), words(want)
    if not g or not w:
        return 0.0, 0.0
    cg, cw = collections.Counter(g), collections.Counter(w)
    common = sum((cg & cw).values())
    p, r = common / len(g), common / len(w)
    f1 = 0.0 if common == 0 else 2 * p * r / (p + r)
    order = 1 - Levenshtein.distance(g, w) / max(len(g), len(w))
    return f1, order


def timed(f, *a, runs=3):
    best, out = None, None
    for _ in range(runs):
        t = time.perf_counter()
        out = f(*a)
        d = time.perf_counter() - t
        best = d if best is None else min(best, d)
    return out, best


def pdfminer_text(path):
    from pdfminer.high_level import extract_text
    return extract_text(path)


def pdftotext(path):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True).stdout.decode()


def python_docx(path):
    import docx
    d = docx.Document(path)
    out = []
    body = d.element.body
    for el in body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in el.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for t in el.iter():
                if t.tag.endswith("}t"):
                    out.append(t.text or "")
    return "\n".join(out)


def docx2txt(path):
    import docx2txt as d2t
    return d2t.process(path)


def html2text_ref(path):
    import html2text
    h = html2text.HTML2Text()
    h.body_width = 0
    h.ignore_links = True
    h.ignore_images = True
    return h.handle(open(path, encoding="utf-8", errors="replace").read())


def pandoc(fmt):
    def f(path):
        return subprocess.run(["pandoc", "-f", fmt, "-t", "plain", "--wrap=none", path], capture_output=True, check=True).stdout.decode()
    return f


REFERENCES = {
    "pdf": [("pdfminer.six", pdfminer_text), ("pdftotext", pdftotext)],
    "docx": [("python-docx", python_docx), ("docx2txt", docx2txt), ("pandoc", pandoc("docx"))],
    "odt": [("pandoc", pandoc("odt"))],
    "html": [("html2text", html2text_ref), ("pandoc", pandoc("html"))],
    "markdown": [("pandoc", pandoc("markdown"))],
    "text": [],
}


def go_lines(cmd, files, cwd):
    out = subprocess.run(cmd + files, capture_output=True, check=True, cwd=cwd).stdout.decode()
    return {json.loads(l)["file"]: json.loads(l) for l in out.splitlines()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(".cache", "document-corpus"))
    ap.add_argument("--goldens", help="write our per-file scores here (JSON)")
    ap.add_argument("--fixtures", help="copy the documents that --fixture-pattern matches, their truths and our scores (golden.json) into this folder: matcher/document/testdata/corpus")
    ap.add_argument("--fixture-pattern", default=r"^docs/r003\.|^docs/r005\.latex")
    ap.add_argument("--engines", action="store_true", help="also measure the candidate Go PDF engines (scripts/bench/pdfengines)")
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    manifest = json.load(open(os.path.join(corpus, "manifest.json")))
    files = [os.path.join(corpus, m["file"]) for m in manifest]
    tmp = tempfile.mkdtemp()
    ours_bin = os.path.join(tmp, "extract")
    subprocess.run(["go", "build", "-o", ours_bin, "./matcher/document/internal/extract"], check=True, cwd=ROOT)
    ours = go_lines([ours_bin], files, ROOT)
    engines = {}
    if a.engines:
        eng_bin = os.path.join(tmp, "pdfengines")
        subprocess.run(["go", "build", "-o", eng_bin, "."], check=True, cwd=os.path.join(ROOT, "scripts", "bench", "pdfengines"))
        pdfs = [f for f, m in zip(files, manifest) if m["format"] == "pdf"]
        for e in ["ledongthuc", "dslipak", "pdfium"]:
            engines[e] = go_lines([eng_bin, e], pdfs, ROOT)
    rows = collections.defaultdict(lambda: {"f1": [], "order": [], "sec": 0.0, "pages": 0, "docs": 0, "errors": 0})
    goldens = {}
    for m, path in zip(manifest, files):
        want = open(os.path.join(corpus, m["truth"]), encoding="utf-8").read()
        o = ours[path]
        pages = o.get("pages") or 1
        results = [("jobmatch", o["text"], o["seconds"], o.get("error"))]
        for name, e in engines.items():
            if path in e:
                results.append((name, e[path]["text"], e[path]["seconds"], e[path].get("error")))
        for name, f in REFERENCES[m["format"]]:
            try:
                text, sec = timed(f, path, runs=1 if name in ("pdftotext", "pandoc") else 3)
                err = None
            except Exception as ex:  # a reference that fails scores 0
                text, sec, err = "", 0.0, str(ex)
            results.append((name, text, sec, err))
        for name, text, sec, err in results:
            f1, order = scores(text, want)
            r = rows[(m["producer"], name)]
            r["f1"].append(f1)
            r["order"].append(order)
            r["sec"] += sec
            r["pages"] += pages
            r["docs"] += 1
            r["errors"] += bool(err)
            if name == "jobmatch":
                goldens[m["file"]] = {"f1": round(f1, 4), "order": round(order, 4), "error": err or ""}
    print("| producer | extractor | docs | word F1 | order | speed |")
    print("|---|---|---:|---:|---:|---:|")
    for (producer, name), r in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] != "jobmatch", kv[0][1])):
        n = r["docs"]
        pdf = producer.endswith("pdf") or producer == "latex-2col"
        speed = (r["pages"] if pdf else n) / r["sec"] if r["sec"] > 0 else float("inf")
        unit = "pages/s" if pdf else "docs/s"
        err = f" ({r['errors']} errors)" if r["errors"] else ""
        print(f"| {producer} | {name}{err} | {n} | {sum(r['f1']) / n:.4f} | {sum(r['order']) / n:.4f} | {speed:,.0f} {unit} |")
    if a.goldens:
        with open(a.goldens, "w") as f:
            json.dump(goldens, f, indent=1, sort_keys=True)
    if a.fixtures:
        os.makedirs(a.fixtures, exist_ok=True)
        golden = {}
        for m in manifest:
            if re.search(a.fixture_pattern, m["file"]):
                name = os.path.basename(m["file"])
                shutil.copy(os.path.join(corpus, m["file"]), os.path.join(a.fixtures, name))
                shutil.copy(os.path.join(corpus, m["truth"]), os.path.join(a.fixtures, name + ".truth.txt"))
                golden[name] = {k: v for k, v in goldens[m["file"]].items() if k != "error"} | {"producer": m["producer"]}
        with open(os.path.join(a.fixtures, "golden.json"), "w") as f:
            json.dump(golden, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
