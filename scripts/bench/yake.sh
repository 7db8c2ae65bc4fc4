#!/usr/bin/env bash
# yake.sh: the Go yake package against Python yake 0.7.3 on the same
# documents (yake/testdata/bench/), in the same run, as a Markdown table.
#
# Usage: scripts/bench/yake.sh   (MIN_TIME seconds per Python case, default 2;
#                                 BENCHTIME for Go, default 1s; JOBMATCH_BENCH_PYTHON
#                                 default: a venv of yake/testdata/requirements.txt
#                                 under $JOBMATCH_CACHE/venvs, made when missing: venv.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bench/venv.sh
py=$(bench_python yake/testdata/requirements.txt)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

CGO_ENABLED=0 go test -count=1 -run '^$' -bench 'BenchmarkExtract$' -benchtime "${BENCHTIME:-1s}" ./yake/ >"$tmp/go.txt"
"$py" yake/testdata/bench_yake.py --min-time "${MIN_TIME:-2}" >"$tmp/py.json" 2>/dev/null

python3 - "$tmp/go.txt" "$tmp/py.json" <<'PY'
import json, re, sys, os
go = {}
for line in open(sys.argv[1]):
    m = re.match(r"BenchmarkExtract/(\S+?)/top(\d+)-\d+\s+\d+\s+([\d.]+) ns/op.*?(\d+) B/op\s+(\d+) allocs/op", line)
    if m:
        go[(m[1] + ".txt", int(m[2]))] = (float(m[3]) / 1e6, int(m[4]), int(m[5]))
py = json.load(open(sys.argv[2]))
print(f"load average {os.getloadavg()[0]:.1f}; Python {py['python']}, yake {py['yake']}; ms per document (Python: median)")
print()
print("| document | bytes | top | Python ms | Go ms | Go speed-up | Go B/op | Go allocs/op | Go µs per KB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in py["results"]:
    g = go.get((r["doc"], r["top"]))
    if not g:
        continue
    print(f"| {r['doc']} | {r['bytes']} | {r['top']} | {r['ms_per_doc_median']:.1f} | {g[0]:.2f} | "
          f"{r['ms_per_doc_median'] / g[0]:.0f}× | {g[1]} | {g[2]} | {g[0] * 1e3 / (r['bytes'] / 1024):.0f} |")
PY
