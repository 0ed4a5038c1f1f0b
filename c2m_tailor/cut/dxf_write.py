"""AAMA / ASTM D6673 DXF writer (R12), deterministic to the byte.

File layout (both conventions): one BLOCK per piece holding all its entities, one INSERT of each
block at the origin in ENTITIES, no nested inserts, style text in ENTITIES. Pieces are laid side by
side inside their blocks (bounding boxes on y=0, 20 mm apart) because every INSERT sits at the origin.

Per target:
- generic: HEADER, TABLES (LTYPE, LAYER, STYLE), the empty $MODEL_SPACE/$PAPER_SPACE layout blocks
  and the pieces: a complete R12 file for any CAD program (LibreCAD, AutoCAD, dime).
- gerber: what ezdxf's gerber_D6673 add-on writes for AccuMark: empty HEADER, no TABLES, no layout
  blocks (AccuMark takes every block for a piece and rejects the empty layout blocks: ezdxf #786).
- lectra, optitex: HEADER and TABLES but no layout blocks: both read every block as a piece (Optitex
  "Separate the DXF blocks"), and ASTM D6673 says every block is one.

The tags are written here rather than through ezdxf's document model: that model took ~25 ms for
three pieces (the goal is < 26 ms per order for DXF + preview), and it stamps the ezdxf version and
a timestamp into the file. ezdxf stays the reference reader: every file is checked with
ezdxf.recover + audit (and LibreCAD and dime) in the tests. Determinism: no handles, no metadata,
$TDCREATE/$TDUPDATE only from the given creation date, coordinates rounded to 1e-6 mm.
"""

from __future__ import annotations

import datetime as _dt
import os

import numpy as np

from c2m_tailor.cut.common import (
    ASTM_NOTCH_LAYERS, AAMA_NOTCH_LAYERS, FORMATS, LAYER_ANNOTATION, LAYER_CURVE, LAYER_CUT, LAYER_CUTOUT,
    LAYER_DRILL, LAYER_GRAIN, LAYER_INTERNAL, LAYER_MIRROR, LAYER_SEW, LAYER_TURN, LAYER_VALID_CUT,
    LAYER_VALID_CUTOUT, LAYER_VALID_INTERNAL, LAYER_VALID_SEW, NOTCH_WIDTH_MM, TARGETS, ascii_text,
    block_names, check_pattern, grade_points, laid_out, translate_piece,
)
from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import Pattern, Piece, polygon_centroid

PIECE_TEXT_HEIGHT = 4.0
GRADE_TEXT_HEIGHT = 1.5
STYLE_TEXT_HEIGHT = 5.0
LINE_PITCH = 1.5  # text line spacing as a multiple of the text height
SIZE_ROW_GAP_MM = 60.0

# Layer colours (ACI) so a plain CAD viewer tells the layers apart.
LAYER_COLOURS = {"0": 7, "1": 7, "2": 1, "3": 3, "4": 1, "6": 5, "7": 4, "8": 6, "11": 30, "13": 1,
                 "14": 8, "15": 2, "80": 1, "81": 1, "82": 1, "83": 1, "84": 9, "85": 9, "86": 9, "87": 9}


def _num(v: float) -> str:
    """Shortest round-trip text of v rounded to 1e-6 (Python's repr is the same on every machine)."""
    return repr(round(float(v), 6) + 0.0)  # + 0.0 turns -0.0 into 0.0


def _coords(points) -> list[list[float]]:
    """Points as Python floats rounded to 1e-6 (vectorised: formatting numpy scalars is slow)."""
    return (np.round(np.asarray(points, dtype=float), 6) + 0.0).tolist()


def _xyz_tags(points) -> list[str]:
    """Group codes 10/20/30 of each point (z = 0), formatted once for every entity that uses them."""
    return [f" 10\n{x!r}\n 20\n{y!r}\n 30\n0.0\n" for x, y in _coords(points)]


class _Tags:
    """An R12 tag stream: group codes right-aligned in 3 columns as AutoCAD writes them."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def tag(self, code: int, value) -> None:
        self.parts.append(f"{code:>3}\n{value}\n")

    def xy(self, code: int, p, z: float = 0.0) -> None:
        self.parts.append(f"{code:>3}\n{_num(p[0])}\n{code + 10:>3}\n{_num(p[1])}\n{code + 20:>3}\n{_num(z)}\n")

    def text(self) -> str:
        return "".join(self.parts)

    # entities
    def polyline(self, points: np.ndarray, layer: str, closed: bool, xyz: list[str] | None = None) -> None:
        """XYZ: the points' coordinate tags from _xyz_tags, when the caller has them already."""
        self.parts.append(f"  0\nPOLYLINE\n  8\n{layer}\n 66\n1\n 10\n0.0\n 20\n0.0\n 30\n0.0\n 70\n{1 if closed else 0}\n")
        vertex = f"  0\nVERTEX\n  8\n{layer}\n"
        self.parts.extend(f"{vertex}{tags} 70\n0\n" for tags in (xyz if xyz is not None else _xyz_tags(points)))
        self.parts.append(f"  0\nSEQEND\n  8\n{layer}\n")

    def point(self, p, layer: str, z: float = 0.0, angle: float | None = None, thickness: float | None = None) -> None:
        self.parts.append(f"  0\nPOINT\n  8\n{layer}\n")
        if thickness is not None:
            self.tag(39, _num(thickness))
        self.xy(10, p, z)
        if angle is not None:
            self.tag(50, _num(angle))

    def line(self, a, b, layer: str) -> None:
        self.parts.append(f"  0\nLINE\n  8\n{layer}\n")
        self.xy(10, a)
        self.xy(11, b)

    def label(self, text: str, at, height: float, layer: str) -> None:
        self.parts.append(f"  0\nTEXT\n  8\n{layer}\n")
        self.xy(10, at)
        self.tag(40, _num(height))
        self.tag(1, text)


def _date(creation_date) -> _dt.date | None:
    if creation_date is None or creation_date == "":
        return None
    if isinstance(creation_date, _dt.datetime):
        return creation_date.date()
    if isinstance(creation_date, _dt.date):
        return creation_date
    try:
        return _dt.date.fromisoformat(str(creation_date)[:10])
    except ValueError:
        raise BadInput(f"creation date {creation_date!r} is not an ISO date (YYYY-MM-DD)") from None


def _julian(day: _dt.date) -> float:
    """$TDCREATE value of 00:00 that day: AutoCAD's Julian date (2000-01-01 00:00 = 2451545.0)."""
    return float(day.toordinal() + 1721425)


def piece_text_lines(piece: Piece, size: str | None = None, name: str | None = None) -> list[str]:
    """The AAMA piece text of a piece, in the conventional order.

    The piece name is its block name (ASCII, unique, <= 20 characters): cutting-room systems key
    pieces by it, so a customer's free text never becomes one.
    """
    lines = [f"Piece Name: {name or ascii_text(piece.name)}", f"Size: {ascii_text(size or piece.size)}",
             f"Quantity: {piece.quantity_text}"]
    if piece.category:
        lines.append(f"Category: {ascii_text(piece.category)}")
    lines.append(f"Material: {ascii_text(piece.material)}")
    lines += [f"Annotation: {ascii_text(a)}" for a in piece.annotation]
    return lines


def style_text_lines(pattern: Pattern, style_name: str | None, author: str, day: _dt.date | None,
                     grade_rule_table: str | None, units: str) -> list[str]:
    lines = [f"Style Name: {ascii_text(style_name or pattern.style)}"]
    if day is not None:
        lines.append(f"Creation Date: {day.isoformat()}")
    lines.append(f"Author: {ascii_text(author)}")
    lines.append(f"Sample Size: {ascii_text(pattern.sample_size)}")
    if grade_rule_table:
        lines.append(f"Grade Rule Table: {ascii_text(grade_rule_table)}")
    lines.append(f"Units: {units}")
    return lines


def _piece_entities(out: _Tags, piece: Piece, name: str, fmt: str, size: str,
                    rules: list[tuple[str, int, np.ndarray]] | None) -> None:
    astm = fmt == "astm"
    # Cut line: one closed polyline, its vertices as turn (2) or curve (3) points.
    cut_xyz = _xyz_tags(piece.cut_line)
    out.polyline(piece.cut_line, LAYER_CUT, True, cut_xyz)
    out.parts.extend(f"  0\nPOINT\n  8\n{LAYER_TURN if turn else LAYER_CURVE}\n{tags}"
                     for tags, turn in zip(cut_xyz, piece.cut_turn_points.tolist()))
    if astm:
        out.polyline(piece.cut_line, LAYER_VALID_CUT, True, cut_xyz)
    if not np.array_equal(piece.sew_line, piece.cut_line):
        out.polyline(piece.sew_line, LAYER_SEW, True)
        if astm:
            out.polyline(piece.sew_line, LAYER_VALID_SEW, True)
    for line in piece.internal_lines:
        out.polyline(line, LAYER_INTERNAL, False)
        if astm:
            out.polyline(line, LAYER_VALID_INTERNAL, False)
    for line in piece.internal_cutouts:
        out.polyline(line, LAYER_CUTOUT, True)
        if astm:
            out.polyline(line, LAYER_VALID_CUTOUT, True)
    notch_layers = ASTM_NOTCH_LAYERS if astm else AAMA_NOTCH_LAYERS
    for notch in piece.notches:
        # POINT on the line; z carries the notch depth, group 50 its direction into the piece and,
        # for V/T/castle notches, the thickness (39) its opening width (the ASTM D6673 convention).
        out.point((notch.x, notch.y), notch_layers.get(notch.kind, notch_layers["slit"]), z=notch.depth_mm,
                  angle=notch.angle_deg % 360.0, thickness=None if notch.kind == "slit" else NOTCH_WIDTH_MM)
    out.line(piece.grain_line[0], piece.grain_line[1], LAYER_GRAIN)
    if piece.fold_line is not None:
        out.line(piece.fold_line[0], piece.fold_line[1], LAYER_MIRROR)
    for hole in piece.drill_holes:
        out.point(hole, LAYER_DRILL)
    # Piece text (layer 1) around the middle of the piece; labels as annotation text (layer 15).
    lines = piece_text_lines(piece, size, name)
    step = PIECE_TEXT_HEIGHT * LINE_PITCH
    centre = polygon_centroid(piece.sew_line)
    left, top = float(centre[0]) - 30.0, float(centre[1]) + step * (len(lines) - 1) / 2.0
    for i, text in enumerate(lines):
        out.label(text, (left, top - i * step), PIECE_TEXT_HEIGHT, LAYER_CUT)
    below = top - len(lines) * step
    for i, (key, value) in enumerate(sorted(piece.labels.items())):
        out.label(f"{ascii_text(key)}: {ascii_text(value)}", (left, below - i * step),
                  PIECE_TEXT_HEIGHT, LAYER_ANNOTATION)
    for layer, number, at in rules or ():
        out.label(f"# {number}", at, GRADE_TEXT_HEIGHT, layer)


def placed_pieces(pattern: Pattern, sizes: str = "sample") -> list[tuple[str | None, Piece, Piece]]:
    """(size or None, piece as in the model, piece as laid out in the file) in file order.

    One row of pieces per size (the sample alone unless sizes == "all"), rows stacked upwards.
    """
    graded = bool(pattern.graded)
    if sizes == "all" and graded:
        rows = list(pattern.graded.items())
    else:
        rows = [(pattern.sample_size if graded else None, pattern.pieces)]
    placed = []
    y_cursor = 0.0
    for size, pieces in rows:
        row = laid_out(pieces)
        if y_cursor:
            row = [translate_piece(p, np.array([0.0, y_cursor])) for p in row]
        y_cursor += max(float(np.ptp(p.cut_line[:, 1])) for p in pieces) + SIZE_ROW_GAP_MM
        placed += [(size, original, p) for original, p in zip(pieces, row)]
    return placed


def _render(pattern: Pattern, *, fmt: str = "aama", target: str = "generic", style_name: str | None = None,
            author: str = "c2m-tailor", creation_date=None, units: str = "METRIC", sizes: str = "sample",
            grade_rule_table: str | None = None) -> tuple[str, list[str]]:
    if fmt not in FORMATS:
        raise BadInput(f"DXF format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if target not in TARGETS:
        raise BadInput(f"DXF target must be one of {', '.join(TARGETS)}, not {target!r}")
    if units != "METRIC":
        raise BadInput(f"only METRIC units are written (millimetres), not {units!r}")
    if sizes not in ("sample", "all"):
        raise BadInput(f"sizes must be 'sample' or 'all', not {sizes!r}")
    check_pattern(pattern)
    day = _date(creation_date)
    graded = bool(pattern.graded)
    if graded and grade_rule_table is None:
        grade_rule_table = ascii_text(pattern.style) or "RULES"

    placed = placed_pieces(pattern, sizes)
    nest = sizes == "all" and graded
    names = block_names([orig.name for _, orig, _ in placed], [size if nest else "" for size, _, _ in placed])

    blocks = _Tags()
    if target == "generic":
        for layout, flags in (("$MODEL_SPACE", ""), ("$PAPER_SPACE", " 67\n1\n")):
            blocks.parts.append(f"  0\nBLOCK\n{flags}  8\n0\n  2\n{layout}\n 70\n0\n 10\n0.0\n 20\n0.0\n 30\n0.0\n"
                                f"  3\n{layout}\n  1\n\n  0\nENDBLK\n{flags}  8\n0\n")
    rule_no = 0
    lo = np.array([np.inf, np.inf])
    hi = -lo
    piece_names = block_names([p.name for p in pattern.pieces])  # the same in every size of a nest
    for index, ((size, _, piece), name) in enumerate(zip(placed, names)):
        rules = None
        if graded and not nest:
            rules = []
            for _, layer, _, point in grade_points(piece):
                rule_no += 1
                rules.append((layer, rule_no, point))
        blocks.parts.append(f"  0\nBLOCK\n  8\n0\n  2\n{name}\n 70\n0\n 10\n0.0\n 20\n0.0\n 30\n0.0\n"
                            f"  3\n{name}\n  1\n\n")
        _piece_entities(blocks, piece, piece_names[index % len(piece_names)], fmt, size or piece.size, rules)
        blocks.parts.append("  0\nENDBLK\n  8\n0\n")
        lo = np.minimum(lo, piece.cut_line.min(axis=0))
        hi = np.maximum(hi, piece.cut_line.max(axis=0))

    entities = _Tags()
    style_lines = style_text_lines(pattern, style_name, author, day, grade_rule_table, units)
    first_y = -2.0 * STYLE_TEXT_HEIGHT
    for i, line in enumerate(style_lines):
        entities.label(line, (0.0, first_y - i * STYLE_TEXT_HEIGHT * LINE_PITCH), STYLE_TEXT_HEIGHT, LAYER_CUT)
    lo[1] = first_y - len(style_lines) * STYLE_TEXT_HEIGHT * LINE_PITCH
    for name in names:
        entities.parts.append(f"  0\nINSERT\n  8\n{LAYER_CUT}\n  2\n{name}\n 10\n0.0\n 20\n0.0\n 30\n0.0\n")

    out = _Tags()
    out.parts.append("  0\nSECTION\n  2\nHEADER\n")
    if target != "gerber":
        out.parts.append("  9\n$ACADVER\n  1\nAC1009\n")
        out.tag(9, "$INSBASE")
        out.xy(10, (0.0, 0.0))
        out.tag(9, "$EXTMIN")
        out.xy(10, lo)
        out.tag(9, "$EXTMAX")
        out.xy(10, hi)
        out.tag(9, "$LIMMIN")
        out.parts.append(f" 10\n{_num(lo[0])}\n 20\n{_num(lo[1])}\n")
        out.tag(9, "$LIMMAX")
        out.parts.append(f" 10\n{_num(hi[0])}\n 20\n{_num(hi[1])}\n")
        out.parts.append("  9\n$HANDLING\n 70\n0\n")
        if day is not None:
            for var in ("$TDCREATE", "$TDUPDATE"):
                out.tag(9, var)
                out.tag(40, _num(_julian(day)))
    out.parts.append("  0\nENDSEC\n")
    if target != "gerber":
        out.parts.append(_tables())
    out.parts.append("  0\nSECTION\n  2\nBLOCKS\n")
    out.parts.append(blocks.text())
    out.parts.append("  0\nENDSEC\n  0\nSECTION\n  2\nENTITIES\n")
    out.parts.append(entities.text())
    out.parts.append("  0\nENDSEC\n  0\nEOF\n")
    return out.text(), names


def _tables() -> str:
    """LTYPE (CONTINUOUS), LAYER (0 and every AAMA/ASTM layer with a colour) and STYLE (STANDARD)."""
    layers = sorted(LAYER_COLOURS, key=int)
    parts = ["  0\nSECTION\n  2\nTABLES\n",
             "  0\nTABLE\n  2\nLTYPE\n 70\n1\n",
             "  0\nLTYPE\n  2\nCONTINUOUS\n 70\n0\n  3\nSolid line\n 72\n65\n 73\n0\n 40\n0.0\n",
             "  0\nENDTAB\n",
             f"  0\nTABLE\n  2\nLAYER\n 70\n{len(layers)}\n"]
    parts += [f"  0\nLAYER\n  2\n{name}\n 70\n0\n 62\n{LAYER_COLOURS[name]}\n  6\nCONTINUOUS\n" for name in layers]
    parts += ["  0\nENDTAB\n",
              "  0\nTABLE\n  2\nSTYLE\n 70\n1\n",
              "  0\nSTYLE\n  2\nSTANDARD\n 70\n0\n 40\n0.0\n 41\n1.0\n 50\n0.0\n 71\n0\n 42\n2.5\n"
              "  3\ntxt\n  4\n\n",
              "  0\nENDTAB\n",
              "  0\nENDSEC\n"]
    return "".join(parts)


def dxf_text(pattern: Pattern, **options) -> str:
    """The DXF file as text (options as for write_dxf)."""
    return _render(pattern, **options)[0]


def write_dxf(pattern: Pattern, path: str | os.PathLike, *, fmt: str = "aama", target: str = "generic",
              style_name: str | None = None, author: str = "c2m-tailor", creation_date=None,
              units: str = "METRIC", sizes: str = "sample", grade_rule_table: str | None = None) -> list[str]:
    """Write the pattern as an AAMA or ASTM D6673 DXF (R12) for a cutting-room target.

    fmt: "aama" or "astm" (ASTM adds notch type layers 80-83 and validation copies 84-87).
    target: "generic" | "gerber" | "lectra" | "optitex" (which sections are written, see module doc).
    sizes: "sample" writes the sample size, with numbered grade points ("# n") when the pattern is
    graded (pair it with write_rul); "all" writes every graded size as its own block (a nest).
    creation_date: ISO date (or date) for "Creation Date:" and $TDCREATE; None writes no date.
    Returns the block names written, in order.
    """
    from c2m_tailor.fileio import write_bytes_atomic

    text, names = _render(pattern, fmt=fmt, target=target, style_name=style_name, author=author,
                          creation_date=creation_date, units=units, sizes=sizes, grade_rule_table=grade_rule_table)
    write_bytes_atomic(path, text.encode("ascii"))
    return names
