"""AAMA / ASTM D6673 DXF writer (R12, via ezdxf), deterministic to the byte.

File layout (both conventions): one BLOCK per piece holding all its entities, one INSERT of each
block at the origin in ENTITIES, no nested inserts, style text in ENTITIES. Pieces are laid side by
side inside their blocks (bounding boxes on y=0, 20 mm apart) because every INSERT sits at the origin.

Per target (the sections ezdxf would write by default are chosen, not taken):
- generic: HEADER (a few variables), TABLES, the $Model_Space/$Paper_Space layout blocks and the
  pieces: a complete R12 file for any CAD program (LibreCAD, AutoCAD, dime).
- gerber: what ezdxf's gerber_D6673 add-on writes: empty HEADER, no TABLES, no layout blocks
  (AccuMark takes every block for a piece and rejects the empty layout blocks: ezdxf issue #786).
- lectra, optitex: HEADER and TABLES (layer table) but no layout blocks: both read every block as a
  piece (Optitex "Separate the DXF blocks"), and ASTM D6673 says every block is one.
Determinism: no handles, no ezdxf metadata (its XDATA carries a timestamp), $TDCREATE/$TDUPDATE only
from the given creation date, coordinates rounded to 1e-6 mm.
"""

from __future__ import annotations

import datetime as _dt
import io
import os

import numpy as np

from c2m_tailor.cut.common import (
    ASTM_NOTCH_LAYERS, AAMA_NOTCH_LAYERS, FORMATS, LAYER_ANNOTATION, LAYER_CURVE, LAYER_CUT, LAYER_CUTOUT,
    LAYER_DRILL, LAYER_GRAIN, LAYER_INTERNAL, LAYER_MIRROR, LAYER_SEW, LAYER_TURN, LAYER_VALID_CUT,
    LAYER_VALID_CUTOUT, LAYER_VALID_INTERNAL, LAYER_VALID_SEW, NOTCH_WIDTH_MM, TARGETS, ascii_text,
    block_names, check_pattern, grade_points, laid_out,
)
from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import Pattern, Piece

PIECE_TEXT_HEIGHT = 4.0
GRADE_TEXT_HEIGHT = 1.5
STYLE_TEXT_HEIGHT = 5.0
LINE_PITCH = 1.5  # text line spacing as a multiple of the text height

# Layer colours (ACI) so a plain CAD viewer tells the layers apart.
LAYER_COLOURS = {"0": 7, "1": 7, "2": 1, "3": 3, "4": 1, "6": 5, "7": 4, "8": 6, "11": 30, "13": 1,
                 "14": 8, "15": 2, "80": 1, "81": 1, "82": 1, "83": 1, "84": 9, "85": 9, "86": 9, "87": 9}


def _r(v: float) -> float:
    return round(float(v), 6) + 0.0  # + 0.0 turns -0.0 into 0.0


def _xy(p) -> tuple[float, float]:
    return (_r(p[0]), _r(p[1]))


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
    """Julian day number at 00:00 of the day (the unit of $TDCREATE)."""
    return float(day.toordinal() + 1721424.5)


def _centroid(points: np.ndarray) -> np.ndarray:
    x, y = points[:, 0], points[:, 1]
    xs, ys = np.roll(x, -1), np.roll(y, -1)
    cross = x * ys - xs * y
    area = cross.sum() / 2.0
    if abs(area) < 1e-9:
        return points.mean(axis=0)
    return np.array([((x + xs) * cross).sum(), ((y + ys) * cross).sum()]) / (6.0 * area)


def piece_text_lines(piece: Piece, size: str | None = None) -> list[str]:
    """The AAMA piece text of a piece, in the conventional order."""
    lines = [f"Piece Name: {ascii_text(piece.name)}", f"Size: {ascii_text(size or piece.size)}",
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


def _add_text(layout, text: str, at, height: float, layer: str) -> None:
    layout.add_text(text, height=height, dxfattribs={"layer": layer, "insert": _xy(at)})


def _add_polyline(layout, points: np.ndarray, layer: str, closed: bool) -> None:
    layout.add_polyline2d([_xy(p) for p in points], close=closed, dxfattribs={"layer": layer})


def _add_piece(block, piece: Piece, fmt: str, size: str, rules: list[tuple[str, int, np.ndarray]] | None) -> None:
    astm = fmt == "astm"
    # Cut line: one closed polyline, its vertices as turn (2) or curve (3) points.
    _add_polyline(block, piece.cut_line, LAYER_CUT, True)
    for point, turn in zip(piece.cut_line, piece.cut_turn_points):
        block.add_point(_xy(point), dxfattribs={"layer": LAYER_TURN if turn else LAYER_CURVE})
    if astm:
        _add_polyline(block, piece.cut_line, LAYER_VALID_CUT, True)
    if not np.array_equal(piece.sew_line, piece.cut_line):
        _add_polyline(block, piece.sew_line, LAYER_SEW, True)
        if astm:
            _add_polyline(block, piece.sew_line, LAYER_VALID_SEW, True)
    for line in piece.internal_lines:
        _add_polyline(block, line, LAYER_INTERNAL, False)
        if astm:
            _add_polyline(block, line, LAYER_VALID_INTERNAL, False)
    for line in piece.internal_cutouts:
        _add_polyline(block, line, LAYER_CUTOUT, True)
        if astm:
            _add_polyline(block, line, LAYER_VALID_CUTOUT, True)
    notch_layers = ASTM_NOTCH_LAYERS if astm else AAMA_NOTCH_LAYERS
    for notch in piece.notches:
        # POINT on the line; z carries the notch depth, group 50 its direction into the piece and,
        # for V/T/castle notches, the thickness (39) its opening width (ASTM D6673 convention).
        attribs = {"layer": notch_layers.get(notch.kind, notch_layers["slit"]), "angle": _r(notch.angle_deg % 360.0)}
        if notch.kind != "slit":
            attribs["thickness"] = NOTCH_WIDTH_MM
        block.add_point((_r(notch.x), _r(notch.y), _r(notch.depth_mm)), dxfattribs=attribs)
    block.add_line(_xy(piece.grain_line[0]), _xy(piece.grain_line[1]), dxfattribs={"layer": LAYER_GRAIN})
    if piece.fold_line is not None:
        block.add_line(_xy(piece.fold_line[0]), _xy(piece.fold_line[1]), dxfattribs={"layer": LAYER_MIRROR})
    for hole in piece.drill_holes:
        block.add_point(_xy(hole), dxfattribs={"layer": LAYER_DRILL})
    # Piece text (layer 1) from the middle of the piece downwards; labels as annotation (layer 15).
    anchor = _centroid(piece.sew_line)
    lines = piece_text_lines(piece, size)
    step = PIECE_TEXT_HEIGHT * LINE_PITCH
    top = anchor + np.array([-30.0, step * (len(lines) - 1) / 2.0])
    for i, text in enumerate(lines):
        _add_text(block, text, top - np.array([0.0, i * step]), PIECE_TEXT_HEIGHT, LAYER_CUT)
    below = top - np.array([0.0, len(lines) * step])
    for i, (key, value) in enumerate(sorted(piece.labels.items())):
        _add_text(block, f"{ascii_text(key)}: {ascii_text(value)}", below - np.array([0.0, i * step]),
                  PIECE_TEXT_HEIGHT, LAYER_ANNOTATION)
    if rules:
        for layer, number, at in rules:
            _add_text(block, f"# {number}", at, GRADE_TEXT_HEIGHT, layer)


def build_document(pattern: Pattern, *, fmt: str = "aama", style_name: str | None = None, author: str = "c2m-tailor",
                   creation_date=None, units: str = "METRIC", sizes: str = "sample",
                   grade_rule_table: str | None = None):
    """The ezdxf R12 document of the pattern (blocks, inserts, texts), before the target decides how
    it is written. Returns (doc, block names in order)."""
    import ezdxf

    if fmt not in FORMATS:
        raise BadInput(f"DXF format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if units != "METRIC":
        raise BadInput(f"only METRIC units are written (millimetres), not {units!r}")
    if sizes not in ("sample", "all"):
        raise BadInput(f"sizes must be 'sample' or 'all', not {sizes!r}")
    check_pattern(pattern)
    day = _date(creation_date)

    doc = ezdxf.new("R12", setup=False)
    for name in sorted(LAYER_COLOURS, key=int):
        if name not in doc.layers:
            doc.layers.add(name, color=LAYER_COLOURS[name])
    msp = doc.modelspace()

    graded = bool(pattern.graded)
    if graded and grade_rule_table is None:
        grade_rule_table = ascii_text(pattern.style) or "RULES"
    if sizes == "all" and graded:
        rows = [(size, pieces) for size, pieces in pattern.graded.items()]
    else:
        rows = [(pattern.sample_size if graded else None, pattern.pieces)]

    placed: list[tuple[str | None, Piece, Piece]] = []
    y_cursor = 0.0
    for size, pieces in rows:
        row = laid_out(pieces)
        if y_cursor:
            row = [_shift_y(p, y_cursor) for p in row]
        height = max(float(p.cut_line[:, 1].max() - p.cut_line[:, 1].min()) for p in pieces)
        y_cursor += height + 60.0
        placed += [(size, original, p) for original, p in zip(pieces, row)]

    names = block_names([orig.name for _, orig, _ in placed],
                        [size if (sizes == "all" and graded) else "" for size, _, _ in placed])

    rule_no = 0
    for (size, _, piece), name in zip(placed, names):
        rules = None
        if graded and sizes == "sample":
            rules = []
            for what, layer, _, point in grade_points(piece):
                rule_no += 1
                rules.append((layer, rule_no, point))
        block = doc.blocks.new(name)
        _add_piece(block, piece, fmt, size or piece.size, rules)

    text_y = -2.0 * STYLE_TEXT_HEIGHT
    for i, line in enumerate(style_text_lines(pattern, style_name, author, day, grade_rule_table, units)):
        _add_text(msp, line, (0.0, text_y - i * STYLE_TEXT_HEIGHT * LINE_PITCH), STYLE_TEXT_HEIGHT, LAYER_CUT)
    for name in names:
        msp.add_blockref(name, (0.0, 0.0), dxfattribs={"layer": LAYER_CUT})
    return doc, names, day


def _shift_y(piece: Piece, dy: float) -> Piece:
    from c2m_tailor.cut.common import translate_piece

    return translate_piece(piece, np.array([0.0, dy]))


def _extents(doc) -> tuple[tuple[float, float], tuple[float, float]]:
    points = []
    for block in doc.blocks:
        if block.name.startswith("$") or block.name.startswith("*"):
            continue
        for entity in block:
            if entity.dxftype() == "POLYLINE":
                points += [(v.dxf.location.x, v.dxf.location.y) for v in entity.vertices]
    for entity in doc.modelspace():
        if entity.dxftype() == "TEXT":
            points.append((entity.dxf.insert.x, entity.dxf.insert.y))
    arr = np.array(points) if points else np.zeros((1, 2))
    lo, hi = arr.min(axis=0), arr.max(axis=0)
    return (_r(lo[0]), _r(lo[1])), (_r(hi[0]), _r(hi[1]))


def _write_header(tagwriter, doc, day: _dt.date | None) -> None:
    lo, hi = _extents(doc)
    tagwriter.write_str("  0\nSECTION\n  2\nHEADER\n")
    tagwriter.write_tag2(9, "$ACADVER")
    tagwriter.write_tag2(1, "AC1009")
    tagwriter.write_tag2(9, "$INSBASE")
    tagwriter.write_vertex(10, (0.0, 0.0, 0.0))
    tagwriter.write_tag2(9, "$EXTMIN")
    tagwriter.write_vertex(10, (lo[0], lo[1], 0.0))
    tagwriter.write_tag2(9, "$EXTMAX")
    tagwriter.write_vertex(10, (hi[0], hi[1], 0.0))
    tagwriter.write_tag2(9, "$LIMMIN")
    tagwriter.write_vertex(10, (lo[0], lo[1]))
    tagwriter.write_tag2(9, "$LIMMAX")
    tagwriter.write_vertex(10, (hi[0], hi[1]))
    tagwriter.write_tag2(9, "$HANDLING")
    tagwriter.write_tag2(70, 0)
    if day is not None:
        for var in ("$TDCREATE", "$TDUPDATE"):
            tagwriter.write_tag2(9, var)
            tagwriter.write_tag2(40, _julian(day))
    tagwriter.write_tag2(0, "ENDSEC")


def dxf_text(pattern: Pattern, **options) -> str:
    """The DXF file as text (options as for write_dxf)."""
    return _render(pattern, **options)[0]


def _render(pattern: Pattern, *, fmt: str = "aama", target: str = "generic", style_name: str | None = None,
            author: str = "c2m-tailor", creation_date=None, units: str = "METRIC", sizes: str = "sample",
            grade_rule_table: str | None = None) -> tuple[str, list[str]]:
    from ezdxf.lldxf.const import DXF12
    from ezdxf.lldxf.tagwriter import TagWriter

    if target not in TARGETS:
        raise BadInput(f"DXF target must be one of {', '.join(TARGETS)}, not {target!r}")
    doc, names, day = build_document(pattern, fmt=fmt, style_name=style_name, author=author,
                                 creation_date=creation_date, units=units, sizes=sizes,
                                 grade_rule_table=grade_rule_table)
    # ezdxf keeps its metadata (version and a timestamp) as XDATA on the model space block.
    doc.modelspace().block_record.block.discard_xdata("EZDXF")

    stream = io.StringIO()
    tagwriter = TagWriter(stream, write_handles=False, dxfversion=DXF12)
    if target == "gerber":
        tagwriter.write_str("  0\nSECTION\n  2\nHEADER\n")
        tagwriter.write_tag2(0, "ENDSEC")
    else:
        _write_header(tagwriter, doc, day)
        _write_tables(tagwriter, doc)
    tagwriter.write_str("  0\nSECTION\n  2\nBLOCKS\n")
    for block_record in doc.block_records:
        if block_record.is_block_layout or target == "generic":
            block_record.export_block_definition(tagwriter)
    tagwriter.write_tag2(0, "ENDSEC")
    tagwriter.write_str("  0\nSECTION\n  2\nENTITIES\n")
    doc.modelspace().entity_space.export_dxf(tagwriter)
    tagwriter.write_tag2(0, "ENDSEC")
    tagwriter.write_tag2(0, "EOF")
    return stream.getvalue(), names


def _write_tables(tagwriter, doc) -> None:
    """Only the tables an R12 reader needs: LTYPE (CONTINUOUS) and LAYER. No APPID (ezdxf's own)."""
    tagwriter.write_str("  0\nSECTION\n  2\nTABLES\n")
    for table in (doc.linetypes, doc.layers, doc.styles):
        table.export_dxf(tagwriter)
    tagwriter.write_tag2(0, "ENDSEC")


def write_dxf(pattern: Pattern, path: str | os.PathLike, *, fmt: str = "aama", target: str = "generic",
              style_name: str | None = None, author: str = "c2m-tailor", creation_date=None,
              units: str = "METRIC", sizes: str = "sample", grade_rule_table: str | None = None) -> list[str]:
    """Write the pattern as an AAMA or ASTM D6673 DXF (R12) for the given cutting-room target.

    `sizes="sample"` writes the sample size (with numbered grade points when the pattern is graded:
    pair it with write_rul); `sizes="all"` writes every graded size as its own block (a nest).
    Returns the block names written, in order.
    """
    from c2m_tailor.fileio import write_bytes_atomic

    text, names = _render(pattern, fmt=fmt, target=target, style_name=style_name, author=author,
                          creation_date=creation_date, units=units, sizes=sizes, grade_rule_table=grade_rule_table)
    write_bytes_atomic(path, text.encode("ascii", errors="replace"))
    return names
