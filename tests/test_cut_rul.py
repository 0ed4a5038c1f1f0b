"""Grade rules: RUL deltas per size from the sample, parsed back, and the DXF + RUL regrading the nest."""

import numpy as np
import pytest

from c2m_tailor.cut import parse_rul, read_dxf, read_rul, write_dxf, write_rul
from c2m_tailor.cut.common import grade_points
from c2m_tailor.cut.dxf_write import placed_pieces
from c2m_tailor.errors import BadInput
from cut_pieces import GRADE_STEPS, graded_pattern, sample_pattern

TOL = 0.01


@pytest.fixture()
def graded_files(tmp_path):
    pattern = graded_pattern()
    dxf, rul = tmp_path / "shirt.dxf", tmp_path / "shirt.rul"
    write_dxf(pattern, dxf, fmt="aama", creation_date="2026-11-22")
    count = write_rul(pattern, rul, creation_date="2026-11-22")
    return pattern, dxf, rul, count


def test_rul_header_and_deltas(graded_files):
    pattern, _, rul, count = graded_files
    text = rul.read_text()
    lines = text.splitlines()
    assert lines[0] == "version ANSI/AAMA-292-B"
    for key in ("UNITS: METRIC", "GRADE RULE TABLE: Shirt classic", "NUMBER OF SIZES: 3", "SIZE LIST: S M L",
                "SAMPLE SIZE: M", "CREATION DATE: 2026-11-22"):
        assert key in lines
    assert lines[-1] == "END"
    table = read_rul(rul)
    assert table.sizes == ["S", "M", "L"] and table.sample_size == "M" and table.units == "METRIC"
    expected = sum(len(grade_points(p)) for p in pattern.pieces)
    assert count == len(table.rules) == expected
    assert sorted(table.rules) == list(range(1, expected + 1))
    # Rule 3 is the yoke's third cut vertex, (210, 310) in the sample: scaled by the size steps.
    sample_point = pattern.pieces[0].cut_line[2]
    for s, size in enumerate(table.sizes):
        sx, sy = GRADE_STEPS[size]
        want = sample_point * np.array([sx, sy]) - sample_point
        assert table.rules[3][s] == pytest.approx(want, abs=1e-3)
    assert np.all(table.rules[3][1] == 0.0)  # the sample column is zero
    for deltas in table.rules.values():
        assert np.all(deltas[1] == 0.0)


def test_dxf_plus_rul_regrade_every_size_within_0_01_mm(graded_files):
    pattern, dxf, _, _ = graded_files
    back = read_dxf(dxf)  # finds shirt.rul beside it
    assert list(back.graded) == ["S", "M", "L"] and back.sample_size == "M"
    offsets = [laid.cut_line[0] - orig.cut_line[0] for _, orig, laid in placed_pieces(pattern)]
    for size, pieces in pattern.graded.items():
        for k, (want, got) in enumerate(zip(pieces, back.graded[size])):
            shift = offsets[k]
            assert got.size == size
            assert np.abs(got.cut_line - (want.cut_line + shift)).max() < TOL
            assert np.abs(got.sew_line - (want.sew_line + shift)).max() < TOL
            assert np.abs(got.grain_line - (want.grain_line + shift)).max() < TOL
            for a, b in zip(got.internal_lines, want.internal_lines):
                assert np.abs(a - (b + shift)).max() < TOL
            for a, b in zip(got.notches, want.notches):
                assert abs(a.x - (b.x + shift[0])) < TOL and abs(a.y - (b.y + shift[1])) < TOL
            for a, b in zip(got.drill_holes, want.drill_holes):
                assert np.abs(np.array(a) - (np.array(b) + shift)).max() < TOL


def test_without_rul_the_sample_is_read_alone(graded_files):
    _, dxf, rul, _ = graded_files
    rul.unlink()
    back = read_dxf(dxf)
    assert not back.graded and len(back.pieces) == 3


def test_nest_of_sizes_is_read_back_as_graded(tmp_path):
    pattern = graded_pattern()
    path = tmp_path / "nest.dxf"
    write_dxf(pattern, path, sizes="all")
    back = read_dxf(path, find_rul=False)
    assert list(back.graded) == ["S", "M", "L"] and back.sample_size == "M"
    for size in ("S", "M", "L"):
        assert [p.size for p in back.graded[size]] == [size] * 3
        for want, got in zip(pattern.graded[size], back.graded[size]):
            assert np.allclose(np.ptp(got.cut_line, axis=0), np.ptp(want.cut_line, axis=0), atol=TOL)


def test_rul_with_deltas_on_the_rule_line_and_english_units():
    text = ("version ANSI/AAMA-292-B\nAUTHOR: Other CAD\nUNITS: ENGLISH\nGRADE RULE TABLE:T1\n"
            "SAMPLE SIZE:M\nNUMBER OF SIZES:3\nSIZE LIST:S M L\n"
            "RULE: DELTA 1  -0.50, 0.00  0.00, 0.00  0.50, 0.25 \n"
            "RULE: DELTA 2\n -1.0,-1.0\n 0.0,0.0 1.0,1.0\nEND\n")
    table = parse_rul(text)
    assert table.name == "T1" and table.sizes == ["S", "M", "L"] and table.units == "ENGLISH"
    assert table.rules[1] == pytest.approx(np.array([[-12.7, 0.0], [0.0, 0.0], [12.7, 6.35]]))
    assert table.rules[2] == pytest.approx(np.array([[-25.4, -25.4], [0, 0], [25.4, 25.4]]))


def test_rul_needs_a_graded_pattern_and_complete_rules(tmp_path):
    with pytest.raises(BadInput):
        write_rul(sample_pattern(), tmp_path / "x.rul")
    with pytest.raises(BadInput):
        parse_rul("SIZE LIST: S M\nRULE: DELTA 1\n 0,0\nEND\n")
    with pytest.raises(BadInput):
        parse_rul("RULE: DELTA 1\n 0,0\nEND\n")
