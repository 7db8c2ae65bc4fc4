#!/usr/bin/env python3
"""Writes the goldens of package wordpiece from Hugging Face's tokenizers.

Usage (versions pinned in requirements.txt; no torch needed):

    python3 -m venv ~/venvs/tok
    ~/venvs/tok/bin/pip install -r sbert/wordpiece/testdata/requirements.txt
    ~/venvs/tok/bin/python sbert/wordpiece/testdata/gen_golden.py \
        --model "$(./scripts/fetch-model)" [--eval DIR]

Writes, next to this script:

  encode.json.gz   texts with the input_ids and attention_mask that
                   BertTokenizerFast gives them when called as
                   sentence-transformers calls it (truncation='longest_first',
                   max_length=max_seq_length, padding=True), one at a time and
                   in batches, plus the ids of the slow BertTokenizer where
                   they differ.
  unicode.json.gz  for every code point, what tokenizers' BertNormalizer
                   turns it into where that is not the code point itself, as
                   runs [first, last, output] where "{}" in output stands for
                   the code point, for four option sets, and which
                   code points BertPreTokenizer treats as white space or
                   punctuation, and what the model's normalizer makes of
                   some whole texts.
"""

import argparse
import csv
import gzip
import json
import os
import random
import re
import sys
import unicodedata

import tokenizers
import transformers
from tokenizers import normalizers, pre_tokenizers
from transformers import BertTokenizer, BertTokenizerFast

SEED = 20261126
HERE = os.path.dirname(os.path.abspath(__file__))


# The evaluation data ship with the repository (gzipped); --eval reads another folder of them.
EVAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "matcher", "eval", "testdata")


def open_eval(eval_dir, name):
    """Opens the evaluation CSV name in eval_dir, plain or gzipped (the repository ships it gzipped)."""
    path = os.path.join(eval_dir, name)
    if os.path.exists(path):
        return open(path, newline="", encoding="utf-8")
    return gzip.open(path + ".gz", "rt", newline="", encoding="utf-8")


def read_eval(eval_dir):
    csv.field_size_limit(1 << 30)
    with open_eval(eval_dir, "resumes_dev.csv") as f:
        resumes = [r["Resume_str"] for r in csv.DictReader(f)]
    with open_eval(eval_dir, "jobs_dev.csv") as f:
        jobs = [r["Job Title"] + "\n" + r["Job Description"] for r in csv.DictReader(f)]
    return resumes, jobs


def lines_of(docs):
    out = []
    for d in docs:
        for line in re.split(r"[\r\n]+", d):
            if line.strip():
                out.append(line)
    return out


def phrases(lines, rng, n):
    """Keyword-like phrases: 1 to 3 consecutive words of a line, as YAKE gives them."""
    out = []
    while len(out) < n:
        words = rng.choice(lines).split()
        if not words:
            continue
        k = rng.choice([1, 1, 2, 2, 3])
        i = rng.randrange(max(1, len(words) - k + 1))
        out.append(" ".join(words[i : i + k]).strip(".,;:()"))
    return out


HANDWRITTEN = [
    "",
    " ",
    "\t\n\r ",
    "Hello, World!",
    "machine learning",
    "Machine-Learning",
    "state-of-the-art",
    "e-mail",
    "co-operate",
    "Node.js",
    "ASP.NET",
    "U.S.A.",
    "e.g. i.e. etc.",
    "C++ C# F# .NET",
    "R&D",
    "AT&T",
    "Ph.D.",
    "python3.11",
    "v1.2.3-beta+build.5",
    "https://www.example.com/path/to/page?query=1&x=y#frag",
    "http://localhost:8080/api/v1/users",
    "john.doe@example.com",
    "@handle #hashtag",
    "$100,000 - $150,000",
    "3.14159 2,718 1e-9 -42 +7 50% 0x1F",
    "10/12/2023 12:30pm",
    "(555) 123-4567",
    "Café résumé naïve façade jalapeño",
    "CAFÉ RÉSUMÉ NAÏVE",
    "Ångström Øre Æsir straße Œuvre",
    "İstanbul IĞDIR ışık",
    "ΟΔΟΣ ΣΟΦΟΣ Σ σ ς",
    "Ελληνικά Ἀθῆναι",
    "Москва Ёлка",
    "Ñandú",
    "ﬁnance ﬂow ﬀ",
    "Ⅻ ① ² ½ ℃ ™ ℌ",
    "ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ",
    "東京都 北京 上海",
    "日本語のテキスト",
    "中文分词测试",
    "한국어 텍스트",
    "Emoji 😀🚀👍🏽 👨‍👩‍👧‍👦 🇩🇪 ❤️",
    "🥰 🫠 🪿",
    "zero\u200bwidth\u200cjoin\u200dmark\ufeffbom",
    "soft\u00adhyphen",
    "nul\x00byte",
    "bell\x07 and esc\x1b[0m",
    "del\x7fchar",
    "c1\x85next\x9fline",
    "vt\x0bff\x0cfs\x1cgs\x1drs\x1eus\x1f",
    "nbsp\u00a0thin\u2009hair\u200aideo\u3000sp",
    "line\u2028para\u2029sep",
    "replacement \ufffd char",
    "private \ue000\uf8ff use \U000f0000",
    "bidi \u202alre\u202c \u2066iso\u2069",
    "combining a\u0301 e\u0300 o\u0308 n\u0303",
    "stacked a\u0301\u0302\u0303\u0304\u0305",
    "Đ đ Ł ł Ħ ħ",
    "Å Ω K",
    "[CLS] [SEP] [PAD] [UNK] [MASK]",
    "hello[MASK]world",
    "[cls] [mask] [Mask]",
    "[[MASK]] [SEP][SEP]",
    "[MAS",
    "##ing ## #",
    "a" * 99,
    "a" * 100,
    "a" * 101,
    "é" * 100,
    "é" * 101,
    "x" * 300,
    "supercalifragilisticexpialidocious" * 4,
    "word " * 400,
    "-" * 300,
    "日" * 300,
    "!!!???...",
    "....",
    "''\"\"``",
    "«quoted» „German“ ‘single’ “double”",
    "a—b–c‐d‑e‒f―g",
    "under_score snake_case_name",
    "CamelCaseWord XMLHttpRequest",
    "tabs\tand\tnewlines\nand\r\ncrlf",
    "   leading and trailing   ",
    "multiple     spaces",
    "\u2b820 \U0002b820 \U0002b91f \U0002b920 \U0002ceaf \U0002ceb0",
    "\U00020000 \U0002a6df \U0002a700 \U0002b73f \U0002b740 \U0002b81f",
    "\uf900 \ufaff \U0002f800 \U0002fa1f \u3400 \u4dbf \u4e00 \u9fff",
    "\u1e9e \u0130 \u212a \u2126 \u212b",
    "\U0001e900 \U00010400",
    "ǅ ǈ ǋ ǲ",
    "ᾈ ᾼ ῌ",
    "\u0345 \u0399",
    "ﬀ ﬃ ﬄ ﬅ ﬆ",
    "Ǆ ǆ",
    "\u0f73 \u0f75 \u0f81",
    "\U0001d15e \U0001d165\U0001d16e",
    "\u0e33 \u0eb3",
    "\U00011938 \U000110ab",
    "a\u0301\U0001d165\U0001d16d",
    "x\U0001d16d\U0001d165",
    "a\u0315\u0300\u05ae\u0301",
    "\u2e43 \u2e4f \U0001e95e",
    "\U000e0001 \U000e0020 \U000e007f",
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "\ufe0f \ufe0e \U000e0100",
    "\u08e2 \U000110cd \U00013430",
    "\u0378 \u0379 \uffff \U0010ffff \ufdd0",
    # Marks new since Unicode 9 are starters to tokenizers' NFD.
    "x\u1dfa\U0001d165 y\u0301\U0001d16d\U0001d165 z\U00011938\u0301",
    # More than 30 combining marks: x/text's NFD inserts U+034F after 30.
    "a\U0001d16d" + "\u0301" * 35 + "\U0001d165",
    "b" + "\U0001d16d\U0001d165" * 20,
    "z\u0301" + "\u0300\u0316" * 25 + "alg\u0337o",
]

KOREAN = ["한국어 텍스트", "대한민국", "안녕하세요 세계", "서울특별시 강남구", "데이터 과학자 채용", "머신러닝 엔지니어", "값 없음", "쀍 똠방각하"]


def korean_cases():
    out = []
    for s in KOREAN:
        out += [s, unicodedata.normalize("NFD", s), unicodedata.normalize("NFKD", s)]
    return out


def accent_cases(rng):
    words = ["résumé", "café", "naïve", "coöperate", "façade", "piñata", "Zürich", "São Paulo", "Kraków",
             "Ærøskøbing", "Dvořák", "Łódź", "Þórshöfn", "Ελλάδα", "Ünïcödé", "crème brûlée", "jalapeño"]
    out = []
    for w in words:
        out += [w, w.upper(), w.title(), unicodedata.normalize("NFD", w), unicodedata.normalize("NFD", w.upper())]
    return out


def punct_cases():
    terms = ["machine-learning", "end-to-end", "front-end", "back-end", "full-stack", "Node.js", "Vue.js",
             "Next.js", "scikit-learn", "TensorFlow2.x", "ci/cd", "A/B testing", "pl/sql", "t-sql", "c++11",
             "objective-c", "u.s.", "m.sc.", "b.tech", "sr.", "jr.", "k8s", "gpt-4o", "o'reilly", "don't",
             "rock'n'roll", "x86_64", "arm64-v8a", "utf-8", "iso-8859-1", "1,000,000", "3.5+", "24/7", "9-5"]
    out = list(terms)
    for t in terms:
        out.append(t.upper())
        out.append("(" + t + ")")
    return out


def url_cases(rng):
    hosts = ["example.com", "github.com/user/repo", "linkedin.com/in/jane-doe-12345", "jobs.lever.co/acme/abc-123",
             "www.indeed.com/viewjob?jk=abcdef0123456789", "my-site.io/a_b/c.d?x=1&y=%20z"]
    out = []
    for h in hosts:
        out += ["https://" + h, "http://" + h, "www." + h, "Visit https://" + h + "."]
    out += ["user.name+tag@sub.example.co.uk", "mailto:jobs@acme.com", "ftp://files.example.org/pub/file.tar.gz"]
    return out


def number_cases(rng):
    out = []
    for _ in range(120):
        k = rng.randrange(6)
        if k == 0:
            out.append(str(rng.randrange(10 ** rng.randrange(1, 12))))
        elif k == 1:
            out.append(f"{rng.uniform(-1e6, 1e6):.{rng.randrange(0, 6)}f}")
        elif k == 2:
            out.append(f"${rng.randrange(20, 400)}K-${rng.randrange(20, 400)}K (Glassdoor est.)")
        elif k == 3:
            out.append(f"{rng.randrange(1, 20)}+ years of experience")
        elif k == 4:
            out.append(f"{rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}/{rng.randrange(1990, 2030)}")
        else:
            out.append(f"{rng.randrange(100)}% ({rng.randrange(100)}.{rng.randrange(100)}%)")
    return out


def long_word_cases(rng):
    out = []
    alphabet = "abcdefghijklmnopqrstuvwxyzé日ß"
    for n in [98, 99, 100, 101, 102, 150, 250]:
        for _ in range(4):
            out.append("".join(rng.choice(alphabet) for _ in range(n)))
        out.append("e\u0301" * (n // 2) + "x")  # 2 code points per letter before NFD strips
        out.append("É" * n)
    return out


def whitespace_cases(rng):
    spaces = [" ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u2000", "\u2003", "\u2009", "\u200a", "\u202f",
              "\u205f", "\u3000", "\u1680", "\u2028", "\u2029", "\u0085", "\u000b", "\u000c", "\u001c",
              "\u200b", "\u180e", "\ufeff"]
    words = ["data", "Science", "ML", "python", "SQL", "résumé", "東京"]
    out = []
    for _ in range(200):
        n = rng.randrange(2, 6)
        out.append("".join(rng.choice(words) + "".join(rng.choice(spaces) for _ in range(rng.randrange(1, 3))) for _ in range(n)))
    return out


def control_cases(rng):
    out = []
    base = ["python developer", "data scientist", "résumé", "東京"]
    for _ in range(150):
        s = list(rng.choice(base))
        for _ in range(rng.randrange(1, 4)):
            c = chr(rng.choice([rng.randrange(0, 32), 0x7F, rng.randrange(0x80, 0xA0), 0xAD, 0x200B, 0x200C,
                                0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xFFFD, 0xE000, 0x061C, 0x08E2]))
            s.insert(rng.randrange(len(s) + 1), c)
        out.append("".join(s))
    return out


EMOJI = "😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗🙂🤗🤩🤔🤨😐😑😶🙄😏😣😥😮🤐😯😪😫🥱😴😌😛😜😝🤤😒😓😔😕🙃🤑😲☹🙁😖😞😟😤😢😭😦😧😨😩🤯😬😰😱🥵🥶😳🤪😵🥴😠😡🤬😷🤒🤕🤢🤮🤧😇🥳🥺🤠🤡🤥🤫🤭🧐🤓😈👿👹👺💀☠👻👽👾🤖💩😺😸😹😻😼😽🙀😿😾🚀✨🔥💯✅❌⭐🌟💡📈📊🧠🫶🫠🪿"


def emoji_cases(rng):
    out = []
    for _ in range(120):
        out.append(" ".join(rng.choice(["skill", "team", "code", "Go", "AI"]) + "".join(rng.choice(EMOJI) for _ in range(rng.randrange(0, 3))) for _ in range(rng.randrange(1, 5))))
    out += ["👍🏻👍🏼👍🏽👍🏾👍🏿", "👩‍💻 👨‍🔬 🧑‍🚀", "🏳️‍🌈 🏴‍☠️", "1️⃣ #️⃣ *️⃣", "🇺🇸🇬🇧🇯🇵"]
    return out


# Weighted ranges for random strings: (weight, lo, hi).
RANDOM_RANGES = [
    (30, 0x20, 0x7E), (4, 0x00, 0x1F), (2, 0x7F, 0x9F), (8, 0xA0, 0xFF), (6, 0x100, 0x24F), (6, 0x300, 0x36F),
    (4, 0x370, 0x3FF), (4, 0x400, 0x4FF), (2, 0x590, 0x6FF), (2, 0x900, 0xDFF), (2, 0xE00, 0xFFF),
    (2, 0x1100, 0x11FF), (2, 0x1AB0, 0x1AFF), (2, 0x1DC0, 0x1EFF), (3, 0x1F00, 0x1FFF), (4, 0x2000, 0x206F),
    (2, 0x2070, 0x2BFF), (2, 0x2C00, 0x2E7F), (3, 0x3000, 0x30FF), (2, 0x3100, 0x33FF), (3, 0x3400, 0x4DBF),
    (5, 0x4E00, 0x9FFF), (2, 0xA000, 0xABFF), (5, 0xAC00, 0xD7A3), (2, 0xD7B0, 0xD7FF), (2, 0xE000, 0xF8FF),
    (2, 0xF900, 0xFAFF), (3, 0xFB00, 0xFFFF), (3, 0x10000, 0x1FFFF), (4, 0x1F300, 0x1FAFF),
    (2, 0x20000, 0x2FFFF), (1, 0x2B800, 0x2B940), (1, 0x30000, 0x3FFFF), (1, 0xE0000, 0xE01EF),
    (1, 0xF0000, 0x10FFFF),
]


def random_cases(rng, n):
    weights = [w for w, _, _ in RANDOM_RANGES]
    out = []
    while len(out) < n:
        length = rng.choice([1, 2, 3, 5, 8, 13, 21, 40, 80, 160])
        chars = []
        while len(chars) < length:
            _, lo, hi = rng.choices(RANDOM_RANGES, weights)[0]
            cp = rng.randint(lo, hi)
            if 0xD800 <= cp <= 0xDFFF:
                continue
            chars.append(chr(cp))
            if rng.random() < 0.15:
                chars.append(" ")
        out.append("".join(chars))
    return out


def slice_doc(doc, rng):
    """A random window of a document, to vary where truncation falls."""
    i = rng.randrange(max(1, len(doc) - 200))
    return doc[i : i + rng.randrange(200, 4000)]


def build_cases(resumes, jobs):
    rng = random.Random(SEED)
    rlines, jlines = lines_of(resumes), lines_of(jobs)
    cases = []

    def add(kind, texts):
        cases.extend({"kind": kind, "text": t} for t in texts)

    add("handwritten", HANDWRITTEN)
    add("korean", korean_cases())
    add("accents", accent_cases(rng))
    add("punct", punct_cases())
    add("url", url_cases(rng))
    add("number", number_cases(rng))
    add("longword", long_word_cases(rng))
    add("whitespace", whitespace_cases(rng))
    add("control", control_cases(rng))
    add("emoji", emoji_cases(rng))
    add("phrase", phrases(rlines + jlines, rng, 3500))
    add("resume_line", rng.sample(rlines, min(2000, len(rlines))))
    add("job_line", rng.sample(jlines, min(2000, len(jlines))))
    add("resume_doc", rng.sample(resumes, 100))
    add("job_doc", rng.sample(jobs, 80))
    add("doc_slice", [slice_doc(rng.choice(resumes + jobs), rng) for _ in range(150)])
    add("random", random_cases(rng, 1500))
    return cases, rng


def unicode_tables(fast, texts):
    cfg = json.loads(fast.backend_tokenizer.normalizer.__getstate__())
    clean, cjk = cfg["clean_text"], cfg["handle_chinese_chars"]
    variants = {
        "model": fast.backend_tokenizer.normalizer,
        "lower": normalizers.BertNormalizer(clean_text=clean, handle_chinese_chars=cjk, strip_accents=False, lowercase=True),
        "strip": normalizers.BertNormalizer(clean_text=clean, handle_chinese_chars=cjk, strip_accents=True, lowercase=False),
        "plain": normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=False),
    }
    pre = pre_tokenizers.BertPreTokenizer()
    out = {name: [] for name in variants}
    space, punct = [], []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue  # not valid in Rust or Go strings
        c = chr(cp)
        for name, n in variants.items():
            r = n.normalize_str(c)
            if r == c:
                continue
            runs = out[name]
            # "{}" stands for the code point itself, so that runs of code
            # points treated alike (removed, padded with spaces) merge.
            r = r.replace(c, "{}")
            if runs and runs[-1][1] == cp - 1 and runs[-1][2] == r:
                runs[-1][1] = cp
            else:
                runs.append([cp, cp, r])
        parts = pre.pre_tokenize_str("a" + c + "a")
        if len(parts) == 2:
            space.append(cp)
        elif len(parts) == 3:
            punct.append(cp)
    out["pre_space"] = space
    out["pre_punct"] = punct
    # Whole texts, for what single code points cannot show: the order of
    # combining marks after NFD.
    model = variants["model"]
    out["texts"] = [[t, model.normalize_str(t)] for t in texts]
    out["model_options"] = cfg
    return out


def write_gz(path, obj):
    """Writes obj as gzip JSON, byte for byte the same on every run."""
    data = json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode()
    with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as z:
        z.write(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="the model folder, e.g. $(./scripts/fetch-model)")
    ap.add_argument("--eval", default=EVAL_DIR, help="folder of resumes_dev.csv and jobs_dev.csv, plain or gzipped")
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()

    with open(os.path.join(args.model, "sentence_bert_config.json")) as f:
        max_len = json.load(f)["max_seq_length"]
    fast = BertTokenizerFast.from_pretrained(args.model)
    slow = BertTokenizer.from_pretrained(args.model)
    # As sentence_transformers.models.Transformer.tokenize calls it.
    kw = dict(padding=True, truncation="longest_first", max_length=max_len)

    resumes, jobs = read_eval(args.eval)
    cases, rng = build_cases(resumes, jobs)
    texts = [c["text"] for c in cases]
    # One call per text, as for a batch of one.
    for c in cases:
        enc = fast([c["text"]], **kw)
        c["ids"] = enc["input_ids"][0]
        c["mask"] = enc["attention_mask"][0]
        s = slow([c["text"]], **kw)["input_ids"][0]
        if s != c["ids"]:
            c["slow_ids"] = s

    batches = []
    order = list(range(len(texts)))
    rng.shuffle(order)
    pos = 0
    while pos < len(order) and len(batches) < 400:
        size = rng.choice([1, 2, 3, 4, 8, 16, 32])
        idx = order[pos : pos + size]
        pos += size
        enc = fast([texts[i] for i in idx], **kw)
        batches.append({"idx": idx, "ids": enc["input_ids"], "mask": enc["attention_mask"], "type_ids": enc["token_type_ids"]})

    kinds = {}
    for c in cases:
        k = kinds.setdefault(c["kind"], [0, 0])
        k[0] += 1
        k[1] += "slow_ids" in c
    meta = {
        "generator": "sbert/wordpiece/testdata/gen_golden.py",
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "python": sys.version.split()[0],
        "unidata_version": unicodedata.unidata_version,
        "model": os.path.basename(os.path.normpath(args.model)),
        "max_length": max_len,
        "seed": SEED,
        "call": "BertTokenizerFast(texts, padding=True, truncation='longest_first', max_length=max_length)",
        "cases_and_slow_disagreements_by_kind": kinds,
    }
    write_gz(os.path.join(args.out, "encode.json.gz"), {"meta": meta, "cases": cases, "batches": batches})
    meta_u = dict(meta)
    meta_u.pop("cases_and_slow_disagreements_by_kind")
    norm_texts = [c["text"] for c in cases if c["kind"] in ("handwritten", "korean", "accents", "random")]
    write_gz(os.path.join(args.out, "unicode.json.gz"), {"meta": meta_u, **unicode_tables(fast, norm_texts)})
    print(json.dumps(meta, indent=1))
    print("cases", len(cases), "batches", len(batches), "slow disagreements", sum("slow_ids" in c for c in cases))


if __name__ == "__main__":
    main()
