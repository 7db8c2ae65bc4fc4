#!/usr/bin/env bash
# browser.sh (CI): drive the page at / in headless Chromium (lambda's
# TestBrowser, loopback only), installing Debian's chromium when it is
# missing. Screenshots are kept in .artifacts/browser (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${JOBMATCH_CHROMIUM:-}" ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
fi
export JOBMATCH_SCREENSHOTS="$PWD/.artifacts/browser"
CI="${CI:-true}" timeout 600 go test -count=1 -timeout 5m -run '^TestBrowser$' -v ./lambda/ | grep -v '^=== RUN'
ls -l "$JOBMATCH_SCREENSHOTS"
