#!/usr/bin/env bash
# sbert.sh: time the pure-Go encoder (BenchmarkEncode in ./sbert) against
# sentence-transformers on PyTorch and against ONNX Runtime (float32, and int8
# after quantize_dynamic: see sbert_ref.py), on the same inputs and thread
# counts, and print Markdown tables for BENCHMARKS.md on stdout (progress on
# stderr). With them, the CPU's multiply-add ceilings at the same thread counts
# (sbert/internal/kernels' BenchmarkCeilingFMA and BenchmarkCeilingInt8), and
# what they allow: each input's floor, the model's FLOPs at the ceiling.
#
#   scripts/bench/sbert.sh
#
# Environment: THREADS (default "1 2"), BENCH (go test -bench, default float32 and
# int8: '^BenchmarkEncode(Int8)?$'), BENCHTIME (go test -benchtime, default 2s),
# MIN_TIME (seconds per Python case, default 2), JOBMATCH_BENCH_PYTHON (default:
# a venv of scripts/bench/requirements.txt under $JOBMATCH_CACHE/venvs, made
# when missing: see venv.sh),
# JOBMATCH_MODEL_DIR (default: ./scripts/fetch-model), CPUS (e.g. "2,3": pin Go and
# Python to these cores with taskset, for quieter numbers on a big machine).
set -euo pipefail
cd "$(dirname "$0")/../.."

. scripts/bench/venv.sh
py=$(bench_python scripts/bench/requirements.txt)
JOBMATCH_MODEL_DIR="${JOBMATCH_MODEL_DIR:-$(./scripts/fetch-model)}"
export JOBMATCH_MODEL_DIR CGO_ENABLED=0
threads="${THREADS:-1 2}"
pin=()
[ -n "${CPUS:-}" ] && pin=(taskset -c "$CPUS")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ceiling: the CPU's multiply-add rates at the same thread counts
# (BenchmarkCeilingFMA, BenchmarkCeilingInt8), measured before and after the
# Go benchmarks, since other tenants of the host can lower them for a while.
go test -c -o "$tmp/kernels.test" ./sbert/internal/kernels
ceiling() {
  echo "sbert.sh: the ceilings (BenchmarkCeilingFMA, BenchmarkCeilingInt8), GOMAXPROCS in {$threads}" >&2
  (cd sbert/internal/kernels && "${pin[@]}" "$tmp/kernels.test" -test.run '^$' -test.bench 'Ceiling(FMA|Int8)$' \
    -test.benchtime 1s -test.count 3 -test.cpu "$(echo $threads | tr ' ' ',')") | tee -a "$tmp/ceiling.txt" >&2
}
ceiling
echo "sbert.sh: Go, GOMAXPROCS in {$threads}" >&2
go test -c -o "$tmp/sbert.test" ./sbert/
(cd sbert && "${pin[@]}" "$tmp/sbert.test" -test.run '^$' -test.bench "${BENCH:-^BenchmarkEncode(Int8)?\$}" -test.benchmem \
  -test.benchtime "${BENCHTIME:-2s}" -test.count 1 -test.cpu "$(echo $threads | tr ' ' ',')") | tee "$tmp/go.txt" >&2
ceiling
for t in $threads; do
  echo "sbert.sh: PyTorch and ONNX Runtime, $t thread(s)" >&2
  "${pin[@]}" "$py" scripts/bench/sbert_ref.py --model-dir "$JOBMATCH_MODEL_DIR" --threads "$t" --min-time "${MIN_TIME:-2}" > "$tmp/ref-$t.json"
done
echo >&2
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(go env GOARCH);" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) (numbers from a busy machine are not comparable)"
echo
python3 scripts/bench/sbert_table.py --ceiling "$tmp/ceiling.txt" "$tmp/go.txt" "$tmp"/ref-*.json
