#!/usr/bin/env bash
# Time `tracegate trace` on the generated design history file.
#
# Usage: bench/trace.sh [RUNS]     (default 7; run from anywhere)
#
# Builds ./cmd/tracegate into bench/out/, generates bench/out/dhf with
# bench/gendhf (default sizes, seed 1) unless it exists (REGEN=1 rebuilds
# it), then runs `tracegate trace --dir bench/out/dhf --format json` RUNS
# times under GNU time and prints each run's wall time and peak RSS, and
# the medians. Exit status 0 or 1 from tracegate is a completed run (1 means
# the matrix has gaps); 2 or 3 aborts the benchmark.
set -euo pipefail

runs="${1:-7}"
case "$runs" in
'' | *[!0-9]* | 0)
	echo "usage: bench/trace.sh [RUNS]   RUNS is a positive integer (default 7)" >&2
	exit 2
	;;
esac
if [ ! -x /usr/bin/time ]; then
	echo "bench/trace.sh: needs GNU time at /usr/bin/time (Debian package 'time')" >&2
	exit 2
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=bench/out
bin="$out/tracegate"
dhf="$out/dhf"
mkdir -p "$out"

go build -o "$bin" ./cmd/tracegate
if [ "${REGEN:-0}" = 1 ]; then
	rm -rf "$dhf"
fi
if [ ! -d "$dhf" ]; then
	go run ./bench/gendhf -out "$dhf"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "tracegate trace --dir $dhf --format json, $runs runs ($(go version | cut -d' ' -f3), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
printf '%-4s %10s %8s %14s\n' run wall_s cpu_s peak_rss_kib
for i in $(seq 1 "$runs"); do
	status=0
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" trace --dir "$dhf" --format json >"$tmp/trace.json" 2>"$tmp/stderr" || status=$?
	if [ "$status" -ge 2 ]; then
		echo "bench/trace.sh: tracegate trace exited $status:" >&2
		cat "$tmp/stderr" >&2
		exit 1
	fi
	if [ ! -s "$tmp/trace.json" ]; then
		echo "bench/trace.sh: tracegate trace wrote no output" >&2
		exit 1
	fi
	# GNU time puts "Command exited with non-zero status N" before its
	# format line when the command exits non-zero: the numbers are last.
	read -r wall user sys rss < <(tail -n 1 "$tmp/time")
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
	printf '%-4s %10s %8s %14s\n' "$i" "$wall" "$cpu" "$rss"
	echo "$wall" >>"$tmp/walls"
	echo "$cpu" >>"$tmp/cpus"
	echo "$rss" >>"$tmp/rsss"
done

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
printf '%-4s %10s %8s %14s\n' median "$(median "$tmp/walls")" "$(median "$tmp/cpus")" "$(median "$tmp/rsss")"
