"""Tape-measurement files: CSV, JSON, YAML, Valentina .vit and Seamly2D .smis.

Parsing only: each reader returns the raw (name, value text, unit) entries in file order with
where they stand, and the file's own unit and sex if it says them. `measurements.py` turns them
into validated canonical millimetres.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2m_tailor.errors import BadInput
from c2m_tailor.units import normalize_unit

TAPE_SUFFIXES = (".csv", ".json", ".yaml", ".yml", ".vit", ".smis")
MAX_TAPE_BYTES = 5 * 1024 * 1024


@dataclass
class RawEntry:
    name: str
    value: Any  # number or text (a number with stray spaces, or a formula)
    unit: str | None  # per-entry unit, already normalized, or None
    where: str  # "line 4", "key 'waist'", "<m name='waist_circ'>"


@dataclass
class TapeFile:
    path: Path
    format: str
    entries: list[RawEntry]
    unit: str | None = None
    sex: str | None = None
    notes: list[str] = field(default_factory=list)


def is_tape_file(path: Path) -> bool:
    return path.suffix.lower() in TAPE_SUFFIXES


def read_tape_file(path: str | Path) -> TapeFile:
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"measurement file {path} does not exist")
    if path.stat().st_size > MAX_TAPE_BYTES:
        raise BadInput(f"measurement file {path} is larger than {MAX_TAPE_BYTES // 1024 // 1024} MiB: not a tape file")
    data = path.read_bytes()
    if not data.strip():
        raise BadInput(f"measurement file {path} is empty")
    suffix = path.suffix.lower()
    if suffix in (".vit", ".smis"):
        return _read_xml(path, data, "valentina" if suffix == ".vit" else "seamly2d")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
            raise BadInput(f"measurement file {path} is not text") from None
    if suffix == ".csv":
        return _read_csv(path, text)
    if suffix == ".json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        return _from_mapping(path, obj, "json")
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            obj = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            place = f" (line {mark.line + 1})" if mark else ""
            raise BadInput(f"{path} is not valid YAML{place}") from None
        return _from_mapping(path, obj, "yaml")
    raise BadInput(f"{path.name}: unsupported measurement file type {suffix!r}; use {', '.join(TAPE_SUFFIXES)}")


# --------------------------------------------------------------------------- CSV
def _is_number_like(cell: str) -> bool:
    text = cell.strip().replace(",", ".")
    try:
        float(text)
        return True
    except ValueError:
        return False


def _read_csv(path: Path, text: str) -> TapeFile:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]
    rows = [r for r in rows if not r[0].lstrip().startswith("#")]
    if not rows:
        raise BadInput(f"{path} has no measurement rows")
    header = [c.strip() for c in rows[0]]
    lowered = [c.lower() for c in header]
    long_header = len(header) >= 2 and lowered[0] in ("name", "measurement", "measure") and lowered[1] in ("value", "size")
    wide = not long_header and len(rows) >= 2 and len(header) >= 3 and sum(
        _is_number_like(c) for c in rows[1]) >= max(1, len(rows[1]) // 2) and not any(_is_number_like(c) for c in header)
    if wide:
        return _read_wide_csv(path, header, rows[1:])
    entries: list[RawEntry] = []
    start = 1 if long_header else 0
    for index, row in enumerate(rows[start:], start=start + 1):
        cells = [c.strip() for c in row]
        if len(cells) < 2 or not cells[0]:
            raise BadInput(f"{path}, line {index}: expected 'name,value[,unit]', got {','.join(row)!r}")
        if len(cells) > 3 and any(cells[3:]):
            raise BadInput(f"{path}, line {index}: too many columns; expected 'name,value[,unit]'")
        unit = normalize_unit(cells[2], f"{path}, line {index}") if len(cells) >= 3 and cells[2] else None
        entries.append(RawEntry(cells[0], cells[1], unit, f"line {index}"))
    return TapeFile(path, "csv", entries)


def _read_wide_csv(path: Path, header: list[str], data_rows: list[list[str]]) -> TapeFile:
    if len(data_rows) != 1:
        raise BadInput(f"{path}: a wide CSV (names in the header) must hold exactly one row of values, found {len(data_rows)}")
    row = [c.strip() for c in data_rows[0]]
    if len(row) != len(header):
        raise BadInput(f"{path}, line 2: {len(row)} values for {len(header)} header names")
    unit = None
    sex = None
    entries = []
    for column, (name, value) in enumerate(zip(header, row), start=1):
        key = name.lower()
        if key == "unit":
            unit = normalize_unit(value, f"{path}, column 'unit'")
            continue
        if key in ("sex", "gender"):
            sex = _sex(value, f"{path}, column {name!r}")
            continue
        if key in ("order_id", "id", "customer", "name") or value == "":
            continue
        entries.append(RawEntry(name, value, None, f"column {column} ({name})"))
    return TapeFile(path, "csv-wide", entries, unit=unit, sex=sex)


# --------------------------------------------------------------------------- JSON / YAML
def _from_mapping(path: Path, obj: Any, fmt: str) -> TapeFile:
    if not isinstance(obj, dict):
        raise BadInput(f"{path}: expected an object of measurement names to values, got a {type(obj).__name__}")
    unit = None
    sex = None
    body = obj
    if "measurements" in obj and isinstance(obj["measurements"], dict):
        body = obj["measurements"]
    for key in ("unit", "units"):
        if key in obj:
            unit = normalize_unit(obj[key], f"{path}, key '{key}'")
    for key in ("sex", "gender"):
        if key in obj and obj[key] is not None:
            sex = _sex(obj[key], f"{path}, key '{key}'")
    entries = []
    for name, value in body.items():
        if body is obj and name in ("unit", "units", "sex", "gender", "order_id", "name", "notes"):
            continue
        where = f"key {name!r}"
        entry_unit = None
        if isinstance(value, dict):
            if "value" not in value:
                raise BadInput(f"{path}, {where}: an object value needs a 'value' field")
            if value.get("unit") is not None:
                entry_unit = normalize_unit(value["unit"], f"{path}, {where}")
            value = value["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float, str)) and value is not None:
            raise BadInput(f"{path}, {where}: value {value!r} is not a number")
        entries.append(RawEntry(str(name), value, entry_unit, where))
    return TapeFile(path, fmt, entries, unit=unit, sex=sex)


# --------------------------------------------------------------------------- Valentina / Seamly2D
def _read_xml(path: Path, data: bytes, fmt: str) -> TapeFile:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except DefusedXmlException as exc:
        raise BadInput(f"{path}: refused unsafe XML ({type(exc).__name__})") from None
    except ElementTree.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise BadInput(f"{path} is not well-formed XML (line {line}, column {column})") from None
    if root.tag not in ("vit", "smis"):
        raise BadInput(f"{path}: root element <{root.tag}> is not a Valentina <vit> or Seamly2D <smis> file")
    unit_text = (root.findtext("unit") or "").strip()
    unit = normalize_unit(unit_text, f"{path}, <unit>") if unit_text else None
    sex = None
    gender = root.findtext("personal/gender")
    if gender and gender.strip().lower() in ("male", "female", "m", "f"):
        sex = _sex(gender, f"{path}, <gender>")
    container = root.find("body-measurements")
    if container is None:
        raise BadInput(f"{path}: no <body-measurements> element")
    entries = []
    for element in container.iter("m"):
        name = (element.get("name") or "").strip()
        if not name:
            raise BadInput(f"{path}: an <m> element has no name")
        value = element.get("value")
        if value is None:
            raise BadInput(f"{path}: <m name='{name}'> has no value")
        entries.append(RawEntry(name.lstrip("@"), value, None, f"<m name='{name}'>"))
    return TapeFile(path, fmt, entries, unit=unit, sex=sex)


def _sex(value: Any, where: str) -> str:
    text = str(value).strip().lower()
    if text in ("f", "female", "w", "woman", "women"):
        return "f"
    if text in ("m", "male", "man", "men"):
        return "m"
    raise BadInput(f"{where}: sex {value!r} is not f or m")
