#!/usr/bin/env bash
# The main job end to end on the bundled sample (README): sets up .venv if needed, then runs the
# whole chain on the bundled 3D scan: measure -> grade -> validate -> personalize -> cut -> package,
# and the factory side: receive the package. Everything goes under demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e .
C2M=.venv/bin/c2m-tailor
OUT=demo-out
rm -rf "$OUT"
mkdir -p "$OUT"
# The shop and the factory share a signing key (any 16+ bytes; made fresh here).
.venv/bin/python -c "import secrets; print(secrets.token_hex(32))" > "$OUT/shop.key"
$C2M run sample_scans/male_average.obj --job "$OUT/jobs/ORD-1001" --style shirt \
    --option collar=button_down --monogram JRS --plt --png \
    --qa-image "$OUT/ORD-1001-landmarks.png" --to "$OUT/factory-inbox" --key-file "$OUT/shop.key"
$C2M receive "$OUT/factory-inbox/ORD-1001.c2m" --into "$OUT/factory/ORD-1001" --key-file "$OUT/shop.key"
echo "done: see $OUT/jobs/ORD-1001/cut (DXF, PLT, PDF, SVG, PNG) and $OUT/jobs/ORD-1001/embroidery" >&2
