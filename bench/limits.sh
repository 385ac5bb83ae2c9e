#!/usr/bin/env bash
# Peak memory of one evaluation on the hostile inputs of issue 11: that
# resources are bounded per run, not per file (docs/security.md, "Limits").
#
# Usage: bench/limits.sh [RUNS]     (default 3; run from anywhere)
#        TRACEGATE=/path/to/tracegate SAMPLE=/its/checkout/testdata/sample-device bench/limits.sh
#          measures another build (an older one, with the sample of its commit)
#
# bench/genlimits writes the inputs into bench/out/limits (once; REGEN=1
# writes them again; MB=200 and YAML_MB=50 set their sizes). Each case is
# the sample device (testdata/sample-device) with one input added, judged
# by `tracegate check release --format json` as a release candidate:
#
#   junit          a 200 MB JUnit report, one case in 1,000 failing, none linked
#   junit-linked   a 50 MB JUnit report whose every case names a requirement
#                  (every case is kept: memory grows with the cases kept)
#   system-out     a JUnit report with one 200 MB <system-out>
#   gotest         a 200 MB go test -json stream
#   yaml           a 50 MB requirements file (refused: exit 3 is the outcome)
#   alias          ten ~300-byte requirement files of nested aliases (refused)
#
# Each run's wall time, CPU time and peak RSS (GNU time) and the medians.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init limits.sh "${1:-3}"
bin="${TRACEGATE:-$bin}"
sample="${SAMPLE:-testdata/sample-device}"

in="$out/limits"
if [ "${REGEN:-0}" = 1 ]; then
	rm -rf "$in"
fi
[ -f "$in/junit.xml" ] || go run ./bench/genlimits -out "$in" -mb "${MB:-200}" -yaml-mb "${YAML_MB:-50}"

bench_header "tracegate check release --format json on the sample device with one input added, $runs runs"
summary=()
for c in junit:reports/system/big.xml:junit.xml junit-linked:reports/system/big.xml:junit-linked.xml \
	system-out:reports/system/big.xml:system-out.xml gotest:reports/unit/big.jsonl:gotest.jsonl \
	yaml:docs/requirements/big.yml:requirements.yml alias:docs/requirements/alias:alias; do
	IFS=: read -r name dest src <<<"$c"
	repo="$tmp/$name"
	rm -rf "$repo"
	cp -r "$sample" "$repo"
	mkdir -p "$(dirname "$repo/$dest")"
	cp -r "$in/$src" "$repo/$dest"
	ok=""
	case $name in yaml | alias) ok=3 ;; esac
	echo "$name: $(du -sh "$repo/$dest" | cut -f1) at $dest"
	MEASURE_OK=$ok measure "$repo" "$bin" check release --format json
	summary+=("$(printf '  %-14s %8s s %12s KiB' "$name" "$median_wall" "$median_rss")")
	rm -rf "$repo"
done
echo
echo "medians (wall, peak RSS):"
printf '%s\n' "${summary[@]}"
