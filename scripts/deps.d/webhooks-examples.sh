#!/usr/bin/env bash
# @octokit/webhooks-examples: real webhook payloads GitHub sends, which the
# App's tests (internal/app) sign with the real HMAC and post to a running
# `tracegate serve`. Fetched with npm from the npm registry at a pinned
# version, checked against its SHA-256, unpacked into
# .tools/webhooks-examples (git-ignored); the tests read
# .tools/webhooks-examples/api.github.com/index.json.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=7.6.1
sha256=89e6cb1c6345d32e3dd775617fa54effbdc26c859e514898d7728e95e9738280
dir=.tools/webhooks-examples
if [ -f "$dir/VERSION" ] && [ "$(cat "$dir/VERSION")" = "$version" ] && [ -f "$dir/api.github.com/index.json" ]; then
	echo "webhooks-examples $version is in $dir"
	exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "webhooks-examples: npm is needed to fetch @octokit/webhooks-examples" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@octokit/webhooks-examples@$version" >/dev/null)
tgz="$tmp/octokit-webhooks-examples-$version.tgz"
echo "$sha256  $tgz" | sha256sum -c --quiet -
rm -rf "$dir"
mkdir -p "$dir"
tar -xzf "$tgz" -C "$tmp"
cp -R "$tmp/package/api.github.com" "$tmp/package/README.md" "$tmp/package/package.json" "$dir/"
echo "$version" >"$dir/VERSION"
echo "webhooks-examples $version installed into $dir"
