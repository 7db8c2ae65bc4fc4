#!/usr/bin/env bash
# generate.sh: regenerate aws-6.25.0.json.gz, the AWS provider's resource and
# data source schemas that terraform_test.go checks every module against.
#
# The real provider cannot be downloaded here, but the npm package
# @cdktf/provider-aws@21.22.1 is generated (by `cdktf get`) from the published
# schema of registry.terraform.io/hashicorp/aws 6.25.0; extract.js turns its
# type assembly back into `terraform providers schema -json` form.
# Needs node >= 18 and npm. The tarball is checked against its sha256.
set -euo pipefail
cd "$(dirname "$0")"

version=21.22.1
sum=d1446ab6ac6526c6fab4b28a5ebefdd90c0ce56203949925d35a4d286c05cbbf

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@cdktf/provider-aws@$version" >/dev/null)
echo "$sum  $tmp/cdktf-provider-aws-$version.tgz" | sha256sum -c --quiet
tar -xzf "$tmp/cdktf-provider-aws-$version.tgz" -C "$tmp"
node extract.js "$tmp/package" | gzip -9n > aws-6.25.0.json.gz
echo "wrote $(pwd)/aws-6.25.0.json.gz"
