"""Units at the edges: everything inside is millimetres."""

from __future__ import annotations

from c2m_tailor.errors import BadInput

MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "m": 1000.0, "dm": 100.0}
_SPELLINGS = {
    "mm": "mm", "millimeter": "mm", "millimetre": "mm", "millimeters": "mm", "millimetres": "mm",
    "cm": "cm", "centimeter": "cm", "centimetre": "cm", "centimeters": "cm", "centimetres": "cm",
    "in": "in", "inch": "in", "inches": "in", '"': "in",
    "m": "m", "meter": "m", "metre": "m", "meters": "m", "metres": "m",
    "dm": "dm",
}
TAPE_UNITS = ("mm", "cm", "in")


def normalize_unit(text: str, where: str = "", allowed: tuple[str, ...] = TAPE_UNITS) -> str:
    unit = _SPELLINGS.get(str(text).strip().lower())
    if unit is None or unit not in allowed:
        place = f" in {where}" if where else ""
        raise BadInput(f"unknown unit {text!r}{place}: use one of {', '.join(allowed)}")
    return unit


def to_mm(value: float, unit: str) -> float:
    return float(value) * MM_PER_UNIT[unit]
