#!/usr/bin/env bash
# actionlint (rhysd/actionlint), which the tests run on the workflows
# tracegate init writes: syntax, keys, expressions and action inputs, as
# GitHub would read them. Built from source with the Go module proxy into
# .tools/bin, once per version.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=v1.7.12
bin=.tools/bin/actionlint
if [ -x "$bin" ] && "$bin" -version 2>/dev/null | head -1 | grep -qx "${version}"; then
	echo "actionlint ${version} is in $bin"
	exit 0
fi
mkdir -p .tools/bin
echo "installing github.com/rhysd/actionlint/cmd/actionlint@$version into .tools/bin"
GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod GOTOOLCHAIN=local go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
"$bin" -version | head -1
