"""Grading: a style's pattern file drafted to one body, or to every size of a size chart."""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.draft import StyleSpec, draft, load_styles
from c2m_tailor.pattern.estimate import check_envelope, estimate_missing
from c2m_tailor.pattern.model import Pattern, Piece


@dataclass
class OptionInfo:
    name: str
    values: list[str]
    default: str
    help: str = ""


@dataclass
class StyleInfo:
    id: str
    title: str
    options: list[OptionInfo]
    required_measurements: list[str]
    sex: str | None = None
    pattern_file: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "sex": self.sex, "pattern_file": self.pattern_file,
                "required_measurements": list(self.required_measurements),
                "options": [{"name": o.name, "values": list(o.values), "default": o.default, "help": o.help}
                            for o in self.options]}


@dataclass
class GradeResult:
    pattern: Pattern
    estimated: dict[str, float] = field(default_factory=dict)  # name (or "size.name") -> mm
    warnings: list[str] = field(default_factory=list)


def list_styles() -> list[StyleInfo]:
    out = []
    for spec in load_styles().values():
        options = [OptionInfo(o.name, list(o.values), o.default, o.help) for o in spec.options.values()]
        out.append(StyleInfo(spec.id, spec.title, options, list(spec.required), spec.sex, spec.source))
    return out


def _style(style: str) -> StyleSpec:
    styles = load_styles()
    if style not in styles:
        raise BadInput(f"unknown style {style!r}; choose one of: {', '.join(sorted(styles))}")
    return styles[style]


def check_style(style: str, options: dict[str, str] | None = None) -> dict[str, str]:
    """Refuse an unknown style or option before any work is done; returns the options in full."""
    return resolve_options(_style(style), options)


def resolve_options(spec: StyleSpec, options: dict[str, str] | None) -> dict[str, str]:
    chosen = {name: o.default for name, o in spec.options.items()}
    for key, value in (options or {}).items():
        if key not in spec.options:
            raise BadInput(f"style {spec.id} has no option {key!r}; options: {', '.join(spec.options)}")
        value = str(value)
        if value not in spec.options[key].values:
            raise BadInput(f"option {key}={value!r} is not allowed for style {spec.id}; "
                           f"choose one of: {', '.join(spec.options[key].values)}")
        chosen[key] = value
    return chosen


def _check_values(measurements: dict[str, float]) -> dict[str, float]:
    clean = {}
    for name, value in measurements.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise BadInput(f"measurement {name} = {value!r} is not a number") from None
        if not math.isfinite(number) or number <= 0:
            raise BadInput(f"measurement {name} = {value!r} must be a positive length in mm")
        clean[str(name)] = number
    return clean


def _sanity(pieces: list[Piece], style: str) -> None:
    """Never hand out a broken piece: refuse if any outline self-intersects or turns inside out."""
    import shapely

    from c2m_tailor.pattern.model import signed_area

    lines = [(piece.name, label, line) for piece in pieces
             for label, line in (("sew", piece.sew_line), ("cut", piece.cut_line))]
    simple = shapely.is_simple([shapely.linearrings(line) for _, _, line in lines])
    for (name, label, line), ok in zip(lines, simple):
        if not ok or signed_area(line) <= 0:
            raise BadInput(f"these measurements are outside what the {style} draft supports: the {name} "
                           f"{label} line would cross itself")


def _grade_one(spec: StyleSpec, measurements: dict[str, float], options: dict[str, str], sex: str | None,
               size: str) -> tuple[list[Piece], dict[str, Any], dict[str, float]]:
    given = _check_values(measurements)
    estimates, how = estimate_missing(given, spec.required, sex or spec.sex)
    body = {**given, **estimates}
    check_envelope(body, spec.required)
    pieces, meta = draft(spec, body, options)
    _sanity(pieces, spec.id)
    for piece in pieces:
        piece.size = size
    meta["measurements_mm"] = {k: body[k] for k in spec.required}
    meta["estimated"] = {k: {"value_mm": v, **how[k]} for k, v in estimates.items()}
    return pieces, meta, estimates


def grade(measurements_mm: dict[str, float], style: str, options: dict[str, str] | None = None,
          sex: str | None = None, size_chart: str | os.PathLike | None = None) -> GradeResult:
    """Draft STYLE for one body (size "MTM"), or for every size of SIZE_CHART (a graded nest)."""
    spec = _style(style)
    chosen = resolve_options(spec, options)
    ease = dict((spec.ease.get(chosen.get("fit", "")) or {}))
    if size_chart is None:
        pieces, meta, estimates = _grade_one(spec, measurements_mm or {}, chosen, sex, "MTM")
        meta.update(pattern_file=spec.source, sex=sex)
        pattern = Pattern(style=spec.id, options=chosen, pieces=pieces, sample_size="MTM", ease_mm=ease, meta=meta)
        return GradeResult(pattern, estimates, list(meta.get("warnings", [])))
    chart = read_size_chart(size_chart)
    graded: dict[str, list[Piece]] = {}
    sizes_meta: dict[str, Any] = {}
    estimated: dict[str, float] = {}
    warnings: list[str] = []
    for size, body in chart.items():
        try:
            pieces, meta, estimates = _grade_one(spec, body, chosen, sex, size)
        except BadInput as exc:
            raise BadInput(f"size {size} of {size_chart}: {exc}") from None
        graded[size] = pieces
        sizes_meta[size] = meta
        estimated.update({f"{size}.{k}": v for k, v in estimates.items()})
        warnings.extend(f"size {size}: {w}" for w in meta.get("warnings", []))
    names = list(graded)
    sample = names[len(names) // 2]
    reference = graded[sample]
    for size, pieces in graded.items():
        if [p.name for p in pieces] != [p.name for p in reference] or any(
                len(p.sew_line) != len(r.sew_line) or len(p.cut_line) != len(r.cut_line)
                for p, r in zip(pieces, reference)):
            raise BadInput(f"size {size} does not grade to the same pieces and vertex counts as {sample}")
    meta = dict(sizes_meta[sample])
    meta.update(sizes=sizes_meta, size_chart=os.fspath(size_chart), pattern_file=spec.source, sex=sex)
    pattern = Pattern(style=spec.id, options=chosen, pieces=reference, sample_size=sample, graded=graded,
                      ease_mm=ease, meta=meta)
    return GradeResult(pattern, estimated, warnings)


# --------------------------------------------------------------------------------------------------
# size charts

_UNIT = re.compile(r"^(?P<name>.*?)[\s_]*(?:[\(\[](?P<u1>mm|cm|in)[\)\]]|_(?P<u2>mm|cm|in))$", re.IGNORECASE)
_FACTOR = {"mm": 1.0, "cm": 10.0, "in": 25.4}


def canonical_name(header: str) -> str:
    """A size chart's column header as a canonical name (the project's alias table), else as written."""
    from c2m_tailor.measure.aliases import resolve

    found, _note = resolve(header)
    return str(found) if found else re.sub(r"[\s\-]+", "_", header.strip().lower())


def read_size_chart(path: str | os.PathLike) -> dict[str, dict[str, float]]:
    """Read a CSV of sizes x measurements into {size: {canonical name: mm}}.

    First column: the size name. Other headers: canonical names or common aliases, optionally with a
    unit ("chest (cm)", "waist_cm", "hip [mm]"); a line "# unit: cm" sets the default unit. Without
    any unit, a column is read as cm when its values are implausibly small for millimetres (below a
    fifth of the ANSUR II minimum) and as mm otherwise.
    """
    from c2m_tailor.pattern.estimate import regressions

    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        raise BadInput(f"size chart {path} cannot be read: {exc.strerror}") from None
    default_unit = None
    rows = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            m = re.search(r"unit[s]?\s*[:=]\s*(mm|cm|in)", stripped, re.IGNORECASE)
            if m:
                default_unit = m.group(1).lower()
            continue
        rows.append(line)
    table = list(csv.reader(rows))
    if len(table) < 2 or len(table[0]) < 2:
        raise BadInput(f"size chart {path} needs a header row and at least one size row")
    header = table[0]
    columns = []
    for raw in header[1:]:
        m = _UNIT.match(raw.strip())
        name, unit = (m.group("name"), (m.group("u1") or m.group("u2")).lower()) if m else (raw, None)
        columns.append((canonical_name(name), unit or default_unit))
    envelope = regressions()["envelope"]
    chart: dict[str, dict[str, float]] = {}
    values: dict[int, list[float]] = {i: [] for i in range(len(columns))}
    for r, row in enumerate(table[1:], start=2):
        if len(row) != len(header):
            raise BadInput(f"size chart {path} line {r} has {len(row)} cells, the header has {len(header)}")
        size = row[0].strip()
        if not size or size in chart:
            raise BadInput(f"size chart {path} line {r}: size name {size!r} is empty or repeated")
        chart[size] = {}
        for i, cell in enumerate(row[1:]):
            if not cell.strip():
                continue
            try:
                values[i].append(float(cell))
            except ValueError:
                raise BadInput(f"size chart {path} line {r}: {header[i + 1]} = {cell!r} is not a number") from None
            chart[size][columns[i][0]] = float(cell)
    for i, (name, unit) in enumerate(columns):
        if unit is None:
            env = envelope.get(name)
            unit = "cm" if env and values[i] and max(values[i]) < env["min"] / 5 else "mm"
        for size in chart:
            if name in chart[size]:
                chart[size][name] *= _FACTOR[unit]
    return chart
