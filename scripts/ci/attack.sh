#!/usr/bin/env bash
# attack.sh (CI): replay the attacks of SECURITY.md against examples/server
# and the Lambda function under the emulator; fails if any succeeds.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ./scripts/attack.sh
