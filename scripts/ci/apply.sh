#!/usr/bin/env bash
# apply.sh: terraform apply and destroy of the jobmatch modules with the
# real AWS provider against moto (an AWS API emulator from PyPI) on
# loopback, asserting on what moto holds after each (terraform/testdata/
# apply: main.tf, the test-only root module with every endpoint overridden;
# check.py, the assertions; moto_server.py, moto with the two Step Functions
# calls the provider makes and moto lacks).
#
# It needs two cached tools and skips, saying which, without them:
#   the real provider, built once by scripts/build-aws-provider (about an
#     hour of 2 cores: never in CI from a cold cache);
#   terraform 1.5.7, built by scripts/ci/terraform.sh (which runs first).
# moto 5.2.5 goes into a virtual environment under $JOBMATCH_CACHE/tools.
# moto stores state machines but does not run them; the batch handler runs
# under the Lambda emulator instead (lambda/batch_rie_test.go).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
tools="${JOBMATCH_CACHE:-$HOME/.cache/jobmatch}/tools"

mirror=$(ls -d "$tools"/aws-provider-*/mirror 2>/dev/null | head -1 || true)
if [ -z "$mirror" ] || [ ! -f "$(dirname "$mirror")/mirror.ok" ]; then
  echo "apply.sh: SKIP: the real AWS provider is not built; run: nice -n 19 scripts/build-aws-provider (about an hour on 2 cores)"
  exit 0
fi
terraform="$tools/terraform-v1.5.7/terraform"
if [ ! -x "$terraform" ]; then
  echo "apply.sh: SKIP: $terraform is missing (scripts/ci/terraform.sh builds it)"; exit 0
fi
venv="$tools/moto-5.2.5"
if [ ! -f "$venv/installed" ]; then
  rm -rf "$venv" && python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.2.5'
  touch "$venv/installed"
fi
echo "apply.sh: provider $(cat "$(dirname "$mirror")/mirror.ok")"

work=$(mktemp -d)
moto_pid=""
cleanup() {
  [ -z "$moto_pid" ] || kill "$moto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(freeport) proxy_port=$(freeport)
endpoint="http://127.0.0.1:$port"
# moto_server.py says why S3 Control goes through its proxy.
"$venv/bin/python" terraform/testdata/apply/moto_server.py "$port" "$proxy_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 120); do curl -fs -o /dev/null "$endpoint/moto-api/" && break; sleep 0.5; done
curl -fs -o /dev/null "$endpoint/moto-api/" || { echo "apply.sh: moto did not start:"; cat "$work/moto.log"; exit 1; }

# A copy of terraform/ (the modules and the test root), so that init leaves
# nothing in the tree; a stand-in zip, which moto stores and never runs.
mkdir -p "$work/src" && tar -C . --exclude=.terraform --exclude=tools -cf - terraform | tar -C "$work/src" -xf -
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("bootstrap", "#!/bin/sh\n"); z.close()' "$work/stand-in.zip"
cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
TFRC
tf() { (cd "$work/src/terraform/testdata/apply" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 \
  HTTP_PROXY="http://127.0.0.1:$proxy_port" NO_PROXY= "$terraform" "$@"); }
vars=(-var "endpoint=$endpoint" -var "zip_path=$work/stand-in.zip")
check() { "$venv/bin/python" terraform/testdata/apply/check.py "$endpoint" "$@"; }

tf init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
# As a user would: the repository first, an image pushed to it, then the rest.
tf apply -input=false -no-color -auto-approve "${vars[@]}" -target=module.image.module.ecr >"$work/apply.log" 2>&1 ||
  { tail -40 "$work/apply.log"; exit 1; }
"$venv/bin/python" - "$endpoint" <<'PY'
import json, sys, boto3
ecr = boto3.client("ecr", endpoint_url=sys.argv[1], region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": "sha256:" + "0" * 64},
            "layers": []}
ecr.put_image(repositoryName="jobmatch-image", imageManifest=json.dumps(manifest), imageTag="0123abc")
PY
t=$SECONDS
tf apply -input=false -no-color -auto-approve "${vars[@]}" >"$work/apply.log" 2>&1 || { tail -60 "$work/apply.log"; exit 1; }
echo "apply.sh: $(grep -E '^Apply complete' "$work/apply.log") in $((SECONDS - t))s"
check
t=$SECONDS
tf destroy -input=false -no-color -auto-approve "${vars[@]}" >"$work/destroy.log" 2>&1 || { tail -60 "$work/destroy.log"; exit 1; }
echo "apply.sh: $(grep -E '^Destroy complete' "$work/destroy.log") in $((SECONDS - t))s"
check --destroyed
echo "apply.sh: done in $((SECONDS - start))s"
