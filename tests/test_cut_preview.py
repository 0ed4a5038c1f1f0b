"""Previews: SVG parses as XML at 1:1, the PDF's test square measures 100 mm on paper, PNG loads."""

import re
import subprocess

import numpy as np
import pytest
from defusedxml import ElementTree

from c2m_tailor.cut import write_pdf, write_png, write_svg
from c2m_tailor.cut.preview import page_tiles, sheet
from cut_pieces import sample_pattern
from cut_tools import require

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_is_xml_at_one_to_one_with_test_square(tmp_path):
    path = tmp_path / "preview.svg"
    write_svg(sample_pattern(), path)
    root = ElementTree.parse(path).getroot()
    assert root.tag == SVG + "svg"
    width, height = (float(root.get(k)[:-2]) for k in ("width", "height"))
    assert root.get("width").endswith("mm") and root.get("height").endswith("mm")
    assert [float(v) for v in root.get("viewBox").split()] == pytest.approx([0, 0, width, height])
    square = root.find(f"{SVG}g[@id='test-square']/{SVG}rect")
    assert float(square.get("width")) == 100.0 and float(square.get("height")) == 100.0
    pieces = [g for g in root.findall(f"{SVG}g") if g.get("id", "").startswith("piece-")]
    assert len(pieces) == 3
    names = ["".join(t.itertext()) for g in pieces for t in g.findall(f"{SVG}text")]
    assert "BACK_YOKE" in names and "Ärmel links/rechts – Größe XXL" in names
    # seam allowance shading: one even-odd path per piece; notches drawn in red
    assert all(g.find(f"{SVG}path").get("fill-rule") == "evenodd" for g in pieces)
    red = [p for g in pieces for p in g.findall(f"{SVG}polyline") if p.get("stroke") == "#cc0000"]
    assert len(red) == sum(len(p.notches) for p in sample_pattern().pieces)
    # the yoke's cut line in the SVG is the model's, moved and flipped (y down), to 0.001 mm
    yoke = pieces[0].findall(f"{SVG}polygon")[0]
    pts = np.array([[float(v) for v in pair.split(",")] for pair in yoke.get("points").split()])
    assert np.ptp(pts, axis=0) == pytest.approx([220.0, 320.0], abs=1e-3)


def test_pdf_pages_are_a4_and_the_test_square_prints_at_100_mm(tmp_path):
    require("pdftoppm")
    require("pdfinfo")
    path = tmp_path / "preview.pdf"
    pages = write_pdf(sample_pattern(), path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:          {pages}" in info or re.search(rf"Pages:\s+{pages}\b", info)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sorted(float(v) for v in size.groups()) == pytest.approx([595.276, 841.89], abs=0.01)  # A4
    # Rasterise sheet 1 at 254 dpi (10 pixels per millimetre) and measure the blue square.
    subprocess.run(["pdftoppm", "-r", "254", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    from PIL import Image

    image = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")).astype(int)
    blue = (image[:, :, 2] > 180) & (image[:, :, 0] < 90) & (image[:, :, 1] < 90)
    ys, xs = np.nonzero(blue)
    outer_w, outer_h = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    # 100 mm between line centres plus the 0.5 mm line width: 1005 px, +-3 px of anti-aliasing
    assert abs(outer_w - 1005) <= 3 and abs(outer_h - 1005) <= 3


def test_pdf_is_deterministic_and_tiles_cover_the_layout(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_pdf(sample_pattern(), a)
    write_pdf(sample_pattern(), b)
    assert a.read_bytes() == b.read_bytes()
    s = sheet(sample_pattern())
    (pw, ph), tiles = page_tiles(s, "A4")
    for piece, _ in s.pieces:  # every cut-line vertex falls on some sheet
        for x, y in piece.cut_line:
            assert any(t[2] <= x <= t[4] and t[3] <= y <= t[5] for t in tiles)
    (lw, lh), letter = page_tiles(s, "Letter")
    assert sorted((lw, lh)) == pytest.approx([215.9, 279.4])


def test_png_quick_look(tmp_path):
    from PIL import Image

    path = tmp_path / "preview.png"
    write_png(sample_pattern(), path)
    image = Image.open(path)
    s = sheet(sample_pattern())
    width_mm, height_mm = s.hi - s.lo
    assert image.size == pytest.approx((width_mm * 2, height_mm * 2), abs=2)
    pixels = np.asarray(image.convert("L"))
    assert (pixels < 128).mean() > 0.001  # something is drawn
