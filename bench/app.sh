#!/usr/bin/env bash
# The GitHub App under load (bench/appbench): the real `tracegate serve`
# against the fake GitHub on loopback, 10,000 signed deliveries at a steady
# 200 a second, on SQLite (one replica) and on PostgreSQL (two replicas, a
# throwaway cluster with fsync on). Prints acknowledgement latency p50/p99,
# evaluations per second, the queue's depth over time, deliveries lost, and
# the API calls of a cold and a warm pull request evaluation.
#
#   bench/app.sh                      # both backends
#   bench/app.sh sqlite               # one
#   APPBENCH_DELIVERIES=2000 APPBENCH_RATE=100 bench/app.sh
#   APPBENCH_SYNC=NORMAL bench/app.sh sqlite   # SQLite without a sync per commit
#   APPBENCH_ACTION=closed bench/app.sh sqlite # intake alone: deliveries that evaluate nothing
#   APPBENCH_WORKERS=1 bench/app.sh sqlite     # TRACEGATE_WORKERS for the server (default: serve's, 4)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.d/webhooks-examples.sh >/dev/null
bash scripts/deps.d/postgres.sh >/dev/null
backend=${1:-}
go test -run '^$' -bench "App/${backend}" -benchtime 1x -timeout 60m -v ./bench/appbench/
