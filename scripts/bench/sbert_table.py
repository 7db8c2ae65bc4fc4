#!/usr/bin/env python3
"""Turn Go benchmark output and sbert_ref.py JSON into a Markdown table.

    python3 scripts/bench/sbert_table.py go-bench.txt ref-1.json ref-2.json

Go lines look like "BenchmarkEncode/tokens=8-2  100  1234567 ns/op  512 B/op  3 allocs/op",
where the -N suffix is GOMAXPROCS (absent for 1), matched to the reference run
with --threads N; BenchmarkEncodeInt8 lines, when present, add the int8 columns,
and with the ONNX Runtime int8 timings of the reference runs a second table
compares the two int8 encoders (time, and least cosine to their float32 model).
Standard library only, so any python3 runs it.
"""

import json
import re
import sys

BENCH = re.compile(r"^BenchmarkEncode(Int8)?/(\S+?)(?:-(\d+))?\s+\d+\s+([\d.]+) ns/op.*?(?:\s(\d+) B/op\s+(\d+) allocs/op)?$")
ORDER = ["tokens=8", "tokens=32", "tokens=128", "tokens=256", "batch=64"]
LABEL = {"tokens=8": "1 text, 8 tokens", "tokens=32": "1 text, 32 tokens", "tokens=128": "1 text, 128 tokens",
         "tokens=256": "1 text, 256 tokens", "batch=64": "64 keyword phrases"}


COS = re.compile(r"\s([\d.]+) cos-f32\b")


def parse_go(path):
    """Returns {(case, threads): (ms, allocs, cos-f32 or None)} for float32 and for int8."""
    res, res8 = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = BENCH.match(line.strip())
            if m:
                int8, name, procs, ns, _, allocs = m.groups()
                name = name.split("-")[0]  # batch=64-keyphrases -> batch=64
                cos = COS.search(line)
                (res8 if int8 else res)[(name, int(procs or 1))] = (float(ns) / 1e6, allocs,
                                                                    float(cos.group(1)) if cos else None)
    return res, res8


def int8_table(go8, refs, cos):
    """Prints Go int8 against ONNX Runtime int8 (quantize_dynamic)."""
    print("| input | threads | Go int8 ms | ORT int8 ms | Go int8 / ORT int8 | Go int8 cosine | ORT int8 cosine |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for threads in sorted(refs):
        for case in ORDER:
            g8 = go8.get((case, threads))
            q = refs[threads].get("ort-int8", {}).get(case, {}).get("mean")
            qc = cos[threads].get("ort-int8", {}).get(case)
            gm = f"{g8[0]:.2f}" if g8 else "n/a"
            qm = f"{q:.2f}" if q else "n/a"
            r = f"{g8[0] / q:.2f}×" if g8 and q else "n/a"
            gc = f"{g8[2]:.4f}" if g8 and g8[2] is not None else "n/a"
            qcs = f"{qc:.4f}" if qc is not None else "n/a"
            print(f"| {LABEL[case]} | {threads} | {gm} | {qm} | {r} | {gc} | {qcs} |")
    print()
    print("Go int8 is sbert.WithInt8(); ORT int8 is the ONNX model after onnxruntime.quantization.quantize_dynamic "
          "(QInt8 weights, defaults otherwise), timed in the same calls as above. Cosine: the least, over the "
          "input's texts, between the int8 embedding and that of the same encoder in float32.")


def main():
    go, go8 = parse_go(sys.argv[1])
    refs, cos = {}, {}
    versions = {}
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        refs[d["threads"]] = d["ms"]
        cos[d["threads"]] = d.get("cos", {})
        versions = d["versions"]
    head = "| input | threads | Go ms | ONNX Runtime ms | PyTorch ms | Go / ORT | Go / PyTorch | Go allocs/op |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
    if go8:
        head += " Go int8 ms | int8 speed-up | int8 / ORT |"
        rule += "---:|---:|---:|"
    print(head)
    print(rule)
    for threads in sorted(refs):
        for case in ORDER:
            g = go.get((case, threads))
            ort = refs[threads]["ort"].get(case, {}).get("mean")
            pt = refs[threads]["torch"].get(case, {}).get("mean")
            gm = f"{g[0]:.2f}" if g else "n/a"
            r1 = f"{g[0] / ort:.2f}×" if g and ort else "n/a"
            r2 = f"{g[0] / pt:.2f}×" if g and pt else "n/a"
            allocs = g[1] if g and g[1] is not None else "n/a"
            row = f"| {LABEL[case]} | {threads} | {gm} | {ort:.2f} | {pt:.2f} | {r1} | {r2} | {allocs} |"
            if go8:
                g8 = go8.get((case, threads))
                row += (f" {g8[0]:.2f} | {g[0] / g8[0]:.2f}× | {g8[0] / ort:.2f}× |" if g8 and g and ort
                        else " n/a | n/a | n/a |")
            print(row)
    print()
    print("Mean wall time of one end-to-end call (tokenize, encode, mean-pool, normalize); "
          "ratios below 1 mean Go is faster" +
          ("; int8 speed-up is Go float32 time over Go int8 time" if go8 else "") + ". References: " +
          ", ".join(f"{k} {v}" for k, v in versions.items()) + ".")
    if go8 and any("ort-int8" in r for r in refs.values()):
        print()
        int8_table(go8, refs, cos)


if __name__ == "__main__":
    main()
