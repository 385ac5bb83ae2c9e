# Shared by the bench/*.sh scripts: sourced, not run.
#
#   bench_init NAME RUNS     checks RUNS, moves to the module's root, builds
#                            tracegate into $bin as every shipped binary is
#                            built (scripts/build.sh: static, -trimpath,
#                            stripped) and bench/proctime (the measuring
#                            wrapper) into $out, makes $tmp
#   bench_header TEXT        one line naming the runs, Go, CPUs and commit
#   measure DIR CMD...       runs CMD RUNS times in DIR under bench/proctime
#                            and prints wall time, CPU time (user + system,
#                            which a busy machine does not inflate; to the
#                            millisecond, where GNU time gives hundredths of a
#                            second) and peak RSS
#                            per run, then their medians. An argument {i} is
#                            replaced by the run's number. Exit status 0, or 1
#                            from tracegate (the gate failed), or $MEASURE_OK
#                            when set (a refusal that is the expected outcome),
#                            is a completed run; anything else aborts with the
#                            error. The last run's
#                            stdout is left in $tmp/out; the medians in
#                            $median_wall, $median_cpu, $median_rss.
#   median                   the median of the numbers on stdin

bench_init() {
	bench_name="$1"
	runs="$2"
	case "$runs" in
	'' | *[!0-9]* | 0)
		echo "usage: bench/$bench_name [RUNS]   RUNS is a positive integer" >&2
		exit 2
		;;
	esac
	cd "$(dirname "${BASH_SOURCE[1]}")/.."
	out=bench/out
	bin="$PWD/$out/tracegate"
	mkdir -p "$out"
	sh scripts/build.sh "$bin"
	proctime="$PWD/$out/proctime"
	go build -o "$proctime" ./bench/proctime
	tmp="$(mktemp -d)"
	trap 'rm -rf "$tmp"' EXIT
}

bench_header() {
	echo "bench/$bench_name: $1 ($(go version | cut -d' ' -f3), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

measure() {
	local dir="$1" i status wall user sys rss
	shift
	: >"$tmp/walls"
	: >"$tmp/cpus"
	: >"$tmp/rsss"
	printf '  %-6s %8s %8s %12s\n' run wall_s cpu_s peak_rss_kib
	for i in $(seq 1 "$runs"); do
		local args=("${@//\{i\}/$i}")
		status=0
		(cd "$dir" && "$proctime" -o "$tmp/time" "${args[@]}" >"$tmp/out" 2>"$tmp/stderr") || status=$?
		# Exit status 1 is tracegate's "the gate failed", a completed run;
		# for any other program it is a failure.
		if [ "$status" = "${MEASURE_OK:-}" ]; then
			: # the outcome asked for
		elif [ "$status" -ge 2 ] || { [ "$status" -eq 1 ] && [ "${args[0]}" != "$bin" ]; }; then
			echo "bench/$bench_name: ${args[*]} exited $status:" >&2
			cat "$tmp/stderr" >&2
			exit 1
		fi
		read -r wall user sys rss <"$tmp/time"
		local cpu
		wall=$(awk -v w="$wall" 'BEGIN {printf "%.3f", w}')
		cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.3f", u + s}')
		printf '  %-6s %8s %8s %12s\n' "$i" "$wall" "$cpu" "$rss"
		echo "$wall" >>"$tmp/walls"
		echo "$cpu" >>"$tmp/cpus"
		echo "$rss" >>"$tmp/rsss"
	done
	median_wall=$(median <"$tmp/walls")
	median_cpu=$(median <"$tmp/cpus")
	median_rss=$(median <"$tmp/rsss")
	printf '  %-6s %8s %8s %12s\n' median "$median_wall" "$median_cpu" "$median_rss"
}
