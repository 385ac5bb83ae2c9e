#!/usr/bin/env bash
# Time `tracegate soup list --format json` against a bare decode of the same
# file by the reference library (the floor), side by side, and on a
# generated 20,000-component CycloneDX JSON. Where syft is installed, the
# same files through `syft convert` for comparison.
#
# Usage: bench/soup.sh [RUNS]     (default 7)
set -euo pipefail

runs="${1:-7}"
case "$runs" in '' | *[!0-9]* | 0) echo "usage: bench/soup.sh [RUNS]" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "bench/soup.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=bench/out
mkdir -p "$out"
go build -o "$out/tracegate" ./cmd/tracegate
go build -o "$out/sbomfloor" ./bench/sbomfloor
[ -f "$out/big.cdx.json" ] || go run ./bench/gencdx -n 20000 -out "$out/big.cdx.json"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# measure LABEL CMD...: prints median wall, CPU and peak RSS of RUNS runs.
measure() {
	local label="$1"
	shift
	: >"$tmp/w"; : >"$tmp/c"; : >"$tmp/m"
	for _ in $(seq 1 "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
		read -r wall user sys rss < <(tail -n 1 "$tmp/t")
		echo "$wall" >>"$tmp/w"
		awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f\n", u + s}' >>"$tmp/c"
		echo "$rss" >>"$tmp/m"
	done
	printf '  %-34s %8s %8s %12s\n' "$label" "$(median <"$tmp/w")" "$(median <"$tmp/c")" "$(median <"$tmp/m")"
	median <"$tmp/c" >"$tmp/last_cpu"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "bench/soup.sh: $runs runs each, medians ($(go version | cut -d' ' -f3), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
printf '  %-34s %8s %8s %12s\n' "" wall_s cpu_s peak_rss_kib

for pair in "spdx-tag-value testdata/sbom/spdx/tagvalue/bom-shelter__istio-release-1.13.1.spdx" \
	"cyclonedx-json testdata/sbom/cyclonedx/json/sbomqs__apache_airflow-sbom-2.8.0-python3.10.json"; do
	set -- $pair
	echo "$(basename "$2")"
	measure "library decode (floor)" "$out/sbomfloor" "$1" "$2"
	floor=$(cat "$tmp/last_cpu")
	measure "tracegate soup list --format json" "$out/tracegate" soup list --format json --sbom "$2"
	echo "  ratio tracegate / floor (CPU): $(ratio "$(cat "$tmp/last_cpu")" "$floor")"
	if command -v syft >/dev/null 2>&1; then
		measure "syft convert (cyclonedx-json)" syft convert "$2" -o cyclonedx-json
	fi
done

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
measure "library decode (floor)" "$out/sbomfloor" cyclonedx-json "$out/big.cdx.json"
measure "tracegate soup list --format json" "$out/tracegate" soup list --format json --sbom "$out/big.cdx.json"
if ! command -v syft >/dev/null 2>&1; then
	echo "(syft is not installed: no syft comparison; it takes minutes to build and is not part of CI)"
fi
