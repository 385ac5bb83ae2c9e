#!/usr/bin/env bash
# nektos/act, the GitHub Actions runner the Action's end-to-end tests run
# workflows with (internal/action, TestAct): host mode, no Docker. Built from
# source with the Go module proxy into .tools/bin, once per version.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=v0.2.89
bin=.tools/bin/act
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -qx "act version ${version#v}"; then
	echo "act ${version#v} is in $bin"
	exit 0
fi
mkdir -p .tools/bin
echo "installing github.com/nektos/act@$version into .tools/bin"
GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod GOTOOLCHAIN=local go install "github.com/nektos/act@$version"
"$bin" --version
