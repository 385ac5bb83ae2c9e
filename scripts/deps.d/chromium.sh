#!/usr/bin/env bash
# Debian's Chromium, for the test that loads the HTML evidence report
# headless, screenshots it and prints it to PDF, and poppler-utils
# (pdfinfo, pdftotext) to count the PDF's pages and read its running footer.
# Idempotent: installs only what is missing; never downloads a browser
# build of its own (the machine reaches Debian's packages only).
set -euo pipefail

missing=()
# An installed Chrome or Chromium is used as it is (the evidence package
# looks for the same names): only a machine without one gets Debian's.
browser=""
if [ -n "${TRACEGATE_CHROME:-}" ] && [ -x "${TRACEGATE_CHROME}" ]; then
	browser=$TRACEGATE_CHROME
else
	for b in chromium chromium-browser google-chrome google-chrome-stable; do
		if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
	done
fi
[ -n "$browser" ] || missing+=(chromium)
{ command -v pdfinfo >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; } || missing+=(poppler-utils)
# Fonts: without any, Chromium renders text as nothing and the PDF has no
# text layer to read the footer from.
fc-list 2>/dev/null | grep -q . || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
	echo "chromium: $("$browser" --version 2>/dev/null || echo "$browser present"); $(pdfinfo -v 2>&1 | head -1)"
	exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo -n"
	else
		echo "chromium: ${missing[*]} missing and not root (no sudo): install them, or the browser tests fail in CI" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "chromium: installing ${missing[*]}"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "chromium: $(chromium --version)"
