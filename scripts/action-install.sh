#!/usr/bin/env bash
# Resolves the tracegate binary for the composite action (action.yml's first
# step) and sets the step output `path` to it.
#
# With a version (the `version` input, else the action's own ref when it is a
# release tag vX.Y.Z), it downloads the release asset for the runner's OS and
# architecture, tracegate_<os>_<arch>.tar.gz (.zip on Windows), and the
# release's checksums.txt, and refuses to go on unless the asset's SHA-256 is
# the one checksums.txt lists for it. Without one (the action used at a
# branch or a commit), it builds tracegate from the action's own source with
# the runner's Go, and says so.
#
# Environment: INPUT_VERSION, TRACEGATE_ACTION_REF and
# TRACEGATE_ACTION_REPOSITORY (github.action_ref and
# github.action_repository), GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH,
# RUNNER_TEMP, GITHUB_OUTPUT; TRACEGATE_RELEASES_URL replaces
# https://github.com/OWNER/REPO/releases/download (a mirror, GitHub
# Enterprise Server, tests).
set -euo pipefail

fail() {
	echo "::error title=tracegate::$*"
	exit 1
}

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
ref="${TRACEGATE_ACTION_REF:-${GITHUB_ACTION_REF:-}}"
repo="${TRACEGATE_ACTION_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}"
[ -n "$repo" ] || repo="tracegate/tracegate"
version="${INPUT_VERSION:-}"
explicit=1
if [ -z "$version" ]; then
	explicit=0
	if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
		version="$ref"
	fi
fi
if [ -n "$version" ] && ! [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
	fail "version '$version' is not a release version (vX.Y.Z)"
fi

case "${RUNNER_OS:-$(uname -s)}" in
Linux) os=linux ;;
macOS | Darwin) os=darwin ;;
Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
*) os="" ;;
esac
case "${RUNNER_ARCH:-$(uname -m)}" in
X64 | x86_64 | amd64) arch=amd64 ;;
ARM64 | arm64 | aarch64) arch=arm64 ;;
*) arch="" ;;
esac
exe=""
[ "$os" = windows ] && exe=".exe"

dest="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/tracegate-bin"

set_path() {
	case "$1" in *$'\n'* | *$'\r'*) fail "the binary's path holds a line break" ;; esac
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		echo "path=$1" >>"$GITHUB_OUTPUT"
	fi
	echo "tracegate: $("$1" version)"
}

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d' ' -f1
	else
		openssl dgst -sha256 -r "$1" | cut -d' ' -f1
	fi
}

# fetch URL FILE: 0 when downloaded, 4 when the server has no such file
# (404), else fails.
fetch() {
	local code
	code=$(curl -sSL --retry 3 --retry-connrefused -w '%{http_code}' -o "$2" "$1") || fail "downloading $1 failed"
	case "$code" in
	200) return 0 ;;
	404) return 4 ;;
	*) fail "downloading $1: HTTP $code" ;;
	esac
}

build_from_source() {
	local why="$1" dir="$dest/source-${ref:-local}"
	if ! command -v go >/dev/null 2>&1; then
		fail "$why, so tracegate must be built from the action's source, and Go is not installed: add actions/setup-go (go-version-file: the action's go.mod) before this step, or set the version input to a tracegate release"
	fi
	echo "tracegate: $why: building it from source at $action_path with $(go version)"
	local ldflags="-s -w"
	if [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then
		ldflags="$ldflags -X github.com/tracegate/tracegate/internal/version.Commit=$ref"
	fi
	mkdir -p "$dir"
	(cd "$action_path" && go build -trimpath -ldflags "$ldflags" -o "$dir/tracegate$exe" ./cmd/tracegate) ||
		fail "building tracegate from source at $action_path failed"
	set_path "$dir/tracegate$exe"
}

if [ -z "$version" ]; then
	build_from_source "the action is used at '${ref:-a local path}', not at a release tag, and no version input names a release"
	exit 0
fi
if [ -z "$os" ] || [ -z "$arch" ]; then
	build_from_source "tracegate publishes no binary for ${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}"
	exit 0
fi

asset="tracegate_${os}_${arch}.tar.gz"
[ "$os" = windows ] && asset="tracegate_${os}_${arch}.zip"
base="${TRACEGATE_RELEASES_URL:-https://github.com/$repo/releases/download}"
dir="$dest/$version/${os}_${arch}"
bin="$dir/tracegate$exe"
if [ -x "$bin" ] && [ -f "$dir/.verified" ]; then
	echo "tracegate: $version already downloaded and verified in this job"
	set_path "$bin"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fetch "$base/$version/$asset" "$tmp/$asset" || status=$?
if [ "$status" = 4 ]; then
	if [ "$explicit" = 1 ]; then
		fail "the tracegate release $version has no asset $asset at $base/$version/"
	fi
	build_from_source "the action's ref $version has no release asset $asset at $base/$version/"
	exit 0
fi
status=0
fetch "$base/$version/checksums.txt" "$tmp/checksums.txt" || status=$?
[ "$status" = 0 ] || fail "the tracegate release $version has no checksums.txt at $base/$version/: the asset cannot be verified"

want=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
if ! [[ "$want" =~ ^[0-9a-f]{64}$ ]]; then
	fail "checksums.txt of $version lists no single SHA-256 for $asset"
fi
got=$(sha256 "$tmp/$asset")
if [ "$got" != "$want" ]; then
	fail "$asset of $version has SHA-256 $got, but checksums.txt says $want: refusing to run it"
fi
echo "tracegate: $asset of $version verified (SHA-256 $got)"

rm -rf "$dir"
mkdir -p "$dir"
if [ "$os" = windows ]; then
	unzip -q -o "$tmp/$asset" "tracegate$exe" -d "$dir"
else
	tar -xzf "$tmp/$asset" -C "$dir" "tracegate$exe"
fi
[ -f "$bin" ] || fail "$asset of $version holds no tracegate$exe"
chmod +x "$bin"
touch "$dir/.verified"
set_path "$bin"
