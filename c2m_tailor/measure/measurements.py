"""From raw tape entries to validated canonical millimetres, with provenance and warnings.

Rejects (BadInput, naming the field, the value and the allowed range): non-numbers, NaN, zero or
negative values, values outside the plausible range of a human body, two names for one measurement
with different values, and sets that contradict themselves (inside leg longer than stature).
Accepts with a warning: values outside the observed adult range (ANSUR II), close aliases, custom
names.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from c2m_tailor.errors import BadInput
from c2m_tailor.formula import FormulaError, evaluate, names_in
from c2m_tailor.measure.aliases import known_names, resolve
from c2m_tailor.measure.catalogue import CATALOGUE
from c2m_tailor.measure.tape import RawEntry, TapeFile
from c2m_tailor.units import MM_PER_UNIT, TAPE_UNITS, normalize_unit

CUSTOM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
CUSTOM_MAX_MM = 5000.0

# (shorter, longer): the first must be smaller than the second on every human body.
CONSISTENCY_RULES = (
    ("inside_leg_length", "stature"),
    ("waist_height", "stature"),
    ("hip_height", "stature"),
    ("outside_leg_length", "stature"),
    ("inside_leg_length", "waist_height"),
    ("hip_height", "waist_height"),
    ("inside_leg_length", "outside_leg_length"),
    ("back_neck_to_waist", "stature"),
    ("arm_length", "stature"),
    ("wrist_girth", "upper_arm_girth"),
    ("wrist_girth", "elbow_girth"),
    ("ankle_girth", "calf_girth"),
    ("knee_girth", "thigh_girth"),
    ("neck_girth", "chest_girth"),
    ("neck_girth", "head_girth"),
    ("underbust_girth", "chest_girth"),
    ("shoulder_length", "shoulder_width"),
)


@dataclass
class MeasuredValue:
    name: str
    value_mm: float
    source: str  # tape | scan | estimated | user
    original_name: str
    original_unit: str
    original_value: str
    custom: bool = False
    confidence: float | None = None

    def to_job(self) -> dict[str, Any]:
        entry = {
            "value_mm": round(self.value_mm, 3),
            "source": self.source,
            "original_name": self.original_name,
            "original_unit": self.original_unit,
            "original_value": self.original_value,
        }
        if self.custom:
            entry["custom"] = True
        if self.confidence is not None:
            entry["confidence"] = round(self.confidence, 3)
        return entry


@dataclass
class MeasurementSet:
    values: dict[str, MeasuredValue]
    unit: str
    warnings: list[str] = field(default_factory=list)

    def mm(self) -> dict[str, float]:
        return {name: v.value_mm for name, v in self.values.items()}


def _number(value: Any) -> float | None:
    """A plain number, tolerating stray spaces and a decimal comma; None when it is a formula."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "")
    if re.fullmatch(r"[-+]?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def from_tape(tape: TapeFile, unit_override: str | None = None) -> MeasurementSet:
    """Resolve formulas, units and aliases of a tape file; validate the result."""
    where_file = tape.path.name
    warnings: list[str] = list(tape.notes)
    if unit_override is not None:
        unit_override = normalize_unit(unit_override, "--unit")
        if tape.unit and tape.unit != unit_override:
            raise BadInput(f"{where_file} says its unit is {tape.unit} but --unit says {unit_override}: drop one")
    file_unit = unit_override or tape.unit

    # 1. evaluate every entry (numbers and formulas over other entries) in the entry's unit
    raw_by_name: dict[str, RawEntry] = {}
    for entry in tape.entries:
        if entry.name in raw_by_name:
            raise BadInput(f"{where_file}, {entry.where}: measurement {entry.name!r} is given twice")
        if entry.value is None or (isinstance(entry.value, str) and not entry.value.strip()):
            raise BadInput(f"{where_file}, {entry.where}: measurement {entry.name!r} has no value")
        raw_by_name[entry.name] = entry
    numeric: dict[str, float] = {}
    for entry in tape.entries:
        number = _number(entry.value)
        if number is not None:
            numeric[entry.name] = number
    if file_unit is None and any(e.unit is None for e in tape.entries):
        file_unit = _infer_unit(tape, numeric, warnings)
    unit_of = {e.name: (e.unit or file_unit) for e in tape.entries}
    value_mm: dict[str, float] = {name: v * MM_PER_UNIT[unit_of[name]] for name, v in numeric.items()}
    _resolve_formulas(tape, raw_by_name, unit_of, value_mm, where_file)

    # 2. map names, check each value
    values: dict[str, MeasuredValue] = {}
    for entry in tape.entries:
        mm = value_mm[entry.name]
        place = f"{where_file}, {entry.where}"
        if not math.isfinite(mm):
            raise BadInput(f"{place}: {entry.name} is {entry.value!r}, not a number")
        canonical, note = resolve(entry.name)
        custom = canonical is None
        if custom:
            canonical = re.sub(r"[\s\-]+", "_", entry.name.strip())
            if not CUSTOM_NAME.match(canonical):
                raise BadInput(f"{place}: {entry.name!r} is not a usable measurement name (letters, digits, _)")
            hints = difflib.get_close_matches(canonical.lower(), known_names(), n=2, cutoff=0.8)
            warnings.append(f"{entry.name!r} is not a known measurement: kept as the custom measurement {canonical!r}"
                            + (f" (did you mean {' or '.join(repr(h) for h in hints)}?)" if hints else ""))
        if note:
            warnings.append(f"{entry.name!r} read as {canonical}: {note}")
        if canonical in values:
            first = values[canonical]
            if abs(first.value_mm - mm) > 0.5:
                raise BadInput(f"{place}: {entry.name!r} and {first.original_name!r} both give {canonical} but differ "
                               f"({mm:.1f} mm vs {first.value_mm:.1f} mm)")
            continue
        values[canonical] = MeasuredValue(canonical, mm, "tape", entry.name, unit_of[entry.name], str(entry.value).strip(),
                                          custom=custom)
    if not values:
        raise BadInput(f"{where_file} holds no measurements")
    result = MeasurementSet(values, file_unit or unit_of[tape.entries[0].name], warnings)
    warnings.extend(check_values(result.values, where_file))
    return result


def _infer_unit(tape: TapeFile, numeric: dict[str, float], warnings: list[str]) -> str:
    scores = {}
    known = [(resolve(name)[0], value) for name, value in numeric.items()]
    known = [(c, v) for c, v in known if c in CATALOGUE]
    for unit in TAPE_UNITS:
        scores[unit] = sum(1 for c, v in known if CATALOGUE[c].typical_mm[0] <= v * MM_PER_UNIT[unit] <= CATALOGUE[c].typical_mm[1])
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    if not known or ranked[0] == 0 or ranked[0] == ranked[1] or ranked[0] < len(known) / 2:
        raise BadInput(f"{tape.path.name} does not say its unit and the values do not tell: pass --unit mm, cm or in")
    warnings.append(f"{tape.path.name} gives no unit: read as {best} ({scores[best]} of {len(known)} known measurements "
                    f"fall in the adult range that way); pass --unit to be explicit")
    return best


def _resolve_formulas(tape, raw_by_name, unit_of, value_mm, where_file) -> None:
    pending = [e for e in tape.entries if e.name not in value_mm]
    canonical_lookup = {}
    for name in raw_by_name:
        canonical, _ = resolve(name)
        if canonical:
            canonical_lookup.setdefault(canonical, name)
    for _ in range(len(pending) + 1):
        if not pending:
            return
        still = []
        for entry in pending:
            unit_factor = MM_PER_UNIT[unit_of[entry.name]]
            try:
                refs = names_in(str(entry.value))
            except FormulaError as exc:
                raise BadInput(f"{where_file}, {entry.where}: {entry.name} = {entry.value!r} is neither a number nor a formula ({exc})") from None
            targets = {}
            for ref in refs:
                target = ref if ref in raw_by_name else canonical_lookup.get(resolve(ref)[0] or "")
                if target is None:
                    raise BadInput(f"{where_file}, {entry.where}: {entry.name} = {entry.value!r} is not a number, and as a "
                                   f"formula it refers to {ref!r}, which the file does not give")
                targets[ref] = target
            if all(t in value_mm for t in targets.values()):
                env = {ref: value_mm[target] / unit_factor for ref, target in targets.items()}
                try:
                    value = float(evaluate(str(entry.value), env))
                except (FormulaError, TypeError, ValueError) as exc:
                    raise BadInput(f"{where_file}, {entry.where}: {entry.name} = {entry.value!r}: {exc}") from None
                value_mm[entry.name] = value * unit_factor
            else:
                still.append(entry)
        if len(still) == len(pending):
            names = ", ".join(e.name for e in still)
            raise BadInput(f"{where_file}: the formulas of {names} refer to each other in a circle")
        pending = still


def check_values(values: dict[str, MeasuredValue], where: str) -> list[str]:
    """Range and consistency checks shared by tape and scan input. Returns warnings; raises on errors."""
    warnings = []
    for name, measured in values.items():
        mm = measured.value_mm
        label = f"{where}: {name}" + (f" (given as {measured.original_name!r})" if measured.original_name not in ("", name) else "")
        if not math.isfinite(mm) or mm <= 0:
            raise BadInput(f"{label} = {measured.original_value} {measured.original_unit} is not a positive length")
        definition = CATALOGUE.get(name)
        if definition is None:
            if mm > CUSTOM_MAX_MM:
                raise BadInput(f"{label} = {mm:.0f} mm is longer than any body dimension (max {CUSTOM_MAX_MM:.0f} mm)")
            continue
        low, high = definition.plausible_mm
        if not low <= mm <= high:
            raise BadInput(f"{label} = {mm:.1f} mm is outside the plausible range {low:.0f}-{high:.0f} mm"
                           + _unit_hint(definition, measured))
        t_low, t_high = definition.typical_mm
        if not t_low <= mm <= t_high:
            warnings.append(f"{name} = {mm:.1f} mm is outside the adult range {t_low:.0f}-{t_high:.0f} mm (ANSUR II): "
                            "please check it")
    for shorter, longer in CONSISTENCY_RULES:
        if shorter in values and longer in values and values[shorter].value_mm >= values[longer].value_mm:
            raise BadInput(f"{where}: {shorter} = {values[shorter].value_mm:.1f} mm is not smaller than "
                           f"{longer} = {values[longer].value_mm:.1f} mm, which no body allows")
    return warnings


def _unit_hint(definition, measured: MeasuredValue) -> str:
    given = measured.original_unit
    if given not in MM_PER_UNIT:
        return ""
    raw = measured.value_mm / MM_PER_UNIT[given]
    for unit in TAPE_UNITS:
        if unit != given and definition.typical_mm[0] <= raw * MM_PER_UNIT[unit] <= definition.typical_mm[1]:
            return f" (read as {given}; is the file in {unit}? pass --unit {unit})"
    return ""
