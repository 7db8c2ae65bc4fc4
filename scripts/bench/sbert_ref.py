#!/usr/bin/env python3
"""Reference timings for sbert: sentence-transformers (torch, CPU) and onnxruntime.

Measures, on the inputs of the Go benchmark BenchmarkEncode (sbert/encode_test.go,
whose construction inputs() repeats: keep the two in step), the wall time of one
end-to-end call (tokenize, encode, mean-pool, normalize):

  tokens=8, 32, 128, 256   one text of exactly that many tokens, [CLS] and [SEP]
                           included: n-2 one-token words of BENCH_TEXT, cycled
  batch=64                 64 short keyword phrases built from PHRASES

Usage (the pinned stack of scripts/bench/requirements.txt, e.g. ~/venvs/st):

    ~/venvs/st/bin/python scripts/bench/sbert_ref.py --model-dir DIR --threads 1

It prints one JSON object: {"threads": N, "versions": {...},
"ms": {"torch": {"tokens=8": ms, ...}, "ort": {...}, "ort-int8": {...}},
"cos": {"ort-int8": {"tokens=8": c, ...}}}. ort-int8 is the ONNX model
quantised by onnxruntime.quantization.quantize_dynamic with QInt8 weights
(its defaults otherwise: one scale per tensor, uint8 activations), as the
sentence-transformers documentation shows for ONNX on CPU; cos is the least
cosine of its embeddings to those of the float32 ONNX model. The ONNX export
of the model and its quantised copy are made once and kept outside the
repository, under $JOBMATCH_CACHE/bench (default ~/.cache/jobmatch/bench).
"""

import argparse
import hashlib
import json
import os
import statistics
import sys
import time

BENCH_TEXT = "Experienced software engineer building distributed data pipelines in Go and Python on AWS. " * 20
PHRASES = ("python golang kubernetes docker terraform aws azure gcp sql postgresql mongodb redis kafka spark "
           "airflow tableau").split()
TOKEN_COUNTS = (8, 32, 128, 256)


def inputs(tokenizer):
    """The inputs of BenchmarkEncode, keyed by its sub-benchmark names."""
    words = [w for w in BENCH_TEXT.split() if len(tokenizer(w)["input_ids"]) == 3]
    cases = {}
    for n in TOKEN_COUNTS:
        text = "".join(words[i % len(words)] + " " for i in range(n - 2))
        got = len(tokenizer(text)["input_ids"])
        if got != n:
            sys.exit(f"sbert_ref: the {n}-token text has {got} tokens")
        cases[f"tokens={n}"] = [text]
    cases["batch=64"] = [f"{PHRASES[i % len(PHRASES)]} {PHRASES[(i * 7 + 3) % len(PHRASES)]} developer" for i in range(64)]
    return cases


def measure(fn, min_time, min_runs=5, warmup=3):
    """Mean milliseconds per call over at least min_runs calls and min_time seconds."""
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {"mean": 1e3 * statistics.fmean(times), "median": 1e3 * statistics.median(times), "runs": len(times)}


def onnx_path(model_dir, cache):
    with open(os.path.join(model_dir, "model.safetensors"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    return os.path.join(cache, f"all-MiniLM-L6-v2-{digest}-opset14.onnx")


def export_onnx(model_dir, path):
    """Export the transformer (last_hidden_state) with dynamic batch and sequence axes."""
    import inspect

    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir, attn_implementation="eager", torch_dtype=torch.float32).eval()
    # The TorchScript exporter; newer torch defaults to the dynamo one.
    kwargs = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    enc = tok(["an example input", "a second one"], return_tensors="pt", padding=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]

    class Encoder(torch.nn.Module):
        # Keyword arguments, since the positional order of forward differs across transformers versions.
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with torch.no_grad():
        torch.onnx.export(Encoder(model), tuple(enc[n] for n in names), tmp, input_names=names,
                          output_names=["last_hidden_state"],
                          dynamic_axes={n: {0: "batch", 1: "seq"} for n in names + ["last_hidden_state"]},
                          opset_version=14, **kwargs)
    os.replace(tmp, path)


def quantize_onnx(path, qpath):
    """Quantise the exported model's weights to int8 with quantize_dynamic."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = qpath + ".tmp.onnx"
    quantize_dynamic(path, tmp, weight_type=QuantType.QInt8)
    os.replace(tmp, qpath)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--min-time", type=float, default=2.0, help="seconds of timed calls per case")
    ap.add_argument("--cache", default=os.path.join(os.environ.get("JOBMATCH_CACHE", os.path.expanduser("~/.cache/jobmatch")), "bench"))
    ap.add_argument("--check", action="store_true", help="also check that torch and ORT agree")
    args = ap.parse_args()

    # Thread pools are sized at import time.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    os.environ["TOKENIZERS_PARALLELISM"] = "false"

    import numpy as np
    import onnx
    import onnxruntime as ort
    import sentence_transformers
    import tokenizers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)

    st = SentenceTransformer(args.model_dir, device="cpu")
    st.eval()
    tokenizer = st.tokenizer
    max_len = st.max_seq_length
    cases = inputs(tokenizer)

    path = onnx_path(args.model_dir, args.cache)
    if not os.path.exists(path):
        export_onnx(args.model_dir, path)
    qpath = path.removesuffix(".onnx") + "-qint8.onnx"
    if not os.path.exists(qpath):
        quantize_onnx(path, qpath)

    def session(path):
        so = ort.SessionOptions()
        so.intra_op_num_threads = args.threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])

    sessions = {"ort": session(path), "ort-int8": session(qpath)}

    def ort_encode(texts, sess=sessions["ort"]):
        enc = tokenizer(texts, padding=True, truncation=True, max_length=max_len, return_tensors="np")
        feed = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
        hidden = sess.run(None, feed)[0]
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def torch_encode(texts):
        with torch.inference_mode():
            return st.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=False)

    if args.check:
        for name, texts in cases.items():
            diff = float(np.abs(ort_encode(texts) - torch_encode(texts)).max())
            if diff > 1e-4:
                sys.exit(f"sbert_ref: {name}: torch and ORT differ by {diff}")

    ms = {"torch": {}, "ort": {}, "ort-int8": {}}
    cos = {"ort-int8": {}}
    for name, texts in cases.items():
        ms["torch"][name] = measure(lambda: torch_encode(texts), args.min_time)
        ms["ort"][name] = measure(lambda: ort_encode(texts), args.min_time)
        q = sessions["ort-int8"]
        ms["ort-int8"][name] = measure(lambda: ort_encode(texts, q), args.min_time)
        # Both unit vectors: the cosine is the dot product.
        cos["ort-int8"][name] = float((ort_encode(texts, q) * ort_encode(texts)).sum(axis=1).min())
    json.dump({
        "threads": args.threads,
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__, "transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__, "sentence-transformers": sentence_transformers.__version__,
                     "onnxruntime": ort.__version__, "onnx": onnx.__version__, "numpy": np.__version__},
        "ms": ms,
        "cos": cos,
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
