#!/usr/bin/env python3
"""Generate the sbert golden files with the reference implementation.

Run from the repository root with the pinned requirements installed:

    python -m venv ~/venvs/st && ~/venvs/st/bin/pip install -r sbert/testdata/requirements.txt
    ~/venvs/st/bin/python sbert/testdata/gen_golden.py \
        --model-dir "$(./scripts/fetch-model)" [--eval-dir DIR]

It writes, under sbert/testdata/:

  golden-minilm.json.gz   texts, token ids and sentence-transformers embeddings of
                          all-MiniLM-L6-v2 (fp32, CPU) for >= 500 texts.
  tiny-cls/               a tiny random BertModel (F32, CLS pooling, no Normalize)
                          saved by sentence-transformers as model.safetensors and
                          pytorch_model.bin, plus golden.json.gz.
  torch-small.bin         a small torch.save state dict for the torchzip tests: F32,
                          F16 and BF16 tensors, two views into one storage, an I64 tensor.
  tiny-max/               a tiny random BertModel stored in F16 (max, mean and
                          mean_sqrt_len pooling concatenated, Normalize), both formats, plus golden.json.gz whose
                          embeddings are computed in fp32 from the F16 weights.

Embeddings are stored as base64 of little-endian float32, row-major.
"""

import argparse
import base64
import csv
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import sys

import numpy as np
import torch
import transformers
import sentence_transformers
from sentence_transformers import SentenceTransformer, models

csv.field_size_limit(1 << 30)

KEYWORDS = """python java golang rust kubernetes docker terraform aws azure gcp sql nosql postgresql mysql mongodb
redis kafka spark hadoop airflow tableau excel powerbi pandas numpy scikit-learn tensorflow pytorch keras nlp
statistics regression classification clustering leadership communication teamwork agile scrum jira git linux
bash javascript typescript react angular vue node.js html css devops ci/cd jenkins microservices rest graphql
accounting finance marketing sales recruiting payroll compliance auditing budgeting forecasting negotiation
nursing pharmacy logistics procurement supply-chain six-sigma autocad solidworks matlab simulink c++ c# .net
data-science machine-learning deep-learning computer-vision big-data etl data-warehouse snowflake databricks
photoshop illustrator figma ux ui seo sem copywriting customer-service crm salesforce sap erp oracle
""".split()

PHRASES = [
    "machine learning engineer", "senior data scientist", "project management", "customer relationship management",
    "natural language processing", "cloud infrastructure", "continuous integration", "financial analysis",
    "stakeholder management", "supply chain optimization", "time series forecasting", "a/b testing",
    "statistical modeling", "software development life cycle", "object-oriented programming",
    "bachelor's degree in computer science", "5+ years of experience", "strong written and verbal communication",
    "ability to work independently", "fast-paced environment", "cross-functional teams", "data pipelines",
    "deep neural networks", "reinforcement learning", "business intelligence", "quality assurance",
    "human resources", "electrical engineering", "mechanical design", "civil engineering", "health care",
    "network security", "penetration testing", "risk management", "product roadmap", "user research",
    "mobile app development", "ios and android", "real-time systems", "embedded c", "operations research",
]

SPECIAL = [
    "", " ", "\t\n", ".", "!!!", "a", "I", "naïve bayes", "Café résumé", "Zürich Straße", "São Paulo, Brasil",
    "Ångström", "façade déjà vu", "ÉCOLE NORMALE SUPÉRIEURE", "crème brûlée", "niño año",
    "机器学习工程师", "数据科学家 Python", "東京でのソフトウェア開発", "한국어 자연어 처리", "Москва, Россия",
    "Ελληνικά γράμματα", "עברית", "العربية للمطورين", "हिन्दी भाषा", "ภาษาไทย", "emoji 🚀 rocket", "👍👍👍",
    "I ❤️ Go", "C++/C#/F#", "e-mail: john.doe@example.com", "https://github.com/jobmatch/jobmatch",
    "$120,000 - $150,000 per year", "3.14159", "2020-02-04", "Node.js, Vue.js & Express.js",
    "state-of-the-art", "co-operate", "well-known", "self-driven", "x" * 300, "supercalifragilisticexpialidocious",
    "ALL CAPS HEADLINE", "MiXeD CaSe WoRdS", "tabs\tand\nnewlines\r\nhere", "zero\u200bwidth", "non\u00a0breaking",
    "soft\u00adhyphen", "control\x07char", "combining e\u0301 accent", "ﬁ ligature", "full-width ＡＢＣ",
]


def clean(s):
    return re.sub(r"\s+", " ", s).strip()


# The evaluation data ship with the repository (gzipped); --eval reads another folder of them.
EVAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "matcher", "eval", "testdata")


def open_eval(eval_dir, name):
    """Opens the evaluation CSV name in eval_dir, plain or gzipped (the repository ships it gzipped)."""
    path = os.path.join(eval_dir, name)
    if os.path.exists(path):
        return open(path, newline="", encoding="utf-8")
    return gzip.open(path + ".gz", "rt", newline="", encoding="utf-8")


def eval_texts(eval_dir, rng):
    with open_eval(eval_dir, "resumes_dev.csv") as f:
        resumes = [r["Resume_str"] for r in csv.DictReader(f)]
    with open_eval(eval_dir, "jobs_dev.csv") as f:
        jobs = list(csv.DictReader(f))
    titles = sorted({clean(j["Job Title"]) for j in jobs})
    descs = [j["Job Description"] for j in jobs]

    lines = []
    for doc in resumes + descs:
        for line in re.split(r"[\n\r]+|(?<=[.!?])\s+|\s\*\s", doc):
            line = clean(line)
            if 3 <= len(line) <= 400:
                lines.append(line)
    lines = sorted(set(lines))

    sentences = [l for l in lines if 8 <= len(l.split()) <= 40]
    short = [l for l in lines if 1 <= len(l.split()) <= 6]
    docs = []
    for doc in rng.sample(resumes, 20) + rng.sample(descs, 20):
        words = doc.split()
        if len(words) >= 250:
            docs.append(" ".join(words[:300]))
    return (rng.sample(titles, 40), rng.sample(short, 80), rng.sample(sentences, 160), docs)


def build_texts(eval_dir):
    rng = random.Random(20261126)
    titles, short, sentences, docs = eval_texts(eval_dir, rng)
    texts = KEYWORDS + PHRASES + SPECIAL + titles + short + sentences + docs
    seen, out = set(), []
    for t in texts:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def b64f32(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def token_ids(model, texts):
    tok = model.tokenizer
    n = model.get_max_seq_length()
    return [tok(t, truncation=True, max_length=n)["input_ids"] for t in texts]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_golden(path, model, texts, note, weights):
    emb = model.encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False)
    assert emb.dtype == np.float32, emb.dtype
    doc = {
        "note": note,
        "weights_sha256": sha256(weights),
        "versions": {
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "sentence_transformers": sentence_transformers.__version__,
        },
        "dim": int(emb.shape[1]),
        "texts": texts,
        "ids": token_ids(model, texts),
        "embeddings": b64f32(emb),
    }
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    print(f"wrote {path}: {len(texts)} texts, dim {emb.shape[1]}, {os.path.getsize(path)} bytes")


def tiny_vocab(real_tok, texts):
    """A small WordPiece vocabulary: specials, characters and frequent pieces."""
    counts = {}
    for t in texts:
        for p in real_tok.tokenize(t):
            counts[p] = counts.get(p, 0) + 1
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = list("abcdefghijklmnopqrstuvwxyz0123456789.,;:!?-/()&+'\"$%")
    pieces = specials + chars + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
    for p, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(pieces) >= 320:
            break
        if p not in pieces:
            pieces.append(p)
    return pieces


def tiny_model(out_dir, vocab, pooling, normalize, half, seed, texts):
    torch.manual_seed(seed)
    tmp = out_dir + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with open(os.path.join(tmp, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    tok = transformers.BertTokenizer(os.path.join(tmp, "vocab.txt"), do_lower_case=True)
    tok.save_pretrained(tmp)
    cfg = transformers.BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=64, type_vocab_size=2, hidden_act="gelu",
        layer_norm_eps=1e-12, initializer_range=0.5)
    bert = transformers.BertModel(cfg, add_pooling_layer=False)
    # Random LayerNorm affine parameters and biases, so that none is trivially 1 or 0.
    with torch.no_grad():
        for name, p in bert.named_parameters():
            if name.endswith("bias") or "LayerNorm" in name:
                p.copy_(torch.randn_like(p) * 0.2 + (1.0 if name.endswith("LayerNorm.weight") else 0.0))
    if half:
        bert = bert.half()
    bert.save_pretrained(tmp, safe_serialization=True)
    bert.save_pretrained(tmp + "-bin", safe_serialization=False)
    shutil.move(os.path.join(tmp + "-bin", "pytorch_model.bin"), os.path.join(tmp, "pytorch_model.bin"))
    shutil.rmtree(tmp + "-bin")

    tr = models.Transformer(tmp, max_seq_length=32)
    tr.auto_model.float()  # goldens in fp32 from the stored (possibly F16-rounded) weights
    pool = models.Pooling(cfg.hidden_size, pooling_mode=None, **pooling)
    mods = [tr, pool] + ([models.Normalize()] if normalize else [])
    st = SentenceTransformer(modules=mods, device="cpu")
    st.save(out_dir + ".st")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    # Keep what a sentence-transformers model directory holds, with our weights files.
    for name in ["config.json", "modules.json", "sentence_bert_config.json", "vocab.txt",
                 "tokenizer_config.json", "special_tokens_map.json"]:
        shutil.copy(os.path.join(out_dir + ".st", name), os.path.join(out_dir, name))
    shutil.copytree(os.path.join(out_dir + ".st", "1_Pooling"), os.path.join(out_dir, "1_Pooling"))
    # transformers records the folder it saved from; record the model's name instead, so that no
    # path of the machine that made it is committed.
    cfg_path = os.path.join(out_dir, "config.json")
    with open(cfg_path, encoding="utf-8") as f:
        text = f.read()
    with open(cfg_path, "w", encoding="utf-8") as f:
        f.write(text.replace(json.dumps(tmp), json.dumps(os.path.basename(out_dir))))
    for name in ["model.safetensors", "pytorch_model.bin"]:
        shutil.copy(os.path.join(tmp, name), os.path.join(out_dir, name))
    shutil.rmtree(out_dir + ".st")
    shutil.rmtree(tmp)

    st = SentenceTransformer(out_dir, device="cpu")
    note = f"tiny random BertModel, pooling {pooling}, normalize {normalize}, weights {'F16' if half else 'F32'}"
    write_golden(os.path.join(out_dir, "golden.json.gz"), st, texts, note, os.path.join(out_dir, "model.safetensors"))


def torch_fixture(path):
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    sd = {
        "f32": x,
        "f16": torch.tensor([1.0, -2.0, 0.5], dtype=torch.float16),
        "bf16": torch.tensor([3.0, -0.25], dtype=torch.bfloat16),
        "row0": x[0],  # views: one storage, offsets 0 and 3
        "row1": x[1],
        "i64": torch.arange(3),
    }
    torch.save(sd, path)
    print(f"wrote {path}: {os.path.getsize(path)} bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=os.path.expanduser("~/.cache/jobmatch/models/all-MiniLM-L6-v2"))
    ap.add_argument("--eval-dir", default=EVAL_DIR, help="folder of resumes_dev.csv and jobs_dev.csv, plain or gzipped")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch_fixture(os.path.join(args.out, "torch-small.bin"))
    texts = build_texts(args.eval_dir)
    model = SentenceTransformer(args.model_dir, device="cpu")
    model.eval()
    write_golden(os.path.join(args.out, "golden-minilm.json.gz"), model, texts,
                 "all-MiniLM-L6-v2, sentence-transformers encode (fp32, CPU, batch_size 32)",
                 os.path.join(args.model_dir, "model.safetensors"))

    small = KEYWORDS[:40] + PHRASES[:20] + SPECIAL + [t for t in texts if len(t.split()) > 40][:6]
    vocab = tiny_vocab(model.tokenizer, texts)
    tiny_model(os.path.join(args.out, "tiny-cls"), vocab, {"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}, False, False, 1, small)
    tiny_model(os.path.join(args.out, "tiny-max"), vocab,
               {"pooling_mode_max_tokens": True, "pooling_mode_mean_tokens": True,
                "pooling_mode_mean_sqrt_len_tokens": True}, True, True, 2, small)


if __name__ == "__main__":
    main()
