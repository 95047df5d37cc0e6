#!/usr/bin/env bash
# Install Debian's packages for the PDF documents if any is missing: WeasyPrint lays text out
# with Pango and subsets the embedded fonts with HarfBuzz; the documents are set in DejaVu Sans;
# the tests read the text of the PDFs with pdftotext (poppler-utils).
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "PDF documents need Debian's ${missing[*]}: install them as root (the PDF tests are skipped)" >&2
  exit 0
fi
echo "Installing Debian's ${missing[*]} for the PDF documents" >&2
# Another apt run (a second checkout installing at the same time) holds the lock: wait for it.
apt-get -o DPkg::Lock::Timeout=300 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
