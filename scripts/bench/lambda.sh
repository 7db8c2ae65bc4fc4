#!/usr/bin/env bash
# lambda.sh: the deployment figures of BENCHMARKS.md — bootstrap and package
# sizes, cold start / warm latency / peak RSS under the Lambda Runtime
# Interface Emulator, and the HTTP server under a bounded loopback load.
#
# Usage: scripts/bench/lambda.sh            (prints Markdown)
# Environment: COLD_RUNS, fresh emulators per model folder (default 9;
# the table shows their mean), LOAD_N, requests per load level.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CGO_ENABLED=0
JOBMATCH_MODEL_DIR="$(./scripts/fetch-model)"; export JOBMATCH_MODEL_DIR
JOBMATCH_RIE="$(./scripts/aws-lambda-rie)"; export JOBMATCH_RIE
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT

echo "## Sizes"
echo
echo "| artefact | bytes | MiB |"
echo "|---|---:|---:|"
for arch in arm64 amd64; do
  GOOS=linux GOARCH=$arch go build -trimpath -tags lambda.norpc -ldflags="-s -w" -o "$tmp/bootstrap-$arch" ./lambda/cmd/bootstrap
  s=$(wc -c <"$tmp/bootstrap-$arch"); echo "| bootstrap linux/$arch, stripped | $s | $(awk "BEGIN{printf \"%.1f\", $s/1048576}") |"
done
zip=$(lambda/package.sh arm64 | sed -n 's/^\(dist\/[^:]*\):.*/\1/p')
s=$(wc -c <"$zip"); echo "| $zip (bootstrap + model) | $s | $(awk "BEGIN{printf \"%.1f\", $s/1048576}") |"
echo

echo "## Cold start under the Runtime Interface Emulator"
echo
# The model as fetched (without any pack file a user may have written into
# it), and as package.sh and the Dockerfile ship it: a copy with the pack
# file of this CPU's kernel (sbert/cmd/pack), side by side.
mkdir "$tmp/plain" "$tmp/model"
cp -al "$JOBMATCH_MODEL_DIR"/. "$tmp/plain"/ 2>/dev/null || cp -R "$JOBMATCH_MODEL_DIR"/. "$tmp/plain"/
rm -f "$tmp/plain"/*.pack
cp -al "$tmp/plain"/. "$tmp/model"/ 2>/dev/null || cp -R "$tmp/plain"/. "$tmp/model"/
go run ./sbert/cmd/pack -model "$tmp/model" >/dev/null
for model in "$tmp/plain" "$tmp/model"; do
  what="model.safetensors"; [ "$model" = "$tmp/model" ] && what="the pack file"
  echo "From $what:"
  echo
  JOBMATCH_MODEL_DIR="$model" go test -count=1 -run '^$' -bench EmulatorColdStart -benchtime "${COLD_RUNS:-9}x" ./lambda/ | grep -E '^(cpu|Benchmark)'
  echo
done

echo "## examples/server under load (loopback)"
echo
go build -o "$tmp/server" ./examples/server
go build -o "$tmp/loadtest" ./examples/loadtest
"$tmp/server" -addr 127.0.0.1:18080 2>"$tmp/server.log" &
for _ in $(seq 1 300); do
  curl -fs 127.0.0.1:18080/health 2>/dev/null | grep -q '"model_loaded":true' && break
  sleep 0.1
done
python3 - "$tmp/body.json" <<'PY'
import json, sys
resume = open("examples/testdata/resume.txt").read()
job = open("examples/testdata/job.txt").read()
json.dump({"resume": resume, "job": job}, open(sys.argv[1], "w"))
PY
"$tmp/loadtest" -url http://127.0.0.1:18080/match -body "$tmp/body.json" -c 1,8,64 -n "${LOAD_N:-200}"
