#!/usr/bin/env bash
# package.sh: build the Lambda zip of jobmatch (package_type Zip in
# terraform/): bootstrap, a static linux binary of ./lambda/cmd/bootstrap, at
# the root, and the all-MiniLM-L6-v2 model under model/ with its pack file
# for the target. Lambda unpacks it to
# /var/task, so the function finds the model at /var/task/model (the
# terraform module sets JOBMATCH_MODEL_DIR to that).
#
# Usage: lambda/package.sh [arm64|x86_64]   (default arm64, as in terraform/)
#
# Writes dist/jobmatch-<arch>.zip and prints its path, size and base64
# SHA-256 (what terraform's filebase64sha256 returns). The zip is
# reproducible: fixed timestamps and order, so equal inputs give an equal
# hash and no needless deploy. JOBMATCH_BOOTSTRAP_PKG overrides the package
# to build (for trying the script with a stand-in).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-arm64}" in
  arm64 | aarch64) goarch=arm64 arch=arm64 ;;
  x86_64 | amd64) goarch=amd64 arch=x86_64 ;;
  *) echo "usage: $0 [arm64|x86_64]" >&2; exit 2 ;;
esac
pkg="${JOBMATCH_BOOTSTRAP_PKG:-./lambda/cmd/bootstrap}"
out="dist/jobmatch-$arch.zip"

model="$(./scripts/fetch-model)"
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT

CGO_ENABLED=0 GOOS=linux GOARCH=$goarch \
  go build -trimpath -tags lambda.norpc -ldflags="-s -w -buildid=" -o "$stage/bootstrap" "$pkg"
mkdir "$stage/model"
cp -R "$model"/. "$stage/model/"
rm -f "$stage/model/"*.pack
if [ -s "$stage/model/model.safetensors" ]; then rm -f "$stage/model/pytorch_model.bin"; fi
# The model's pack file for the target (go run ./sbert/cmd/pack, see
# sbert.WritePacked and lambda/Dockerfile): the function maps it at start
# instead of preparing the weights. The kernel is the one the target's CPU
# is expected to pick, neon on arm64 and avx512 on x86_64;
# JOBMATCH_PACK_KERNEL overrides it (avx2 for x86 without AVX-512). A CPU
# that picks another loads model.safetensors, as before. No int8 pack file:
# its calibration would run on this machine, not the target's, and with it
# the unzipped package (about 250 MB) would pass Lambda's limit.
case $goarch in
  amd64) kernel="${JOBMATCH_PACK_KERNEL:-avx512}" ;;
  *) kernel="${JOBMATCH_PACK_KERNEL:-neon}" ;;
esac
CGO_ENABLED=0 go run ./sbert/cmd/pack -model "$stage/model" -goarch "$goarch" -kernel "$kernel" >/dev/null

mkdir -p dist
python3 - "$stage" "$out.partial" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
files = sorted(os.path.relpath(os.path.join(d, f), stage) for d, _, fs in os.walk(stage) for f in fs)
unpacked = 0
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name in files:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.create_system = 3  # unix, so that the mode below counts
        info.external_attr = (0o100755 if name == "bootstrap" else 0o100644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(stage, name), "rb") as f:
            data = f.read()
        unpacked += len(data)
        z.writestr(info, data, compresslevel=9)
# Lambda's limit on the unzipped code of a function, layers included.
if unpacked > 262144000:
    sys.exit(f"package.sh: {unpacked} bytes unzipped, above Lambda's 250 MB limit")
PY
mv "$out.partial" "$out"

size=$(wc -c <"$out")
hash=$(openssl dgst -sha256 -binary "$out" | openssl base64 -A)
echo "$out: $size bytes, filebase64sha256 $hash"
if [ "$size" -gt 52428800 ]; then
  echo "note: above the 50 MB of a direct upload; deploy through S3 (s3_bucket, s3_key), as terraform/examples/zip does" >&2
fi
