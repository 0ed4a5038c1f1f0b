#!/usr/bin/env bash
# The main job end to end on the bundled sample (README): sets up .venv if needed, then runs the
# chain measure -> transmit -> receive on sample_scans/, writing everything under demo-out/.
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
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$OUT/shop.key"
$C2M measure sample_scans/sample_tape.csv --job "$OUT/jobs/ORD-1001" --sex m
$C2M transmit "$OUT/jobs/ORD-1001" --to "$OUT/factory-inbox" --key-file "$OUT/shop.key"
$C2M receive "$OUT/factory-inbox/ORD-1001.c2m" --into "$OUT/factory/ORD-1001" --key-file "$OUT/shop.key"
echo "done: received job in $OUT/factory/ORD-1001" >&2
