#!/usr/bin/env bash
# yake.sh checks that package yake's scores stay bit-identical to Python yake
# where the compiler may fuse multiply-adds (GOAMD64=v3 on amd64 when the CPU
# has FMA, and arm64 under qemu user-mode emulation when qemu-aarch64 is
# installed; scripts/ci/arm64.sh installs it). scripts/ci/fuzz.sh fuzzes Extract.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CGO_ENABLED=0
golden='Upstream|Supplementary|Trace|Dedup|Options|Highlight|Stopwords'

if grep -qw fma /proc/cpuinfo 2>/dev/null; then
	GOAMD64=v3 go test -count=1 -run "$golden" ./yake/
	GOAMD64=v3 go test -count=1 ./yake/internal/pymath/
fi

qemu=$(command -v qemu-aarch64 || command -v qemu-aarch64-static || true)
if [ -n "$qemu" ]; then
	GOARCH=arm64 go test -count=1 -exec "$qemu" -run "$golden" ./yake/
	GOARCH=arm64 go test -count=1 -exec "$qemu" -run Sum ./yake/internal/pymath/
else
	echo "yake.sh: no qemu-aarch64, arm64 check skipped"
fi
