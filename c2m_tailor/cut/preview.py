"""Previews a person checks before cloth is cut: SVG and PDF at 1:1 with a 10 cm test square, PNG.

Shows cut line (solid), sew line (dashed) with the seam allowance between them shaded, notches,
grain arrows, internal lines, cut-outs, drill holes, the fold line and piece names.
- SVG: written directly (millimetre viewBox with width/height in mm, so it prints at 1:1).
- PDF: matplotlib's PDF backend, tiled onto A4 (or Letter) pages at exactly 1:1 with 10 mm margins;
  each page carries its tile frame and row/column so the sheets can be taped together. matplotlib is
  already a project dependency and its PDF output is vector, small and deterministic once the
  creation date is dropped; no other PDF library is needed.
- PNG: the whole layout on one image (matplotlib Agg), for a quick look.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from html import escape

import numpy as np

from c2m_tailor.cut.common import LAYOUT_GAP_MM, TEST_SQUARE_MM, check_pattern, translate_piece
from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import Pattern, Piece

PAGE_SIZES_MM = {"A4": (210.0, 297.0), "LETTER": (215.9, 279.4)}
PAGE_MARGIN_MM = 10.0
PIECES_START_X = TEST_SQUARE_MM + 30.0
MARGIN_MM = 10.0
ALLOWANCE_FILL = "#d0d0d0"
TEST_SQUARE_COLOUR = "#0000ff"
ARROW_MM = 8.0


@dataclass
class Sheet:
    """What a preview draws: pieces laid out in mm, the test square, and the drawing's extent."""

    pieces: list[tuple[Piece, str]]
    square: tuple[float, float]  # lower-left corner of the 10 cm test square
    lo: np.ndarray
    hi: np.ndarray
    title: str


def sheet(pattern: Pattern) -> Sheet:
    """Lay the sample pieces in rows (shelves) about as wide as the sheet is tall, so the print needs
    few pages; the test square sits top-left, the first row starts right of it."""
    check_pattern(pattern)
    sizes = [p.cut_line.max(axis=0) - p.cut_line.min(axis=0) for p in pattern.pieces]
    area = sum(float(w * h) for w, h in sizes) + (TEST_SQUARE_MM + 30.0) ** 2
    row_width = max(max(float(w) for w, _ in sizes) + PIECES_START_X, 1.3 * math.sqrt(area))
    placed, x, row_top, row_height = [], PIECES_START_X, 0.0, 0.0
    for piece, (w, h) in zip(pattern.pieces, sizes):
        if x > 0 and x + w > row_width:
            row_top -= row_height + LAYOUT_GAP_MM
            x, row_height = 0.0, 0.0
        lo = piece.cut_line.min(axis=0)
        placed.append(translate_piece(piece, np.array([x - lo[0], row_top - h - lo[1]])))
        x += float(w) + LAYOUT_GAP_MM
        row_height = max(row_height, float(h))
    size_of = [p.size if not pattern.graded else pattern.sample_size for p in pattern.pieces]
    lo = np.min([p.cut_line.min(axis=0) for p in placed], axis=0)
    hi = np.max([p.cut_line.max(axis=0) for p in placed], axis=0)
    top = max(float(hi[1]), 0.0)
    square = (0.0, top - TEST_SQUARE_MM)
    lo = np.array([min(0.0, lo[0]), min(lo[1], square[1])]) - MARGIN_MM
    hi = np.array([hi[0], top + 12.0]) + MARGIN_MM
    title = f"{pattern.style} - print at 100 % (no scaling): the blue square must measure 10 cm"
    return Sheet(list(zip(placed, size_of)), square, lo, hi, title)


def _text_anchor(piece: Piece) -> np.ndarray:
    return piece.sew_line.mean(axis=0)


def _grain_arrows(piece: Piece) -> list[np.ndarray]:
    g0, g1 = piece.grain_line
    d = (g1 - g0) / max(np.linalg.norm(g1 - g0), 1e-9)
    n = np.array([-d[1], d[0]])
    heads = []
    for end, sign in ((g1, -1.0), (g0, 1.0)):
        back = end + sign * d * ARROW_MM
        heads.append(np.array([end, back + n * ARROW_MM / 3, back - n * ARROW_MM / 3]))
    return heads


def _notch_segment(notch) -> np.ndarray:
    a = math.radians(notch.angle_deg)
    start = np.array([notch.x, notch.y])
    return np.array([start, start + notch.depth_mm * np.array([math.cos(a), math.sin(a)])])


# ---------------------------------------------------------------- SVG

def svg_text(pattern: Pattern) -> str:
    s = sheet(pattern)
    width, height = (s.hi - s.lo).tolist()
    top = float(s.hi[1])

    def fx(x: float) -> str:
        return f"{x - s.lo[0]:.3f}"

    def fy(y: float) -> str:
        return f"{top - y:.3f}"

    def screen(points) -> list[list[float]]:
        arr = np.asarray(points, dtype=float)
        return np.column_stack([arr[:, 0] - s.lo[0], top - arr[:, 1]]).tolist()

    def pts(points) -> str:
        return " ".join(f"{x:.3f},{y:.3f}" for x, y in screen(points))

    def path(points, closed: bool) -> str:
        d = "M" + " L".join(f"{x:.3f},{y:.3f}" for x, y in screen(points))
        return d + (" Z" if closed else "")

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.3f}mm" height="{height:.3f}mm" '
        f'viewBox="0 0 {width:.3f} {height:.3f}">',
        f"<title>{escape(pattern.style)}</title>",
        f'<text x="{fx(s.square[0])}" y="{fy(s.hi[1] - MARGIN_MM - 4)}" font-family="sans-serif" font-size="5">'
        f"{escape(s.title)}</text>",
        f'<g id="test-square"><rect x="{fx(s.square[0])}" y="{fy(s.square[1] + TEST_SQUARE_MM)}" '
        f'width="{TEST_SQUARE_MM:.3f}" height="{TEST_SQUARE_MM:.3f}" fill="none" stroke="{TEST_SQUARE_COLOUR}" '
        f'stroke-width="0.5"/><text x="{fx(s.square[0] + 5)}" y="{fy(s.square[1] + 50)}" font-family="sans-serif" '
        f'font-size="6" fill="{TEST_SQUARE_COLOUR}">10 cm x 10 cm</text></g>',
    ]
    for k, (piece, size) in enumerate(s.pieces):
        out.append(f'<g id="piece-{k + 1}">')
        out.append(f'<path d="{path(piece.cut_line, True)} {path(piece.sew_line[::-1], True)}" '
                   f'fill="{ALLOWANCE_FILL}" fill-rule="evenodd" stroke="none"/>')
        out.append(f'<polygon points="{pts(piece.cut_line)}" fill="none" stroke="#000000" stroke-width="0.5"/>')
        out.append(f'<polygon points="{pts(piece.sew_line)}" fill="none" stroke="#555555" stroke-width="0.3" '
                   'stroke-dasharray="3,2"/>')
        for line in piece.internal_lines:
            out.append(f'<polyline points="{pts(line)}" fill="none" stroke="#aa00aa" stroke-width="0.3"/>')
        for line in piece.internal_cutouts:
            out.append(f'<polygon points="{pts(line)}" fill="#ffffff" stroke="#000000" stroke-width="0.4"/>')
        if piece.fold_line is not None:
            out.append(f'<polyline points="{pts(piece.fold_line)}" fill="none" stroke="#0055cc" '
                       'stroke-width="0.4" stroke-dasharray="8,2,1,2"/>')
        out.append(f'<polyline points="{pts(piece.grain_line)}" fill="none" stroke="#007700" stroke-width="0.4"/>')
        for head in _grain_arrows(piece):
            out.append(f'<polygon points="{pts(head)}" fill="#007700" stroke="none"/>')
        for notch in piece.notches:
            out.append(f'<polyline points="{pts(_notch_segment(notch))}" fill="none" stroke="#cc0000" '
                       'stroke-width="0.6"/>')
        for x, y in piece.drill_holes:
            out.append(f'<circle cx="{fx(x)}" cy="{fy(y)}" r="1.5" fill="none" stroke="#cc0000" stroke-width="0.3"/>')
        at = _text_anchor(piece)
        label = [piece.name, f"Size {size}  Qty {piece.quantity_text}" + ("  (L/R pair)" if piece.mirrored_pair else "")]
        for i, text in enumerate(label):
            out.append(f'<text x="{fx(at[0])}" y="{fy(at[1] - 8 * i)}" font-family="sans-serif" font-size="6" '
                       f'text-anchor="middle">{escape(text)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_svg(pattern: Pattern, path: str | os.PathLike) -> None:
    """SVG preview at 1:1 (width/height in mm) with the 10 cm test square."""
    from c2m_tailor.fileio import write_bytes_atomic

    write_bytes_atomic(path, svg_text(pattern).encode("utf-8"))


# ---------------------------------------------------------------- matplotlib (PDF, PNG)

def _draw(ax, s: Sheet, window: tuple[float, float, float, float] | None = None) -> None:
    """Draw the sheet; with a window (x0, y0, x1, y1) only the pieces that reach into it."""
    from matplotlib.patches import PathPatch, Polygon, Rectangle, Circle
    from matplotlib.path import Path as MplPath

    mm = 72.0 / 25.4  # points per millimetre, for line widths
    ax.add_patch(Rectangle(s.square, TEST_SQUARE_MM, TEST_SQUARE_MM, fill=False, edgecolor=TEST_SQUARE_COLOUR,
                           linewidth=0.5 * mm))
    ax.text(s.square[0] + 5, s.square[1] + 50, "10 cm x 10 cm", color=TEST_SQUARE_COLOUR, fontsize=6 * mm * 0.7)
    ax.text(s.square[0], s.hi[1] - MARGIN_MM - 4, s.title, fontsize=5 * mm * 0.7)
    for piece, size in s.pieces:
        if window is not None:
            lo, hi = piece.cut_line.min(axis=0), piece.cut_line.max(axis=0)
            if lo[0] > window[2] or hi[0] < window[0] or lo[1] > window[3] or hi[1] < window[1]:
                continue
        verts = np.vstack([piece.cut_line, piece.cut_line[:1], piece.sew_line[::-1], piece.sew_line[-1:]])
        codes = ([MplPath.MOVETO] + [MplPath.LINETO] * (len(piece.cut_line) - 1) + [MplPath.CLOSEPOLY]
                 + [MplPath.MOVETO] + [MplPath.LINETO] * (len(piece.sew_line) - 1) + [MplPath.CLOSEPOLY])
        ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=ALLOWANCE_FILL, edgecolor="none"))
        ax.add_patch(Polygon(piece.cut_line, closed=True, fill=False, edgecolor="black", linewidth=0.5 * mm))
        ax.add_patch(Polygon(piece.sew_line, closed=True, fill=False, edgecolor="#555555", linewidth=0.3 * mm,
                             linestyle=(0, (3 / 0.3, 2 / 0.3))))
        for line in piece.internal_lines:
            ax.plot(line[:, 0], line[:, 1], color="#aa00aa", linewidth=0.3 * mm)
        for line in piece.internal_cutouts:
            ax.add_patch(Polygon(line, closed=True, facecolor="white", edgecolor="black", linewidth=0.4 * mm))
        if piece.fold_line is not None:
            ax.plot(piece.fold_line[:, 0], piece.fold_line[:, 1], color="#0055cc", linewidth=0.4 * mm,
                    linestyle=(0, (8 / 0.4, 2 / 0.4, 1 / 0.4, 2 / 0.4)))
        ax.plot(piece.grain_line[:, 0], piece.grain_line[:, 1], color="#007700", linewidth=0.4 * mm)
        for head in _grain_arrows(piece):
            ax.add_patch(Polygon(head, closed=True, facecolor="#007700", edgecolor="none"))
        for notch in piece.notches:
            seg = _notch_segment(notch)
            ax.plot(seg[:, 0], seg[:, 1], color="#cc0000", linewidth=0.6 * mm)
        for x, y in piece.drill_holes:
            ax.add_patch(Circle((x, y), 1.5, fill=False, edgecolor="#cc0000", linewidth=0.3 * mm))
        at = _text_anchor(piece)
        label = f"{piece.name}\nSize {size}  Qty {piece.quantity_text}" + ("  (L/R pair)" if piece.mirrored_pair else "")
        ax.text(at[0], at[1], label, ha="center", va="top", fontsize=6 * mm * 0.7, linespacing=1.4)


def _figure(width_mm: float, height_mm: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width_mm / 25.4, height_mm / 25.4))


def _occupied(s: Sheet) -> list[tuple[np.ndarray, np.ndarray]]:
    boxes = [(p.cut_line.min(axis=0), p.cut_line.max(axis=0)) for p, _ in s.pieces]
    boxes.append((np.array(s.square), np.array(s.square) + TEST_SQUARE_MM))
    return boxes


def page_tiles(s: Sheet, page: str = "A4") -> tuple[tuple[float, float], list[tuple[int, int, float, float, float, float]]]:
    """Page size (w, h mm) and (row, column, x0, y0, x1, y1) of each printed tile, top row first.

    Portrait or landscape, whichever needs fewer sheets; tiles with nothing on them are left out.
    """
    if page.upper() not in PAGE_SIZES_MM:
        raise BadInput(f"page size must be one of {', '.join(PAGE_SIZES_MM)}, not {page!r}")
    boxes = _occupied(s)
    best = None
    for pw, ph in (PAGE_SIZES_MM[page.upper()], PAGE_SIZES_MM[page.upper()][::-1]):
        tw, th = pw - 2 * PAGE_MARGIN_MM, ph - 2 * PAGE_MARGIN_MM
        cols = max(1, math.ceil((s.hi[0] - s.lo[0]) / tw))
        rows = max(1, math.ceil((s.hi[1] - s.lo[1]) / th))
        tiles = []
        for r in range(rows):
            y1 = s.hi[1] - r * th
            for c in range(cols):
                x0 = s.lo[0] + c * tw
                tile = (r, c, x0, y1 - th, x0 + tw, y1)
                if any(lo[0] < tile[4] and hi[0] > tile[2] and lo[1] < tile[5] and hi[1] > tile[3] for lo, hi in boxes):
                    tiles.append(tile)
        if best is None or len(tiles) < len(best[1]):
            best = ((pw, ph), tiles)
    return best


def pdf_bytes(pattern: Pattern, page: str = "A4") -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.patches import Rectangle

    s = sheet(pattern)
    (pw, ph), tiles = page_tiles(s, page)
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"CreationDate": None, "ModDate": None, "Producer": "c2m-tailor",
                                    "Creator": "c2m-tailor", "Title": pattern.style}) as pdf:
        for number, (row, col, x0, y0, x1, y1) in enumerate(tiles, start=1):
            fig = _figure(pw, ph)
            ax = fig.add_axes([PAGE_MARGIN_MM / pw, PAGE_MARGIN_MM / ph, (x1 - x0) / pw, (y1 - y0) / ph])
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            ax.set_axis_off()
            _draw(ax, s, (x0, y0, x1, y1))
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#999999",
                                   linewidth=0.3, linestyle=":", clip_on=False))
            fig.text(0.5, 4 / ph, f"{pattern.style} - sheet {number} of {len(tiles)} - row {row + 1}, "
                     f"column {col + 1} - butt the sheets together along the dotted frames", ha="center", fontsize=7)
            pdf.savefig(fig)
    return buffer.getvalue()


def write_pdf(pattern: Pattern, path: str | os.PathLike, *, page: str = "A4") -> int:
    """PDF at 1:1 tiled onto A4 (or Letter) pages; returns the number of pages."""
    from c2m_tailor.fileio import write_bytes_atomic

    data = pdf_bytes(pattern, page)
    write_bytes_atomic(path, data)
    return len(page_tiles(sheet(pattern), page)[1])


def png_bytes(pattern: Pattern, px_per_mm: float = 2.0, max_px: int = 4000) -> bytes:
    s = sheet(pattern)
    width, height = s.hi - s.lo
    scale = min(px_per_mm, max_px / max(width, height))
    fig = _figure(width, height)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(s.lo[0], s.hi[0])
    ax.set_ylim(s.lo[1], s.hi[1])
    ax.set_axis_off()
    fig.patch.set_facecolor("white")
    _draw(ax, s)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=scale * 25.4, metadata={"Software": None})
    return buffer.getvalue()


def write_png(pattern: Pattern, path: str | os.PathLike, *, px_per_mm: float = 2.0) -> None:
    """Quick-look PNG of the whole layout (not for printing to scale)."""
    from c2m_tailor.fileio import write_bytes_atomic

    write_bytes_atomic(path, png_bytes(pattern, px_per_mm))
