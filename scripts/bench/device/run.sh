#!/usr/bin/env bash
# run.sh: on the benchmark machine, from the repository root with .devcarry/
# made by prepare.sh: unpack the model, then time BenchmarkEncode (float32 and
# int8, or BENCH) and the
# Python references (scripts/bench/sbert_ref.py) at 1 and 2 threads pinned to
# CPUS (default 2,3), ROUNDS times for Go (default 2), and print the Markdown
# table of scripts/bench/sbert_table.py for the last round. Files go to $OUT when it
# is set.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out="${OUT:-$(mktemp -d)}"
py="${JOBMATCH_BENCH_PYTHON:-python3}"
cpus="${CPUS:-2,3}"
d=.devcarry
[ -s $d/model/model.safetensors ] || "$py" scripts/bench/device/squeeze.py unpack $d/model/model.q8 $d/model/model.safetensors
export JOBMATCH_MODEL_DIR="$PWD/$d/model" JOBMATCH_CACHE="${JOBMATCH_CACHE:-/tmp/jobmatch-cache}"
lscpu > "$out/lscpu.txt"
for round in $(seq "${ROUNDS:-2}"); do
  taskset -c "$cpus" $d/sbert.test -test.run '^$' -test.bench "${BENCH:-^BenchmarkEncode(Int8)?\$}" -test.benchmem \
    -test.benchtime "${BENCHTIME:-1s}" -test.cpu 1,2 | grep '^Benchmark' > "$out/go-$round.txt"
done
for t in 1 2; do
  taskset -c "$cpus" "$py" scripts/bench/sbert_ref.py --model-dir "$JOBMATCH_MODEL_DIR" --threads "$t" \
    --min-time "${MIN_TIME:-1}" > "$out/ref-$t.json" 2> "$out/ref-$t.err"
done
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), pinned to $cpus"
python3 scripts/bench/sbert_table.py "$out/go-${ROUNDS:-2}.txt" "$out/ref-1.json" "$out/ref-2.json" | tee "$out/table.md"
