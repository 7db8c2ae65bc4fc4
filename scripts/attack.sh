#!/usr/bin/env bash
# attack.sh: replay issue 12's attacks (examples/attack) against
# examples/server and against the Lambda function under the Runtime Interface
# Emulator, both on loopback with the real model, and print the Markdown table
# of SECURITY.md with each process's peak RSS. Bounded: every attack stops
# within -max-duration, and the script stops both services when it ends.
#
# Usage: scripts/attack.sh        (exit status 1 if any attack succeeded)
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=0
JOBMATCH_MODEL_DIR="${JOBMATCH_MODEL_DIR:-$(./scripts/fetch-model)}"; export JOBMATCH_MODEL_DIR
rie="${JOBMATCH_RIE:-$(./scripts/aws-lambda-rie)}"
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT

go build -o "$tmp/server" ./examples/server
go build -o "$tmp/bootstrap" ./lambda/cmd/bootstrap
go build -o "$tmp/attack" ./examples/attack

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sport=$(port) rport=$(port) aport=$(port)
"$tmp/server" -addr "127.0.0.1:$sport" -model "$JOBMATCH_MODEL_DIR" 2>"$tmp/server.log" &
server_pid=$!
"$rie" --runtime-api-address "127.0.0.1:$aport" --runtime-interface-emulator-address "127.0.0.1:$rport" \
  "$tmp/bootstrap" >"$tmp/rie.log" 2>&1 &
for _ in $(seq 1 300); do
  curl -fs "127.0.0.1:$sport/health" 2>/dev/null | grep -q '"model_loaded":true' && break
  sleep 0.1
done

status=0
"$tmp/attack" -server "http://127.0.0.1:$sport" \
  -lambda "http://127.0.0.1:$rport/2015-03-31/functions/function/invocations" || status=$?

hwm() { awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "gone"; }
echo
echo "Peak RSS after the attacks: examples/server $(hwm $server_pid); Lambda function $(hwm "$(pgrep -f "^$tmp/bootstrap" | head -1)")."
kill -0 $server_pid 2>/dev/null && echo "examples/server is still running." || { echo "examples/server died:"; tail -5 "$tmp/server.log"; status=1; }
if grep -q 'Runtime.ExitError\|fatal error' "$tmp/rie.log"; then echo "the Lambda function died:"; grep -m3 'Runtime.ExitError\|fatal error' "$tmp/rie.log"; status=1; fi
exit $status
