"""AAMA / ASTM grade rule file (.RUL): per grade point, the dx,dy of every size from the sample size.

Layout written (the AAMA "DELTA" rule table; readers split on whitespace, decimal point '.'):

    ASTM/D6673/RUL                  (AAMA: "version ANSI/AAMA-292-B")
    AUTHOR: c2m-tailor
    PRODUCT: <style>
    VERSION: 1
    CREATION DATE: 2026-11-22       (only when given)
    UNITS: METRIC
    GRADE RULE TABLE: <name>
    NUMBER OF SIZES: 3
    SIZE LIST: S M L
    SAMPLE SIZE: M
    RULE: DELTA 1
     -5.000,-9.000 0.000,0.000 5.000,9.000
    ...
    END

Rule n belongs to the grade point the DXF marks with "# n" (see common.grade_points for the order).
The reader also takes the deltas on the RULE line itself, as some CAD systems write them.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field

import numpy as np

from c2m_tailor.cut.common import ascii_text, check_pattern, grade_points
from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import Pattern


@dataclass
class RuleTable:
    """A parsed RUL file: sizes in order, sample size, and rule number -> (n_sizes, 2) deltas in mm."""

    name: str
    sizes: list[str]
    sample_size: str
    rules: dict[int, np.ndarray] = field(default_factory=dict)
    units: str = "METRIC"


def grade_rule_deltas(pattern: Pattern) -> list[tuple[int, int, str, int, np.ndarray]]:
    """(rule number, piece index, what, vertex index, deltas per size) for a graded pattern.

    Deltas are size position minus sample position, sizes in pattern.graded order; numbering runs
    over the sample pieces in order, as the DXF writer numbers its "# n" texts.
    """
    check_pattern(pattern)
    if not pattern.graded:
        raise BadInput(f"pattern {pattern.style!r} is not graded: it has no sizes to write grade rules for")
    sizes = list(pattern.graded)
    per_size = {size: [grade_points(p) for p in pattern.graded[size]] for size in sizes}
    out = []
    number = 0
    for k, sample_piece in enumerate(pattern.pieces):
        sample_points = grade_points(sample_piece)
        for j, (what, _, index, point) in enumerate(sample_points):
            number += 1
            deltas = np.array([per_size[size][k][j][3] - point for size in sizes])
            out.append((number, k, what, index, deltas))
    return out


def _fmt(v: float) -> str:
    return f"{round(float(v), 3) + 0.0:.3f}"


def rul_text(pattern: Pattern, *, fmt: str = "aama", author: str = "c2m-tailor", creation_date=None,
             grade_rule_table: str | None = None) -> str:
    sizes = list(pattern.graded) if pattern.graded else []
    rules = grade_rule_deltas(pattern)
    table = ascii_text(grade_rule_table or pattern.style) or "RULES"
    lines = ["ASTM/D6673/RUL" if fmt == "astm" else "version ANSI/AAMA-292-B",
             f"AUTHOR: {ascii_text(author)}", f"PRODUCT: {ascii_text(pattern.style)}", "VERSION: 1"]
    if creation_date:
        day = creation_date if isinstance(creation_date, _dt.date) else _dt.date.fromisoformat(str(creation_date)[:10])
        lines.append(f"CREATION DATE: {day.isoformat()}")
    lines += ["UNITS: METRIC", f"GRADE RULE TABLE: {table}", f"NUMBER OF SIZES: {len(sizes)}",
              "SIZE LIST: " + " ".join(_size_token(s) for s in sizes),
              f"SAMPLE SIZE: {_size_token(pattern.sample_size)}"]
    for number, _, _, _, deltas in rules:
        lines.append(f"RULE: DELTA {number}")
        lines.append(" " + " ".join(f"{_fmt(dx)},{_fmt(dy)}" for dx, dy in deltas))
    lines.append("END")
    return "\n".join(lines) + "\n"


def _size_token(size: str) -> str:
    """Size names are whitespace-separated in SIZE LIST, so a size cannot contain spaces."""
    token = ascii_text(size).replace(" ", "_")
    if not token:
        raise BadInput(f"size name {size!r} has no ASCII characters to write in a RUL file")
    return token


def write_rul(pattern: Pattern, path: str | os.PathLike, *, fmt: str = "aama", author: str = "c2m-tailor",
              creation_date=None, grade_rule_table: str | None = None) -> int:
    """Write the grade rules of a graded pattern; returns the number of rules written."""
    from c2m_tailor.fileio import write_bytes_atomic

    text = rul_text(pattern, fmt=fmt, author=author, creation_date=creation_date, grade_rule_table=grade_rule_table)
    write_bytes_atomic(path, text.encode("ascii"))
    return text.count("RULE: DELTA")


_PAIR = re.compile(r"(-?\d+(?:\.\d*)?|-?\.\d+)\s*,\s*(-?\d+(?:\.\d*)?|-?\.\d+)")


def parse_rul(text: str, source: str = "RUL file") -> RuleTable:
    """Parse a RUL file's text (keys in any case and spacing; deltas on or after the RULE line)."""
    name, sizes, sample, units = "", [], "", "METRIC"
    rules: dict[int, list[tuple[float, float]]] = {}
    current: int | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        key_norm = re.sub(r"\s+", " ", key.strip().upper())
        if sep and key_norm == "RULE":
            match = re.match(r"\s*DELTA\s+(\d+)(.*)$", value, re.IGNORECASE)
            if not match:
                raise BadInput(f"{source}: rule line {line!r} is not 'RULE: DELTA n'")
            current = int(match.group(1))
            rules[current] = [(float(a), float(b)) for a, b in _PAIR.findall(match.group(2))]
            continue
        if sep and key_norm in ("UNITS", "GRADE RULE TABLE", "SIZE LIST", "SAMPLE SIZE", "NUMBER OF SIZES",
                                "AUTHOR", "PRODUCT", "VERSION", "CREATION DATE", "CREATION TIME"):
            current = None
            if key_norm == "UNITS":
                units = value.strip().upper()
            elif key_norm == "GRADE RULE TABLE":
                name = value.strip()
            elif key_norm == "SIZE LIST":
                sizes = value.split()
            elif key_norm == "SAMPLE SIZE":
                sample = value.strip()
            continue
        if line.upper() == "END":
            break
        if current is not None:
            rules[current] += [(float(a), float(b)) for a, b in _PAIR.findall(line)]
    if not sizes:
        raise BadInput(f"{source}: no SIZE LIST")
    scale = 25.4 if units.startswith("ENGLISH") or units.startswith("INCH") else 1.0
    table = RuleTable(name=name, sizes=sizes, sample_size=sample or sizes[0], units=units)
    for number, pairs in rules.items():
        if len(pairs) != len(sizes):
            raise BadInput(f"{source}: rule {number} has {len(pairs)} deltas for {len(sizes)} sizes")
        table.rules[number] = np.array(pairs, dtype=float) * scale
    return table


def read_rul(path: str | os.PathLike) -> RuleTable:
    try:
        text = open(path, encoding="latin-1").read()
    except OSError as exc:
        raise BadInput(f"cannot read grade rule file {path}: {exc.strerror}") from None
    return parse_rul(text, str(path))
