#!/usr/bin/env bash
# Debian packages the tests use as independent readers and for CJK lettering:
# LibreCAD (renders our DXF), dime (dxf2vrml parses it), poppler-utils (PDF checks), a CJK font.
# Needs root (CI runs as root). Without them those tests are skipped, except under CI.
set -euo pipefail
PACKAGES="librecad dime poppler-utils fonts-wqy-microhei"
missing=""
for package in $PACKAGES; do
    dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
