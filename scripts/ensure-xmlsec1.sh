#!/usr/bin/env bash
# Install Debian's xmlsec1 if it is missing: pysaml2 (the Skolfederation login) signs and checks
# SAML messages with it.
set -euo pipefail
if [ -x "${ELEVSTOD_SAML_XMLSEC_BINARY:-/usr/bin/xmlsec1}" ]; then exit 0; fi
echo "Installing Debian's xmlsec1 for SAML2" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null
