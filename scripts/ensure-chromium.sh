#!/usr/bin/env bash
# ensure-chromium.sh: install Debian's chromium for the report's browser test
# (report/browser_test.go), which `make test` runs. Idempotent: does nothing
# when a chromium is already on PATH (or named by $DTM_CHROMIUM).
#
# Exit status is always 0 so that the rest of the suite still runs; when the
# browser cannot be installed the script says so loudly here, and the browser
# test skips with the same message (or fails when DTM_REQUIRE_CHROMIUM=1).
set -u

if [ -n "${DTM_CHROMIUM:-}" ] && [ -x "${DTM_CHROMIUM}" ]; then
	exit 0
fi
for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		exit 0
	fi
done

loud() {
	{
		echo "################################################################"
		echo "## ensure-chromium: $*"
		echo "## The report browser test (report/browser_test.go) will SKIP."
		echo "################################################################"
	} >&2
	exit 0
}

command -v apt-get >/dev/null 2>&1 || loud "no apt-get on this machine: install Chromium by hand and put it on PATH (or set DTM_CHROMIUM)"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || loud "not root and no sudo: cannot apt-get install chromium"
	SUDO="sudo -n"
fi
echo "ensure-chromium: installing Debian's chromium (apt-get update; apt-get install chromium)" >&2
$SUDO apt-get update -qq >&2 || loud "apt-get update failed"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >&2 ||
	loud "apt-get install chromium failed"
command -v chromium >/dev/null 2>&1 || loud "chromium installed but not on PATH"
echo "ensure-chromium: $(chromium --version 2>/dev/null)" >&2
