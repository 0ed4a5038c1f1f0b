"""Placing lettering on pieces: anchors, offsets, fit checks with clear messages, marks for the DXF."""

import numpy as np
import pytest
from shapely.geometry import Point, Polygon

from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import Piece
from c2m_tailor.personalize import apply_to_piece, personalize, place, plan_lettering

from personalize_helpers import barrel_cuff, collar_stand, shirt_front


def test_cuff_anchor_places_the_ink_25mm_in_and_on_the_baseline():
    cuff = barrel_cuff()
    lettering = plan_lettering("JRS", height_mm=8)
    placement = place(lettering, cuff)  # the cuff's only anchor
    assert placement.anchor == "cuff_left"
    ink = placement.shape_on_piece()
    xmin, ymin, xmax, ymax = ink.bounds
    assert xmin == pytest.approx(25.0, abs=1e-6)
    assert ymax == pytest.approx(9.0 + 8.0 + 0.14, abs=0.05)  # the S overshoots the cap height slightly
    assert Polygon(cuff.sew_line).buffer(-3.0).contains(ink)
    assert np.allclose(placement.baseline[:, 1], 9.0)


def test_apply_to_piece_returns_a_new_piece_and_never_touches_the_cut_line():
    cuff = barrel_cuff()
    before = cuff.to_dict()
    placement = place(plan_lettering("JRS", height_mm=8), cuff, anchor="cuff_left")
    marked = apply_to_piece(cuff, placement)
    assert cuff.to_dict() == before  # input untouched
    assert marked is not cuff
    assert np.array_equal(marked.cut_line, cuff.cut_line) and np.array_equal(marked.sew_line, cuff.sew_line)
    assert marked.cut_line is not cuff.cut_line
    assert len(marked.internal_lines) == len(placement.lettering.outline_polylines()) >= 4
    for line in marked.internal_lines:  # closed outlines, inside the sew line
        assert np.allclose(line[0], line[-1])
        assert Polygon(cuff.sew_line).contains(Polygon(line).buffer(-1e-6)) or Polygon(line).area < 1e-6
    xmin, ymin, xmax, ymax = placement.shape_on_piece().bounds
    assert marked.drill_holes == [(25.0, 9.0), pytest.approx((placement.baseline[1][0], 9.0), abs=1e-3),
                                  pytest.approx((0.5 * (xmin + xmax), 0.5 * (ymin + ymax)), abs=1e-3)]
    assert marked.labels["personalize_design_center"] == f"{0.5 * (xmin + xmax):.1f},{0.5 * (ymin + ymax):.1f}"
    assert marked.annotation[-1].startswith("MONOGRAM: JRS (DejaVu Sans Bold, 8 mm, cuff_left")
    assert marked.labels["personalize_text"] == "JRS"
    assert Piece.from_dict(marked.to_dict()).to_dict() == marked.to_dict()  # JSON round trip


def test_twenty_letter_name_is_too_long_for_the_cuff():
    cuff = barrel_cuff()
    name = "MAXIMILIAN ALEXANDER"
    assert len(name) == 20
    place(plan_lettering(name, height_mm=12), cuff)  # 229 mm: fits the 232 mm the sew line leaves
    with pytest.raises(BadInput, match=r"^'MAXIMILIAN ALEXANDER' is 267 mm long at 14 mm, the cuff_left anchor "
                                       r"leaves 232 mm: too long for piece cuff$"):
        place(plan_lettering(name, height_mm=14), cuff)


def test_cuff_zone_limit_rejects_the_name_at_8mm():
    cuff = barrel_cuff(max_length_mm=96)
    with pytest.raises(BadInput, match=r"^'MAXIMILIAN ALEXANDER' is 152 mm long at 8 mm, the cuff_left anchor "
                                       r"leaves 96 mm: too long for piece cuff$"):
        place(plan_lettering("MAXIMILIAN ALEXANDER", height_mm=8), cuff)
    place(plan_lettering("JRS", height_mm=8), cuff)  # a monogram still fits


def test_collar_band_centres_and_rejects_tall_lettering():
    stand = collar_stand()
    placement = place(plan_lettering("JRS", height_mm=8), stand)
    xmin, _, xmax, _ = placement.shape_on_piece().bounds
    assert 0.5 * (xmin + xmax) == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(BadInput, match=r"'JRS' is 25\.\d mm tall at 20 mm, the collar_band anchor leaves "
                                       r"\d+\.\d mm .*too tall for piece collar_stand"):
        place(plan_lettering("JRS", height_mm=20), stand)


def test_explicit_offset_and_rotation_on_the_front():
    front = shirt_front()
    lettering = plan_lettering("JRS", height_mm=10)
    placement = place(lettering, front, offset=(40.0, 300.0), rotation_deg=90.0)
    ink = placement.shape_on_piece()
    xmin, ymin, xmax, ymax = ink.bounds
    assert ymin == pytest.approx(300.0, abs=1e-6)  # the text reads upwards from the offset
    assert ymax - ymin == pytest.approx(lettering.bounds()[2] - lettering.bounds()[0], abs=1e-6)
    assert xmax == pytest.approx(40.0 + 10.0 * 410 / 1493, abs=0.01)  # the J's descender lies to the right of the baseline
    # at the side seam the J's descender (to the right of an upward baseline) would cross the margin
    with pytest.raises(BadInput, match=r"^'JRS' is 12\.9 mm tall at 10 mm, offset 295,300 leaves 294\.0 mm "
                                       r"\(292\.0 mm above and 2\.0 mm below the baseline inside a 3 mm margin\): "
                                       r"too tall for piece front_left$"):
        place(lettering, front, offset=(295.0, 300.0), rotation_deg=90.0)


def test_anchor_and_offset_together_are_refused():
    with pytest.raises(BadInput, match="either an anchor or an offset"):
        place(plan_lettering("A", height_mm=8), shirt_front(), anchor="chest_left", offset=(10, 10))


def test_unknown_anchor_lists_the_anchors():
    with pytest.raises(BadInput, match=r"piece front_left has no anchor 'cuff_left'; it has: chest_left"):
        place(plan_lettering("A", height_mm=8), shirt_front(), anchor="cuff_left")


def test_pen_marking_puts_centre_lines_on_the_piece_and_makes_no_stitches(tmp_path):
    result = personalize(shirt_front(), "JRS", method="marking", height_mm=8, out_dir=tmp_path, order_id="A1",
                         date="2026-11-22")
    assert result.plan is None and result.files == [] and list(tmp_path.iterdir()) == []
    strokes = result.lettering.outline_polylines()
    assert len(result.piece.internal_lines) == len(strokes)
    assert all(not np.allclose(line[0], line[-1]) for line in result.piece.internal_lines[:1])  # open pen strokes
    region = Polygon(shirt_front().sew_line).buffer(-3)
    assert all(region.contains(Point(p)) for line in result.piece.internal_lines for p in line)
    assert result.piece.annotation[-1].startswith("MARKING: JRS (futural, 8 mm, chest_left")


def test_personalize_pattern_replaces_the_piece(tmp_path):
    from c2m_tailor.pattern.model import Pattern
    from c2m_tailor.personalize import personalize_pattern

    cuff, front = barrel_cuff(), shirt_front()
    pattern = Pattern("shirt", {}, [front, cuff], graded={"MTM": [front, cuff]})
    new, result = personalize_pattern(pattern, "cuff", "JRS", height_mm=8, out_dir=tmp_path, order_id="A1",
                                      date="2026-11-22")
    assert new.piece("cuff") is result.piece and new.graded["MTM"][1] is result.piece
    assert new.piece("front_left") is front and pattern.piece("cuff") is cuff
    assert new.meta["personalization"][0]["text"] == "JRS"
    assert new.meta["personalization"][0]["files"] == ["A1.dst", "A1.pes", "A1.jef", "A1.exp"]
    assert Pattern.from_dict(new.to_dict()).to_dict() == new.to_dict()
    with pytest.raises(BadInput, match="has no piece 'collar'; it has: front_left, cuff"):
        personalize_pattern(pattern, "collar", "JRS")
    graded = Pattern("shirt", {}, [cuff], graded={"38": [cuff], "40": [cuff]})
    with pytest.raises(BadInput, match="graded in 2 sizes"):
        personalize_pattern(graded, "cuff", "JRS")
