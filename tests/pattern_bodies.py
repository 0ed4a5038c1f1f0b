"""ANSUR II bodies for the pattern tests, as canonical measurements in mm (sampled deterministically)."""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path


def _mapping() -> dict[str, str]:
    text = (resources.files("c2m_tailor") / "data" / "ansur_regressions.json").read_text(encoding="utf-8")
    return json.loads(text)["mapping"]


@lru_cache(maxsize=2)
def ansur_bodies(folder: str) -> tuple[tuple[str, dict[str, float]], ...]:
    """All 6,068 ANSUR II adults as (sex, {canonical name: mm}), men first, file order."""
    mapping = _mapping()
    out = []
    for sex, name in (("male", "ANSUR_II_MALE_Public.csv"), ("female", "ANSUR_II_FEMALE_Public.csv")):
        with open(Path(folder) / name, encoding="latin-1", newline="") as handle:
            for row in csv.DictReader(handle):
                row = {k.lower(): v for k, v in row.items()}
                out.append((sex, {canon: float(row[col]) for col, canon in mapping.items()}))
    return tuple(out)


def sample(bodies, count: int, offset: int = 0):
    """`count` bodies spread evenly over the whole survey (both sexes), deterministic."""
    step = len(bodies) / count
    return [bodies[(int(i * step) + offset) % len(bodies)] for i in range(count)]
