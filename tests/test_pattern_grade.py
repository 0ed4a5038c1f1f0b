"""Grading: styles and options, piece names and anchors, option effects, estimation, size charts."""

import json

import numpy as np
import pytest

from c2m_tailor.errors import BadInput
from c2m_tailor.pattern import grade, list_styles, read_size_chart, validate
from c2m_tailor.pattern.model import Pattern

MAN = {"neck_girth": 398, "chest_girth": 1059, "waist_girth": 941, "hip_girth": 1020, "shoulder_width": 416,
       "arm_length": 593, "upper_arm_girth": 358, "wrist_girth": 176, "back_neck_to_waist": 477,
       "stature": 1756, "inside_leg_length": 845, "waist_height": 1055}
WOMAN = {"neck_girth": 330, "chest_girth": 950, "waist_girth": 820, "hip_girth": 1020, "shoulder_width": 365,
         "back_neck_to_waist": 425, "stature": 1630}


def names(result):
    return [p.name for p in result.pattern.pieces]


def test_styles_list_options_and_required_measurements():
    styles = {s.id: s for s in list_styles()}
    assert set(styles) == {"shirt", "trousers", "bodice", "skirt"}
    shirt = {o.name: o for o in styles["shirt"].options}
    assert shirt["collar"].values == ["spread", "button_down", "band"] and shirt["collar"].default == "spread"
    assert shirt["cuff"].values == ["barrel", "french"]
    assert shirt["chest_pocket"].values == ["no", "yes"]
    assert shirt["fit"].values == ["slim", "regular", "relaxed"]
    assert {o.name for o in styles["trousers"].options} == {"fit", "pleats"}
    assert "chest_girth" in styles["shirt"].required_measurements
    assert json.dumps(styles["skirt"].to_dict())


def test_shirt_pieces_and_anchors():
    result = grade(MAN, "shirt", {"chest_pocket": "yes"}, sex="male")
    assert names(result) == ["front_left", "front_right", "back", "yoke", "sleeve", "cuff_left", "cuff_right",
                             "collar_stand", "collar", "pocket"]
    pattern = result.pattern
    sleeve = pattern.piece("sleeve")
    assert sleeve.mirrored_pair and sleeve.quantity_text == "1,1"
    # buttonholes on the left front, buttons on the right front
    marks = pattern.meta["marks"]
    assert len(marks["front_left"]["buttonholes"]) == 7 and not marks["front_left"]["buttons"]
    assert len(marks["front_right"]["buttons"]) == 7 and not marks["front_right"]["buttonholes"]
    expected = {"cuff_left": "cuff_left", "front_left": "chest_left", "collar_stand": "collar_band",
                "yoke": "yoke_inside"}
    for piece_name, anchor in expected.items():
        assert anchor in pattern.piece(piece_name).anchors, piece_name
    cuff = pattern.piece("cuff_left")
    a = cuff.anchors["cuff_left"]
    button_x = cuff.drill_holes[marks["cuff_left"]["buttons"][0]][0]
    assert abs(a["x"] - 25.0) < 1e-9 and button_x < a["x"]  # starts 25 mm from the button end
    assert 6.0 <= a["y"] - cuff.sew_line[:, 1].min() <= 12.0 and a["angle_deg"] == 0.0
    for piece in pattern.pieces:
        assert "label" in piece.anchors


def test_trousers_bodice_skirt_pieces():
    assert names(grade(MAN, "trousers", {})) == ["front", "back", "waistband", "fly", "pocket_bag"]
    trousers = grade(MAN, "trousers", {}).pattern
    assert "waistband_inside" in trousers.piece("waistband").anchors
    assert trousers.piece("front").mirrored_pair and trousers.piece("back").mirrored_pair
    bodice = grade(WOMAN, "bodice", {}, sex="female").pattern
    assert [p.name for p in bodice.pieces] == ["front", "back"]
    darts = bodice.meta["marks"]["front"]["darts"]
    assert [d["name"] for d in darts] == ["waist dart", "bust dart"]
    assert bodice.piece("front").fold_line is not None
    skirt = grade(WOMAN, "skirt", {}, sex="female").pattern
    assert [p.name for p in skirt.pieces] == ["front", "back", "waistband"]
    assert all(skirt.meta["marks"][n]["darts"] for n in ("front", "back"))


def test_options_change_the_pieces():
    base = grade(MAN, "shirt", {}).pattern
    band = grade(MAN, "shirt", {"collar": "band"}).pattern
    assert "collar" in [p.name for p in base.pieces] and "collar" not in [p.name for p in band.pieces]
    button_down = grade(MAN, "shirt", {"collar": "button_down"}).pattern
    assert len(button_down.piece("collar").internal_lines) == 2  # collar-point buttonholes
    assert not np.allclose(button_down.piece("collar").sew_line, base.piece("collar").sew_line)
    french = grade(MAN, "shirt", {"cuff": "french"}).pattern
    height = np.ptp(base.piece("cuff_left").sew_line[:, 1])
    assert np.ptp(french.piece("cuff_left").sew_line[:, 1]) == pytest.approx(2 * height)
    assert french.piece("cuff_left").fold_line is not None and base.piece("cuff_left").fold_line is None
    pocket = grade(MAN, "shirt", {"chest_pocket": "yes"}).pattern
    assert len(pocket.piece("front_left").drill_holes) == len(base.piece("front_left").drill_holes) + 2
    slim = grade(MAN, "shirt", {"fit": "slim"}).pattern
    relaxed = grade(MAN, "shirt", {"fit": "relaxed"}).pattern
    widen = np.ptp(relaxed.piece("back").sew_line[:, 0]) - np.ptp(slim.piece("back").sew_line[:, 0])
    assert widen == pytest.approx((relaxed.ease_mm["chest"] - slim.ease_mm["chest"]) / 2)  # widest at the chest
    flat = grade(MAN, "trousers", {"pleats": "none"}).pattern
    pleated = grade(MAN, "trousers", {"pleats": "single"}).pattern
    assert pleated.piece("front").edge_length("waist") == pytest.approx(flat.piece("front").edge_length("waist") + 35)
    assert len(pleated.meta["marks"]["front"]["darts"]) == 1 and not flat.meta["marks"]["front"]["darts"]


def test_missing_measurements_are_estimated_and_marked():
    tape = {k: MAN[k] for k in ("neck_girth", "chest_girth", "waist_girth", "hip_girth", "stature")}
    result = grade(tape, "shirt", {}, sex="male")
    assert set(result.estimated) == {"shoulder_width", "arm_length", "upper_arm_girth", "wrist_girth",
                                     "back_neck_to_waist"}
    assert 540 < result.estimated["arm_length"] < 650
    marked = result.pattern.meta["estimated"]["arm_length"]
    assert marked["from"] and marked["r2"] >= 0.35 and marked["value_mm"] == result.estimated["arm_length"]
    assert validate(result.pattern, tape).passed
    with pytest.raises(BadInput, match="'shoulder_width' is missing and cannot be estimated"):
        grade({"wrist_girth": 176, "neck_girth": 398}, "shirt", {})


@pytest.mark.parametrize("body, match", [
    ({**MAN, "chest_girth": -5}, "positive"),
    ({**MAN, "chest_girth": float("nan")}, "positive"),
    ({**MAN, "chest_girth": "wide"}, "not a number"),
    ({**MAN, "chest_girth": 5000}, "outside the range"),
    ({**MAN, "stature": 400}, "outside the range"),
])
def test_nonsense_is_rejected(body, match):
    with pytest.raises(BadInput, match=match):
        grade(body, "shirt", {})


def test_unknown_style_or_option_is_rejected():
    with pytest.raises(BadInput, match="unknown style"):
        grade(MAN, "kilt", {})
    with pytest.raises(BadInput, match="collar"):
        grade(MAN, "shirt", {"collar": "mandarin"})
    with pytest.raises(BadInput, match="no option"):
        grade(MAN, "shirt", {"lapel": "peak"})


def test_same_input_same_pattern_and_json_round_trip():
    a = grade(MAN, "shirt", {"cuff": "french"}).pattern.to_dict()
    b = grade(MAN, "shirt", {"cuff": "french"}).pattern.to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    again = Pattern.from_dict(json.loads(json.dumps(a)))
    assert validate(again, MAN).passed


def test_size_chart_nest(tmp_path):
    chart = tmp_path / "chart.csv"
    chart.write_text(
        "# unit: cm\n"
        "size,Neck,chest,waist,Hip (cm),shoulder,sleeve,bicep,wrist,back_length,height\n"
        "S,37,94,82,94,39,60,31,16.5,45,172\n"
        "M,39.5,102,90,100,41,62,34,17.5,46.5,176\n"
        "L,42,110,99,106,43,64,37,18.5,48,180\n", encoding="utf-8")
    read = read_size_chart(chart)
    assert list(read) == ["S", "M", "L"] and read["M"]["chest_girth"] == 1020.0
    result = grade({}, "shirt", {"collar": "button_down"}, size_chart=chart)
    pattern = result.pattern
    assert pattern.sample_size == "M" and list(pattern.graded) == ["S", "M", "L"]
    for size, pieces in pattern.graded.items():
        for piece, ref in zip(pieces, pattern.graded["M"]):
            assert piece.name == ref.name and piece.size == size
            assert len(piece.sew_line) == len(ref.sew_line) and len(piece.cut_line) == len(ref.cut_line)
    chest = [np.ptp(p.sew_line[:, 0]) for p in (pattern.graded[s][2] for s in ("S", "M", "L"))]
    assert chest[0] < chest[1] < chest[2]
    report = validate(pattern, {})
    assert report.passed, [c.message for c in report.failures]
    assert any(c.name == "nest.equal_vertex_counts" for c in report.checks)


def test_size_chart_without_units_and_with_missing_columns(tmp_path):
    chart = tmp_path / "chart.csv"
    chart.write_text("size,waist_girth,hip_girth,stature\n36,720,960,1640\n38,760,1000,1660\n", encoding="utf-8")
    result = grade({}, "skirt", {}, size_chart=chart)
    assert validate(result.pattern, {}).passed
    cm = tmp_path / "cm.csv"
    cm.write_text("size,waist,hips,height\n36,72,96,164\n", encoding="utf-8")
    assert read_size_chart(cm)["36"] == {"waist_girth": 720.0, "hip_girth": 960.0, "stature": 1640.0}
    bad = tmp_path / "bad.csv"
    bad.write_text("size,waist\nS,abc\n", encoding="utf-8")
    with pytest.raises(BadInput, match="not a number"):
        read_size_chart(bad)


def test_anchor_conventions_inside_pieces():
    shirt = grade(MAN, "shirt", {"cuff": "french"}).pattern
    band = shirt.piece("collar_stand").anchors["collar_band"]
    assert band["x"] == 0.0 and band["align"] == "center" and band["y"] == 10.0  # centre back, above the seam
    yoke = shirt.piece("yoke").anchors["yoke_inside"]
    neck_y = shirt.piece("yoke").edge_points("neck")[:, 1].min()
    assert yoke["x"] == 0.0 and neck_y - yoke["y"] == pytest.approx(30.0)
    cuff = shirt.piece("cuff_left")
    french = cuff.anchors["cuff_left"]
    fold_y = cuff.fold_line[0][1]
    assert french["angle_deg"] == 180.0 and fold_y - french["y"] == pytest.approx(9.0)  # reads upright once folded
    band_piece = grade(MAN, "trousers", {}).pattern.piece("waistband")
    inside = band_piece.anchors["waistband_inside"]
    assert inside["x"] == pytest.approx(band_piece.edge_length("seam") / 2) and inside["y"] == 12.0
