#!/usr/bin/env sh
# Builds the tracegate binary the way every shipped one is built: static
# (CGO_ENABLED=0), -trimpath, stamped with the version and the commit. The
# release archives (scripts/release-build.sh) and the container image
# (Dockerfile) both build through this script; GOOS and GOARCH pass through.
#
#   scripts/build.sh OUT [VERSION] [COMMIT]
#
# VERSION defaults to what Go stamps from the checkout (a pseudo-version
# naming the commit, "+dirty" for a modified work tree; "devel" without
# one); COMMIT to the checkout's HEAD when there is a git checkout (a
# container build context has none: pass it). -buildvcs=auto overrides a
# GOFLAGS=-buildvcs=false of the environment: a binary built from source
# says which source in every record.
set -eu
cd "$(dirname "$0")/.."

out="${1:?usage: scripts/build.sh OUT [VERSION] [COMMIT]}"
version="${2:-}"
commit="${3:-}"
if [ -z "$commit" ]; then
	commit=$(git rev-parse HEAD 2>/dev/null || true)
fi
pkg=github.com/tracegate/tracegate/internal/version
ldflags="-s -w -X $pkg.Commit=$commit"
if [ -n "$version" ]; then
	ldflags="$ldflags -X $pkg.Version=$version"
fi
CGO_ENABLED=0 go build -buildvcs=auto -trimpath -ldflags "$ldflags" -o "$out" ./cmd/tracegate
