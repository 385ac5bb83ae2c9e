#!/usr/bin/env bash
# Time the two gates on the generated design history file in a git
# repository with 3,000 commits between two release tags.
#
# Usage: bench/gates.sh [RUNS]     (default 7; run from anywhere)
#
# Builds ./cmd/tracegate into bench/out/, generates bench/out/dhf with
# bench/gendhf unless it exists, builds bench/out/gates with bench/gaterepo
# (v1.0.0, 3,000 commits, v2.0.0, and a 5-commit branch "feature"; REGEN=1
# rebuilds both), then runs RUNS times each
#
#   tracegate check release --tag v2.0.0 --format json
#   tracegate check pr --base v2.0.0 --head feature --format json
#
# under bench/proctime, printing wall time, CPU time and peak RSS per run, and the
# medians (bench/lib.sh). Exit status 0 or 1 is a completed run; 2 or 3
# aborts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init gates.sh "${1:-7}"

if [ "${REGEN:-0}" = 1 ]; then
	rm -rf "$out/dhf" "$out/gates"
fi
[ -d "$out/dhf" ] || go run ./bench/gendhf -out "$out/dhf"
[ -d "$out/gates" ] || go run ./bench/gaterepo -dhf "$out/dhf" -out "$out/gates"

verdict() { grep -o '"verdict": "[a-z]*"' "$tmp/out" | head -1 | cut -d'"' -f4; }

bench_header "$runs runs each"
echo "repository: $(git -C "$out/gates" rev-list --count v1.0.0..v2.0.0) commits between v1.0.0 and v2.0.0"
echo "release gate: check release --tag v2.0.0 --format json"
measure "$out/gates" "$bin" check release --tag v2.0.0 --format json
echo "  verdict: $(verdict)"
echo "pull request gate: check pr --base v2.0.0 --head feature --format json"
measure "$out/gates" "$bin" check pr --base v2.0.0 --head feature --title "Feature" --format json
echo "  verdict: $(verdict)"
