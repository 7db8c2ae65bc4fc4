#!/usr/bin/env python3
"""Generate the segtok goldens for package segtok.

Runs the real segtok 1.5.11 (requirements.txt) over
  * every resume and job posting of shared/eval (raw, and with "\\n" -> " "
    as YAKE feeds it),
  * every text of shared/yake/golden/**/*.json,
  * the hand-made adversarial strings below,
recording split_multi(text), web_tokenizer(sentence) for each sentence and
split_contractions(tokens) for each sentence.

    ~/venvs/yake/bin/python gen_golden.py [--eval DIR] [--golden DIR]
"""
import argparse
import csv
import glob
import gzip
import itertools
import json
import os
import platform
import sys

import regex
import segtok
from segtok.segmenter import split_multi
from segtok.tokenizer import split_contractions, web_tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))


def run(text):
    sentences = list(split_multi(text))
    tokens = [web_tokenizer(s) for s in sentences]
    return {
        "sentences": sentences,
        "tokens": tokens,
        "contractions": [split_contractions(list(t)) for t in tokens],
    }


def case(cid, text, whole=False):
    c = {"id": cid, "text": text}
    c.update(run(text))
    if "\n" in text:
        c["nl_to_space"] = run(text.replace("\n", " "))
    if whole:
        # The tokenizers on the unsplit text too: they are public functions.
        toks = web_tokenizer(text)
        c["whole_tokens"] = toks
        c["whole_contractions"] = split_contractions(list(toks))
    return c


def provenance(sources):
    return {
        "generator": "yake/internal/segtok/testdata/gen_golden.py",
        "python": platform.python_version(),
        "segtok": segtok.__version__ if hasattr(segtok, "__version__") else "1.5.11",
        "regex": regex.__version__,
        "sources": sources,
    }


def write(name, sources, cases, gz, extra=None):
    data = {"provenance": provenance(sources), "cases": cases}
    data.update(extra or {})
    path = os.path.join(HERE, name)
    raw = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":")).encode("utf-8")
    if gz:
        with open(path, "wb") as f:
            # mtime=0 keeps the file byte-identical between runs
            with gzip.GzipFile(filename="", fileobj=f, mode="wb", mtime=0, compresslevel=9) as g:
                g.write(raw)
    else:
        with open(path, "wb") as f:
            f.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    print(f"{name}: {len(cases)} cases, {os.path.getsize(path)} bytes", file=sys.stderr)


# The evaluation data ship with the repository (gzipped); --eval reads another folder of them.
EVAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "matcher", "eval", "testdata")


def open_eval(eval_dir, name):
    """Opens the evaluation CSV name in eval_dir, plain or gzipped (the repository ships it gzipped)."""
    path = os.path.join(eval_dir, name)
    if os.path.exists(path):
        return open(path, newline="", encoding="utf-8")
    return gzip.open(path + ".gz", "rt", newline="", encoding="utf-8")


def eval_cases(eval_dir):
    csv.field_size_limit(1 << 30)
    cases = []
    for fname, col in (("resumes_dev.csv", "Resume_str"), ("jobs_dev.csv", "Job Description")):
        with open_eval(eval_dir, fname) as f:
            for row in csv.DictReader(f):
                cases.append(case(f"{fname}:{row['row']}", row[col]))
    return cases


def golden_texts(root):
    texts = {}

    def walk(x, path):
        if isinstance(x, dict):
            for k, v in x.items():
                if k in ("text", "inputs") or k.startswith("input"):
                    for t in v if isinstance(v, list) else [v]:
                        if isinstance(t, str):
                            texts.setdefault(t, path)
                else:
                    walk(v, path)
        elif isinstance(x, list):
            for v in x:
                walk(v, path)

    for f in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
        with open(f, encoding="utf-8") as fh:
            walk(json.load(fh), os.path.relpath(f, root))
    return [case(f"{src}#{i}", t, whole=True) for i, (t, src) in enumerate(texts.items())]


ADVERSARIAL = [
    # abbreviations and initials
    "Dr. Smith went to Washington. He arrived at 5 p.m. and left.",
    "See Fig. 3 and Figs. 4-5 for details. Results are e.g. shown there.",
    "The U.S. economy grew. The U.K. did not. E.U. rules apply.",
    "This is i.e. a test. And this, i.e. another one.",
    "Prof. Dr. med. Hans Müller lectured. Mrs. Brown listened.",
    "It was on 12. Mai 2010. Then on 3. Jan. 2011 it rained.",
    "The meeting is on Jan. 5. Please come.",
    "He met J. R. R. Tolkien. Then A. Dent arrived.",
    "Written by A. Smith, B. Jones, and C. Brown. Next sentence.",
    "Doctor J. Watson helped. Captain A. Hastings too.",
    "As noted (Smith et al. 2010) results vary. Next one.",
    "As noted (see A. B. Smith, J. Biol. Chem. 12:3) results vary. Next one.",
    "This is approx. 5 kg. That is vs. 6 kg. Done.",
    "Mr. and Mrs. Smith are here. St. Louis is a city.",
    "No. 5 is the best. Nr. 6 is not. Vol. 3 was good.",
    "Señor A. Garcia llegó. Señorita B. Lopez también.",
    "He said: \"Stop!\" and left. Then \"Go.\" she said.",
    "(This is a short sentence.) And another (Here. Now.) one.",
    "[Ref. 1. See also.] More text here. [A. B. C.]",
    "The species m. musculus was used. H. sapiens too.",
    "The spp. are many. Some were tested.",
    "Is it? Yes! Really?! Wow‼ What‽ Hmm⁇ Ok⁈ Fine⁉ Done。 次｡ Ａ！ Ｂ？ Ｃ． D﹒ E﹗",
    "End with quote.\" Next sentence. End with bracket.) Next. End.]) Next.",
    "End with curly quote.” Next. End with ’single’ quote.’ Next.",
    "Line one\nline two continues.\n\nNew paragraph here.\n\n\nThird paragraph.",
    "Windows\r\nline\r\n\r\nbreaks. Next\r\nsentence.",
    "Old Mac\rline breaks.\rNext.",
    "Tabs\tand\tspaces.  Double  spaced.   Triple.",
    "Trailing spaces.   \n\n   Leading spaces.",
    "  \n\n  ",
    "",
    " ",
    ".",
    "...",
    ". . .",
    "A.",
    "A. B.",
    "1. 2. 3.",
    "12. 13",
    "a. b. c. d.",
    "Hello world.And no space. Then space.",
    "Ellipsis... and more... Then a sentence... Next.",
    "It costs $5.50. It was 3.5 percent. Version 2.0.1 released.",
    "The value is 12.5 or 3,000 or 1e5 or 1.2e-3 or -3 or +4.",
    "Formulas: x² y³ km² m⁻¹ s⁻² H₂O CO₂ (SO₄)²⁻ NH₄⁺ Ca²⁺ C₆H₁₂O₆.",
    "Times 12:30pm and 9:00 and Isaiah 12:3 and a:b.",
    "AT&T and Johnson & Johnson and R&D.",
    "co-founder, state-of-the-art, e-mail, E-MAIL, re-\nuse, Hel- \r\n \t lo, x-\n y.",
    "Hyphens: a‐b a‑b a‒b a–b a—b a­b a―b a−b.",
    "Words with digits: COVID-19, B2B, 3D, mp3, iPhone12, Web3.0.",
    # URLs and e-mails
    "Visit https://example.com/path?q=1#frag now.",
    "Visit http://example.com. Then leave.",
    "Go to https://x.com/p?q=1 or mail john.doe@example.org today.",
    "Mail me at john.doe@example.org, or jane@x.co.uk; thanks.",
    "<a href=\"http://example.com/a(b)\">link</a> and (http://foo.bar/baz) and [https://a.b].",
    "Links: ftp://user:pass@host.example.com:21/dir/file.txt and mailto:me@x.org.",
    "Weird: http://a.b-c and http://a.b.c-d and http://x.y/ and http://x.y? and http://x.y#.",
    "Query only http://a.b?x=1&y=2 and fragment http://a.b#top and port http://a.b:8080/x.",
    "Port without digits http://a.b: and after http://a.b:80x.",
    "Email-ish a#b@x.com and 'quoted'@x.org and {curly}@x.net and x@y and @x.com.",
    "Multiple @ signs: a@b@c.com and http://u@v@w.com/x.",
    "Unicode URLs: http://bücher.de/straße and josé@correo.es and 用户@例子.广告.",
    "No scheme www.example.com and example.com/path and user@localhost.",
    "URL in quotes \"http://q.com/x\" and 'http://s.com/y' and <http://t.com/z>.",
    "HTTP://UPPER.CASE/PATH and Https://Mixed.Case.",
    "[[[http://a.b and {{{x@y.z and (((http://c.d/e.",
    "url at end http://a.b/c",
    "http://a.b/c is first",
    "a:// b:// c:// d@e.f-",
    # entities
    "Caf&eacute; &amp; bar &lt;tag&gt; &quot;quoted&quot; &#39;single&#39; &#x41;&#X42;&#67;.",
    "Broken &amp entities &ampfoo; &notit; &notin; &unknown; &#; &#x; &#xZZ; &# 12; &&amp;.",
    "Numeric &#0; &#128; &#150; &#13; &#x80; &#xD800; &#1114112; &#99999999999999999999; &#1; &#xFFFE;.",
    "Long &aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; and &AElig &AEligx &copy2023 &nbsp;space.",
    "Entities in URL http://a.b/?x=1&amp;y=2 stay but outside &amp; go.",
    "Spaces via entities: a&#32;b a&nbsp;b a&#10;b a&#9;b.",
    "Emoji entity &#128512; and &#x1F600; and astral &#x1D400;.",
    "&lt;p&gt;Hello&lt;/p&gt; &lt; &gt; &LT; &GT; &Amp; &AMP;",
    # contractions
    "I can't, won't, don't, shouldn't, isn't. They'd've. O'Hara's book. We'll see. I'm here. You're there. I've done.",
    "Kaggle’s founders won’t say. Google’s CEO can’t. They’re ’quoted’ here.",
    "OʼHaraʼs case: canʼt and wonʼt with modifier letter apostrophes.",
    "Prime′s and acute´s and ʹmodifierʹs and James' book and the dogs' bones.",
    "Rock 'n' roll, '90s music, 'tis, y'all, ma'am, o'clock.",
    "Don'T and CAN'T and can''t and can'’t and n't and 't and 's alone.",
    "5'-ACGT-3' and 5’-ACGT-3’ DNA.",
    "state-of-the-art's and co-founder’s and e-mail'd.",
    # non-Latin scripts
    "قال المدير إن المشروع (الجديد) سيبدأ غدا. وأضاف أن المكتبة، والمقارن” جاهزة.",
    "שלום עולם. זה משפט שני, עם פסיק.",
    "机器学习是人工智能的一个分支。它使用数据来训练模型。",
    "東京は日本の首都です。大阪は第二の都市です！",
    "내가 원하는 우리나라는 단지 강한 나라가 아니다. 높은 문화의 힘을 가지고 있다.",
    "\u1102\u1162\u1100\u1161 \u110b\u116f\u11ab\u1112\u1161\u1102\u1173\u11ab 나라. 한국어 NFD.",
    "Ανώτατος διοικητής του ρωσικού στρατού. Ο Πούτιν είπε ότι ΤΗΣ χώρας.",
    "हिन्दी एक भाषा है। यह भारत में बोली जाती है.",
    "ภาษาไทยไม่มีช่องว่างระหว่างคำ. ประโยคที่สอง.",
    "Русский текст. Второе предложение, с запятой.",
    "Emoji 😀 text 👍🏽 here. Family 👨‍👩‍👧 and flags 🇵🇹🇩🇪. Keycap 1️⃣.",
    "Combining: e\u0301te\u0301 and cafe\u0301. Next.",
    "Titlecase ǅemal ǈudevit ǋenad. Next ǲ.",
    "Modifier letters: ʰ ʲ ˈstress ˌsecondary ꜰ ᵃ.",
    # control characters and odd whitespace
    "Control\x00chars\x01and\x07bell\x1bescape. Next\x1csep\x1dgroup\x1e\x1f.",
    "Vertical\x0btab and form\x0cfeed. Next\x85line.",
    "Unicode spaces:\u00a0nbsp\u2002en\u2003em\u2009thin\u200bzwsp\u3000ideo. Next\u2028line\u2029para.",
    "Zero width joiner a\u200db and non-joiner a\u200cb and BOM \ufeffx.",
    "Soft\u00adhyphen and word\u00ad\nbreak.",
    # odd punctuation
    "Quotes «guillemets» and „German“ and ‚single‘ and 「Japanese」.",
    "Dashes — em – en and ellipsis … and bullets • ▪ ◦.",
    "$100, €50, £20, ¥1000, 50%, #hashtag, @mention, 100°C, 5′10″.",
    "Semicolons; colons: commas, dangling,;: and ,,, and ;;; and ::: end:",
    "Parens (nested (deeply (very))) and [brackets [inner]] and {braces}.",
    "Slashes a/b and back\\slash and pipe|bar and under_score.",
    "Numbers 1,000,000 and 1.000.000 and 1 000 000 and 10-20 and 10–20.",
    "Version v1.2.3-beta+build.5 and IP 192.168.0.1 and MAC 00:1A:2B.",
    "Math 2+2=4, a<b>c, x^2, 3*4, 10/2.",
    "!!! ??? ... --- *** ### @@@",
    "Mixed.Case.Dots and A.B.C and a.b.c. End.",
    "Sentence ending with number 2010. Next sentence starts here.",
    "He was born in 1990. In 2010. he moved.",
    "Question? lower case next. Exclamation! lower next.",
    "Abbrev at end etc. Next sentence. And i.e. lower.",
    "Paren sentence (ends here.) Next. (Starts here. Ends there.)",
    "Short (a. b. c. d. e.) text. Long (" + "word " * 20 + ". More " + "words " * 20 + ".) End.",
    "And this starts with and. Or with or. Of course. Is it? Was it. Via road. With care. Through it. Than that.",
    "Word.\nLower continuation after newline.\nUpper After newline.",
    "List:\n- item one\n- item two\n\n* bullet\n* bullet two",
    "Resume\n\nSkills: Python, SQL.\nExperience: 5 years.\n\nEducation",
    "UPPERCASE SENTENCE. ANOTHER ONE! lower one.",
    "The N.Y.P.D. arrived. The F.B.I. too.",
    "Middle initial John F. Kennedy was president. Next.",
    "Name A. B. and C. Smith. Next.",
    "I met Prof. A.-B. Smith and Dr. A.B. Jones.",
    "By J. Smith, R. Brown, and K. Lee.",
    "Authors: Smith, J., and Brown, K. Title here.",
    "(A. Smith) wrote it. [B. Jones] too.",
    "Gene-A is expressed. gene-B is not.",
    # targeted at single rules of split_multi
    "See (Smith et al. Biology (today) and more. Next.",
    "See [Smith et al. Biology [today] and more. Next.",
    "Many spp. grew here.", "Many spp. Grew here.", "Manyspp. grew here.",
    "Ask X, A. Then go.", "Ask Xy, A. Then go.", "Ask Xʰ, A. Then go.", "Ask 9, A. Then go.",
    "X and B. Then go.", "Smith and B. Then go.", "X, and B. Then go.", "Smith, and B. Then go.",
    "a, and B. Then go.", "Ab, and B. Then go.", ",, and B. Then go.", "x, and B. Then go.",
    "I was met by A.-B. Smith there.", "I was met by A.B. Smith there.", "I was met by A.‐B. Smith there.",
    "met by Aʰ. Smith there.", "met by Aʰ.Bʰ. Smith there.", "met Professor Aʰ. Smith there.",
    "xby A. Smith there.", "Captain A. Smith. Commander B. Jones. Doktor C. Who. Miss D. Q. Magiss E. F.",
    "On 12. Jan we met.", "On 31. Dez we met.", "On 45. Jan we met.", "On 07. 08. 2020 we met.",
    "On x12. Jan we met.", "On 4. Okt we met.", "On 1. 0 and 1. 00 and 1. 09 and 1. 13.",
    "Met McJohn F. Kennedy there.", "John F. Kennedy2 here", "John F. Kennedy_x here", "John Fʰ. Kennedy here",
    "Word.\nlower\n", "x. y\n", "x. y-z9\n", "x. y z\n", "x. ʰy\n",
    "In (3Abc. Def: x (y) z. Next.) End.", "In (Abc. Def: x (y) z. Next.) End.",
    "In (_Abc. Def: x (y) z. Next.) End.", "In (Ab\u0301c. Def: x (y) z. Next.) End.",
    "In (Abc. 12: x (y) z. Next.) End.", "In (Abc. (2010) Def: x (y) z. Next.) End.",
    "In (Abc. (2010)Def: x (y) z. Next.) End.", "In (Abc. (201) Def: x. Next.) End.",
    "In (Abc. 12 x (y) z. Next.) End.", "In (Abc. ǅx, x (y) z. Next.) End.",
    "a,[http://x.y b", "a,{x@y.z b", ",[http://x.y b", ",{x@y.z b", "a<http://x.y> b", "a\"x@y.z\" b",
    "http://x.y# next", "http://x.y? next", "http://x.y/# next", "http://x.y:# next", "mail x@y.z# next",
    "Mixed (Open [square. Close. Next.] here.) end. Next.",
    "Quote.’ Next. Quote.’) Next. Quote.'] Next. Quote.\") next. Quote.”] next.",
    "End!\" said he. End?) said she. End.] said it.",
    # code points newer than Go's Unicode 15 or Python 3.11's Unicode 14 (the regex module knows them)
    "met by \u1c89. Smith there.", "\u1c89\u1c8a's and \u1c8a\u1c8a. next", "Garay \U00010d50\U00010d70. Next",
    "digits \U00016130\U00016131. 5 and \U00011f50:\U00011f51 and x\U00010d4e. y", "\ua7cb\U0001df25-\u1c8a’s km\u00b2",
    "12 . Next", "12. Next", "١٢. Next", "x. Next", "xy. Next", "A. Next", "$. Next", "é. Next",
]


def bracket_lengths():
    # Around SHORT_SENTENCE_LENGTH (55): bracketed fragments of 50..58 code points.
    out = []
    for k in range(48, 59, 2):
        for m in range(48, 59, 2):
            a = "(" + ("a b " * 30)[: k - 3] + ". "
            b = ("Cd e " * 30)[: m - 2] + ".) "
            out.append("Intro " + a + b + "Tail here.")
            out.append(("a b " * 30)[: k - 2] + ". " + "[" + ("Cd e " * 30)[: m - 3] + ". " + "x.] Tail.")
    return out


def adversarial():
    items = list(ADVERSARIAL) + bracket_lengths()
    # Deterministic combinations: a left part, a separator and a right part.
    lefts = ["Dr", "U.S", "e.g", "Jan", "12", "A", "x", "end", "Smith", "(see A", "http://a.b", "a@b.co",
             "can't", "it’s", "ʼs", "km²", "H₂O", "&amp", "é", "中文", "١٢", "ǅ"]
    seps = [". ", ".\n", ".\n\n", "! ", "? ", ".) ", ".\" ", " ", "\n\n", ", ", ".\t"]
    rights = ["Next", "next", "and more", "5", "Mar", "Smith", "(x)", "“Quote”", "ʼs", "x@y.z", ""]
    for l, s, r in itertools.product(lefts, seps, rights):
        items.append(l + s + r)
    # Tokenizer stress: every word-pattern alternative next to every neighbour.
    pieces = ["a", "A", "1", ".", ",", ":", "-", "'", "’", "s", "²", "⁻", "₂", ")", "]", "‐", "ʼ", "&", "/", "@"]
    for a, b, c in itertools.product(pieces, repeat=3):
        if (a, b, c) < ("1", "", ""):  # keep it to a few thousand strings
            items.append(a + b + c)
        elif (pieces.index(a) + pieces.index(b) * 3 + pieces.index(c) * 7) % 5 == 0:
            items.append("x" + a + b + c)
    seen, out = set(), []
    for t in items:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return [case(f"adv:{i}", t, whole=True) for i, t in enumerate(out)]


# Alphabet of the random strings: pieces that trigger segtok's patterns.
RANDOM_PIECES = [
    "a", "b", "s", "t", "n", "e", "A", "B", "Dr", "U.S", "e.g", "Jan", "Mr", "and", "is", "of", "et al",
    "1", "12", "2010", "0", "é", "ǅ", "ʰ", "中", "ا", "한", "\u1100\u1161", "e\u0301", "١",
    ".", ".", "!", "?", "。", "…", "...", ",", ";", ":", "-", "‐", "\u00ad", "'", "’", "ʼ", "´", "′",
    "\"", "”", "“", "(", ")", "[", "]", "{", "}", "<", ">", "/", "@", "&", "#", "$", "%",
    " ", " ", " ", " ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u2028", "\x1c", "\x0b",
    "²", "⁻", "¹", "₂", "⁺", "km", "H", "O", "Cl",
    "http://", "https://", "x.com", "a.b", "www.", ":80", "?q=1", "#f",
    "&amp;", "&lt", "&#39;", "&#x41;", "&eacute;", "&notin;", "&#", "&x",
    "can't", "won’t", "'s", "’s", "n't", "'d", "ll", "ve", "re",
]


def random_cases(n, seed):
    import random
    rng = random.Random(seed)
    out = []
    for i in range(n):
        k = rng.randint(1, 40)
        out.append("".join(rng.choice(RANDOM_PIECES) for _ in range(k)))
    return [case(f"rand:{seed}:{i}", t, whole=True) for i, t in enumerate(out)]


def contraction_lists(n, seed):
    """split_contractions over raw token lists, beyond what web_tokenizer produces."""
    import random
    rng = random.Random(seed)
    fixed = ["can't\n", "can't\n\n", "a--b's", "-a's", "a-'s", "a-b's", "a‐b’s", "ʼʼs", "'s", "n't", "don't",
             "DON'T", "x'll", "x're", "x've", "x'm", "x'd", "x'S", "xʼll", "x′ve", "x´re", "ʹs", "aʹbʼc’d'e´f′s",
             "a\nb's", "a b's", "", "'", "a'", "x'l", "x'e", "x've\n", "ǅ'd", "١'s", "ⅻ's", "中's", "e\u0301's",
             "co-founder's", "state-of-the-art’s", "x'n't", "nn't", "n'tt", "can’t", "canʼt", "won′t"]
    alphabet = ["a", "n", "t", "s", "d", "l", "m", "r", "e", "v", "A", "1", "ʰ", "中", "-", "‐", "'", "’", "ʼ",
                "ʹ", "´", "′", "\n", "."]
    lists = [[t] for t in fixed] + [fixed]
    for _ in range(n):
        toks = []
        for _ in range(rng.randint(1, 6)):
            toks.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))))
        lists.append(toks)
    return [{"in": l, "out": split_contractions(list(l))} for l in lists]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default=EVAL_DIR, help="folder of resumes_dev.csv and jobs_dev.csv, plain or gzipped")
    ap.add_argument("--golden", default=os.path.join(HERE, "..", "..", "..", "testdata", "upstream"), help="the upstream goldens (shared/yake/golden)")
    args = ap.parse_args()
    write("segtok_adversarial.json.gz", ["gen_golden.py ADVERSARIAL and combinations",
                                         "contraction_lists(3000, seed=26)"], adversarial(), True,
          {"contraction_lists": contraction_lists(3000, 26)})
    write("segtok_random.json.gz", ["gen_golden.py random_cases(6000, seed=20261126)"],
          random_cases(6000, 20261126), True)
    write("segtok_yake_golden.json.gz", ["shared/yake/golden/**/*.json text and inputs fields"],
          golden_texts(args.golden), True)
    write("segtok_eval.json.gz", ["shared/eval/resumes_dev.csv Resume_str", "shared/eval/jobs_dev.csv Job Description"],
          eval_cases(args.eval), True)


if __name__ == "__main__":
    main()
