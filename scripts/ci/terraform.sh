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
#   terraform  1.5.7 fmt -check -recursive, and validate with a provider that
#              serves the real AWS provider schema, when "terraform" is in the
#              list (see below).
#
# JOBMATCH_TF_TOOLS picks the tools, default all three: "terraform tflint
# tfsec" (terraform 1.5.7 costs about as much to build as the other two
# together; the builds run in parallel and are cached). `terraform plan` does
# not run: it needs the real provider's logic, which cannot be downloaded.
#
# Measured on the 2-core dev machine (shared, so on the slow side): cold
# builds take tfsec 139 s, tflint 199 s, terraform 227 s of CPU; all three
# in parallel from empty caches (module downloads included) plus the
# stand-in provider took 393 s wall, the default (tflint and tfsec) 191 s.
# Warm, the default run takes about 5 s, the full one about 15 s.
set -euo pipefail
cd "$(dirname "$0")/../.."

tools="${JOBMATCH_TF_TOOLS:-terraform tflint tfsec}"
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

  # terraform validate, with terraform/tools/schemaprovider standing in for
  # hashicorp/aws: it serves the real provider's schema (extracted from npm
  # @cdktf/provider-aws) and nothing else, so Terraform core checks every
  # argument, type, reference and module call. Each module is validated in
  # a copy, so that init leaves no .terraform/ or lock file in the tree.
  echo "--- terraform validate (schema of hashicorp/aws 6.25.0, no provider logic)"
  src=terraform/tools/schemaprovider
  sum=$(cat "$src"/go.mod "$src"/go.sum "$src"/*.go | sha256sum | cut -c1-16)
  provider="$cache/schemaprovider-$sum/terraform-provider-aws_v6.25.0"
  if [ ! -x "$provider" ]; then
    (cd "$src" && env -u GOFLAGS CGO_ENABLED=0 go build -trimpath -o "$provider.partial" .) && mv "$provider.partial" "$provider"
  fi
  work=$(mktemp -d)
  mirror="$work/mirror/registry.terraform.io/hashicorp/aws/6.25.0/$(go env GOOS)_$(go env GOARCH)"
  mkdir -p "$mirror" && cp "$provider" "$mirror/"
  cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
TFRC
  mkdir "$work/src" && tar -C . --exclude=testdata --exclude=tools --exclude=.terraform -cf - terraform | tar -C "$work/src" -xf -
  # The root module and the examples instantiate every submodule.
  for dir in terraform terraform/examples/zip terraform/examples/image; do
    (
      cd "$work/src/$dir"
      export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 JOBMATCH_PROVIDER_SCHEMA="$OLDPWD/terraform/testdata/provider-schema/aws-6.25.0.json.gz"
      "$(bin terraform)" init -backend=false -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
      "$(bin terraform)" validate -no-color >"$work/validate.log" 2>&1 || { echo "$dir:"; cat "$work/validate.log"; exit 1; }
      echo "$dir: valid"
    ) || status=1
  done
  rm -rf "$work"
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
