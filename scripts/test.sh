#!/usr/bin/env bash
# The test command (README): sets up .venv from scratch if needed, installs the project, runs pytest.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m slow` for the population-wide runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e ".[test]"
exec .venv/bin/python -m pytest -q "$@"
