#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests if it is missing (Playwright cannot download
# its own browser here; the tests drive /usr/bin/chromium).
set -euo pipefail
if [ -x "${ELEVSTOD_CHROMIUM:-/usr/bin/chromium}" ]; then exit 0; fi
echo "Installing Debian's chromium for the browser tests" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
