#!/usr/bin/env bash
# terraform.sh: offline checks of the Terraform module in terraform/, run by
# scripts/test before `go test ./...` (whose package ./terraform checks the
# modules against the AWS provider's schema; see terraform/README.md).
#
# It builds the tools from the Go module proxy, once, into
# $JOBMATCH_CACHE/tools/<name>-<version> (default ~/.cache/jobmatch), in
# parallel, and then runs:
#   tflint     the built-in terraform ruleset, preset "all", on every module
#              (the aws ruleset is a plugin download, impossible offline);
#   tfsec      on the root module and both examples (they instantiate every
#              submodule, Zip and Image); each accepted finding carries an
#              inline tfsec:ignore with its reason;
#   terraform  1.5.7 fmt -check -recursive, when "terraform" is in the list.
#
# JOBMATCH_TF_TOOLS picks the tools, default "tflint tfsec". Building
# terraform 1.5.7 costs about as much as the other two together and only
# serves fmt, so it is opt-in: JOBMATCH_TF_TOOLS="terraform tflint tfsec".
# `terraform validate` and `plan` need the AWS provider binary, which cannot
# be downloaded here; they do not run.
set -euo pipefail
cd "$(dirname "$0")/../.."

tools="${JOBMATCH_TF_TOOLS:-tflint tfsec}"
cache="${JOBMATCH_CACHE:-$HOME/.cache/jobmatch}/tools"
declare -A pkg=(
  [terraform]=github.com/hashicorp/terraform@v1.5.7
  [tflint]=github.com/terraform-linters/tflint@v0.64.0
  [tfsec]=github.com/aquasecurity/tfsec/cmd/tfsec@v1.26.0
)
start=$SECONDS

# bin prints where tool $1 lives in the cache.
bin() { echo "$cache/$1-${pkg[$1]##*@}/$1"; }

# build installs tool $1 unless it is cached; a failed or interrupted build
# leaves nothing that looks like a finished one.
build() {
  local name=$1 dir
  dir=$(dirname "$(bin "$name")")
  [ -x "$dir/$name" ] && return 0
  rm -rf "$dir.partial" && mkdir -p "$dir.partial"
  (cd "$dir.partial" && env -u GOFLAGS GOBIN="$dir.partial" CGO_ENABLED=0 go install -trimpath "${pkg[$name]}") >"$dir.log" 2>&1 || {
    echo "terraform.sh: building $name failed:" >&2; tail -20 "$dir.log" >&2; return 1
  }
  rm -rf "$dir" && mv "$dir.partial" "$dir"
}

pids=()
for name in $tools; do
  [ -n "${pkg[$name]:-}" ] || { echo "terraform.sh: unknown tool $name (want terraform, tflint, tfsec)" >&2; exit 2; }
  build "$name" & pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "terraform.sh: tools ready in $((SECONDS - start))s ($tools)"

modules=(terraform terraform/modules/lambda terraform/modules/api_gateway terraform/modules/ecr terraform/examples/zip terraform/examples/image)
status=0

if [[ " $tools " == *" terraform "* ]]; then
  echo "--- terraform fmt"
  TF_CLI_CONFIG_FILE=/dev/null "$(bin terraform)" fmt -check -recursive -diff terraform/ || status=1
fi

if [[ " $tools " == *" tflint "* ]]; then
  echo "--- tflint (built-in terraform ruleset, preset all)"
  # examples/zip hashes the zip that lambda/package.sh builds; lint it
  # against a stand-in file.
  dummy=$(mktemp); trap 'rm -f "$dummy"' EXIT
  for dir in "${modules[@]}"; do
    vars=()
    [ "$dir" = terraform/examples/zip ] && vars=(--var="zip_path=$dummy")
    "$(bin tflint)" --chdir="$dir" --config="$PWD/terraform/.tflint.hcl" --format=compact "${vars[@]}" || status=1
  done
fi

if [[ " $tools " == *" tfsec "* ]]; then
  echo "--- tfsec"
  for dir in terraform terraform/examples/zip terraform/examples/image; do
    "$(bin tfsec)" "$dir" --no-color --concise-output --no-module-downloads || status=1
  done
fi

echo "terraform.sh: done in $((SECONDS - start))s"
exit $status
