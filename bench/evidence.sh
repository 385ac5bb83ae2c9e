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
# into a fresh DIR each time, under bench/proctime, printing wall time, CPU time
# (user + system) and peak RSS per run and their medians, the bundle's size
# and file count, and checks that two runs gave byte-identical bundles.
# The release fails its gate (unregistered SOUP, unverified requirements):
# exit status 1 is a completed run; 2 or 3 aborts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init evidence.sh "${1:-7}"

sbom=testdata/sbom/spdx/tagvalue/bom-shelter__istio-release-1.13.1.spdx
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

bench_header "$runs runs"
echo "repository: $(git -C "$repo" rev-list --count v1.0.0..v2.1.0) commits between v1.0.0 and v2.1.0; SBOM $(grep -c '^PackageName:' "$repo/sbom/istio-release.spdx") packages"
echo "evidence --tag v2.1.0 --previous-tag v1.0.0"
measure . "$bin" evidence --dir "$repo" --tag v2.1.0 --previous-tag v1.0.0 --out "$tmp/run{i}"
head -n 1 "$tmp/out"

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
