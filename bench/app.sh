#!/usr/bin/env bash
# The GitHub App under load (bench/appbench): the real `tracegate serve`
# against the fake GitHub on loopback, 10,000 signed deliveries at a steady
# 200 a second, on SQLite (one replica) and on PostgreSQL (two replicas, a
# throwaway cluster with fsync on). Prints acknowledgement latency
# p50/p99/max, evaluations (deliveries of one PR and head coalesce) and
# evaluations per second, when the queue drained, its depth over time,
# deliveries lost, the API calls of a cold and a warm pull request
# evaluation, and the load average around each run.
#
#   bench/app.sh                      # both backends
#   bench/app.sh sqlite               # one
#   APPBENCH_DELIVERIES=2000 APPBENCH_RATE=100 bench/app.sh
#   APPBENCH_SYNC=NORMAL bench/app.sh sqlite   # SQLite without a sync per commit
#   APPBENCH_ACTION=closed bench/app.sh sqlite # intake alone: deliveries that evaluate nothing
#   APPBENCH_WORKERS=1 bench/app.sh sqlite     # TRACEGATE_WORKERS for the server (default: serve's, 4)
#   APPBENCH_CPU_SLOTS=2 bench/app.sh sqlite   # TRACEGATE_CPU_SLOTS (default: serve's, the cores less one)
#   APPBENCH_SERVER_ENV="GOGC=200" bench/app.sh sqlite  # more of the server's environment
#   BEFORE=/path/to/tracegate ROUNDS=3 bench/app.sh sqlite
#     also measures another build (an older commit's) side by side: each
#     round runs both builds in turns, alternating which goes first; a
#     table of every run ends each backend's output
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.d/webhooks-examples.sh >/dev/null
bash scripts/deps.d/postgres.sh >/dev/null
backend=${1:-}
if [ -n "${BEFORE:-}" ]; then
	APPBENCH_BEFORE=$(realpath "$BEFORE")
	export APPBENCH_BEFORE
	[ -x "$APPBENCH_BEFORE" ] || { echo "bench/app.sh: BEFORE=$BEFORE is not an executable" >&2; exit 2; }
fi
export APPBENCH_ROUNDS=${ROUNDS:-${APPBENCH_ROUNDS:-1}}
go test -run '^$' -bench "App/${backend}" -benchtime 1x -timeout 180m -v ./bench/appbench/
