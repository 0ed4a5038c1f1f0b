"""Small helpers shared by the tests: run the CLI in-process, list what a folder holds."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from c2m_tailor.cli import app

REPO = Path(__file__).resolve().parents[1]
SAMPLE_TAPE = REPO / "sample_scans" / "sample_tape.csv"


def cli(*args: str):
    """Invoke the CLI in-process; returns the click Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(app, [str(a) for a in args])


def cli_json(*args: str):
    result = cli(*args, "--json")
    return result, json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else None


def tree(folder: Path) -> list[str]:
    """Every path below FOLDER (files and folders), relative, sorted; [] if it does not exist."""
    folder = Path(folder)
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
