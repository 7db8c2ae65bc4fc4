#!/usr/bin/env bash
# arm64.sh runs the kernel tests for GOARCH=arm64 (the NEON micro-kernel and
# the portable one) under qemu user-mode emulation, installing Debian's
# qemu-user when qemu-aarch64 is missing. Short mode keeps it to seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v qemu-aarch64 >/dev/null && ! command -v qemu-aarch64-static >/dev/null; then
	sudo=""
	if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
	# Wait for another apt (unattended upgrades, a second job) rather than fail.
	apt="apt-get -o DPkg::Lock::Timeout=600"
	$sudo $apt update -qq
	# Debian ships qemu-aarch64 in qemu-user; older releases only in qemu-user-static.
	if apt-cache policy qemu-user | grep -q 'Candidate: [0-9]'; then
		$sudo env DEBIAN_FRONTEND=noninteractive $apt install -y -qq qemu-user >/dev/null
	else
		$sudo env DEBIAN_FRONTEND=noninteractive $apt install -y -qq qemu-user-static >/dev/null
	fi
fi
qemu=$(command -v qemu-aarch64 || command -v qemu-aarch64-static)

export CGO_ENABLED=0 GOARCH=arm64
go vet ./sbert/internal/kernels/
go test -short -count=1 -exec "$qemu" ./sbert/internal/kernels/
