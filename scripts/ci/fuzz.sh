#!/usr/bin/env bash
# fuzz.sh runs every fuzz target of the module for a short while and fails
# when one finds a crash, printing the failing input's path and how to re-run
# it. Targets are found anew on every run: the packages whose test files
# declare a func Fuzz..., then `go test -list` on each for the exact names.
#
#   JOBMATCH_FUZZTIME          time per target (default 5s; a Go duration in
#                              whole s, m or h, or a count of runs like 10000x)
#   JOBMATCH_FUZZ              regexp of the targets to run (default: all)
#   JOBMATCH_FUZZMINIMIZETIME  time to minimise each new input (default 0)
#
# Minimising is off by default: Go spends up to -fuzzminimizetime (60 s) on
# every input that reaches new code, trying every byte range it could cut
# (quadratic in the input's length), and on a short run that left both
# workers minimising instead of fuzzing: 1,300 execs/s instead of 7,900
# (FuzzSegtok), 2,500 instead of 13,000 (FuzzMatch), on 2 busy cores. A
# crashing input is written unminimised; set the variable for long runs.
#
# Each target is bounded by go test -timeout (its time plus 2 minutes) and
# the whole go test call by timeout(1), compilation included; go test -fuzz
# builds one package at a time, so the targets of a package run together.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CGO_ENABLED=0

fuzztime="${JOBMATCH_FUZZTIME:-5s}"
only="${JOBMATCH_FUZZ:-.}"
minimize="${JOBMATCH_FUZZMINIMIZETIME:-0}"
case "$fuzztime" in
*[0-9]x) seconds=600 ;; # a count of runs: no telling how long
*[0-9]s) seconds=${fuzztime%s} ;;
*[0-9]m) seconds=$((${fuzztime%m} * 60)) ;;
*[0-9]h) seconds=$((${fuzztime%h} * 3600)) ;;
*)
	echo "fuzz.sh: JOBMATCH_FUZZTIME=$fuzztime: want whole seconds, minutes or hours (5s, 10m, 1h) or a count (10000x)" >&2
	exit 2
	;;
esac
[[ $seconds =~ ^[0-9]+$ ]] || {
	echo "fuzz.sh: JOBMATCH_FUZZTIME=$fuzztime: want whole units" >&2
	exit 2
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$SECONDS
targets=0
failed=()
for dir in $(grep -rlE --include='*_test.go' --exclude-dir=testdata --exclude-dir=.git '^func Fuzz[A-Z0-9_]' . | xargs -n1 dirname | sort -u); do
	names=$(timeout 600 go test -list '^Fuzz' "$dir" | grep -E '^Fuzz' | grep -E -- "$only" || true)
	for name in $names; do
		targets=$((targets + 1))
		if timeout $((seconds + 900)) go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" \
			-fuzzminimizetime "$minimize" -timeout "$((seconds + 120))s" "$dir" >"$log" 2>&1; then
			read -r secs execs < <(sed -n 's/^fuzz: elapsed: \([0-9]*\)s, execs: \([0-9]*\).*/\1 \2/p' "$log" | tail -1)
			echo "fuzz.sh: $dir $name: ${execs:-?} execs in ${secs:-?} s ($((${execs:-0} / ${secs:-1} > 0 ? ${execs:-0} / ${secs:-1} : 0))/s)"
			continue
		fi
		failed+=("$dir $name")
		tail -n 40 "$log"
		input=$(sed -n 's/.*Failing input written to \(testdata\/fuzz\/[^ ]*\).*/\1/p' "$log" | tail -1)
		if [ -n "$input" ]; then
			echo "fuzz.sh: FAIL $dir $name: failing input $dir/$input; re-run: go test -run '$name/${input##*/}' $dir"
		else
			echo "fuzz.sh: FAIL $dir $name: no failing input written (build error or timeout, see above)"
		fi
	done
done
echo "fuzz.sh: $targets targets, ${#failed[@]} failed, $((SECONDS - start)) s (JOBMATCH_FUZZTIME=$fuzztime each)"
[ "$targets" -gt 0 ] || {
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
}
[ ${#failed[@]} -eq 0 ]
