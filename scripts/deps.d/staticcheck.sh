#!/usr/bin/env bash
# staticcheck (honnef.co/go/tools), the linter scripts/test runs after go vet.
# Built from source with the Go module proxy into .tools/bin, once per version:
# a pinned `go install` is as fast as `go run …@version` on a clean machine
# (both download and build the same modules) and costs nothing on later runs.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=v0.8.2
bin=.tools/bin/staticcheck
if [ -x "$bin" ] && "$bin" -version 2>/dev/null | grep -q "(${version#v})\$"; then
	echo "staticcheck ${version#v} is in $bin"
	exit 0
fi
mkdir -p .tools/bin
echo "installing honnef.co/go/tools/cmd/staticcheck@$version into .tools/bin"
GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod GOTOOLCHAIN=local go install "honnef.co/go/tools/cmd/staticcheck@$version"
"$bin" -version
