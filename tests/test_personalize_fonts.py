"""Fonts and lettering: real font files, coverage checked first, letter height as requested."""

import os

import numpy as np
import pytest

from c2m_tailor.errors import BadInput
from c2m_tailor.personalize import available_fonts, load_font, plan_lettering
from c2m_tailor.personalize.fonts import FONT_DIR, OutlineFont, StrokeFont, default_cjk_font
from c2m_tailor.personalize.lettering import nonzero_fill


def cjk_font_or_skip():
    try:
        return default_cjk_font()
    except BadInput:
        if os.environ.get("CI"):
            raise
        pytest.skip("no CJK font installed (Debian fonts-wqy-microhei or fonts-noto-cjk)")


def test_shipped_fonts_and_licence():
    assert (FONT_DIR / "LICENSE-DejaVu.txt").read_text().startswith("Fonts are (c) Bitstream")
    font = load_font("DejaVu Sans Bold")
    assert isinstance(font, OutlineFont) and font.path.parent == FONT_DIR
    assert load_font("dejavu-serif-bold").name == "DejaVu Serif Bold"
    names = {entry.name for entry in available_fonts()}
    assert {"DejaVu Sans Bold", "DejaVu Serif Bold", "futural", "scripts", "timesr"} <= names


def test_hershey_font_by_name():
    font = load_font("hershey:futural")
    assert isinstance(font, StrokeFont) and font.cap_height == 21
    assert load_font("Futural").name == "futural"


def test_unknown_font_lists_what_is_available():
    with pytest.raises(BadInput, match=r"font 'Comic Sans' not found; available fonts: .*DejaVu Sans Bold.*futural"):
        load_font("Comic Sans")


@pytest.mark.parametrize("text, font, char", [("J\u0915S", None, "\u0915"), ("A张", "futural", "张"),
                                              ("Zoë", "futural", "ë"), ("王A", "DejaVu Sans Bold", "王")])
def test_missing_glyph_is_named(text, font, char):
    with pytest.raises(BadInput) as info:
        plan_lettering(text, font=font, height_mm=8)
    message = str(info.value)
    assert repr(char) in message and f"U+{ord(char):04X}" in message
    assert (font or "DejaVu Sans Bold") in message


@pytest.mark.parametrize("height", [6.0, 8.0, 10.0])
def test_cap_height_is_the_requested_height(height):
    lettering = plan_lettering("HTM", height_mm=height)
    xmin, ymin, xmax, ymax = lettering.bounds()
    assert ymin == pytest.approx(0.0, abs=1e-6)
    assert ymax == pytest.approx(height, abs=1e-6)
    assert lettering.font_name == "DejaVu Sans Bold" and lettering.font_kind == "outline"


def test_satin_lettering_height_includes_the_stroke_width():
    lettering = plan_lettering("HTL", font="futural", height_mm=8)
    assert lettering.stroke_width_mm == pytest.approx(1.0)
    xmin, ymin, xmax, ymax = lettering.bounds()
    assert (ymin, ymax) == (pytest.approx(0.0, abs=1e-6), pytest.approx(8.0, abs=1e-6))


def test_marking_defaults_to_a_single_stroke_font():
    lettering = plan_lettering("JRS", method="marking", height_mm=8)
    assert lettering.font_kind == "stroke" and lettering.stroke_width_mm == 0
    lines = lettering.outline_polylines()
    assert len(lines) == sum(len(g.strokes) for g in lettering.glyphs) >= 3
    top = max(line[:, 1].max() for line in lines)
    assert top == pytest.approx(8.0, abs=1e-6)


def test_cjk_name_uses_a_cjk_font_sized_by_the_ideograph():
    font = cjk_font_or_skip()
    assert "CJK SC" in font.name or "WenQuanYi Micro Hei" == font.name  # the simplified-Chinese face
    lettering = plan_lettering("张伟", height_mm=12)
    xmin, ymin, xmax, ymax = lettering.bounds()
    assert ymax - ymin == pytest.approx(12.0, abs=1e-6)
    assert len(lettering.glyphs) == 2 and all(g.shape.area > 20 for g in lettering.glyphs)


def test_ttc_face_choice_prefers_simplified_chinese():
    from c2m_tailor.personalize.fonts import _ttc_face_for_simplified_chinese, system_fonts

    collections = sorted({e.path for e in system_fonts() if e.path.endswith(".ttc")})
    noto = [p for p in collections if "NotoSansCJK" in p]
    if not noto and not collections:
        pytest.skip("no font collection installed")
    for path in noto:
        face = load_font(path)
        assert face.name and "SC" in " ".join(_face_names_of(path, face.face_index))
    wqy = [p for p in collections if "wqy-microhei" in p]
    for path in wqy:
        assert _ttc_face_for_simplified_chinese(__import__("pathlib").Path(path)) == 0  # Micro Hei, not Mono


def _face_names_of(path, index):
    from fontTools.ttLib import TTFont

    from c2m_tailor.personalize.fonts import _face_names

    return _face_names(TTFont(path, fontNumber=index, lazy=True))


def test_nonzero_winding_keeps_overlaps_and_holes():
    square = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], float)
    overlapping = nonzero_fill([square, square + 5])  # same direction: overlap stays filled
    assert overlapping.area == pytest.approx(175.0)
    hole = nonzero_fill([square * 3, (square + 10)[::-1]])  # inner contour runs the other way: a hole
    assert hole.area == pytest.approx(800.0)
