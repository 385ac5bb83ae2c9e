#!/usr/bin/env bash
# Time `tracegate trace` on the generated design history file.
#
# Usage: bench/trace.sh [RUNS]     (default 7; run from anywhere)
#
# Builds ./cmd/tracegate into bench/out/, generates bench/out/dhf with
# bench/gendhf (default sizes, seed 1) unless it exists (REGEN=1 rebuilds
# it), then runs `tracegate trace --dir bench/out/dhf --format json` RUNS
# times under bench/proctime and prints each run's wall time, CPU time and peak
# RSS, and the medians. Exit status 0 or 1 from tracegate is a completed run
# (1 means the matrix has gaps); 2 or 3 aborts the benchmark.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init trace.sh "${1:-7}"

dhf="$out/dhf"
if [ "${REGEN:-0}" = 1 ]; then
	rm -rf "$dhf"
fi
[ -d "$dhf" ] || go run ./bench/gendhf -out "$dhf"

bench_header "tracegate trace --dir $dhf --format json, $runs runs"
measure . "$bin" trace --dir "$dhf" --format json
if [ ! -s "$tmp/out" ]; then
	echo "bench/trace.sh: tracegate trace wrote no output" >&2
	exit 1
fi
