#!/usr/bin/env python3
"""Turn Go benchmark output and sbert_ref.py JSON into a Markdown table.

    python3 scripts/bench/sbert_table.py [--ceiling kernels-bench.txt] go-bench.txt ref-1.json ref-2.json

Go lines look like "BenchmarkEncode/tokens=8-2  100  1234567 ns/op  512 B/op  3 allocs/op",
where the -N suffix is GOMAXPROCS (absent for 1), matched to the reference run
with --threads N; BenchmarkEncodeInt8 lines, when present, add the int8 columns,
and with the ONNX Runtime int8 timings of the reference runs a second table
compares the two int8 encoders (time, and least cosine to their float32 model).
With --ceiling (the output of sbert/internal/kernels' BenchmarkCeilingFMA and
BenchmarkCeilingInt8 at the same thread counts), a last table gives each
input's floor: the model's FLOPs (BenchmarkEncode's MFLOP/op, from
sbert.Model.Work) at the best ceiling measured, the least time any
implementation of the model can take on this CPU, beside issue 16's targets
(0.8× ONNX Runtime float32, 0.7× ONNX Runtime int8).
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
MFLOP = re.compile(r"\s([\d.]+) MFLOP/op\b")
CEILING = re.compile(r"^BenchmarkCeiling(FMA|Int8)/\S+?(?:-(\d+))?\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) G(?:FL)?OP/s")


def parse_ceiling(path):
    """Returns {("FMA" or "Int8", threads): the best GFLOP/s or GOP/s of any kernel and run}."""
    best = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = CEILING.match(line.strip())
            if m:
                key = (m[1], int(m[2] or 1))
                best[key] = max(best.get(key, 0.0), float(m[3]))
    return best


def achieved(go, kind, threads, ceiling):
    """Returns the ceiling of kind at threads: the best rate measured, or the best that Go reached on any
    input at that thread count if that is higher (the host's other tenants lower a measurement now and then;
    what the encoder reached, the CPU can do)."""
    rates = [v[3] / v[0] for (case, t), v in go.items() if t == threads and v[3]]
    best = max([ceiling.get((kind, threads), 0.0)] + rates)
    return best or None


def floor_table(go, go8, refs, ceiling):
    """Prints each input's floor (its FLOPs at the ceiling) beside the Go times and the targets."""
    print("| input | threads | model MFLOP | float32 ceiling GFLOP/s | floor ms | Go ms | floor / Go "
          "| target: 0.8× ORT ms | target / floor | int8 ceiling GOP/s | int8 floor ms | Go int8 ms "
          "| target: 0.7× ORT int8 ms | target / int8 floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for threads in sorted(refs):
        for case in ORDER:
            g, g8 = go.get((case, threads)), go8.get((case, threads))
            mflop = g[3] if g else None
            fma, i8 = achieved(go, "FMA", threads, ceiling), achieved(go8, "Int8", threads, ceiling)
            ort = refs[threads]["ort"].get(case, {}).get("mean")
            ort8 = refs[threads].get("ort-int8", {}).get(case, {}).get("mean")
            if not (g and mflop and fma and ort):
                continue
            floor = mflop / fma  # MFLOP / (GFLOP/s) = ms
            row = (f"| {LABEL[case]} | {threads} | {mflop:.0f} | {fma:.1f} | {floor:.2f} | {g[0]:.2f} | "
                   f"{floor / g[0]:.0%} | {0.8 * ort:.2f} | {0.8 * ort / floor:.2f} |")
            if g8 and i8 and ort8:
                floor8 = mflop / i8
                row += f" {i8:.1f} | {floor8:.2f} | {g8[0]:.2f} | {0.7 * ort8:.2f} | {0.7 * ort8 / floor8:.2f} |"
            else:
                row += " n/a | n/a | n/a | n/a | n/a |"
            print(row)
    print()
    print("Model MFLOP: the multiply-adds of the linear layers and attention for the input, two operations each "
          "(sbert.Model.Work); the ceilings are BenchmarkCeilingFMA and BenchmarkCeilingInt8 at the same "
          "thread count (the best kernel, the best of three runs before the Go benchmarks and three after, or the "
          "best rate the Go encoder reached at that thread count if higher); the floor is the MFLOP at the ceiling, "
          "the least time that any implementation of the model can take here. A target / floor below 1 asks "
          "for less time than the floor: no implementation can meet it on this CPU.")


def parse_go(path):
    """Returns {(case, threads): (ms, allocs, cos-f32 or None, MFLOP/op or None)} for float32 and for int8."""
    res, res8 = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = BENCH.match(line.strip())
            if m:
                int8, name, procs, ns, _, allocs = m.groups()
                name = name.split("-")[0]  # batch=64-keyphrases -> batch=64
                cos, mflop = COS.search(line), MFLOP.search(line)
                (res8 if int8 else res)[(name, int(procs or 1))] = (float(ns) / 1e6, allocs,
                                                                    float(cos.group(1)) if cos else None,
                                                                    float(mflop.group(1)) if mflop else None)
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
    args = sys.argv[1:]
    ceiling = None
    if args[:1] == ["--ceiling"]:
        ceiling, args = parse_ceiling(args[1]), args[2:]
    go, go8 = parse_go(args[0])
    refs, cos = {}, {}
    versions = {}
    for path in args[1:]:
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
    if ceiling:
        print()
        floor_table(go, go8, refs, ceiling)


if __name__ == "__main__":
    main()
