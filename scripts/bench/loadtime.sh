#!/usr/bin/env bash
# loadtime.sh: how long after a process starts is all-MiniLM-L6-v2 ready,
# from model.safetensors and from its pack files (sbert.WritePacked),
# float32 and int8; and the peak resident memory of that process; then the
# time of its first EncodeBatch (twenty keyword phrases), which reads the
# weights it uses and, from a pack file, verifies them, and the peak memory
# after it. Prints a Markdown table for BENCHMARKS.md on stdout.
#
#   scripts/bench/loadtime.sh
#
# Each run is a fresh process of scripts/bench/loadtime, launched by this
# script, which hands it the launch time: "ready" counts from just before
# exec to the return of sbert.Load (runtime start, the JSON files, tokenizer
# and weights); "Load" is sbert.Load alone. The four cases take turns, RUNS
# times each (default 15), and the table shows medians, so that a busy
# machine slows them alike. The page cache is warm (a first untimed round
# reads the files). With COLD=1 and a writable /proc/sys/vm/drop_caches,
# another table drops the page cache before each run (root only; it slows
# every process of the machine for a moment).
#
# Environment: JOBMATCH_MODEL_DIR (default: ./scripts/fetch-model), RUNS,
# COLD.
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBMATCH_MODEL_DIR="${JOBMATCH_MODEL_DIR:-$(./scripts/fetch-model)}"
export CGO_ENABLED=0
runs="${RUNS:-15}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The pack files go beside copies of the model's files, not into the model.
# Copies, not links: a link costs a cold page cache more lookups than a
# deployed model folder does.
mkdir "$tmp/model"
for f in "$JOBMATCH_MODEL_DIR"/*; do
  case $f in *.pack) ;; *) cp -R "$f" "$tmp/model/" ;; esac
done
go build -o "$tmp/pack" ./sbert/cmd/pack
go build -o "$tmp/loadtime" ./scripts/bench/loadtime
"$tmp/pack" -model "$tmp/model" >&2
"$tmp/pack" -model "$tmp/model" -int8 >&2

cases=("float32|-nopack" "float32, pack file|" "int8|-int8 -nopack" "int8, pack file|-int8")
table() { # $1: title; $2: command run before each process, or empty
  for ((i = 0; i < runs; i++)); do
    for c in "${cases[@]}"; do
      [ -n "$2" ] && eval "$2"
      # shellcheck disable=SC2086
      echo "${c%%|*}|$("$tmp/loadtime" -model "$tmp/model" ${c#*|} "$(date +%s%N)")"
    done
  done >"$tmp/out"
  python3 - "$1" "$tmp/out" "$runs" <<'PY'
import json, statistics, sys
title, path, runs = sys.argv[1], sys.argv[2], sys.argv[3]
rows = {}
for line in open(path):
    name, js = line.split("|", 1)
    rows.setdefault(name, []).append(json.loads(js))
print(f"{title} (median of {runs} processes each):\n")
print("| | process start to model ready | of which sbert.Load | CPU time (user+sys) | peak RSS | then the first EncodeBatch (20 phrases) | peak RSS after it | weights from |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for name, rs in rows.items():
    med = lambda k: statistics.median(r[k] for r in rs)
    froms = {r["from"].rsplit("/", 1)[-1] for r in rs}
    print(f"| {name} | {med('ready_ms'):.1f} ms | {med('load_ms'):.1f} ms | {med('cpu_ms'):.0f} ms | {med('maxrss_mib'):.0f} MiB | {med('first_ms'):.1f} ms | {med('first_maxrss_mib'):.0f} MiB | {', '.join(sorted(froms))} |")
print()
PY
}

for c in "${cases[@]}"; do
  # shellcheck disable=SC2086
  "$tmp/loadtime" -model "$tmp/model" ${c#*|} "$(date +%s%N)" >/dev/null
done
table "Warm page cache" ""
if [ "${COLD:-}" = 1 ]; then
  if [ -w /proc/sys/vm/drop_caches ] && (sync && echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
    table "Cold page cache (echo 3 > /proc/sys/vm/drop_caches before each process)" "sync; echo 3 >/proc/sys/vm/drop_caches"
  else
    echo "Cold page cache: not measured (/proc/sys/vm/drop_caches is not writable here)."
  fi
fi
