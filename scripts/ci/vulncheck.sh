#!/usr/bin/env bash
# vulncheck.sh runs govulncheck on the module, offline. govulncheck's own
# database server is out of reach here, but the same reports come from the Go
# module proxy as the module golang.org/x/vulndb (its data/osv holds every
# report as OSV JSON). That module's cmd/indexdb turns them into the database
# layout govulncheck reads with -db file://.
#
# Tools are built once into $JOBMATCH_CACHE/tools (default ~/.cache/jobmatch),
# the indexed database is kept in $JOBMATCH_CACHE/vulndb/<module version>;
# a cold run takes about 3 minutes on 2 cores (80 s with the module cache
# filled), a warm one about 20 s.
# JOBMATCH_VULNDB_VERSION pins the database version (default: latest).
#
# It fails when the code calls a vulnerable function of a module it
# requires, or of the standard library of the Go it runs with (scripts/test
# sets GOTOOLCHAIN to the release with the fixes); each is listed with the
# release that fixes it. JOBMATCH_VULNCHECK_STDLIB=warn only lists the
# standard library's, for a Go that cannot be changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CGO_ENABLED=0

govulncheck_version=v1.9.0
indexdb_version=v0.0.0-20261105234957-e22db6528018 # golang.org/x/vulndb, for its cmd/indexdb
cache="${JOBMATCH_CACHE:-$HOME/.cache/jobmatch}"

install() { # install <dir> <package@version>: go install into dir unless there
	[ -x "$1/$(basename "${2%@*}")" ] || GOBIN="$1" timeout 600 go install "$2"
}
install "$cache/tools/govulncheck-$govulncheck_version" "golang.org/x/vuln/cmd/govulncheck@$govulncheck_version"
install "$cache/tools/indexdb-$indexdb_version" "golang.org/x/vulndb/cmd/indexdb@$indexdb_version"
govulncheck="$cache/tools/govulncheck-$govulncheck_version/govulncheck"

version="${JOBMATCH_VULNDB_VERSION:-$(timeout 120 go list -m -f '{{.Version}}' golang.org/x/vulndb@latest)}"
db="$cache/vulndb/$version"
if [ ! -s "$db/index/db.json" ]; then
	src=$(timeout 300 go mod download -json "golang.org/x/vulndb@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	rm -rf "$db.tmp"
	timeout 300 "$cache/tools/indexdb-$indexdb_version/indexdb" -vulns "$src/data/osv" -out "$db.tmp"
	mv "$db.tmp" "$db"
	find "$cache/vulndb" -mindepth 1 -maxdepth 1 ! -name "$version" -exec rm -rf {} + # older databases
fi
echo "vulncheck.sh: govulncheck $govulncheck_version, database golang.org/x/vulndb@$version, $(go version | cut -d' ' -f3)"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout 600 "$govulncheck" -db "file://$db" -format json ./... >"$out"
python3 - "$out" "${JOBMATCH_VULNCHECK_STDLIB:-fail}" <<'PY'
# Lists the vulnerabilities whose functions the code calls (a finding whose
# trace starts at a function), one line each, and sets the exit status.
import json, re, sys
text, stdlib_policy = open(sys.argv[1]).read(), sys.argv[2]
dec, i, summary, called = json.JSONDecoder(), 0, {}, {}
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        break
    msg, i = dec.raw_decode(text, i)
    if "osv" in msg:
        summary[msg["osv"]["id"]] = msg["osv"].get("summary", "")
    f = msg.get("finding")
    if f and f["trace"] and f["trace"][0].get("function"):
        top = f["trace"][0]
        called[f["osv"]] = (top["module"], top.get("package", ""), top.get("version", ""), f.get("fixed_version", "none"))
fail = False
for vid, (module, package, version, fixed) in sorted(called.items()):
    print(f"vulncheck.sh: {vid} in {package} ({module}@{version}, fixed in {fixed}): {summary.get(vid, '')}")
    fail |= module != "stdlib" or stdlib_policy == "fail"
stdlib = sorted({fixed for module, _, _, fixed in called.values() if module == "stdlib"},
                key=lambda v: [int(n) for n in re.findall(r"\d+", v)])
if stdlib:
    print(f"vulncheck.sh: the Go toolchain needs {stdlib[-1]} or later (e.g. GOTOOLCHAIN=go{stdlib[-1].lstrip('v')}, fetched through the module proxy)"
          + ("" if stdlib_policy == "fail" else "; not failing for the standard library (JOBMATCH_VULNCHECK_STDLIB=fail to)"))
if not called:
    print("vulncheck.sh: no called vulnerabilities")
sys.exit(1 if fail else 0)
PY
