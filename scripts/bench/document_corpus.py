#!/usr/bin/env python3
"""Generate the resume corpus that measures matcher/document's fidelity.

Each source resume (a row of the evaluation set's resumes_dev.csv, the public
Kaggle "Resume Dataset") is shaped into sections (a heading, paragraphs,
bullet items, a skills table) and written by real producers:

  md            the Markdown source itself
  txt           plain text, in UTF-8, UTF-8 with BOM, UTF-16 or Windows-1252
  pandoc-docx   pandoc Markdown -> DOCX
  pandoc-html   pandoc Markdown -> standalone HTML
  pandoc-pdf    pandoc Markdown -> LaTeX -> pdflatex (ligatures, hyphenation,
                page numbers)
  lo-pdf        LibreOffice headless: pandoc's DOCX -> PDF
  lo-odt        LibreOffice headless: pandoc's DOCX -> ODT
  chromium-pdf  Chromium print-to-PDF of a two-column CSS grid page (sidebar
                and main column), with soft hyphens and no-break spaces
  python-docx   python-docx: header with the name, bullets, a table
  lo-pydocx-pdf LibreOffice headless: python-docx's DOCX -> PDF
  latex-2col    pdflatex: a two-column (multicol) resume with a running
                header and "Page N" footers on every page

For every document the corpus holds the truth: the words a reader sees, in
reading order, without running headers, footers or page numbers. Written to
OUT/manifest.json with the documents under OUT/docs and the truths under
OUT/truth.

Pinned producers (Debian 12 packages, as used for BENCHMARKS.md): pandoc
2.17.1.1, LibreOffice 7.4 (libreoffice-writer-nogui), TeX Live 2022
(texlive-latex-recommended, texlive-latex-extra), Chromium from Debian; Python
packages in document-requirements.txt.

    python3 scripts/bench/document_corpus.py --eval ../shared/eval --out .cache/document-corpus
"""
import argparse
import csv
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

FIRST = ["Avery", "Jordan", "Priya", "Mateo", "Chen", "Fatima", "Lukas", "Amara", "Noah", "Sofia", "Kenji", "Olga"]
LAST = ["Martin", "Okafor", "Sharma", "Garcia", "Wei", "Haddad", "Novak", "Mensah", "Fischer", "Rossi", "Tanaka", "Ivanova"]
SECTION = re.compile(r"(Skill Details|Education Details|Company Details|Skills|Education|Experience|Projects|Certifications?|Personal Details|Languages)\b")


def shape(row, rng):
    """Turns a flattened Kaggle resume into sections of paragraphs and items."""
    text = row["Resume_str"].replace("\r", "\n")
    text = re.sub(r"[^\x20-\x7e\n•]", " ", text)
    parts = SECTION.split(text)
    sections = []
    intro = parts[0].strip()
    if intro:
        sections.append(["Summary", intro])
    for i in range(1, len(parts) - 1, 2):
        sections.append([parts[i], parts[i + 1]])
    out = []
    words = 0
    for title, body in sections:
        items = []
        for piece in re.split(r"[•\n]+", body):
            piece = re.sub(r"\s+", " ", piece).strip(" -:")
            if len(piece) < 3:
                continue
            piece = " ".join(piece.split()[:90])
            items.append(piece)
        if not items:
            continue
        items = items[:12]
        words += sum(len(x.split()) for x in items)
        out.append({"title": title, "items": items})
        if words > 550:
            break
    name = rng.choice(FIRST) + " " + rng.choice(LAST)
    # A skills table from the words the resume already names.
    skills = [w for w in re.findall(r"\b[A-Z][A-Za-z+#]{2,}\b", text) if w.lower() not in ("the", "and", "company", "description", "details")]
    seen = []
    for s in skills:
        if s not in seen:
            seen.append(s)
    table = [(s, str(rng.randint(6, 60))) for s in seen[:4]]
    return {"name": name, "sections": out, "table": table}


def truth(r, table_rows=True):
    lines = [r["name"]]
    for s in r["sections"]:
        lines.append(s["title"])
        lines.extend(s["items"])
    if table_rows and r["table"]:
        lines.append("Skill Months")
        lines.extend(f"{a} {b}" for a, b in r["table"])
    return "\n".join(lines) + "\n"


def is_para(item):
    return len(item.split()) > 25


def markdown(r):
    out = [f"# {r['name']}", ""]
    for s in r["sections"]:
        out += [f"## {s['title']}", ""]
        for it in s["items"]:
            out += ["", md_escape(it), ""] if is_para(it) else [f"- {md_escape(it)}"]
        out.append("")
    if r["table"]:
        out += ["| Skill | Months |", "|---|---|"] + [f"| {a} | {b} |" for a, b in r["table"]] + [""]
    return "\n".join(out)


def md_escape(s):
    return re.sub(r"([\\`*_\[\]#|<>])", r"\\\1", s)


def latex_escape(s):
    s = s.replace("\\", " ")
    for a, b in [("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"),
                 ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}")]:
        s = s.replace(a, b)
    return s


def latex_2col(r):
    body = []
    for s in r["sections"]:
        body.append(r"\section*{%s}" % latex_escape(s["title"]))
        items = [it for it in s["items"] if not is_para(it)]
        for it in s["items"]:
            if is_para(it):
                body.append(latex_escape(it) + "\n")
            else:
                body.append(r"\begin{itemize}\item %s\end{itemize}" % latex_escape(it))
    if r["table"]:
        body.append(r"\begin{tabular}{ll}Skill & Months\\" + "".join(f"{latex_escape(a)} & {b}\\\\" for a, b in r["table"]) + r"\end{tabular}")
    return r"""\documentclass[10pt]{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[margin=2cm]{geometry}
\usepackage{multicol}
\usepackage{fancyhdr}
\pagestyle{fancy}
\fancyhead[L]{%s --- Curriculum Vitae}
\fancyhead[R]{Confidential}
\fancyfoot[C]{Page \thepage}
\begin{document}
{\LARGE\bfseries %s}
\begin{multicols}{2}
%s
\end{multicols}
\end{document}
""" % (latex_escape(r["name"]), latex_escape(r["name"]), "\n".join(body))


def chromium_html(r):
    """A two-column grid: the first section in a sidebar, the rest in the main column."""
    def sec(s, soft):
        h = [f"<h2>{html.escape(s['title'])}</h2>"]
        paras = [it for it in s["items"] if is_para(it)]
        items = [it for it in s["items"] if not is_para(it)]
        for it in s["items"]:
            t = html.escape(it)
            if soft:  # soft hyphens inside long words and no-break spaces, which a browser keeps in the PDF
                t = re.sub(r"\b([a-z]{5})([a-z]{4,})\b", "\\1\u00ad\\2", t, count=3)
                t = t.replace(" and ", "\u00a0and\u00a0", 1)
            h.append(f"<p>{t}</p>" if is_para(it) else f"<ul><li>{t}</li></ul>")
        return "\n".join(h)
    secs = r["sections"]
    side = secs[:1]
    main = secs[1:]
    table = ""
    if r["table"]:
        table = "<table><tr><th>Skill</th><th>Months</th></tr>" + "".join(f"<tr><td>{html.escape(a)}</td><td>{b}</td></tr>" for a, b in r["table"]) + "</table>"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(r['name'])}</title>
<style>body{{font-family:'DejaVu Sans',sans-serif;font-size:10pt;margin:1.5cm}}
.grid{{display:grid;grid-template-columns:32% 64%;column-gap:4%}} h1{{margin:0 0 .5em}} h2{{font-size:12pt;margin:.8em 0 .3em}}
ul{{margin:0;padding-left:1.2em}} p{{margin:.2em 0;text-align:justify;hyphens:manual}}</style></head>
<body><h1>{html.escape(r['name'])}</h1><div class="grid"><aside>{''.join(sec(s, False) for s in side)}</aside>
<main>{''.join(sec(s, True) for s in main)}{table}</main></div></body></html>
"""


def python_docx(r, path):
    import docx
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = r["name"]
    d.add_heading(r["name"], 0)
    for s in r["sections"]:
        d.add_heading(s["title"], 1)
        for it in s["items"]:
            d.add_paragraph(it, style=None if is_para(it) else "List Bullet")
    if r["table"]:
        t = d.add_table(rows=0, cols=2)
        for a, b in [("Skill", "Months")] + r["table"]:
            c = t.add_row().cells
            c[0].text, c[1].text = a, b
    d.save(path)


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default=os.path.join("..", "shared", "eval"))
    ap.add_argument("--out", default=os.path.join(".cache", "document-corpus"))
    ap.add_argument("--n", type=int, default=25, help="source resumes (11 documents each)")
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    rows = list(csv.DictReader(open(os.path.join(a.eval, "resumes_dev.csv"), encoding="utf-8")))
    rng = random.Random(a.seed)
    rng.shuffle(rows)
    picked = [r for r in rows if len(r["Resume_str"].split()) > 150][: a.n]
    docs, truths = os.path.join(a.out, "docs"), os.path.join(a.out, "truth")
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(docs)
    os.makedirs(truths)
    manifest = []
    lo_in = []
    tmp = tempfile.mkdtemp()

    def add(name, producer, fmt, tr):
        with open(os.path.join(truths, name + ".txt"), "w", encoding="utf-8") as f:
            f.write(tr)
        manifest.append({"file": "docs/" + name, "producer": producer, "format": fmt, "truth": "truth/" + name + ".txt"})

    encodings = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]
    for i, row in enumerate(picked):
        r = shape(row, rng)
        base = f"r{i:03d}"
        md = markdown(r)
        tr = truth(r)
        with open(os.path.join(docs, base + ".md"), "w", encoding="utf-8") as f:
            f.write(md)
        add(base + ".md", "md", "markdown", tr)
        enc = encodings[i % len(encodings)]
        with open(os.path.join(docs, base + ".txt"), "w", encoding=enc, errors="replace") as f:
            f.write(tr.replace("\n", "\n\n"))
        add(base + ".txt", "txt-" + enc, "text", tr)
        src = os.path.join(tmp, base + ".md")
        open(src, "w").write(md)
        run(["pandoc", src, "-o", os.path.join(docs, base + ".pandoc.docx")])
        add(base + ".pandoc.docx", "pandoc-docx", "docx", tr)
        run(["pandoc", "-s", src, "--metadata", "pagetitle=" + r["name"], "-o", os.path.join(docs, base + ".pandoc.html")])
        add(base + ".pandoc.html", "pandoc-html", "html", tr)
        run(["pandoc", src, "-V", "geometry:margin=2.5cm", "-o", os.path.join(docs, base + ".pandoc.pdf")])
        add(base + ".pandoc.pdf", "pandoc-pdf", "pdf", tr)
        lo_in.append((os.path.join(docs, base + ".pandoc.docx"), base + ".lo", tr))
        h = os.path.join(tmp, base + ".html")
        open(h, "w", encoding="utf-8").write(chromium_html(r))
        run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--print-to-pdf=" + os.path.join(docs, base + ".chromium.pdf"), "file://" + h])
        add(base + ".chromium.pdf", "chromium-pdf", "pdf", tr)
        python_docx(r, os.path.join(docs, base + ".pydocx.docx"))
        add(base + ".pydocx.docx", "python-docx", "docx", tr)
        lo_in.append((os.path.join(docs, base + ".pydocx.docx"), base + ".lo-pydocx", tr))
        tex = os.path.join(tmp, base + ".2col.tex")
        open(tex, "w").write(latex_2col(r))
        for _ in range(2):
            run(["pdflatex", "-interaction=batchmode", "-output-directory", tmp, tex])
        shutil.copy(os.path.join(tmp, base + ".2col.pdf"), os.path.join(docs, base + ".latex-2col.pdf"))
        add(base + ".latex-2col.pdf", "latex-2col", "pdf", tr)
        print(f"{i + 1}/{len(picked)}", file=sys.stderr)
    # LibreOffice converts in batches, one start for many files.
    for fmt, ext in [("pdf", "pdf"), ("odt", "odt")]:
        outdir = os.path.join(tmp, "lo-" + ext)
        srcs = [s for s, name, _ in lo_in if ext == "pdf" or name.endswith(".lo")]
        run(["soffice", "--headless", "--convert-to", fmt, "--outdir", outdir] + srcs)
        for s, name, tr in lo_in:
            if ext == "odt" and not name.endswith(".lo"):
                continue
            got = os.path.join(outdir, os.path.splitext(os.path.basename(s))[0] + "." + ext)
            shutil.copy(got, os.path.join(docs, name + "." + ext))
            producer = {"pdf": "lo-pdf" if name.endswith(".lo") else "lo-pydocx-pdf", "odt": "lo-odt"}[ext]
            add(name + "." + ext, producer, ext, tr)
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(manifest)} documents in {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
