"""Embroidery files read back by an independent reader (pyembroidery): counts, lengths, size, position,
colours, trims, and byte-identical output."""

import hashlib
import os

import numpy as np
import pytest
from shapely.geometry import MultiPoint, Polygon

from c2m_tailor.errors import BadInput
from c2m_tailor.personalize import FORMATS, StitchSettings, personalize, plan_lettering, stitch
from c2m_tailor.personalize.fonts import default_cjk_font

from personalize_helpers import barrel_cuff, collar_stand, read_back

JOB_DATE = "2026-11-22"


def _lettering_frame(points_mm: np.ndarray, plan) -> np.ndarray:
    """File coordinates (mm, y down, centred) -> lettering frame (mm, y up, baseline at y = 0)."""
    return np.column_stack([points_mm[:, 0] + plan.center_mm[0], -points_mm[:, 1] + plan.center_mm[1]])


def _check_files(result, piece, height_mm, *, full_height: bool, cap_height: bool = True):
    plan = result.plan
    assert [p.suffix for p in result.files] == [".dst", ".pes", ".jef", ".exp"]
    region = Polygon(piece.sew_line).buffer(-3.0)
    # the stitch files' origin is the design-centre mark on the piece
    assert np.allclose(result.placement.to_piece([plan.center_mm])[0], result.piece.drill_holes[-1], atol=1e-3)
    for path in result.files:
        got = read_back(path)
        assert got["stitches"] == plan.stitch_count, path.name
        assert got["lengths_mm"].max() <= 12.1 and got["lengths_mm"].max() <= 7.0 + 0.05, path.name
        assert got["lengths_mm"].min() >= 0.3, path.name
        assert got["trims_between"] == plan.blocks - 1, path.name
        assert got["color_changes"] == plan.color_change_count, path.name
        if path.suffix in (".pes", ".jef"):
            assert got["threads"] == len(plan.threads), path.name
        local = _lettering_frame(got["points_mm"], plan)
        if full_height:
            assert local[:, 1].max() - local[:, 1].min() == pytest.approx(height_mm, abs=0.3), path.name
        if cap_height:  # the cap height above the baseline
            assert local[:, 1].max() == pytest.approx(height_mm, abs=0.3), path.name
        on_piece = result.placement.to_piece(local)
        assert region.contains(MultiPoint(on_piece)), f"{path.name}: stitches outside the sew line less 3 mm"
    return plan


@pytest.mark.parametrize("height", [6.0, 8.0, 10.0])
def test_latin_monogram_on_the_cuff(tmp_path, height):
    cuff = barrel_cuff()
    result = personalize(cuff, "HTL", height_mm=height, out_dir=tmp_path, order_id="ORD-1001", date=JOB_DATE)
    plan = _check_files(result, cuff, height, full_height=True)
    assert plan.blocks == 3 and plan.trim_count == 3 and plan.color_change_count == 0
    assert 150 * height / 8 < plan.stitch_count < 1200 * height / 8
    assert result.preview.is_file()


def test_monogram_with_descender_and_round_letters(tmp_path):
    cuff = barrel_cuff()
    result = personalize(cuff, "JRS", height_mm=8, out_dir=tmp_path, order_id="ORD-1001", date=JOB_DATE)
    _check_files(result, cuff, 8.0, full_height=False)


def test_two_character_chinese_name_at_12mm(tmp_path):
    try:
        default_cjk_font()
    except BadInput:
        if os.environ.get("CI"):
            raise
        pytest.skip("no CJK font installed (Debian fonts-wqy-microhei or fonts-noto-cjk)")
    stand = collar_stand()
    result = personalize(stand, "张伟", height_mm=12, out_dir=tmp_path, order_id="ORD-2002", date=JOB_DATE)
    plan = _check_files(result, stand, 12.0, full_height=True, cap_height=False)
    width, height = plan.extents_mm()
    assert height == pytest.approx(12.0, abs=0.3)
    assert plan.blocks >= 2 and plan.stitch_count > 500
    other = personalize(stand, "王芳", height_mm=12, out_dir=tmp_path / "b", order_id="ORD-2003", date=JOB_DATE)
    plan = _check_files(other, stand, 12.0, full_height=True, cap_height=False)
    assert plan.stitch_count > 300


def test_satin_lettering_from_a_single_stroke_font(tmp_path):
    cuff = barrel_cuff()
    result = personalize(cuff, "HTL", font="futural", height_mm=8, out_dir=tmp_path, order_id="ORD-1", date=JOB_DATE)
    plan = _check_files(result, cuff, 8.0, full_height=True)
    assert plan.meta["kind"] == "satin"
    # satin stitches cross the column: most are the satin width (1 mm) plus 0.2 mm pull compensation long
    lengths = plan.stitch_lengths_mm()
    assert np.median(lengths) == pytest.approx(1.2, abs=0.1)


def test_colour_stops_one_colour_per_letter(tmp_path):
    cuff = barrel_cuff()
    result = personalize(cuff, "JRS", height_mm=8, colors=["navy", "#b22222", "navy"], out_dir=tmp_path,
                         order_id="ORD-3", date=JOB_DATE)
    plan = result.plan
    assert [t.hex for t in plan.threads] == ["#000080", "#b22222"]
    assert plan.color_change_count == 1  # J and S in navy first, then R
    _check_files(result, cuff, 8.0, full_height=False)
    with pytest.raises(BadInput, match="give one colour or one per letter"):
        stitch(plan_lettering("JRS", height_mm=8), colors=["navy", "red"])
    with pytest.raises(BadInput, match="'blurple' is neither a colour name nor #rrggbb"):
        stitch(plan_lettering("JRS", height_mm=8), colors=["blurple"])


def test_long_stitches_are_split_by_us():
    lettering = plan_lettering("JRS", height_mm=8)
    plan = stitch(lettering, settings=StitchSettings(fill_stitch_mm=9.0, max_stitch_mm=4.0))
    assert plan.stitch_lengths_mm().max() <= 4.0 + 1e-9
    assert plan.stitch_lengths_mm().min() >= 0.3


def test_headers_carry_the_order_id_and_the_job_date(tmp_path):
    personalize(barrel_cuff(), "JRS", height_mm=8, out_dir=tmp_path, order_id="ORD-1001", date=JOB_DATE)
    dst = (tmp_path / "ORD-1001.dst").read_bytes()
    assert dst.startswith(b"LA:ORD-1001        \r")
    jef = (tmp_path / "ORD-1001.jef").read_bytes()
    assert b"20261122000000" in jef


def test_files_are_byte_identical_across_runs(tmp_path):
    digests = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = personalize(barrel_cuff(), "JRS", height_mm=8, out_dir=out, order_id="ORD-1001", date=JOB_DATE,
                             formats="dst,pes,jef,exp")
        files = [*result.files, result.preview]
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files})
    assert digests[0] == digests[1] and len(digests[0]) == len(FORMATS) + 1


def test_preview_is_drawn_at_thread_width(tmp_path):
    from PIL import Image

    result = personalize(barrel_cuff(), "HTL", height_mm=8, out_dir=tmp_path, order_id="P", date=JOB_DATE)
    image = Image.open(result.preview)
    width_mm, height_mm = result.plan.extents_mm()
    assert image.size == (pytest.approx((width_mm + 4) * 20, abs=2), pytest.approx((height_mm + 4) * 20, abs=2))
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    covered = np.mean(np.any(pixels != pixels[0], axis=1))
    assert 0.2 < covered < 0.8


def test_files_need_an_order_id_and_a_date(tmp_path):
    with pytest.raises(BadInput, match="date"):
        personalize(barrel_cuff(), "JRS", out_dir=tmp_path, order_id="A")
    with pytest.raises(BadInput, match="order id"):
        personalize(barrel_cuff(), "JRS", out_dir=tmp_path, date=JOB_DATE)
    with pytest.raises(BadInput, match="stitch format 'xxx'"):
        personalize(barrel_cuff(), "JRS", out_dir=tmp_path, order_id="A", date=JOB_DATE, formats="dst,xxx")


def test_outline_glyphs_in_satin_cover_the_letters():
    from shapely import union_all

    from c2m_tailor.personalize.stitches import outline_columns

    lettering = plan_lettering("JRS", height_mm=8)
    plan = stitch(lettering)
    assert plan.meta["kind"] == "satin"
    for glyph in lettering.glyphs:
        columns = outline_columns(glyph.shape, max_width=7.0)
        assert columns is not None and 1 <= len(columns) <= 8
        covered = union_all([c.outline() for c in columns])
        assert glyph.shape.intersection(covered).area >= 0.93 * glyph.shape.area
    # satin stitches cross the strokes: most are about a DejaVu Sans Bold stem (1.8 mm at 8 mm) long
    assert np.median(plan.stitch_lengths_mm()) == pytest.approx(1.8, abs=0.4)


def test_tatami_with_underlay_on_request(tmp_path):
    cuff = barrel_cuff()
    settings = StitchSettings(outline_stitch="tatami")
    result = personalize(cuff, "HTL", height_mm=8, settings=settings, out_dir=tmp_path, order_id="T", date=JOB_DATE)
    plan = _check_files(result, cuff, 8.0, full_height=True)
    assert plan.meta["kind"] == "tatami"
    satin = stitch(plan_lettering("HTL", height_mm=8))
    assert plan.stitch_count > satin.stitch_count  # fill rows 0.25 mm apart plus the underlay


def test_strokes_too_wide_for_satin():
    lettering = plan_lettering("W", height_mm=50)
    with pytest.raises(BadInput, match="do not suit satin: use tatami"):
        stitch(lettering, settings=StitchSettings(outline_stitch="satin"))
    assert stitch(lettering).meta["kind"] == "tatami"  # auto falls back to a fill


@pytest.mark.parametrize("font", ["WenQuanYi Micro Hei", "Noto Sans CJK SC Bold"])
def test_each_installed_cjk_font_sews_a_name(tmp_path, font):
    from c2m_tailor.personalize.fonts import load_font

    try:
        load_font(font)
    except BadInput:
        pytest.skip(f"{font} is not installed")
    stand = collar_stand()
    result = personalize(stand, "王芳", font=font, height_mm=12, out_dir=tmp_path, order_id="ORD-4", date=JOB_DATE)
    assert result.lettering.font_name == font
    _check_files(result, stand, 12.0, full_height=True, cap_height=False)


def test_same_bytes_in_separate_processes(tmp_path):
    """No hash-seed or clock dependence: two fresh interpreters write the same files."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    script = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']\n"
              "from personalize_helpers import barrel_cuff\n"
              "from c2m_tailor.personalize import personalize\n"
              "personalize(barrel_cuff(), 'JRS', height_mm=8, out_dir=sys.argv[2], order_id='ORD-9', date='2026-11-22')\n")
    digests = []
    for run, seed in (("a", "1"), ("b", "2")):
        out = tmp_path / run
        subprocess.run([sys.executable, "-c", script, str(root), str(out)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())})
    assert digests[0] == digests[1] and len(digests[0]) == 5
