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
#   terraform  1.5.7, when "terraform" is in the list (see below), with
#              terraform/tools/schemaprovider standing in for hashicorp/aws:
#              fmt -check -recursive; validate of the root module and both
#              examples; validate of testdata/broken/schema and plan of
#              testdata/broken/plan, which must fail with the errors the real
#              provider's schema gives; plan of both examples and of
#              testdata/plan/options, whose `terraform show -json` the Go test
#              TestPlan (terraform/plan_test.go) then checks; plan of
#              examples/batch and of testdata/plan/batch, which TestPlanBatch
#              (terraform/batch_plan_test.go) checks.
#
# The stand-in provider serves the real AWS provider 6.25.0 schema and has
# none of its logic. In a plan, every value the configuration decides is
# real; every value only AWS could give (ARNs, IDs, versions, policy JSON
# rendered by aws_iam_policy_document) is unknown, or, in a data source read
# during the plan, a fixed placeholder ("stand-in-<attribute>-<tag>", 0,
# false, empty; region from the provider block, partition aws, account
# 123456789012). Apply is impossible: the provider refuses it.
#
# JOBMATCH_TF_TOOLS picks the tools, default all three: "terraform tflint
# tfsec" (terraform 1.5.7 costs about as much to build as the other two
# together; the builds run in parallel and are cached).
# JOBMATCH_TF_PLAN_DIR, if set, is where the plans are written (zip.json,
# image.json, options.json), so that a later `go test ./terraform` checks
# them too; otherwise they go to a temporary directory.
#
# Measured on the 2-core dev machine (shared, so on the slow side): cold
# builds take tfsec 139 s, tflint 199 s, terraform 227 s of CPU; all three
# in parallel from empty caches (module downloads included) plus the
# stand-in provider took 393 s wall, tflint and tfsec alone 191 s. The
# stand-in provider's tests and build take 35 s from an empty Go build cache.
# Warm, the full run takes about 13 s (tflint and tfsec alone about 5 s), of
# which the broken modules take about 4 s and the plans with TestPlan 5 s.
set -euo pipefail
[ -z "${JOBMATCH_TF_PLAN_DIR:-}" ] || JOBMATCH_TF_PLAN_DIR=$(realpath -m "$JOBMATCH_TF_PLAN_DIR")
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

modules=(terraform terraform/modules/lambda terraform/modules/api_gateway terraform/modules/ecr terraform/modules/batch terraform/examples/zip terraform/examples/image terraform/examples/batch)
status=0

if [[ " $tools " == *" terraform "* ]]; then
  echo "--- terraform fmt"
  TF_CLI_CONFIG_FILE=/dev/null "$(bin terraform)" fmt -check -recursive -diff terraform/ || status=1

  # terraform validate and plan, with terraform/tools/schemaprovider standing
  # in for hashicorp/aws: it serves the real provider's schema (extracted
  # from npm @cdktf/provider-aws), so Terraform core checks every argument,
  # type, reference and module call, and plans from the schema alone. Each
  # module runs in a copy, so that init leaves no .terraform/ or lock file in
  # the tree.
  echo "--- terraform validate (schema of hashicorp/aws 6.25.0, no provider logic)"
  src=terraform/tools/schemaprovider
  sum=$(cat "$src"/go.mod "$src"/go.sum "$src"/*.go | sha256sum | cut -c1-16)
  provider="$cache/schemaprovider-$sum/terraform-provider-aws_v6.25.0"
  # Built, once per source, only if its own tests pass.
  if [ ! -x "$provider" ]; then
    (cd "$src" && env -u GOFLAGS CGO_ENABLED=0 go test -trimpath -count=1 ./... && env -u GOFLAGS CGO_ENABLED=0 go build -trimpath -o "$provider.partial" .) && mv "$provider.partial" "$provider"
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
  mkdir -p "$work/src/terraform/testdata" && cp -R terraform/testdata/plan terraform/testdata/broken "$work/src/terraform/testdata/"
  schema="$PWD/terraform/testdata/provider-schema/aws-6.25.0.json.gz"
  tf() { TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 JOBMATCH_PROVIDER_SCHEMA="$schema" "$(bin terraform)" "$@"; }

  # The root module and the examples instantiate every submodule.
  for dir in terraform terraform/examples/zip terraform/examples/image terraform/examples/batch; do
    (
      cd "$work/src/$dir"
      tf init -backend=false -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
      tf validate -no-color >"$work/validate.log" 2>&1 || { echo "$dir:"; cat "$work/validate.log"; exit 1; }
      echo "$dir: valid"
    ) || status=1
  done

  # The stand-in provider must reject what the real one rejects for its
  # schema: testdata/broken/schema has one defect of each kind and must fail
  # validate with each; testdata/broken/plan validates (its variable is
  # unknown then) but must fail plan.
  expect() { # expect <dir> <command> <message>...: the command fails in dir with every message
    local dir=$1 cmd=$2 out
    shift 2
    cd "$work/src/terraform/testdata/broken/$dir"
    tf init -backend=false -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; return 1; }
    [ "$cmd" = validate ] || tf validate -no-color >/dev/null 2>&1 || { echo "testdata/broken/$dir: validate failed, but only $cmd must"; return 1; }
    if out=$(tf "$cmd" -no-color 2>&1); then
      echo "testdata/broken/$dir: $cmd passed, but it must fail"; return 1
    fi
    out=$(tr -s ' \n' '  ' <<<"$out") # Terraform wraps long messages
    for want in "$@"; do
      [[ "$out" == *"$want"* ]] || { echo "testdata/broken/$dir: $cmd reported no error containing: $want"; echo "$out"; return 1; }
    done
    echo "testdata/broken/$dir: $cmd failed, reporting all $# expected errors"
  }
  (expect schema validate \
    'An argument named "payload_format" is not expected here' \
    'The argument "function_version" is required' \
    'Inappropriate value for attribute "architectures": list of string required' \
    'Inappropriate value for attribute "memory_size": a number is required' \
    'Blocks of type "throttle" are not expected here' \
    'No more than 1 "logging_config" blocks are allowed' \
    'The provider hashicorp/aws does not support resource type "aws_lambda_functions"' \
    'Can'"'"'t configure a value for "invoke_arn"') || status=1
  (expect plan plan 'The argument "assume_role_policy" is required, but it is null') || status=1

  # terraform plan of both examples and of testdata/plan/options (every
  # option on), saved as `terraform show -json` for the Go test TestPlan.
  # The zip example hashes the zip that lambda/package.sh builds; plan it
  # with a stand-in file.
  echo "--- terraform plan (stand-in provider: computed values unknown or placeholders)"
  plans="${JOBMATCH_TF_PLAN_DIR:-$work/plans}"
  mkdir -p "$plans" && rm -f "$plans"/{zip,image,options,batch}.json
  printf 'stand-in for dist/jobmatch-arm64.zip\n' >"$work/dummy.zip"
  declare -A planvars=(
    [terraform/examples/zip]="-var artifact_bucket=jobmatch-artifacts -var zip_path=$work/dummy.zip"
    [terraform/examples/image]="-var image_tag=0123abc"
    [terraform/testdata/plan/options]=""
    [terraform/examples/batch]="-var image_tag=0123abc -var resumes_bucket=acme-resumes -var results_bucket=acme-results"
    [terraform/testdata/plan/batch]=""
  )
  for dir in terraform/examples/zip terraform/examples/image terraform/testdata/plan/options terraform/examples/batch terraform/testdata/plan/batch; do
    name=$(basename "$dir")
    [ "$dir" != terraform/examples/batch ] || name=batch-example # testdata/plan/batch is batch.json
    (
      cd "$work/src/$dir"
      [ -d .terraform ] || tf init -backend=false -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
      # shellcheck disable=SC2086 # the variables are split on purpose
      tf plan -input=false -no-color -lock=false -out="$work/$name.tfplan" ${planvars[$dir]} >"$work/plan.log" 2>&1 || { echo "$dir:"; cat "$work/plan.log"; exit 1; }
      tf show -json -no-color "$work/$name.tfplan" >"$plans/$name.json" || exit 1
      echo "$dir: $(grep '^Plan:' "$work/plan.log")"
    ) || status=1
  done
  JOBMATCH_TF_PLAN_DIR="$plans" CGO_ENABLED=0 go test -count=1 -run '^TestPlan' ./terraform || status=1
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
  for dir in terraform terraform/examples/zip terraform/examples/image terraform/examples/batch; do
    "$(bin tfsec)" "$dir" --no-color --concise-output --no-module-downloads || status=1
  done
fi

echo "terraform.sh: done in $((SECONDS - start))s"
exit $status
