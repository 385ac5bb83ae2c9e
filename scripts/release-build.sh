#!/usr/bin/env bash
# Builds the release assets the Action downloads: one archive per target,
# tracegate_<os>_<arch>.tar.gz (.zip for Windows) holding the binary, the
# licence and the README, and checksums.txt with the SHA-256 of each, in the
# format sha256sum writes and checks.
#
#   scripts/release-build.sh VERSION [OUT_DIR] [os/arch ...]
#
# The default targets are linux, darwin and windows on amd64 and arm64.
# Binaries are built by scripts/build.sh (static, -trimpath, stamped with the
# version and commit); archives are reproducible (sorted entries, fixed
# owner and time: SOURCE_DATE_EPOCH, else the commit's date).
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:?usage: scripts/release-build.sh VERSION [OUT_DIR] [os/arch ...]}"
out="${2:-dist}"
shift $(($# < 2 ? $# : 2))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)

commit=$(git rev-parse HEAD 2>/dev/null || echo "")
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

assets=()
for t in "${targets[@]}"; do
	os="${t%/*}" arch="${t#*/}"
	exe=""
	[ "$os" = windows ] && exe=".exe"
	stage="$work/${os}_${arch}"
	mkdir -p "$stage"
	echo "building $os/$arch"
	GOOS="$os" GOARCH="$arch" scripts/build.sh "$stage/tracegate$exe" "$version" "$commit"
	cp LICENSE README.md "$stage/"
	touch -d "@$epoch" "$stage"/*
	if [ "$os" = windows ]; then
		asset="tracegate_${os}_${arch}.zip"
		rm -f "$out/$asset"
		(cd "$stage" && TZ=UTC zip -q -X "$out/$asset" "tracegate$exe" LICENSE README.md)
	else
		asset="tracegate_${os}_${arch}.tar.gz"
		tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage" -cf - "tracegate$exe" LICENSE README.md |
			gzip -n -9 >"$out/$asset"
	fi
	assets+=("$asset")
done
(cd "$out" && sha256sum "${assets[@]}" >checksums.txt)
echo "wrote ${#assets[@]} archives and checksums.txt to $out"
