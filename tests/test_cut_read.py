"""read_dxf: our AAMA/ASTM files round-trip, and another vendor's spelling and structure are read."""

import numpy as np
import pytest

from c2m_tailor.cut import read_dxf, write_dxf
from c2m_tailor.cut.common import block_names
from c2m_tailor.cut.dxf_write import placed_pieces
from c2m_tailor.errors import BadInput
from cut_pieces import sample_pattern

TOL = 0.01


@pytest.mark.parametrize("fmt", ["aama", "astm"])
@pytest.mark.parametrize("target", ["generic", "gerber"])
def test_round_trip_of_our_files(tmp_path, fmt, target):
    path = tmp_path / "p.dxf"
    pattern = sample_pattern()
    write_dxf(pattern, path, fmt=fmt, target=target, creation_date="2026-11-22", author="Atelier")
    back = read_dxf(path)
    assert back.style == "Shirt classic" and back.sample_size == "M"
    assert back.meta["author"] == "Atelier" and back.meta["creation_date"] == "2026-11-22"
    assert not back.graded
    placed = placed_pieces(pattern)
    assert len(back.pieces) == len(placed)
    for got, (_, original, want) in zip(back.pieces, placed):
        assert got.name == block_names([original.name])[0]  # the piece name is the block name
        assert np.abs(got.cut_line - want.cut_line).max() < TOL
        assert np.abs(got.sew_line - want.sew_line).max() < TOL
        assert np.array_equal(got.cut_turn_points, want.cut_turn_points)
        assert np.abs(got.grain_line - want.grain_line).max() < TOL
        assert len(got.internal_lines) == len(want.internal_lines)
        for a, b in zip(got.internal_lines, want.internal_lines):
            assert np.abs(a - b).max() < TOL
        for a, b in zip(got.internal_cutouts, want.internal_cutouts):
            assert np.abs(a - b).max() < TOL
        assert np.allclose(got.drill_holes, want.drill_holes, atol=TOL) if want.drill_holes else not got.drill_holes
        if want.fold_line is None:
            assert got.fold_line is None
        else:
            assert np.abs(got.fold_line - want.fold_line).max() < TOL
        assert (got.quantity, got.mirrored_pair) == (want.quantity, want.mirrored_pair)
        assert got.size == "M" and got.material == want.material and got.category == want.category
        assert got.annotation == want.annotation
        assert got.labels == want.labels
        assert len(got.notches) == len(want.notches)
        for n_got, n_want in zip(got.notches, want.notches):
            assert abs(n_got.x - n_want.x) < TOL and abs(n_got.y - n_want.y) < TOL
            assert n_got.angle_deg == pytest.approx(n_want.angle_deg % 360)
            assert n_got.depth_mm == pytest.approx(n_want.depth_mm)
            assert n_got.on == "cut"
            if fmt == "astm":
                assert n_got.kind == n_want.kind  # ASTM keeps the notch type by layer
            else:
                assert n_got.kind == ("slit" if n_want.kind == "slit" else "v")


def test_read_then_write_again_is_stable(tmp_path):
    first, second = tmp_path / "a.dxf", tmp_path / "b.dxf"
    write_dxf(sample_pattern(), first, fmt="astm", creation_date="2026-11-22", author="c2m-tailor")
    back = read_dxf(first)
    write_dxf(back, second, fmt="astm", creation_date="2026-11-22", author="c2m-tailor", style_name=back.style)
    assert first.read_bytes() == second.read_bytes()


def _vendor_file(path):
    """A DXF as another CAD system writes it: R2000, LWPOLYLINE, upper-case keys with odd spacing,
    inches, notches as short LINEs, the INSERT away from the origin, no sew line."""
    import ezdxf

    doc = ezdxf.new("R2000")
    block = doc.blocks.new("COLLAR_40")
    outline_in = [(0, 0), (10, 0), (10, 2), (5, 3), (0, 2)]  # inches, counter-clockwise
    block.add_lwpolyline(outline_in, close=True, dxfattribs={"layer": "1"})
    for p in outline_in:
        block.add_point(p, dxfattribs={"layer": "2" if p != (5, 3) else "3"})
    block.add_line((5, 0), (5, 0.25), dxfattribs={"layer": "4"})  # notch on the bottom edge, pointing in
    block.add_line((2, 1), (8, 1), dxfattribs={"layer": "7"})
    block.add_point((5, 1.5), dxfattribs={"layer": "13"})
    for i, text in enumerate(["PIECE NAME : Collar", "SIZE:40", "QUANTITY :1,1", "CATEGORY: COLLAR",
                              "MATERIAL :Fusing", "ANNOTATION: stiff", "GRADE RULE: 7"]):
        block.add_text(text, dxfattribs={"layer": "1", "insert": (1, 1.8 - 0.2 * i), "height": 0.1})
    msp = doc.modelspace()
    msp.add_text("STYLE NAME : Vendor shirt", dxfattribs={"layer": "1", "insert": (0, -1)})
    msp.add_text("UNITS :  ENGLISH", dxfattribs={"layer": "1", "insert": (0, -2)})
    msp.add_text("SAMPLE SIZE: 40", dxfattribs={"layer": "1", "insert": (0, -3)})
    msp.add_blockref("COLLAR_40", (20, 10))
    doc.saveas(path)


def test_reads_another_vendors_spelling_units_and_structure(tmp_path):
    path = tmp_path / "vendor.dxf"
    _vendor_file(path)
    pattern = read_dxf(path)
    assert pattern.style == "Vendor shirt" and pattern.sample_size == "40"
    assert pattern.meta["units"] == "ENGLISH"
    (piece,) = pattern.pieces
    assert piece.name == "Collar" and piece.size == "40"
    assert (piece.quantity, piece.mirrored_pair) == (1, True)
    assert piece.material == "fusing" and piece.category == "COLLAR" and piece.annotation == ["stiff"]
    assert piece.labels == {"grade_rule": "7"}
    inch = 25.4
    want = (np.array([(0, 0), (10, 0), (10, 2), (5, 3), (0, 2)]) + np.array([20, 10])) * inch
    assert np.abs(piece.cut_line - want).max() < TOL
    assert piece.cut_turn_points.tolist() == [True, True, True, False, True]
    assert np.array_equal(piece.sew_line, piece.cut_line)  # no sew line: built-in allowance
    (notch,) = piece.notches
    assert (notch.x, notch.y) == pytest.approx((25 * inch, 10 * inch))
    assert notch.angle_deg == pytest.approx(90.0) and notch.depth_mm == pytest.approx(0.25 * inch)
    assert np.abs(piece.grain_line - np.array([(22, 11), (28, 11)]) * inch).max() < TOL
    assert piece.drill_holes == [pytest.approx((25 * inch, 11.5 * inch))]


def test_clockwise_outline_is_turned_counter_clockwise(tmp_path):
    import ezdxf

    doc = ezdxf.new("R12")
    block = doc.blocks.new("P")
    block.add_polyline2d([(0, 0), (0, 100), (50, 100), (50, 0)], close=True, dxfattribs={"layer": "1"})
    doc.modelspace().add_blockref("P", (0, 0))
    path = tmp_path / "cw.dxf"
    doc.saveas(path)
    (piece,) = read_dxf(path).pieces
    from c2m_tailor.pattern.model import signed_area

    assert signed_area(piece.cut_line) > 0
    assert piece.name == "P" and piece.cut_turn_points.all()
    assert piece.labels["grain_line"].startswith("assumed")


def test_unreadable_or_empty_file_raises_bad_input(tmp_path):
    bad = tmp_path / "bad.dxf"
    bad.write_text("this is not a DXF\n")
    with pytest.raises(BadInput):
        read_dxf(bad)
    import ezdxf

    empty = tmp_path / "empty.dxf"
    ezdxf.new("R12").saveas(empty)
    with pytest.raises(BadInput):
        read_dxf(empty)
