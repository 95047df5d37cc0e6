#!/usr/bin/env bash
# Make sure the wrk HTTP load generator is there (for `make bench-load`), installing Debian's.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then exit 0; fi
echo "Installing Debian's wrk for the load benchmark" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
