#!/usr/bin/env bash
# rank.sh: resumes per second of examples/rank on N real-length resumes (made
# from the evaluation resumes that ship in examples/rank/testdata), cold
# (nothing cached) and warm (the same folder against a second job, every
# resume from the on-disk cache), float32 and int8, beside the original Python
# pipeline (scripts/bench/rank_ref.py) in the same run. Prints a Markdown table
# for BENCHMARKS.md on stdout (progress on stderr).
#
#   scripts/bench/rank.sh
#
# Environment: N (resumes, default 1000), N_INT8 and PY_N (how many of them
# the int8 runs and Python rank, default N: int8 without AVX-512 VNNI or arm64
# dot products, and Python, can take hours on 1,000 on a busy machine),
# JOBMATCH_MODEL_DIR (default: ./scripts/fetch-model), JOBMATCH_BENCH_PYTHON
# (default: a venv of scripts/bench/rank_requirements.txt under
# $JOBMATCH_CACHE/venvs, made when missing: see venv.sh; NO_PYTHON=1 leaves
# the Python row out).
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${N:-1000}"
py_n="${PY_N:-$n}"
int8_n="${N_INT8:-$n}"
. scripts/bench/venv.sh
py=""
[ "${NO_PYTHON:-}" = 1 ] || py=$(bench_python scripts/bench/rank_requirements.txt)
JOBMATCH_MODEL_DIR="${JOBMATCH_MODEL_DIR:-$(./scripts/fetch-model)}"
export JOBMATCH_MODEL_DIR CGO_ENABLED=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
job=examples/testdata/job.txt
job2=yake/testdata/bench/ad_300w.txt # another posting, for the warm runs

# N resumes, each as long as one of the 128 real ones (in turn) and made of
# sentences drawn from all of them with a fixed seed: real text, real lengths,
# no two alike (so the cold runs embed for real).
python3 - "$n" "$tmp/resumes" <<'PY'
import gzip, json, os, random, re, sys
n, out = int(sys.argv[1]), sys.argv[2]
texts = [json.loads(l)["text"] for l in gzip.open("examples/rank/testdata/resumes.jsonl.gz", "rt", encoding="utf-8")]
pool = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+|\s+\*\s+|\n+", t) if len(s.strip()) >= 20]
rng = random.Random(17)
os.makedirs(out)
for i in range(n):
    want, parts, size = len(texts[i % len(texts)]), [], 0
    while size < want:
        s = rng.choice(pool)
        parts.append(s)
        size += len(s) + 1
    with open(os.path.join(out, f"{i:05d}.txt"), "w", encoding="utf-8") as f:
        f.write(" ".join(parts) + "\n")
PY
load0=$(cut -d" " -f1 /proc/loadavg)
bytes=$(cat "$tmp"/resumes/* | wc -c)
echo "rank.sh: $n resumes, $((bytes / n)) bytes on average" >&2

go build -o "$tmp/rank" ./examples/rank
go test -c -o "$tmp/kernels.test" ./sbert/internal/kernels
# ceiling: one core's best float32 multiply-add rate (GFLOP/s) and int8 rate
# (GOP/s) with nothing else running (BenchmarkCeilingFMA, BenchmarkCeilingInt8,
# the faster kernel of each), measured before and after the runs.
ceiling() {
  (cd sbert/internal/kernels && "$tmp/kernels.test" -test.run '^$' -test.bench 'Ceiling(FMA|Int8)$' -test.cpu 1 -test.benchtime 1s) |
    python3 -c 'import re, sys
best = {"FMA": 0.0, "Int8": 0.0}
for l in sys.stdin:
    m = re.match(r"BenchmarkCeiling(FMA|Int8)/\S+\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) G(?:FL)?OP/s", l)
    if m:
        best[m[1]] = max(best[m[1]], float(m[2]))
print(best["FMA"], best["Int8"])'
}
read -r fma0 int80 < <(ceiling)
echo "rank.sh: ceiling of one core: $fma0 GFLOP/s float32, $int80 GOP/s int8" >&2
mkdir "$tmp/int8"
ls "$tmp/resumes" | awk -v n="$int8_n" "NR <= n" | while read -r f; do ln "$tmp/resumes/$f" "$tmp/int8/$f"; done
# measure DIR RUN...: from the summary line, the resumes ranked, the seconds
# and the CPU seconds they took; then the wall seconds of the whole command
# (model load and job included).
measure() {
  local start end line dir=$1
  shift
  start=$(date +%s.%N)
  line=$("$@" -format csv "$dir" 2>&1 >/dev/null | grep '^ranked')
  end=$(date +%s.%N)
  echo "rank.sh: $* → $line" >&2
  python3 -c 'import re, sys
m = re.match(r"ranked (\d+) resumes in ([\d.]+) s .* ([\d.]+) s of CPU, the model embedded (\d+) texts \((\d+) tokens, ([\d.]+) GFLOP\)", sys.argv[1])
print(m[1], m[2], m[3], f"{float(sys.argv[3]) - float(sys.argv[2]):.1f}", m[4], m[5], m[6])' "$line" "$start" "$end"
}
# cells N S CPU: resumes per second and per CPU second.
cells() { python3 -c 'import sys; n, s, c = map(float, sys.argv[1:]); print(f"{n / max(s, 0.001):.1f} | {n / max(c, 0.001):.1f}")' "$@"; }
rows=() work=()
for mode in float32 int8; do
  flags=() dir="$tmp/resumes"
  [ "$mode" = int8 ] && flags=(-int8) dir="$tmp/int8"
  export JOBMATCH_CACHE="$tmp/cache-$mode"
  read -r cn cs cc cw ctexts ctokens cgflop < <(measure "$dir" "$tmp/rank" -job "$job" "${flags[@]}")
  read -r wn ws wc ww _ _ _ < <(measure "$dir" "$tmp/rank" -job "$job2" "${flags[@]}")
  rows+=("| Go examples/rank, $mode | $cn | $(cells "$cn" "$cs" "$cc") | $cw | $(cells "$wn" "$ws" "$wc") | $ww |")
  work+=("$mode $cn $cc $ctexts $ctokens $cgflop")
  [ "$mode" = float32 ] && go_cold="$(python3 -c "print($cn / $cc)")"
done
read -r fma1 int81 < <(ceiling)
echo "rank.sh: ceiling of one core after the runs: $fma1 GFLOP/s float32, $int81 GOP/s int8" >&2
py_row=""
if [ -n "$py" ]; then
  echo "rank.sh: Python pipeline on $py_n resumes" >&2
  "$py" scripts/bench/rank_ref.py --model-dir "$JOBMATCH_MODEL_DIR" --job "$job" --dir "$tmp/resumes" --threads 2 --limit "$py_n" >"$tmp/py.json" 2>"$tmp/py.err" || { cat "$tmp/py.err" >&2; exit 1; }
  cat "$tmp/py.json" >&2
  { read -r py_cpu; IFS= read -r py_row; } < <(python3 - "$tmp/py.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
v, n = r["versions"], r["resumes"]
name = f"Python: yake {v['yake']} + sentence-transformers {v['sentence-transformers']} (torch {v['torch']}, 2 threads)"
row = f"| {name} | {n} | {n / r['seconds']:.2f} | {n / r['cpu_seconds']:.2f} | {r['seconds'] + r['load_seconds']:.1f} + imports | – | – | – |"
print(n / r["cpu_seconds"])
print(row)
PY
)
fi
vnni=no
grep -qw -e avx512_vnni -e avx_vnni /proc/cpuinfo && vnni=yes
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, VNNI $vnni; load average $load0 at the start, $(cut -d" " -f1 /proc/loadavg) at the end; $n resumes of $((bytes / n)) bytes on average"
echo
echo "| pipeline | resumes | cold: resumes/s | cold: resumes per CPU s | cold: wall s, all | warm: resumes/s | warm: resumes per CPU s | warm: wall s, all |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
[ -n "$py_row" ] && echo "$py_row"
if [ -n "${py_cpu:-}" ]; then
  echo
  python3 -c "import sys; print(f'Cold, per CPU second: Go float32 / Python = {float(sys.argv[1]) / float(sys.argv[2]):.0f}×')" "$go_cold" "$py_cpu"
fi
# The floor of the cold runs: the model's FLOPs a resume (sbert.Model.Work,
# from rank's summary) at one core's ceiling is the least CPU time any
# implementation of the model needs for the same texts.
echo
python3 - "${py_cpu:-0}" "$fma0" "$fma1" "$int80" "$int81" "${work[@]}" <<'PY'
import sys
py, fma, int8 = float(sys.argv[1]), max(map(float, sys.argv[2:4])), max(map(float, sys.argv[4:6]))
print("| cold run | resumes | texts embedded a resume | tokens a resume | GFLOP a resume | one core's ceiling | floor: resumes per CPU s at the ceiling | measured: resumes per CPU s | measured / floor |"
      + (" 20× Python: resumes per CPU s |" if py else ""))
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if py else ""))
for w in sys.argv[6:]:
    mode, n, cpu, texts, tokens, gflop = w.split()
    n, cpu, texts, tokens, gflop = int(n), float(cpu), int(texts), int(tokens), float(gflop)
    ceil, unit = (int8, "GOP/s int8") if mode == "int8" else (fma, "GFLOP/s")
    floor = ceil / (gflop / n)
    row = (f"| Go {mode} | {n} | {texts / n:.1f} | {tokens / n:.0f} | {gflop / n:.2f} | {ceil:.1f} {unit} | {floor:.1f} | "
           f"{n / cpu:.1f} | {n / cpu / floor:.0%} |")
    print(row + (f" {20 * py:.1f} |" if py else ""))
print()
print("GFLOP: the multiply-adds of the model's linear layers and attention, two operations each (sbert.Model.Work), "
      "over the cold run's resumes (their keywords that the run had not embedded before); the ceiling is "
      "BenchmarkCeilingFMA / BenchmarkCeilingInt8 on one core, the better of a run before and one after; "
      "the floor is the ceiling over the GFLOP a resume, the most resumes per CPU second any implementation "
      "of the model can rank on this CPU without embedding fewer texts.")
PY
