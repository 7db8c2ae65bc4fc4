#!/usr/bin/env bash
# image.sh: build the Lambda container image of lambda/Dockerfile and run it.
#
# No Docker daemon and no container registry are reachable here, so it uses
# Debian's buildah (installed if missing; as root, storage driver vfs,
# isolation chroot) and builds local stand-ins for the Dockerfile's two base
# images first:
#   localhost/jobmatch-builder  (BUILDER_IMAGE) this machine's Go toolchain
#       (tests and docs left out), bash, sh and the few coreutils the RUN
#       steps use with their shared libraries, and a file GOPROXY holding
#       the modules of go.mod, so that `go mod download` works offline;
#   localhost/jobmatch-base:<arch>  (BASE_IMAGE) FROM scratch plus the Lambda
#       Runtime Interface Emulator of that architecture at the path
#       provided:al2023 has it (/usr/local/bin/aws-lambda-rie) and CA
#       certificates.
# The model goes into the build context at dist/model (MODEL_DIR, the offline
# route of the Dockerfile). It builds the image for linux/amd64 and
# linux/arm64 (the final stage has no RUN, so no emulation is needed), prints
# the sizes of each (uncompressed, and compressed as gzip layers pushed to an
# OCI layout), then runs the amd64 image's entrypoint under the emulator,
# inside the image (`buildah run --isolation chroot`), and the Go test
# TestImage (lambda/image_test.go) answers /health and /match, cold and warm,
# on loopback, with the model at the path the image sets.
#
# Storage lives in $JOBMATCH_CACHE/buildah (the vfs layers and the Go build
# cache mount make warm rebuilds fast); JOBMATCH_IMAGE_ARCHES picks the
# architectures (default "amd64 arm64"); JOBMATCH_INT8=true also runs the
# image with int8 weights. The host's architecture is always built and run;
# another is skipped, saying so, once the script has run for
# JOBMATCH_IMAGE_BUDGET_S (default 600 s), as on a cold cache.
#
# Measured on the shared 2-core dev machine (load 11 to 28 from other
# engineers' builds): cold (empty buildah storage and cache mounts) amd64
# built in 1120 s; with a warm Go cache mount, after a code change, the
# whole script took 305 s (amd64 177 s, arm64 about 100 s); the builder
# stand-in takes about 2 min, the run 10 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
cache="${JOBMATCH_CACHE:-$HOME/.cache/jobmatch}"
arches="${JOBMATCH_IMAGE_ARCHES:-amd64 arm64}"

if ! command -v buildah >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq buildah >/dev/null
fi
if [ "$(id -u)" != 0 ]; then
  echo "image.sh: SKIP: buildah needs root here (vfs storage, chroot isolation)"; exit 0
fi
run_root=$(mktemp -d)
b() { buildah --storage-driver vfs --root "$cache/buildah/root" --runroot "$run_root" "$@"; }
work=$(mktemp -d)
ctrs=()
cleanup() {
  for c in "${ctrs[@]}"; do b rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$work" "$run_root"
}
trap cleanup EXIT

# --- builder stand-in, rebuilt when the Go toolchain or go.sum changes.
goroot=$(go env GOROOT)
builder_tag="go$(go env GOVERSION | tr -d go)-$(cat go.sum | sha256sum | cut -c1-12)"
if ! b inspect --type image "localhost/jobmatch-builder:$builder_tag" >/dev/null 2>&1; then
  echo "--- builder stand-in localhost/jobmatch-builder:$builder_tag"
  root="$work/builder"
  mkdir -p "$root/usr/bin" "$root/tmp" "$root/root" "$root/usr/local" "$root/goproxy"
  chmod 1777 "$root/tmp"
  ln -s usr/bin "$root/bin"
  tar -C "$(dirname "$goroot")" --exclude='*/testdata' --exclude='*_test.go' \
    --exclude="$(basename "$goroot")/"{api,doc,misc,test} -cf - "$(basename "$goroot")" | tar -C "$root/usr/local" -xf -
  [ "$(basename "$goroot")" = go ] || mv "$root/usr/local/$(basename "$goroot")" "$root/usr/local/go"
  for tool in bash dash env mkdir cp rm dirname cat ls mv; do
    bin=$(command -v "$tool")
    cp -L "$bin" "$root/usr/bin/$tool"
    ldd "$bin" | awk '/=>/ {print $3} /^\t\/.*ld-linux/ {print $1}' | while read -r lib; do
      [ -e "$root$lib" ] || cp -L --parents "$lib" "$root/"
    done
  done
  ln -s dash "$root/usr/bin/sh"
  # The modules of go.mod as a file proxy, filled from this machine's module
  # cache when it has them, else from the Go module proxy.
  GOMODCACHE="$work/mod" GOFLAGS=-mod=mod GOPROXY="file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" \
    go mod download
  cp -R "$work/mod/cache/download/." "$root/goproxy/"
  chmod -R u+w "$work/mod" && rm -rf "$work/mod"
  c=$(b from scratch); ctrs+=("$c")
  b copy "$c" "$root" / >/dev/null
  b config --os linux --arch "$(go env GOARCH)" \
    --env PATH=/usr/local/go/bin:/usr/bin:/bin --env HOME=/root --env GOTOOLCHAIN=local \
    --env GOPROXY=file:///goproxy --env GOSUMDB=off --env GOFLAGS=-mod=mod "$c"
  b commit --quiet "$c" "localhost/jobmatch-builder:$builder_tag" >/dev/null
fi

# --- runtime base stand-ins, one per architecture.
rie_version=$(sed -n 's/^version=//p' scripts/aws-lambda-rie)
for arch in $arches; do
  tag="localhost/jobmatch-base:$arch-${rie_version##*-}"
  b inspect --type image "$tag" >/dev/null 2>&1 && continue
  echo "--- runtime base stand-in $tag"
  gopath="$work/gopath-$arch"
  env -u GOBIN GOPATH="$gopath" GOMODCACHE="$(go env GOMODCACHE)" CGO_ENABLED=0 GOOS=linux GOARCH="$arch" \
    go install -trimpath "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$rie_version"
  rie=$(find "$gopath/bin" -name aws-lambda-rie -type f)
  root="$work/base-$arch"
  mkdir -p "$root/usr/local/bin" "$root/etc/ssl/certs" "$root/tmp" "$root/var/task"
  chmod 1777 "$root/tmp"
  cp "$rie" "$root/usr/local/bin/aws-lambda-rie"
  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  c=$(b from scratch); ctrs+=("$c")
  b copy "$c" "$root" / >/dev/null
  b config --os linux --arch "$arch" --env PATH=/usr/local/bin:/usr/bin:/bin --env LAMBDA_TASK_ROOT=/var/task "$c"
  b commit --quiet "$c" "$tag" >/dev/null
done

# --- the model, in the build context.
model=$(./scripts/fetch-model)
rm -rf dist/model && mkdir -p dist/model && cp -R "$model"/. dist/model/

# --- the image, per architecture.
printf '%-6s %12s %12s %12s %12s\n' arch bootstrap+model "(compressed)" "with base" "(compressed)" >"$work/sizes"
budget="${JOBMATCH_IMAGE_BUDGET_S:-600}"
for arch in $arches; do
  if [ "$arch" != "$(go env GOARCH)" ] && [ $((SECONDS - start)) -gt "$budget" ]; then
    echo "image.sh: SKIP linux/$arch: $((SECONDS - start)) s spent, over the ${budget} s budget (a cold cache; the next run is warm)"
    continue
  fi
  echo "--- buildah build linux/$arch"
  t=$SECONDS
  # No --platform: buildah 1.28 then looks for every base of the target
  # platform in a registry, even those on this machine. The final stage
  # takes its architecture from its base, the bootstrap its GOARCH from
  # TARGETARCH; both are checked below.
  # The host's image gets the pack file of the kernel this CPU picks (sbert
  # names it), so that TestImage maps it (the Dockerfile's default for amd64
  # is avx512).
  pack=()
  if [ "$arch" = "$(go env GOARCH)" ]; then
    name=$(go run ./sbert/cmd/pack -which) # jobmatch-<goarch>-<kernel>.pack
    kernel=${name#jobmatch-"$arch"-} kernel=${kernel%.pack}
    pack=(--build-arg "PACK_KERNEL=$kernel")
  fi
  b build --quiet --layers --isolation chroot --build-arg "TARGETARCH=$arch" "${pack[@]}" \
    --build-arg "BUILDER_IMAGE=localhost/jobmatch-builder:$builder_tag" \
    --build-arg "BASE_IMAGE=localhost/jobmatch-base:$arch-${rie_version##*-}" \
    --build-arg MODEL_DIR=dist/model \
    --ignorefile lambda/Dockerfile.dockerignore -f lambda/Dockerfile -t "localhost/jobmatch:$arch" . >/dev/null
  echo "built in $((SECONDS - t))s"
  got=$(b inspect --type image --format '{{.OCIv1.Architecture}}' "localhost/jobmatch:$arch")
  [ "$got" = "$arch" ] || { echo "image.sh: localhost/jobmatch:$arch is an $got image"; exit 1; }
  # The bootstrap's ELF machine: 62 is x86-64, 183 AArch64.
  c=$(b from --quiet "localhost/jobmatch:$arch"); ctrs+=("$c")
  machine=$(python3 -c 'import struct,sys; print(struct.unpack("<H", open(sys.argv[1],"rb").read(20)[18:20])[0])' "$(b mount "$c")/var/task/bootstrap")
  b umount "$c" >/dev/null
  declare -A elf=([amd64]=62 [arm64]=183)
  [ "$machine" = "${elf[$arch]}" ] || { echo "image.sh: /var/task/bootstrap of the $arch image has ELF machine $machine"; exit 1; }
  # Sizes: the OCI layout's gzip layers are what a registry stores and
  # Lambda pulls; the base's layers are what the function's own add to.
  oci="$work/oci-$arch"
  b push --quiet --format oci "localhost/jobmatch:$arch" "oci:$oci:jobmatch" >/dev/null
  python3 - "$oci" "$arch" >>"$work/sizes" <<'PY'
import gzip, json, os, sys
oci, arch = sys.argv[1], sys.argv[2]
blob = lambda d: os.path.join(oci, "blobs", *d.split(":"))
index = json.load(open(os.path.join(oci, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
sizes = []
for layer in manifest["layers"]:
    n = 0
    with gzip.open(blob(layer["digest"])) as f:
        while chunk := f.read(1 << 20):
            n += len(chunk)
    sizes.append((n, layer["size"]))
own = sizes[1:]  # the base stand-in is one layer
mb = lambda v: "%.1f MB" % (v / 1e6)
print("%-6s %12s %12s %12s %12s" % (arch, mb(sum(u for u, _ in own)), mb(sum(c for _, c in own)),
      mb(sum(u for u, _ in sizes)), mb(sum(c for _, c in sizes))))
PY
done
cat "$work/sizes"
# vfs stores every layer whole: keep the tagged images (the stand-ins of
# this toolchain and go.sum, the two images) and drop the rest, replaced
# images and the layer cache included (the Go build cache mount stays).
for old in $(b images --format '{{.Name}}:{{.Tag}}' | grep '^localhost/jobmatch-builder:' | grep -v ":$builder_tag\$" || true); do
  b rmi "$old" >/dev/null
done
b rmi --prune >/dev/null 2>&1 || true

# --- run the amd64 image (this machine's) under the emulator, from inside.
host=$(go env GOARCH)
if [[ " $arches " != *" $host "* ]]; then echo "image.sh: $host not built, nothing to run"; exit 0; fi
c=$(b from --quiet "localhost/jobmatch:$host"); ctrs+=("$c")
cat >"$work/rie-in-image" <<SH
#!/bin/sh
# The emulator inside the image, with the image's environment; the test
# passes the emulator's arguments and the entrypoint (/var/task/bootstrap).
exec buildah --storage-driver vfs --root "$cache/buildah/root" --runroot "$run_root" run --isolation chroot \
  --env "JOBMATCH_INT8=\${JOBMATCH_INT8:-false}" "$c" -- /usr/local/bin/aws-lambda-rie "\$@"
SH
chmod +x "$work/rie-in-image"
for int8 in false ${JOBMATCH_INT8:+true}; do
  echo "--- /match from inside localhost/jobmatch:$host (int8 $int8)"
  JOBMATCH_INT8=$int8 JOBMATCH_IMAGE_RIE="$work/rie-in-image" CGO_ENABLED=0 \
    go test -count=1 -run '^TestImage$' -v ./lambda/ | grep -v '^=== RUN'
done
echo "image.sh: done in $((SECONDS - start))s"
