"""Independent CAD readers: LibreCAD renders our DXF to PDF, dime's dxf2vrml parses it."""

import os
import re
import subprocess

import numpy as np
import pytest

from c2m_tailor.cut import write_dxf
from c2m_tailor.cut.dxf_write import placed_pieces
from cut_pieces import graded_pattern, sample_pattern
from cut_tools import require


@pytest.mark.parametrize("fmt,target", [("aama", "generic"), ("astm", "gerber"), ("astm", "lectra")])
def test_librecad_renders_the_dxf(tmp_path, fmt, target):
    librecad = require("librecad")
    require("pdftoppm")
    dxf = tmp_path / "shirt.dxf"
    write_dxf(sample_pattern(), dxf, fmt=fmt, target=target, creation_date="2026-11-22")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(["timeout", "60", librecad, "dxf2pdf", "-a", "-t", str(tmp_path), str(dxf)],
                         capture_output=True, text=True, env=env, timeout=90)
    pdf = tmp_path / "shirt.pdf"
    assert run.returncode == 0 and pdf.is_file() and pdf.stat().st_size > 1000, run.stderr[-2000:]
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "render")], check=True, timeout=120)
    from PIL import Image

    image = np.asarray(Image.open(next(tmp_path.glob("render*.png"))).convert("L"))
    ink = image < 200
    assert ink.mean() > 0.005  # the pieces are drawn
    ys, xs = np.nonzero(ink)
    # the drawing is wider than tall (three pieces side by side), as laid out
    assert (xs.max() - xs.min()) > (ys.max() - ys.min())


@pytest.mark.parametrize("graded", [False, True])
def test_dime_dxf2vrml_parses_every_cut_line_vertex(tmp_path, graded):
    dxf2vrml = require("dxf2vrml")
    pattern = graded_pattern() if graded else sample_pattern()
    dxf, wrl = tmp_path / "shirt.dxf", tmp_path / "shirt.wrl"
    write_dxf(pattern, dxf, fmt="astm")
    run = subprocess.run([dxf2vrml, str(dxf), "-o", str(wrl)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "error" not in (run.stdout + run.stderr).lower(), run.stdout + run.stderr
    text = wrl.read_text()
    triples = np.array([[float(v) for v in m] for m in re.findall(
        r"(-?[\d.]+(?:e[-+]?\d+)?) (-?[\d.]+(?:e[-+]?\d+)?) (-?[\d.]+(?:e[-+]?\d+)?)", text)])
    assert len(triples)
    for _, _, piece in placed_pieces(pattern):
        for x, y in piece.cut_line:
            assert np.min(np.hypot(triples[:, 0] - x, triples[:, 1] - y)) < 0.01
