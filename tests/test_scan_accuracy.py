"""Scan measurements against the independent reference values shipped beside each shared body.

Tolerances are the ISO 20685-1 maximum allowable errors. Known gaps are xfail with the error we
measured, never loosened tolerances: see the reasons (each a landmark the reference reads off its
Anny model's skeleton, skinning weights or template vertices, which a scan does not have).
"""

import json

import pytest

from c2m_tailor.scan import measure_scan

BODIES = ["female_average", "female_curvy", "female_plus_size", "female_slim", "male_average",
          "male_plus_size"]

# reference key -> (canonical name, ISO 20685-1 tolerance in mm)
REFERENCE = {
    "height": ("stature", 4.0),
    "inseam": ("inside_leg_length", 4.0),
    "neck": ("neck_girth", 4.0),
    "wrist": ("wrist_girth", 4.0),
    "upperarm": ("upper_arm_girth", 4.0),
    "knee": ("knee_girth", 4.0),
    "calf": ("calf_girth", 4.0),
    "shoulder_width": ("shoulder_width", 4.0),
    "bust": ("chest_girth", 9.0),
    "underbust": ("underbust_girth", 9.0),
    "waist": ("waist_girth", 9.0),
    "hip": ("hip_girth", 9.0),
    "thigh": ("thigh_girth", 9.0),
    "sleeve_length": ("arm_length", 5.0),
    "back_neck_to_waist": ("back_neck_to_waist", 5.0),
    "crotch_length": ("crotch_length", 5.0),
}

# Where the reference reads its landmark off the Anny model (skeleton joints, skinning weights,
# template vertices; read in clad-body's published source) a scan has nothing to read it from.
# These gaps are definitions, listed with the errors we measured (ours - reference, mm).
DEFINITION = {
    "shoulder_width": "reference acromion = highest vertex within 50 mm sideways of the Anny upper-arm bone's "
                      "end (the inner edge of that window on a sloping shoulder); ours is where the shoulder "
                      "outline turns into the arm, 22-34 mm further out per side; reads +45.2..+70.8 mm",
    "arm_length": "reference: straight lines from its acromion to the Anny elbow and wrist joints inside the "
                  "arm; ours along the arm from our acromion; reads -18.3..-34.9 mm",
}
RIG_LANDMARK = {
    "neck": "reference cuts once at the Anny neck bone's upper end: 6-10 mm above our side neck points on the "
            "bodies where we agree (-3.5..+0.8 mm), but 1.5 and -2 mm from them on the plus sizes, i.e. at the "
            "neck base where the trapezius flares, not below the Adam's apple",
    "waist": "reference waist = perimeter of a 46-vertex template loop, level = its mean height "
             "(our horizontal hull at that level: -2.5..+1.5 mm on the women, -11.2/-7.3 on the men)",
    "underbust": "reference level = lowest vertex skinned to the Anny breast bones: -1.1..+2.1 mm from our level "
                 "(where the breast's fall meets the chest wall) on the four women, on the breast's underside, "
                 "where the girth rises 4-6 mm per mm (female_curvy +2.1 mm). Ours is the chest wall's girth just "
                 "below the breasts (ISO 8559-1), read below that level and carried up to it: 1.5-15.8 mm less. "
                 "Our section at the reference's level: 0.0 mm. (The two men have no fold: ours is then 0.02 of "
                 "stature below the bust point, a convention (confidence 0.4), and reads -6.4 and +1.1 mm.)",
    "back_neck_to_waist": "reference starts at the Anny neck bone's midpoint (C7), at 0.843-0.847 of stature, "
                          "1.8-2.6 SD below ANSUR II cervicale height (0.857 women, 0.864 men); ours 0.853-0.859; "
                          "and it ends at the template waist loop's mean height",
    "crotch_length": "reference ends at the template waist loop's mean height (from that height our path "
                     "reads +1.2..+6.8 mm; the length changes ~2 mm per mm of waist height)",
}
KNOWN_GAPS = {
    ("female_plus_size", "neck"): -7.1,
    ("male_plus_size", "neck"): -17.8,
    ("female_average", "back_neck_to_waist"): +5.2,
    ("female_curvy", "back_neck_to_waist"): +8.6,
    ("female_plus_size", "waist"): +17.1,
    ("female_plus_size", "back_neck_to_waist"): +25.3,
    ("female_plus_size", "crotch_length"): -20.9,
    ("female_slim", "waist"): -10.4,
    ("female_slim", "back_neck_to_waist"): -5.1,
    ("female_slim", "crotch_length"): +19.3,
    ("female_curvy", "underbust"): -15.8,
    ("male_average", "back_neck_to_waist"): +10.3,
    ("male_average", "crotch_length"): -12.7,
    ("male_plus_size", "back_neck_to_waist"): +25.3,
    ("male_plus_size", "crotch_length"): -21.3,
}

_cache: dict[str, object] = {}


def _measured(shared_data, body):
    if body not in _cache:
        _cache[body] = measure_scan(shared_data / "bodies" / f"{body}.obj")
    return _cache[body]


def _cases():
    for body in BODIES:
        for key, (name, tol) in REFERENCE.items():
            marks = []
            if name in DEFINITION:
                marks.append(pytest.mark.xfail(reason=DEFINITION[name], strict=False))
            elif (body, key) in KNOWN_GAPS:
                marks.append(pytest.mark.xfail(
                    reason=f"measured error {KNOWN_GAPS[(body, key)]:+.1f} mm exceeds {tol} mm; {RIG_LANDMARK[key]}",
                    strict=False))
            yield pytest.param(body, key, name, tol, marks=marks, id=f"{body}-{key}")


@pytest.mark.parametrize("body,key,name,tol", list(_cases()))
def test_matches_reference(shared_data, body, key, name, tol):
    reference = json.loads((shared_data / "bodies" / f"{body}.measurements.json").read_text())
    ref_mm = reference["clad_body_measure"][f"{key}_cm"] * 10.0
    result = _measured(shared_data, body)
    assert name in result.measurements_mm
    assert abs(result.measurements_mm[name] - ref_mm) <= tol, (
        f"{body} {name}: ours {result.measurements_mm[name]:.1f} mm, reference {ref_mm:.1f} mm")


@pytest.mark.parametrize("body", BODIES)
def test_horizontal_girths_at_the_references_own_levels(shared_data, body):
    """Our section and tape (convex hull) against the reference's, with the landmark taken out:
    cut at the height the reference reports for its bust, underbust and hip, ours must give its
    value. (Measured: within 0.001 mm on all six bodies; test_matches_reference tests the landmarks.)"""
    from c2m_tailor.scan.measuring import _Scan

    reference = json.loads((shared_data / "bodies" / f"{body}.measurements.json").read_text())["clad_body_measure"]
    scan = _Scan(_measured(shared_data, body).body)
    for key in ("bust", "underbust", "hip"):
        ours = scan.torso_girth(reference[f"_{key}_z"] * 1000.0, final=True)
        assert abs(ours - reference[f"{key}_cm"] * 10.0) <= 1.0, (key, ours, reference[f"{key}_cm"] * 10.0)


@pytest.mark.parametrize("body", BODIES)
def test_all_canonical_measurements_and_landmarks(shared_data, body):
    result = _measured(shared_data, body)
    assert len(result.measurements_mm) >= 24
    for name, value in result.measurements_mm.items():
        assert 0 < value < 2600, name
        assert 0.0 <= result.confidence[name] <= 1.0
    for name in ("crotch", "armpit_left", "armpit_right", "acromion_left", "acromion_right",
                 "cervicale", "bust_point_left", "bust_point_right", "wrist_left", "knee_right"):
        assert name in result.landmarks
    assert result.detected_unit == "m" and result.detected_up_axis == "+Z"
    # Landmark sanity in the normalized frame: right is +X, the front is +Y.
    assert result.landmarks["acromion_right"][0] > 100 > -100 > result.landmarks["acromion_left"][0]
    assert result.landmarks["bust_point_right"][1] > result.landmarks["cervicale"][1]


def test_qa_image_written_atomically(shared_data, tmp_path):
    from PIL import Image

    from c2m_tailor.scan import render_qa_image

    result = _measured(shared_data, "male_average")
    out = tmp_path / "qa.png"
    render_qa_image(result, out)
    with Image.open(out) as image:
        assert image.size[0] > 800 and image.size[1] > 600
    first = out.read_bytes()
    render_qa_image(result, out)
    assert out.read_bytes() == first  # deterministic
    assert [p.name for p in tmp_path.iterdir()] == ["qa.png"]
