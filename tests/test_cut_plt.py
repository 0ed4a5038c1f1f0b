"""HPGL plot file: parsed back command by command; coordinates at 40 plotter units per millimetre."""

import re

import numpy as np

from c2m_tailor.cut import write_plt
from c2m_tailor.cut.dxf_write import placed_pieces
from cut_pieces import sample_pattern


def parse_hpgl(data: bytes):
    """A small independent HPGL reader: (command, argument text) in order; LB text ends at ETX."""
    text = data.decode("ascii")
    commands, i = [], 0
    while i < len(text):
        if text[i] in " \n\r\t;":
            i += 1
            continue
        op = text[i:i + 2]
        assert re.fullmatch(r"[A-Z]{2}", op), f"bad command at {i}: {text[i:i + 10]!r}"
        i += 2
        if op == "LB":
            end = text.index("\x03", i)
            commands.append((op, text[i:end]))
            i = end + 1
        else:
            end = text.index(";", i)
            commands.append((op, text[i:end]))
            i = end + 1
    return commands


def strokes(commands):
    """Polylines drawn with the pen down, per selected pen: {pen: [array of points in plotter units]}."""
    pen, pos, out = None, None, {}
    for op, arg in commands:
        nums = [int(v) for v in arg.split(",")] if arg and op in ("PU", "PD") else []
        pts = [tuple(nums[k:k + 2]) for k in range(0, len(nums), 2)]
        if op == "SP":
            pen = int(arg)
        elif op == "PU":
            if pts:
                pos = pts[-1]
        elif op == "PD":
            out.setdefault(pen, []).append(np.array([pos] + pts))
            pos = pts[-1]
    return out


def test_plot_file_commands_and_units(tmp_path):
    path = tmp_path / "shirt.plt"
    write_plt(sample_pattern(), path)
    commands = parse_hpgl(path.read_bytes())
    ops = [op for op, _ in commands]
    assert ops[0] == "IN" and ops[-2:] == ["PU", "SP"] and commands[-1][1] == "0"
    assert set(ops) <= {"IN", "SP", "PU", "PD", "DI", "SI", "LB"}
    drawn = strokes(commands)
    placed = [piece for _, _, piece in placed_pieces(sample_pattern())]
    cut_strokes = drawn[1]
    # Pen 1: each piece's cut line, closed, at 40 units per millimetre (then any internal cut-outs).
    assert len(cut_strokes) == sum(1 + len(p.internal_cutouts) for p in placed)
    outlines, k = [], 0
    for piece in placed:
        outlines.append(cut_strokes[k])
        for cutout, stroke in zip(piece.internal_cutouts, cut_strokes[k + 1:]):
            assert np.abs(stroke[:-1] - cutout * 40).max() <= 0.5 + 1e-9
        k += 1 + len(piece.internal_cutouts)
    for stroke, piece in zip(outlines, placed):
        want = np.vstack([piece.cut_line, piece.cut_line[:1]]) * 40
        assert np.abs(stroke - want).max() <= 0.5 + 1e-9  # rounding to whole plotter units
        assert np.abs(stroke / 40.0 - np.vstack([piece.cut_line, piece.cut_line[:1]])).max() < 0.0126
    # A notch is drawn with pen 2 from its point, depth 6 mm into the piece.
    yoke = placed[0]
    first = yoke.notches[0]
    marks = drawn[2]
    notch_stroke = [s for s in marks if len(s) == 2 and tuple(s[0]) == (round(first.x * 40), round(first.y * 40))]
    assert notch_stroke and np.linalg.norm(notch_stroke[0][1] - notch_stroke[0][0]) == 6 * 40
    labels = [arg for op, arg in commands if op == "LB"]
    assert "BACK_YOKE" in labels and "Qty 1,1" in labels and "Size M" in labels
    assert all(v >= 0 for s in cut_strokes for v in s.ravel())
