#!/usr/bin/env bash
# Time `tracegate soup list --format json` against a bare decode of the same
# file by the reference library (the floor), side by side — in blocks of
# runs, then alternating in turn (bench/inturn), which a shared machine's
# drifting load skews far less — and on a
# generated 20,000-component CycloneDX JSON. Where syft is installed, the
# same files through `syft convert` for comparison. Also what the binary's
# package initialisation costs every command (GODEBUG=inittrace=1).
#
# Usage: bench/soup.sh [RUNS]     (default 7)
#        BEFORE=/path/to/tracegate bench/soup.sh [RUNS]
#          also measures another build (an older commit's), each file's runs
#          right after this build's, so that both are timed side by side
#          under the same load
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init soup.sh "${1:-7}"
go build -o "$out/sbomfloor" ./bench/sbomfloor
go build -o "$out/inturn" ./bench/inturn
[ -f "$out/big.cdx.json" ] || go run ./bench/gencdx -n 20000 -out "$out/big.cdx.json"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

bench_header "$runs runs each"

for pair in "spdx-tag-value testdata/sbom/spdx/tagvalue/bom-shelter__istio-release-1.13.1.spdx" \
	"cyclonedx-json testdata/sbom/cyclonedx/json/sbomqs__apache_airflow-sbom-2.8.0-python3.10.json"; do
	set -- $pair
	echo "$(basename "$2")"
	echo "library decode (floor)"
	measure . "$out/sbomfloor" "$1" "$2"
	floor=$median_cpu
	echo "tracegate soup list --format json"
	measure . "$bin" soup list --format json --sbom "$2"
	echo "  ratio tracegate / floor (CPU): $(ratio "$median_cpu" "$floor")"
	if [ -n "${BEFORE:-}" ]; then
		echo "the build in \$BEFORE, soup list --format json"
		measure . "$BEFORE" soup list --format json --sbom "$2"
		echo "  ratio \$BEFORE / floor (CPU): $(ratio "$median_cpu" "$floor")"
		echo "library decode (floor), again after both"
		measure . "$out/sbomfloor" "$1" "$2"
	fi
	echo "the same, in turn (bench/inturn: the commands alternate, so that a drifting load falls on all alike)"
	inturn_args=(floor="$out/sbomfloor $1 $2" tracegate="$bin soup list --format json --sbom $2")
	[ -z "${BEFORE:-}" ] || inturn_args+=(before="$BEFORE soup list --format json --sbom $2")
	"$out/inturn" -n "$((runs * 2 + 1))" "${inturn_args[@]}"
	if command -v syft >/dev/null 2>&1; then
		echo "syft convert (cyclonedx-json)"
		measure . syft convert "$2" -o cyclonedx-json
	fi
done

inits() {
	echo
	echo "package initialisation (GODEBUG=inittrace=1 $2 version, $runs runs), paid by every command:"
	for _ in $(seq 1 "$runs"); do
		GODEBUG=inittrace=1 "$1" version 2>&1 >/dev/null | awk '$1 == "init" { ms += $5; b += $8; n += $10 } END { print ms, b, n }'
	done >"$tmp/init"
	printf '  median %s ms, %s bytes in %s allocations\n' "$(cut -d' ' -f1 "$tmp/init" | median)" "$(cut -d' ' -f2 "$tmp/init" | median)" "$(cut -d' ' -f3 "$tmp/init" | median)"
	echo "  the largest (bytes allocated, allocations, package):"
	GODEBUG=inittrace=1 "$1" version 2>&1 >/dev/null | awk '$1 == "init" { print $8, $10, $2 }' | sort -rn | head -5 | sed 's/^/    /'
	echo "  tracegate version as a process:"
	measure . "$1" version
}
inits "$bin" tracegate
if [ -n "${BEFORE:-}" ]; then
	inits "$BEFORE" '$BEFORE'
fi

echo
echo "in process (go test -bench ./bench/soupbench, $runs runs; read + list + JSON against the library's decode):"
go test -run '^$' -bench . -count "$runs" ./bench/soupbench | awk '/^Benchmark/ { split($1, n, "-"); print n[1], $3 }' >"$tmp/bench"
for f in Istio Airflow; do
	t=$(awk -v k="BenchmarkTracegate_$f" '$1 == k {print $2}' "$tmp/bench" | median)
	l=$(awk -v k="BenchmarkLibrary_$f" '$1 == k {print $2}' "$tmp/bench" | median)
	printf '  %-8s tracegate %8.1f ms/op, library %8.1f ms/op, ratio %s\n' "$f" "$(awk -v x="$t" 'BEGIN{print x/1e6}')" "$(awk -v x="$l" 'BEGIN{print x/1e6}')" "$(ratio "$t" "$l")"
done
echo
echo "big.cdx.json (generated, 20,000 components)"
echo "library decode (floor)"
measure . "$out/sbomfloor" cyclonedx-json "$out/big.cdx.json"
echo "tracegate soup list --format json"
measure . "$bin" soup list --format json --sbom "$out/big.cdx.json"
if command -v syft >/dev/null 2>&1; then
	echo "syft convert (cyclonedx-json)"
	measure . syft convert "$out/big.cdx.json" -o cyclonedx-json
fi
if ! command -v syft >/dev/null 2>&1; then
	echo "(syft is not installed: no syft comparison; it takes minutes to build and is not part of CI)"
fi
