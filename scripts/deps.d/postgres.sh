#!/usr/bin/env bash
# Debian's PostgreSQL server (initdb, postgres), for the tests that run the
# App's store against a throwaway cluster (internal/store/pgtest starts one
# per test binary on a loopback port). Idempotent: installs only when no
# server binaries are found where pgtest looks (/usr/lib/postgresql/N/bin,
# PATH); never starts the Debian cluster service. Under root, pgtest runs
# the server as the "postgres" user that the package creates; the script
# makes sure that user exists.
set -euo pipefail

find_server() {
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/postgres" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1 && { dirname "$(command -v postgres)"; return 0; }
	return 1
}

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo -n"
	fi
fi

if ! bin=$(find_server); then
	if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
		echo "postgres: no server binaries and not root (no sudo): install postgresql, or the store tests fail in CI" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	echo "postgres: installing postgresql (server binaries)"
	# policy-rc.d 101: the package's post-install must not start a cluster
	# service that the tests do not use.
	norc=/usr/sbin/policy-rc.d
	made_norc=""
	if [ ! -e "$norc" ]; then
		printf '#!/bin/sh\nexit 101\n' | $sudo tee "$norc" >/dev/null
		$sudo chmod 755 "$norc"
		made_norc=1
	fi
	trap 'if [ -n "$made_norc" ]; then $sudo rm -f "$norc"; fi' EXIT
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
	bin=$(find_server) || { echo "postgres: installed, but no initdb/postgres found" >&2; exit 1; }
fi

if [ "$(id -u)" -eq 0 ] && ! getent passwd postgres >/dev/null; then
	echo "postgres: creating the system user postgres to run the test server as"
	useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
fi
echo "postgres: $("$bin/postgres" --version) in $bin"
