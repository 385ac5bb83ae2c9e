#!/usr/bin/env bash
# Run every fuzz target of the module, one at a time, and print a table of
# target, time fuzzed, executions and result.
#
# Usage: scripts/fuzz.sh [DURATION] [REGEXP]
#
#   DURATION  how long each target fuzzes (go test -fuzztime; default 5m)
#   REGEXP    run only the targets whose package.Func matches (grep -E)
#
# The targets are discovered, not listed: every func FuzzX(*testing.F) in
# the _test.go files of the module's packages (go list, so testdata is left
# out). Each runs alone with -parallel 1, the machine's other core left to
# whatever else runs, and with -fuzzminimizetime bounded (MINIMIZE, default
# 10s): with the default of 60 s a target whose inputs are slow to minimise
# (SPDX RDF) spends its run minimising and manages a handful of executions.
#
# A target that fails leaves its input under the package's
# testdata/fuzz/FuzzX/; keep it there as a seed once the bug is fixed. A run
# that ends with "context deadline exceeded" and writes no input is Go
# 1.26's coordinator race at the end of -fuzztime (go.dev/issue/75804, fixed
# in Go 1.27), not a finding: it is reported as "deadline", not as a
# failure. The full output of each run is in $FUZZ_LOGS (default a
# temporary directory, printed at the end). Exits 1 when any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-5m}"
filter="${2:-.}"
minimize="${MINIMIZE:-10s}"
logs="${FUZZ_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/tracegate-fuzz.XXXXXX")}"
mkdir -p "$logs"

# package import path and directory of every package with tests
targets=()
while read -r pkg dir; do
	[ -n "$dir" ] || continue
	for f in "$dir"/*_test.go; do
		[ -e "$f" ] || continue
		while read -r fn; do
			if printf '%s.%s\n' "$pkg" "$fn" | grep -Eq -- "$filter"; then
				targets+=("$pkg $dir $fn")
			fi
		done < <(sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\([A-Za-z_][A-Za-z0-9_]* \*testing\.F\).*/\1/p' "$f")
	done
done < <(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{.Dir}}{{end}}' ./...)

if [ "${#targets[@]}" -eq 0 ]; then
	echo "scripts/fuzz.sh: no fuzz target matches $filter" >&2
	exit 2
fi
echo "scripts/fuzz.sh: ${#targets[@]} targets, $duration each, -fuzzminimizetime $minimize, -parallel 1 ($(go version | cut -d' ' -f3), $(nproc) CPUs)"

module="$(go list -m)"
# inputs in a target's corpus directory (none when it does not exist)
inputs() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }
rows=()
failed=0
for t in "${targets[@]}"; do
	read -r pkg dir fn <<<"$t"
	name="${pkg#"$module"/}.$fn"
	log="$logs/${name//\//_}.log"
	corpus="$dir/testdata/fuzz/$fn"
	before=$(inputs "$corpus")
	status=ok
	start=$(date +%s)
	go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$duration" -fuzzminimizetime "$minimize" -parallel 1 "$pkg" >"$log" 2>&1 || status=FAIL
	took=$(($(date +%s) - start))
	if [ "$status" = FAIL ] && [ "$(inputs "$corpus")" -eq "$before" ] &&
		[ "$(grep -cE -- '--- FAIL|panic:|Failing input' "$log")" -eq 1 ] && grep -q '^    context deadline exceeded$' "$log"; then
		status=deadline # go.dev/issue/75804: no input, nothing found
	fi
	# The last progress line says how many inputs were run:
	# "fuzz: elapsed: 5m0s, execs: 1234567 (4115/sec), new interesting: ..."
	execs=$(grep -Eo 'execs: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2 || true)
	elapsed=$(grep -Eo 'fuzz: elapsed: [0-9hms.]+' "$log" | tail -n 1 | cut -d' ' -f3 || true)
	if [ "$status" = FAIL ]; then
		failed=1
		echo "FAIL $name (log: $log)" >&2
		grep -E -- '--- FAIL|Failing input written to|panic:' "$log" >&2 || tail -n 20 "$log" >&2
	fi
	row=$(printf '%-60s %10s %8ss %14s  %s' "$name" "${elapsed:--}" "$took" "${execs:--}" "$status")
	echo "$row"
	rows+=("$row")
done

echo
printf '%-60s %10s %9s %14s  %s\n' target fuzzed wall execs result
printf '%s\n' "${rows[@]}"
echo
echo "logs: $logs"
exit "$failed"
