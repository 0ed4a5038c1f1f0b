"""Shared pieces of the cut stage: AAMA/ASTM layer numbers, ASCII-safe names, piece layout, grade points.

Everything here is pure numpy/stdlib so the writers and the reader agree on one definition of each
rule (which layer holds what, how a name is made a block name, which points are grade points).
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from typing import Iterable

import numpy as np

from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import Notch, Pattern, Piece

# AAMA / ASTM D6673 layer numbers (layer names are these numbers as text).
LAYER_CUT = "1"  # boundary (cut line) and piece text
LAYER_TURN = "2"  # turn points
LAYER_CURVE = "3"  # curve points
LAYER_NOTCH = "4"  # slit and V notches
LAYER_MIRROR = "6"  # mirror / fold line
LAYER_GRAIN = "7"  # grain line
LAYER_INTERNAL = "8"  # internal lines (darts, placement lines)
LAYER_CUTOUT = "11"  # internal cut-outs
LAYER_DRILL = "13"  # drill holes
LAYER_SEW = "14"  # sew line
LAYER_ANNOTATION = "15"  # annotation text
# ASTM D6673 only: notch types beyond slit/V, and the "quality validation" copies of lines.
LAYER_NOTCH_T = "80"
LAYER_NOTCH_CASTLE = "81"
LAYER_NOTCH_CHECK = "82"
LAYER_NOTCH_U = "83"
LAYER_VALID_CUT = "84"  # copy of the boundary
LAYER_VALID_INTERNAL = "85"  # copy of the internal lines
LAYER_VALID_CUTOUT = "86"  # copy of the internal cut-outs
LAYER_VALID_SEW = "87"  # copy of the sew line

# Notch kind -> layer. AAMA has one notch layer; ASTM sorts them by type.
AAMA_NOTCH_LAYERS = {"slit": LAYER_NOTCH, "v": LAYER_NOTCH, "t": LAYER_NOTCH, "castle": LAYER_NOTCH}
ASTM_NOTCH_LAYERS = {"slit": LAYER_NOTCH, "v": LAYER_NOTCH, "t": LAYER_NOTCH_T, "castle": LAYER_NOTCH_CASTLE}
NOTCH_LAYERS = {LAYER_NOTCH, LAYER_NOTCH_T, LAYER_NOTCH_CASTLE, LAYER_NOTCH_CHECK, LAYER_NOTCH_U}
# Reading: a type layer gives the kind; layer 4 does not tell slit from V (ASTM stores V width in
# the POINT thickness, which we use to tell them apart).
NOTCH_KIND_BY_LAYER = {LAYER_NOTCH_T: "t", LAYER_NOTCH_CASTLE: "castle", LAYER_NOTCH_CHECK: "v", LAYER_NOTCH_U: "v"}
# Opening width written for V/T/castle notches (POINT thickness, ASTM convention); slits have none.
NOTCH_WIDTH_MM = 4.0

BLOCK_NAME_MAX = 20
FORMATS = ("aama", "astm")
TARGETS = ("generic", "gerber", "lectra", "optitex")
LAYOUT_GAP_MM = 20.0
TEST_SQUARE_MM = 100.0


# Letters NFKD does not decompose, and typographic punctuation, with their usual ASCII spelling.
_ASCII_SPELLING = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "–": "-", "—": "-", "‐": "-",
    "‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "…": "...", "×": "x", "°": " deg",
})


@functools.lru_cache(maxsize=4096)
def ascii_text(text: str) -> str:
    """7-bit ASCII for DXF/HPGL text (ASTM D6673 allows only ASCII): accents dropped, others '?'."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_ASCII_SPELLING))
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        code = ord(ch)
        if 32 <= code < 127:
            out.append(ch)
        elif ch in "\t\n\r":
            out.append(" ")
        else:
            out.append("?")
    return "".join(out).strip()


_NAME_BAD = re.compile(r"[^A-Za-z0-9_\-]+")


def block_names(names: Iterable[str], suffixes: Iterable[str] | None = None) -> list[str]:
    """Unique ASCII block names of at most 20 characters, in input order.

    A customer's non-ASCII text never reaches a block name: every character outside [A-Za-z0-9_-]
    becomes '_' (accented letters lose the accent first), and clashes get a numeric suffix.
    """
    names = list(names)
    suffixes = list(suffixes) if suffixes is not None else [""] * len(names)
    used: set[str] = set()
    out = []
    for name, suffix in zip(names, suffixes):
        base = _NAME_BAD.sub("_", ascii_text(name).replace("?", "_")).strip("_") or "PIECE"
        tail = ("-" + _NAME_BAD.sub("_", ascii_text(suffix)).strip("_")) if suffix else ""
        tail = tail[: BLOCK_NAME_MAX // 2]
        candidate = base[: BLOCK_NAME_MAX - len(tail)].rstrip("_-") + tail
        n = 2
        while candidate.upper() in used:  # DXF names are case-insensitive
            mark = f"_{n}"  # R12 names allow letters, digits, "$", "-" and "_" only
            candidate = base[: BLOCK_NAME_MAX - len(tail) - len(mark)].rstrip("_-") + mark + tail
            n += 1
        used.add(candidate.upper())
        out.append(candidate)
    return out


def translate_piece(piece: Piece, offset: np.ndarray) -> Piece:
    """A copy of the piece moved by offset (all geometry, notches, drill holes, anchors).

    A shallow copy with new arrays: the geometry was validated when the piece was made, and a
    translation keeps it valid (re-running Piece.__post_init__ for every layout costs milliseconds).
    """
    dx, dy = float(offset[0]), float(offset[1])
    shift = np.array([dx, dy])
    moved = copy.copy(piece)
    moved.sew_line = piece.sew_line + shift
    moved.cut_line = piece.cut_line + shift
    moved.cut_turn_points = piece.cut_turn_points.copy()
    moved.grain_line = piece.grain_line + shift
    moved.notches = [Notch(n.x + dx, n.y + dy, n.angle_deg, n.kind, n.on, n.depth_mm, n.name)  # (not replace(): slow)
                     for n in piece.notches]
    moved.fold_line = None if piece.fold_line is None else piece.fold_line + shift
    moved.internal_lines = [p + shift for p in piece.internal_lines]
    moved.internal_cutouts = [p + shift for p in piece.internal_cutouts]
    moved.drill_holes = [(x + dx, y + dy) for x, y in piece.drill_holes]
    moved.edges = list(piece.edges)
    moved.annotation = list(piece.annotation)
    moved.labels = dict(piece.labels)
    moved.anchors = {k: (dict(v, x=v["x"] + dx, y=v["y"] + dy) if "x" in v and "y" in v else dict(v))
                     for k, v in piece.anchors.items()}
    return moved


def layout_offsets(pieces: list[Piece], start_x: float = 0.0, gap: float = LAYOUT_GAP_MM) -> list[np.ndarray]:
    """Offsets that set the pieces side by side in a row, bounding boxes on y=0 with a gap.

    Cutting-room files put every INSERT at the origin, so the layout lives in the block geometry.
    Applying the layout twice gives the same result (a file we read and write again stays put).
    """
    offsets = []
    cursor = start_x
    for piece in pieces:
        lo = piece.cut_line.min(axis=0)
        hi = piece.cut_line.max(axis=0)
        offsets.append(np.array([cursor - lo[0], -lo[1]]))
        cursor += float(hi[0] - lo[0]) + gap
    return offsets


def laid_out(pieces: list[Piece], start_x: float = 0.0) -> list[Piece]:
    return [translate_piece(p, o) for p, o in zip(pieces, layout_offsets(pieces, start_x))]


def grade_points(piece: Piece) -> list[tuple[str, str, int, np.ndarray]]:
    """The points of a piece that carry a grade rule: (what, layer, index, xy), in a fixed order.

    Every vertex of every line is a grade point (a graded nest has equal vertex counts, so vertex i
    is the same point in every size); then notches, drill holes and the grain/fold line ends.
    """
    out: list[tuple[str, str, int, np.ndarray]] = []
    out += [("cut", LAYER_CUT, i, p) for i, p in enumerate(piece.cut_line)]
    out += [("sew", LAYER_SEW, i, p) for i, p in enumerate(piece.sew_line)]
    for k, line in enumerate(piece.internal_lines):
        out += [(f"internal{k}", LAYER_INTERNAL, i, p) for i, p in enumerate(line)]
    for k, line in enumerate(piece.internal_cutouts):
        out += [(f"cutout{k}", LAYER_CUTOUT, i, p) for i, p in enumerate(line)]
    out += [("notch", LAYER_NOTCH, i, np.array([n.x, n.y])) for i, n in enumerate(piece.notches)]
    out += [("drill", LAYER_DRILL, i, np.array(h)) for i, h in enumerate(piece.drill_holes)]
    out += [("grain", LAYER_GRAIN, i, p) for i, p in enumerate(piece.grain_line)]
    if piece.fold_line is not None:
        out += [("fold", LAYER_MIRROR, i, p) for i, p in enumerate(piece.fold_line)]
    return out


def check_pattern(pattern: Pattern) -> None:
    """Raise BadInput when the pattern cannot be written (no pieces, graded sizes that disagree)."""
    if not pattern.pieces:
        raise BadInput(f"pattern {pattern.style!r} has no pieces to write")
    for piece in pattern.pieces:
        if len(piece.cut_line) < 3:
            raise BadInput(f"piece {piece.name!r} has a cut line of fewer than 3 points")
    if pattern.graded:
        if pattern.sample_size not in pattern.graded:
            raise BadInput(f"graded pattern {pattern.style!r} lacks its sample size {pattern.sample_size!r}")
        for size, pieces in pattern.graded.items():
            if len(pieces) != len(pattern.pieces):
                raise BadInput(f"size {size!r} has {len(pieces)} pieces, the sample has {len(pattern.pieces)}")
            for sample, other in zip(pattern.pieces, pieces):
                if _shape_signature(sample) != _shape_signature(other):
                    raise BadInput(f"piece {sample.name!r} in size {size!r} does not have the sample's vertex "
                                   "counts, so it cannot be graded by rules")


def _shape_signature(piece: Piece) -> tuple:
    return (len(piece.cut_line), len(piece.sew_line), tuple(len(x) for x in piece.internal_lines),
            tuple(len(x) for x in piece.internal_cutouts), len(piece.notches), len(piece.drill_holes),
            piece.fold_line is None)
