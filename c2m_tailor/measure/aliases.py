"""Other programs' measurement names mapped to ours: Valentina/Seamly2D, FreeSewing, ANSUR II.

An alias whose definition is only close to ours carries a note; the measure stage records it as a
warning in the job, so that nobody reads a FreeSewing HPS length as a cervicale length unawares.
"""

from __future__ import annotations

import re

from c2m_tailor.measure.catalogue import CATALOGUE

# Valentina and Seamly2D (their .vit / .smis known measurements)
VALENTINA = {
    "height": "stature",
    "neck_mid_circ": "neck_girth",
    "neck_circ": "neck_base_girth",
    "bust_circ": "chest_girth",
    "lowbust_circ": "underbust_girth",
    "waist_circ": "waist_girth",
    "hip_circ": "hip_girth",
    "arm_upper_circ": "upper_arm_girth",
    "arm_elbow_circ": "elbow_girth",
    "arm_wrist_circ": "wrist_girth",
    "leg_thigh_upper_circ": "thigh_girth",
    "leg_knee_circ": "knee_girth",
    "leg_calf_circ": "calf_girth",
    "leg_ankle_circ": "ankle_girth",
    "armscye_circ": "armscye_girth",
    "head_circ": "head_girth",
    "shoulder_tip_to_shoulder_tip_b": "shoulder_width",
    "across_back_b": "across_back_width",
    "across_chest_f": "across_front_width",
    "shoulder_length": "shoulder_length",
    "arm_shoulder_tip_to_wrist": "arm_length",
    "neck_back_to_waist_b": "back_neck_to_waist",
    "neck_front_to_waist_f": "front_neck_to_waist",
    "bustpoint_to_neck_side": "neck_to_bust_point",
    "bustpoint_to_bustpoint": "bust_point_distance",
    "height_waist_side": "waist_height",
    "height_hip": "hip_height",
    "leg_crotch_to_floor": "inside_leg_length",
    "leg_waist_side_to_floor": "outside_leg_length",
    "crotch_length": "crotch_length",
}

# FreeSewing (camelCase names of its measurement set)
FREESEWING = {
    "height": "stature",
    "neck": "neck_girth",
    "chest": "chest_girth",
    "bust": "chest_girth",
    "underbust": "underbust_girth",
    "waist": "waist_girth",
    "seat": "hip_girth",
    "biceps": "upper_arm_girth",
    "wrist": "wrist_girth",
    "upperLeg": "thigh_girth",
    "knee": "knee_girth",
    "ankle": "ankle_girth",
    "head": "head_girth",
    "shoulderToShoulder": "shoulder_width",
    "shoulderToWrist": "arm_length",
    "hpsToWaistBack": "back_neck_to_waist",
    "hpsToWaistFront": "front_neck_to_waist",
    "hpsToBust": "neck_to_bust_point",
    "bustSpan": "bust_point_distance",
    "inseam": "inside_leg_length",
    "waistToFloor": "outside_leg_length",
    "crossSeam": "crotch_length",
}

ALIAS_NOTES = {
    "hpsToWaistBack": "FreeSewing's hpsToWaistBack starts at the side neck point (HPS), not the cervicale: "
                      "it reads about 1-2 cm longer than back_neck_to_waist",
    "hpsToWaistFront": "FreeSewing's hpsToWaistFront starts at the side neck point (HPS), not the front neck point: "
                       "it reads several cm longer than front_neck_to_waist",
    "waistToFloor": "FreeSewing's waistToFloor is taken at the back, straight down; outside_leg_length follows the side over the hip",
}

# ANSUR II columns (lower case, as in the public CSV)
ANSUR = {m.ansur: m.name for m in CATALOGUE.values() if m.ansur}

# Plain-language names a tailor types (and size charts use as column headers)
COMMON = {
    "height": "stature",
    "body_height": "stature",
    "collar": "neck_girth",
    "upper_arm": "upper_arm_girth",
    "bicep": "upper_arm_girth",
    "biceps": "upper_arm_girth",
    "wrist": "wrist_girth",
    "thigh": "thigh_girth",
    "knee": "knee_girth",
    "calf": "calf_girth",
    "ankle": "ankle_girth",
    "head": "head_girth",
    "shoulder": "shoulder_width",
    "shoulders": "shoulder_width",
    "across_back": "across_back_width",
    "across_front": "across_front_width",
    "sleeve": "arm_length",
    "arm": "arm_length",
    "back_length": "back_neck_to_waist",
    "inside_leg": "inside_leg_length",
    "outside_leg": "outside_leg_length",
    "crotch": "crotch_length",
    "bust_girth": "chest_girth",
    "bust": "chest_girth",
    "chest": "chest_girth",
    "waist": "waist_girth",
    "hip": "hip_girth",
    "hips": "hip_girth",
    "seat": "hip_girth",
    "neck": "neck_girth",
    "inseam": "inside_leg_length",
    "outseam": "outside_leg_length",
    "sleeve_length": "arm_length",
    "nape_to_waist": "back_neck_to_waist",
}


def _key(name: str) -> str:
    """Fold case, spaces and dashes so 'Bust Circ', 'bust-circ' and 'bust_circ' meet."""
    return re.sub(r"[\s\-]+", "_", name.strip()).lower()


_LOOKUP: dict[str, str] = {}
for _table in (COMMON, ANSUR, FREESEWING, VALENTINA):
    for _alias, _canonical in _table.items():
        _LOOKUP[_key(_alias)] = _canonical
for _canonical in CATALOGUE:
    _LOOKUP[_key(_canonical)] = _canonical
_NOTES = {_key(k): v for k, v in ALIAS_NOTES.items()}


def resolve(name: str) -> tuple[str | None, str | None]:
    """Return (canonical name or None if unknown, note about the alias or None)."""
    key = _key(name)
    return _LOOKUP.get(key), _NOTES.get(key)


def known_names() -> list[str]:
    return sorted(set(_LOOKUP))
