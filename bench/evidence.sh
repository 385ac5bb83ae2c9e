#!/usr/bin/env bash
# Time the release evidence bundle of the large generated design history
# file: 2,000 requirements, 500 hazards, 20,000 test cases, 3,000 commits
# since the previous release, and the 3,461-package Istio SBOM of the
# corpus as the product's SBOM.
#
# Usage: bench/evidence.sh [RUNS]     (default 7; run from anywhere)
#
# Builds ./cmd/tracegate into bench/out/, generates bench/out/dhf and
# bench/out/gates as bench/gates.sh does (REGEN=1 rebuilds them), then
# makes bench/out/evidence-repo: a clone of bench/out/gates with
# testdata/sbom/spdx/tagvalue/bom-shelter__istio-release-1.13.1.spdx added
# as sbom/istio-release.spdx, the policy's soup.sboms pointing at it, and
# the release tagged v2.1.0. It then runs RUNS times
#
#   tracegate evidence --tag v2.1.0 --previous-tag v1.0.0 --out DIR
#
# into a fresh DIR each time, under GNU time, printing wall time, CPU time
# (user + system) and peak RSS per run and their medians, the bundle's size
# and file count, and checks that two runs gave byte-identical bundles.
# The release fails its gate (unregistered SOUP, unverified requirements):
# exit status 1 is a completed run; 2 or 3 aborts.
set -euo pipefail

runs="${1:-7}"
case "$runs" in
'' | *[!0-9]* | 0)
	echo "usage: bench/evidence.sh [RUNS]   RUNS is a positive integer (default 7)" >&2
	exit 2
	;;
esac
if [ ! -x /usr/bin/time ]; then
	echo "bench/evidence.sh: needs GNU time at /usr/bin/time (Debian package 'time')" >&2
	exit 2
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=bench/out
bin="$PWD/$out/tracegate"
sbom=testdata/sbom/spdx/tagvalue/bom-shelter__istio-release-1.13.1.spdx
mkdir -p "$out"
go build -o "$bin" ./cmd/tracegate
if [ "${REGEN:-0}" = 1 ]; then
	rm -rf "$out/dhf" "$out/gates" "$out/evidence-repo"
fi
[ -d "$out/dhf" ] || go run ./bench/gendhf -out "$out/dhf"
[ -d "$out/gates" ] || go run ./bench/gaterepo -dhf "$out/dhf" -out "$out/gates"

repo="$out/evidence-repo"
if [ ! -d "$repo" ]; then
	git clone -q --no-hardlinks "$out/gates" "$repo"
	git -C "$repo" fetch -q --tags
	mkdir -p "$repo/sbom"
	cp "$sbom" "$repo/sbom/istio-release.spdx"
	printf '\nsoup:\n  sboms: ["sbom/*.spdx"]\n' >>"$repo/.github/tracegate.yml"
	git -C "$repo" add -A
	GIT_AUTHOR_DATE=2024-06-01T12:00:00Z GIT_COMMITTER_DATE=2024-06-01T12:00:00Z \
		git -C "$repo" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false \
		commit -q -m "Add the product SBOM (SYS-001)"
	GIT_COMMITTER_DATE=2024-06-01T12:00:00Z git -C "$repo" -c user.name=bench -c user.email=bench@example.com -c tag.gpgsign=false \
		tag -a v2.1.0 -m "v2.1.0"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

echo "bench/evidence.sh: $runs runs ($(go version | cut -d' ' -f3), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo "repository: $(git -C "$repo" rev-list --count v1.0.0..v2.1.0) commits between v1.0.0 and v2.1.0; SBOM $(grep -c '^PackageName:' "$repo/sbom/istio-release.spdx") packages"
echo "evidence --tag v2.1.0 --previous-tag v1.0.0"
printf '  %-4s %8s %8s %12s\n' run wall_s cpu_s peak_rss_kib
for i in $(seq 1 "$runs"); do
	dest="$tmp/run$i"
	status=0
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" evidence --dir "$repo" --tag v2.1.0 --previous-tag v1.0.0 --out "$dest" \
		>"$tmp/out.txt" 2>"$tmp/stderr" || status=$?
	if [ "$status" -ge 2 ]; then
		echo "bench/evidence.sh: tracegate evidence exited $status:" >&2
		cat "$tmp/stderr" >&2
		exit 1
	fi
	read -r wall user sys rss < <(tail -n 1 "$tmp/time")
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
	printf '  %-4s %8s %8s %12s\n' "$i" "$wall" "$cpu" "$rss"
	echo "$wall" >>"$tmp/walls"
	echo "$cpu" >>"$tmp/cpus"
	echo "$rss" >>"$tmp/rss"
	if [ "$i" -gt 2 ]; then
		rm -rf "$dest" # keep the first two, to compare
	fi
done
printf '  %-4s %8s %8s %12s\n' median "$(median <"$tmp/walls")" "$(median <"$tmp/cpus")" "$(median <"$tmp/rss")"
head -n 1 "$tmp/out.txt"

bundle="$tmp/run1/tracegate-evidence-v2.1.0"
echo "bundle: $(find "$bundle" -type f | wc -l) files, $(du -sh "$bundle" | cut -f1); zip $(du -h "$bundle.zip" | cut -f1); report.html $(du -h "$bundle/report.html" | cut -f1), evidence.xlsx $(du -h "$bundle/evidence.xlsx" | cut -f1)"
(cd "$bundle" && sha256sum -c --quiet --strict MANIFEST.sha256) && echo "MANIFEST.sha256: every file matches"
if [ "$runs" -ge 2 ]; then
	if diff -r "$tmp/run1" "$tmp/run2" >/dev/null; then
		echo "reproducible: runs 1 and 2 wrote byte-identical bundles and zips"
	else
		echo "bench/evidence.sh: runs 1 and 2 differ:" >&2
		diff -rq "$tmp/run1" "$tmp/run2" >&2 || true
		exit 1
	fi
fi
