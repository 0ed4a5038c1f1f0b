"""HPGL plot file (.plt) for pen plotters and cutters: cut lines, notches, grain lines, text labels.

HPGL/1 subset every plotter/cutter driver reads: IN; SP (pen), PU/PD (pen up/down with absolute
coordinates), SI/DI/LB (text). 40 plotter units per millimetre, origin at the lower left, pieces laid
out in a row as in the DXF. Pen 1 draws the cut lines (a cutter's knife), pen 2 all markings.
"""

from __future__ import annotations

import os

import numpy as np

from c2m_tailor.cut.common import ascii_text
from c2m_tailor.pattern.model import Pattern, Piece

UNITS_PER_MM = 40
PEN_CUT = 1
PEN_MARK = 2
LABEL_HEIGHT_MM = 5.0
ARROW_MM = 8.0


def _pu(p) -> str:
    return f"{int(round(p[0] * UNITS_PER_MM))},{int(round(p[1] * UNITS_PER_MM))}"


def _stroke(points, closed: bool = False) -> str:
    pts = list(points) + ([points[0]] if closed else [])
    return f"PU{_pu(pts[0])};PD{','.join(_pu(p) for p in pts[1:])};"


def _piece_commands(piece: Piece, size: str | None) -> tuple[list[str], list[str]]:
    cut = [_stroke(piece.cut_line, closed=True)]
    for cutout in piece.internal_cutouts:
        cut.append(_stroke(cutout, closed=True))
    mark: list[str] = []
    for notch in piece.notches:
        a = np.radians(notch.angle_deg)
        tip = np.array([notch.x, notch.y]) + notch.depth_mm * np.array([np.cos(a), np.sin(a)])
        mark.append(_stroke([(notch.x, notch.y), tip]))
    g0, g1 = piece.grain_line
    direction = (g1 - g0) / max(np.linalg.norm(g1 - g0), 1e-9)
    normal = np.array([-direction[1], direction[0]])
    mark.append(_stroke([g0, g1]))
    for end, sign in ((g1, -1.0), (g0, 1.0)):  # arrow heads at both ends (grain runs both ways)
        back = end + sign * direction * ARROW_MM
        mark.append(_stroke([back + normal * ARROW_MM / 2, end, back - normal * ARROW_MM / 2]))
    for line in piece.internal_lines:
        mark.append(_stroke(line))
    if piece.fold_line is not None:
        mark.append(_stroke(piece.fold_line))
    for x, y in piece.drill_holes:
        mark.append(_stroke([(x - 2, y), (x + 2, y)]))
        mark.append(_stroke([(x, y - 2), (x, y + 2)]))
    centre = piece.sew_line.mean(axis=0)
    lines = [ascii_text(piece.name), f"Size {ascii_text(size or piece.size)}", f"Qty {piece.quantity_text}"]
    step = LABEL_HEIGHT_MM * 1.6
    for i, text in enumerate(lines):
        at = centre + np.array([-40.0, -i * step])
        mark.append(f"PU{_pu(at)};LB{text.replace(chr(3), '')}\x03")
    return cut, mark


def plt_text(pattern: Pattern, *, sizes: str = "sample") -> str:
    from c2m_tailor.cut.dxf_write import placed_pieces
    from c2m_tailor.cut.common import check_pattern

    check_pattern(pattern)
    placed = placed_pieces(pattern, sizes)
    cut_cmds: list[str] = []
    mark_cmds: list[str] = []
    for size, _, piece in placed:
        cut, mark = _piece_commands(piece, size)
        cut_cmds += cut
        mark_cmds += mark
    width_cm = LABEL_HEIGHT_MM * 0.07  # SI takes centimetres: character width, height
    out = ["IN;", f"SP{PEN_MARK};", "DI1,0;", f"SI{width_cm:.3f},{LABEL_HEIGHT_MM / 10:.3f};"]
    out += mark_cmds
    out += [f"SP{PEN_CUT};"] + cut_cmds  # markings first, so the cut pieces are not moved before
    out += ["PU;", "SP0;"]
    return "\n".join(out) + "\n"


def write_plt(pattern: Pattern, path: str | os.PathLike, *, sizes: str = "sample") -> None:
    """Write the pattern as HPGL (40 units/mm) for a pen plotter or cutter."""
    from c2m_tailor.fileio import write_bytes_atomic

    write_bytes_atomic(path, plt_text(pattern, sizes=sizes).encode("ascii"))
