#!/usr/bin/env bash
# Times the Action's step from its start to its result, as the runner runs
# the composite action.yml: its install step (scripts/action-install.sh),
# then `tracegate action` with the step's environment, on the sample device's
# release gate at a tag (testdata/sample-device in a fresh git repository).
# Three ways of getting the binary:
#
#   present   the release binary already downloaded and verified in this job
#   download  downloaded from a release server on loopback and verified
#   source    no release: built from the action's source with a warm Go cache
#
# Prints the median of RUNS runs (default 11) of each, after one warm-up.
set -euo pipefail
cd "$(dirname "$0")/.."
action_path=$PWD
runs="${RUNS:-11}"
version=v0.0.0-bench

work=$(mktemp -d)
server=""
cleanup() {
	[ -z "$server" ] || kill "$server" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# The sample, released as v2.4.0.
cp -r testdata/sample-device "$work/repo"
(
	cd "$work/repo"
	export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
	git init -q -b main
	git add -A
	git -c user.name=bench -c user.email=bench@example.com commit -qm "SyringeFlow SP-1 2.4.0 (CR-021)"
	git -c user.name=bench -c user.email=bench@example.com tag -a v2.4.0 -m 2.4.0
)
sha=$(git -C "$work/repo" rev-parse HEAD)
cat >"$work/event.json" <<JSON
{"ref": "refs/tags/v2.4.0", "before": "0000000000000000000000000000000000000000", "after": "$sha",
 "created": true, "deleted": false, "forced": false, "repository": {"full_name": "acme/syringeflow"}}
JSON

# The release asset for this machine, served on loopback.
goos=$(go env GOOS) goarch=$(go env GOARCH)
bash scripts/release-build.sh "$version" "$work/serve/$version" "$goos/$goarch" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/serve" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
	if curl -fs "http://127.0.0.1:$port/" >/dev/null; then break; fi
	sleep 0.1
done

# step VERSION: one run of the composite action, as the runner runs it.
step() {
	local out="$work/step" bin
	rm -rf "$out"
	mkdir -p "$out/tmp"
	: >"$out/install" && : >"$out/output" && : >"$out/summary"
	GITHUB_ACTION_PATH="$action_path" GITHUB_OUTPUT="$out/install" RUNNER_TEMP="$work/runner-temp" \
		INPUT_VERSION="$1" TRACEGATE_ACTION_REF="" TRACEGATE_RELEASES_URL="http://127.0.0.1:$port" \
		bash scripts/action-install.sh >/dev/null
	bin=$(sed -n 's/^path=//p' "$out/install" | tail -n 1)
	GITHUB_WORKSPACE="$work/repo" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$work/event.json" \
		GITHUB_REF=refs/tags/v2.4.0 GITHUB_SHA="$sha" GITHUB_REPOSITORY=acme/syringeflow \
		GITHUB_OUTPUT="$out/output" GITHUB_STEP_SUMMARY="$out/summary" RUNNER_TEMP="$out/tmp" \
		INPUT_MODE=auto INPUT_FAIL_ON=error "$bin" action >/dev/null || true
	grep -q '^fail$' "$out/output" || {
		echo "bench/action.sh: the step did not give the sample's expected result (fail)" >&2
		exit 1
	}
}

now() { date +%s.%N; }

# measure NAME VERSION [PREPARE]: the median wall time of the step.
measure() {
	local name="$1" version="$2" prepare="${3:-true}" times=() t0 t1
	$prepare
	step "$version" # warm-up
	for _ in $(seq "$runs"); do
		$prepare
		t0=$(now)
		step "$version"
		t1=$(now)
		times+=("$(echo "$t1 - $t0" | bc)")
	done
	printf '%-9s median %6.3f s  (min %.3f, max %.3f, %d runs)\n' "$name" \
		"$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')" \
		"$(printf '%s\n' "${times[@]}" | sort -n | head -n 1)" "$(printf '%s\n' "${times[@]}" | sort -n | tail -n 1)" "$runs"
}

forget_binaries() { rm -rf "$work/runner-temp/tracegate-bin"; }

echo "tracegate action, release gate of the sample at v2.4.0; $(nproc) cores, $(go version | cut -d' ' -f3)"
measure present "$version"
measure download "$version" forget_binaries
measure source "" forget_binaries
