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
# under GNU time, printing wall time, CPU time (user + system, which a busy
# machine does not inflate) and peak RSS per run, and the medians. Exit
# status 0 or 1 is a completed run; 2 or 3 aborts.
set -euo pipefail

runs="${1:-7}"
case "$runs" in
'' | *[!0-9]* | 0)
	echo "usage: bench/gates.sh [RUNS]   RUNS is a positive integer (default 7)" >&2
	exit 2
	;;
esac
if [ ! -x /usr/bin/time ]; then
	echo "bench/gates.sh: needs GNU time at /usr/bin/time (Debian package 'time')" >&2
	exit 2
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=bench/out
bin="$PWD/$out/tracegate"
mkdir -p "$out"
go build -o "$bin" ./cmd/tracegate
if [ "${REGEN:-0}" = 1 ]; then
	rm -rf "$out/dhf" "$out/gates"
fi
[ -d "$out/dhf" ] || go run ./bench/gendhf -out "$out/dhf"
[ -d "$out/gates" ] || go run ./bench/gaterepo -dhf "$out/dhf" -out "$out/gates"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

measure() {
	local label="$1"
	shift
	: >"$tmp/walls"
	: >"$tmp/cpus"
	: >"$tmp/rss"
	echo "$label: $*"
	printf '  %-4s %8s %8s %12s\n' run wall_s cpu_s peak_rss_kib
	for i in $(seq 1 "$runs"); do
		status=0
		(cd "$out/gates" && /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" "$@" >"$tmp/out.json" 2>"$tmp/stderr") || status=$?
		if [ "$status" -ge 2 ]; then
			echo "bench/gates.sh: tracegate $* exited $status:" >&2
			cat "$tmp/stderr" >&2
			exit 1
		fi
		read -r wall user sys rss < <(tail -n 1 "$tmp/time")
		cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
		printf '  %-4s %8s %8s %12s\n' "$i" "$wall" "$cpu" "$rss"
		echo "$wall" >>"$tmp/walls"
		echo "$cpu" >>"$tmp/cpus"
		echo "$rss" >>"$tmp/rss"
	done
	printf '  %-4s %8s %8s %12s   (verdict: %s)\n' median "$(median <"$tmp/walls")" "$(median <"$tmp/cpus")" "$(median <"$tmp/rss")" \
		"$(grep -o '"verdict": "[a-z]*"' "$tmp/out.json" | head -1 | cut -d'"' -f4)"
}

echo "bench/gates.sh: $runs runs each ($(go version | cut -d' ' -f3), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo "repository: $(git -C "$out/gates" rev-list --count v1.0.0..v2.0.0) commits between v1.0.0 and v2.0.0"
measure "release gate" check release --tag v2.0.0 --format json
measure "pull request gate" check pr --base v2.0.0 --head feature --title "Feature" --format json
