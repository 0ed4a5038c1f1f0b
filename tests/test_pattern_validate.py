"""Validation measures the pieces: tampered geometry is caught, reports serialise for CI."""

import copy

import numpy as np
from defusedxml import ElementTree

from c2m_tailor.pattern import grade, validate
from c2m_tailor.pattern.model import Notch

MAN = {"neck_girth": 398, "chest_girth": 1059, "waist_girth": 941, "hip_girth": 1020, "shoulder_width": 416,
       "arm_length": 593, "upper_arm_girth": 358, "wrist_girth": 176, "back_neck_to_waist": 477,
       "stature": 1756, "inside_leg_length": 845, "waist_height": 1055}


def failed(report):
    return {c.name for c in report.failures}


def test_a_graded_shirt_passes_every_check_with_real_numbers():
    pattern = grade(MAN, "shirt", {"collar": "button_down", "cuff": "french", "chest_pocket": "yes"}).pattern
    report = validate(pattern, MAN)
    assert report.passed, [c.message for c in report.failures]
    checks = {c.name: c for c in report.checks}
    assert abs(checks["fit.chest"].measured - (1059 + pattern.ease_mm["chest"])) <= 1.0
    assert abs(checks["fit.collar_neck"].measured - (398 + pattern.ease_mm["collar"])) <= 1.0
    assert abs(checks["seam.armhole_left"].measured - pattern.ease_mm["cap"]) <= 1.0
    assert checks["front_left.seam_allowance"].measured <= 0.1
    assert len(report.checks) > 80


def test_seam_walking_catches_a_stretched_sleeve_cap():
    pattern = grade(MAN, "shirt", {}).pattern
    sleeve = pattern.piece("sleeve")
    sleeve.sew_line = sleeve.sew_line * np.array([1.0, 1.05])  # a taller cap: longer than armhole + ease
    assert {"seam.armhole_left", "seam.armhole_right", "fit.sleeve_length"} <= failed(validate(pattern, MAN))


def test_fit_is_measured_on_the_sew_lines_not_taken_from_the_formulas():
    pattern = grade(MAN, "trousers", {}).pattern
    assert validate(pattern, MAN).passed
    body = dict(MAN, hip_girth=MAN["hip_girth"] + 10)  # the pieces were drafted for another body
    report = validate(pattern, body)
    assert failed(report) == {"fit.hip"}
    hip = next(c for c in report.checks if c.name == "fit.hip")
    assert abs(hip.expected - hip.measured - 10) <= 0.01


def test_geometry_checks_catch_allowance_notch_and_self_intersection():
    pattern = grade(MAN, "skirt", {}).pattern
    front = pattern.piece("front")
    front.cut_line = front.cut_line + np.array([0.0, 0.5])  # allowance off by half a millimetre somewhere
    front.notches.append(Notch(front.sew_line[:, 0].mean(), front.sew_line[:, 1].mean(), 0.0, "v", "cut"))
    assert {"front.seam_allowance", "front.notches_on_line"} <= failed(validate(pattern, MAN))
    broken = grade(MAN, "skirt", {}).pattern
    back = broken.piece("back")
    back.sew_line = back.sew_line.copy()
    back.sew_line[[1, 3]] = back.sew_line[[3, 1]]  # a bow-tie outline
    assert "back.sew_line_simple" in failed(validate(broken, MAN))


def test_json_and_junit_reports():
    pattern = grade(MAN, "bodice", {}).pattern
    bad = copy.deepcopy(pattern)
    bad.piece("front").grain_line = np.array([[-500.0, 0.0], [-400.0, 0.0]])
    report = validate(bad, MAN)
    data = report.to_dict()
    assert data["passed"] is False and data["failures"] == 1 and data["total"] == len(report.checks)
    assert data["checks"][0].keys() == {"name", "passed", "measured", "expected", "tolerance", "message"}
    root = ElementTree.fromstring(report.to_junit_xml().encode())
    suite = root.find("testsuite")
    assert int(suite.get("tests")) == len(report.checks) and int(suite.get("failures")) == 1
    failures = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert [(f.get("classname"), f.get("name")) for f in failures] == [("pattern.bodice.front", "grain_inside")]


def test_cut_line_corners_mitred_or_squared_and_turn_points():
    pattern = grade(MAN, "shirt", {}).pattern
    collar = pattern.piece("collar")
    # two squared collar points add one cut vertex each; turn points flag corners, not curve samples
    assert len(collar.cut_line) == len(collar.sew_line) + 2
    assert collar.cut_turn_points.sum() >= 6 and (~collar.cut_turn_points).sum() > 40
    steps = np.linalg.norm(np.diff(np.vstack([collar.cut_line, collar.cut_line[:1]]), axis=0), axis=1)
    assert steps.min() > 1.0  # no doubled vertices
    cuff = pattern.piece("cuff_left")
    width, height = np.ptp(cuff.sew_line, axis=0)
    assert np.allclose(np.ptp(cuff.cut_line, axis=0), [width + 20, height + 20])  # mitred square corners
