"""Read AAMA / ASTM D6673 DXF files (ours and other CAD systems') back into the piece model.

Tolerant where vendors differ: keys in any case and spacing ("PIECE NAME:", "Piece Name :"),
POLYLINE or LWPOLYLINE, notches as POINTs with an angle (ASTM) or as short LINEs (older AAMA),
units from the "Units:" text (ENGLISH = inches), INSERTs anywhere (their transform is applied),
graded files as a nest of sizes or as one sample size with "# n" grade points plus a .RUL file.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from c2m_tailor.cut.common import (
    LAYER_CURVE, LAYER_CUT, LAYER_CUTOUT, LAYER_DRILL, LAYER_GRAIN, LAYER_INTERNAL, LAYER_MIRROR,
    LAYER_NOTCH, LAYER_SEW, LAYER_TURN, NOTCH_KIND_BY_LAYER, NOTCH_LAYERS, LAYER_ANNOTATION, grade_points,
)
from c2m_tailor.cut.rul import RuleTable, read_rul
from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import MATERIALS, Notch, Pattern, Piece, signed_area

_KEY_VALUE = re.compile(r"^\s*([A-Za-z][A-Za-z _\-]*?)\s*:\s*(.*?)\s*$")
_GRADE = re.compile(r"^\s*#\s*(\d+)\s*$")
MATCH_TOL_MM = 0.01
DEFAULT_NOTCH_DEPTH_MM = 6.0


def key_value(text: str) -> tuple[str, str] | None:
    """("PIECE NAME", "Front") from "Piece Name : Front"; None when the text is not a key/value."""
    match = _KEY_VALUE.match(text)
    if not match:
        return None
    return re.sub(r"[\s_\-]+", " ", match.group(1).upper()).strip(), match.group(2)


def _layer(entity) -> str:
    name = entity.dxf.layer.strip()
    try:
        return str(int(float(name)))  # "01", "1.0" -> "1"
    except ValueError:
        return name.upper()


def _poly_points(entity, transform) -> tuple[np.ndarray, bool]:
    kind = entity.dxftype()
    if kind == "LWPOLYLINE":
        pts = np.array([(p[0], p[1]) for p in entity.get_points("xy")], dtype=float)
        closed = bool(entity.closed)
    elif kind == "POLYLINE":
        pts = np.array([(v.dxf.location.x, v.dxf.location.y) for v in entity.vertices], dtype=float)
        closed = bool(entity.is_closed)
    else:  # LINE
        pts = np.array([[entity.dxf.start.x, entity.dxf.start.y], [entity.dxf.end.x, entity.dxf.end.y]])
        closed = False
    pts = transform(pts)
    if len(pts) > 2 and np.linalg.norm(pts[0] - pts[-1]) < 1e-9:
        pts, closed = pts[:-1], True
    return pts, closed


def _nearest_on_polygon(points: np.ndarray, p: np.ndarray) -> tuple[float, np.ndarray]:
    """Distance from p to a closed polygon and the inward unit normal of the nearest segment (CCW)."""
    a = points
    b = np.roll(points, -1, axis=0)
    d = b - a
    length2 = np.maximum((d * d).sum(axis=1), 1e-18)
    t = np.clip(((p - a) * d).sum(axis=1) / length2, 0.0, 1.0)
    closest = a + d * t[:, None]
    dist = np.linalg.norm(closest - p, axis=1)
    i = int(np.argmin(dist))
    direction = d[i] / np.sqrt(length2[i])
    return float(dist[i]), np.array([-direction[1], direction[0]])  # left normal = inside for CCW


class _RawPiece:
    def __init__(self, block_name: str):
        self.block_name = block_name
        self.closed_cut: list[np.ndarray] = []
        self.sew: list[np.ndarray] = []
        self.turn: list[np.ndarray] = []
        self.curve: list[np.ndarray] = []
        self.notches: list[tuple[str, np.ndarray, float | None, float, float]] = []  # layer, xy, angle, depth, width
        self.line_notches: list[tuple[str, np.ndarray, np.ndarray]] = []
        self.grain: np.ndarray | None = None
        self.fold: np.ndarray | None = None
        self.internal: list[np.ndarray] = []
        self.cutouts: list[np.ndarray] = []
        self.drills: list[np.ndarray] = []
        self.texts: dict[str, list[str]] = {}
        self.labels: dict[str, str] = {}
        self.grades: list[tuple[str, int, np.ndarray]] = []  # layer, number, position


def _collect(entities, raw: _RawPiece, transform, scale: float) -> None:
    for entity in entities:
        kind = entity.dxftype()
        layer = _layer(entity)
        if kind == "INSERT":  # nested inserts are not AAMA, but flatten them rather than lose geometry
            _collect(entity.virtual_entities(), raw, transform, scale)
            continue
        if kind == "TEXT" or kind == "MTEXT":
            text = entity.dxf.text if kind == "TEXT" else entity.plain_text()
            at = transform(np.array([[entity.dxf.insert.x, entity.dxf.insert.y]]))[0]
            grade = _GRADE.match(text)
            if grade:
                raw.grades.append((layer, int(grade.group(1)), at))
                continue
            kv = key_value(text)
            if kv is None:
                continue
            if layer == LAYER_ANNOTATION:
                raw.labels[kv[0].lower().replace(" ", "_")] = kv[1]
            else:
                raw.texts.setdefault(kv[0], []).append(kv[1])
            continue
        if kind in ("POLYLINE", "LWPOLYLINE"):
            pts, closed = _poly_points(entity, transform)
            if layer == LAYER_CUT and closed and len(pts) >= 3:
                raw.closed_cut.append(pts)
            elif layer == LAYER_SEW and len(pts) >= 3:
                raw.sew.append(pts)
            elif layer == LAYER_INTERNAL:
                raw.internal.append(pts)
            elif layer == LAYER_CUTOUT:
                raw.cutouts.append(pts)
            elif layer == LAYER_GRAIN and len(pts) >= 2:
                raw.grain = np.array([pts[0], pts[-1]])
            elif layer == LAYER_MIRROR and len(pts) >= 2:
                raw.fold = np.array([pts[0], pts[-1]])
            continue
        if kind == "LINE":
            pts, _ = _poly_points(entity, transform)
            if layer == LAYER_GRAIN:
                raw.grain = pts
            elif layer == LAYER_MIRROR:
                raw.fold = pts
            elif layer == LAYER_INTERNAL:
                raw.internal.append(pts)
            elif layer in NOTCH_LAYERS:
                raw.line_notches.append((layer, pts[0], pts[1]))
            continue
        if kind == "POINT":
            loc = entity.dxf.location
            xy = transform(np.array([[loc.x, loc.y]]))[0]
            if layer == LAYER_TURN:
                raw.turn.append(xy)
            elif layer == LAYER_CURVE:
                raw.curve.append(xy)
            elif layer == LAYER_DRILL:
                raw.drills.append(xy)
            elif layer in NOTCH_LAYERS:
                angle = entity.dxf.get("angle", None)
                depth = abs(float(loc.z)) * scale
                width = abs(float(entity.dxf.get("thickness", 0.0))) * scale
                raw.notches.append((layer, xy, None if angle is None else float(angle), depth, width))


def _make_transform(insert, scale: float):
    """Block coordinates -> drawing millimetres: the INSERT's placement, then the unit scale."""
    if insert is None:
        return lambda pts: np.asarray(pts, dtype=float) * scale
    matrix = insert.matrix44()
    identity = (insert.dxf.insert.isclose((0, 0, 0)) and insert.dxf.get("rotation", 0.0) == 0.0
                and insert.dxf.get("xscale", 1.0) == 1.0 and insert.dxf.get("yscale", 1.0) == 1.0)
    if identity:
        return lambda pts: np.asarray(pts, dtype=float) * scale

    def transform(pts):
        pts = np.asarray(pts, dtype=float)
        out = np.array([tuple(matrix.transform((x, y, 0.0)))[:2] for x, y in pts]) if len(pts) else pts
        return out * scale
    return transform


def _first(texts: dict[str, list[str]], key: str, default: str = "") -> str:
    values = texts.get(key)
    return values[0] if values else default


def _quantity(text: str) -> tuple[int, bool]:
    """AAMA Quantity: "2" -> (2, False); "1,1" (left/right pair) -> (1, True)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        numbers = [int(float(p)) for p in parts]
    except ValueError:
        return 1, False
    if not numbers:
        return 1, False
    if len(numbers) >= 2 and numbers[1] > 0:
        return numbers[0], True
    return numbers[0], False


def _build_piece(raw: _RawPiece, source: str) -> Piece | None:
    if not raw.closed_cut:
        return None
    cut = max(raw.closed_cut, key=lambda pts: abs(signed_area(pts)))
    if signed_area(cut) < 0:
        cut = cut[::-1].copy()
    turn = np.ones(len(cut), bool)
    if raw.turn or raw.curve:
        turn[:] = False
        marks = np.array(raw.turn) if raw.turn else np.zeros((0, 2))
        for i, p in enumerate(cut):
            if len(marks) and np.min(np.linalg.norm(marks - p, axis=1)) <= MATCH_TOL_MM:
                turn[i] = True
    sew = max(raw.sew, key=lambda pts: abs(signed_area(pts))) if raw.sew else cut.copy()
    if signed_area(sew) < 0:
        sew = sew[::-1].copy()

    notches = []
    for layer, xy, angle, depth, width in raw.notches:
        dist, inward = _nearest_on_polygon(cut, xy)
        if angle is None:
            angle = float(np.degrees(np.arctan2(inward[1], inward[0])))
        kind = NOTCH_KIND_BY_LAYER.get(layer, "v" if width > 0 else "slit")
        notches.append(Notch(float(xy[0]), float(xy[1]), angle % 360.0, kind,
                             "cut" if dist <= MATCH_TOL_MM * 5 else "sew", depth or DEFAULT_NOTCH_DEPTH_MM))
    for layer, a, b in raw.line_notches:
        da, _ = _nearest_on_polygon(cut, a)
        db, _ = _nearest_on_polygon(cut, b)
        base, tip = (a, b) if da <= db else (b, a)
        vec = tip - base
        notches.append(Notch(float(base[0]), float(base[1]), float(np.degrees(np.arctan2(vec[1], vec[0]))) % 360.0,
                             NOTCH_KIND_BY_LAYER.get(layer, "slit"), "cut" if min(da, db) <= MATCH_TOL_MM * 5 else "sew",
                             float(np.linalg.norm(vec)) or DEFAULT_NOTCH_DEPTH_MM))

    texts = raw.texts
    name = _first(texts, "PIECE NAME", raw.block_name) or raw.block_name
    quantity, pair = _quantity(_first(texts, "QUANTITY", "1"))
    if _first(texts, "MIRROR").upper().startswith("Y"):
        pair = True
    material = _first(texts, "MATERIAL", "fabric").strip()
    material = material.lower() if material.lower() in MATERIALS else (material or "fabric")
    grain = raw.grain
    labels = dict(raw.labels)
    if grain is None:  # a piece without a grain line: assume the straight grain along y, say so
        lo, hi = cut.min(axis=0), cut.max(axis=0)
        mid = (lo + hi) / 2.0
        span = 0.3 * (hi[1] - lo[1])
        grain = np.array([[mid[0], mid[1] - span], [mid[0], mid[1] + span]])
        labels["grain_line"] = "assumed (none in file)"
    known = {"PIECE NAME", "SIZE", "QUANTITY", "CATEGORY", "MATERIAL", "ANNOTATION", "MIRROR"}
    for key, values in texts.items():
        if key not in known:
            labels[key.lower().replace(" ", "_")] = values[0]
    try:
        piece = Piece(
            name=name, sew_line=sew, cut_line=cut, cut_turn_points=turn, grain_line=grain,
            notches=notches, fold_line=raw.fold, internal_lines=raw.internal, internal_cutouts=raw.cutouts,
            drill_holes=[(float(x), float(y)) for x, y in raw.drills], quantity=quantity, mirrored_pair=pair,
            material=material, category=_first(texts, "CATEGORY"), size=_first(texts, "SIZE", "MTM") or "MTM",
            annotation=list(texts.get("ANNOTATION", [])), labels=labels,
        )
    except ValueError as exc:
        raise BadInput(f"{source}: block {raw.block_name!r} has unusable geometry: {exc}") from None
    piece._grades = raw.grades  # type: ignore[attr-defined]  # consumed by _apply_rules
    return piece


def _grade_index(piece: Piece, grades: list[tuple[str, int, np.ndarray]]) -> dict[int, tuple[str, int]]:
    """rule number -> (what, index) of the grade point its "# n" text sits on (same layer, 0.01 mm)."""
    points = grade_points(piece)
    out: dict[int, tuple[str, int]] = {}
    for layer, number, at in grades:
        best, best_d = None, MATCH_TOL_MM
        for what, point_layer, index, xy in points:
            if point_layer != layer and not (layer in NOTCH_LAYERS and point_layer == LAYER_NOTCH):
                continue
            d = float(np.hypot(xy[0] - at[0], xy[1] - at[1]))
            if d <= best_d:
                best, best_d = (what, index), d
        if best is not None:
            out[number] = best
    return out


def _moved(piece: Piece, moves: dict[tuple[str, int], np.ndarray], size: str) -> Piece:
    def line(what: str, pts: np.ndarray) -> np.ndarray:
        pts = pts.copy()
        for i in range(len(pts)):
            if (what, i) in moves:
                pts[i] = pts[i] + moves[(what, i)]
        return pts

    notches = []
    for i, n in enumerate(piece.notches):
        d = moves.get(("notch", i), np.zeros(2))
        notches.append(replace(n, x=n.x + float(d[0]), y=n.y + float(d[1])))
    drills = []
    for i, (x, y) in enumerate(piece.drill_holes):
        d = moves.get(("drill", i), np.zeros(2))
        drills.append((x + float(d[0]), y + float(d[1])))
    return replace(
        piece, size=size, cut_line=line("cut", piece.cut_line), sew_line=line("sew", piece.sew_line),
        cut_turn_points=piece.cut_turn_points.copy(), grain_line=line("grain", piece.grain_line),
        fold_line=None if piece.fold_line is None else line("fold", piece.fold_line),
        internal_lines=[line(f"internal{k}", p) for k, p in enumerate(piece.internal_lines)],
        internal_cutouts=[line(f"cutout{k}", p) for k, p in enumerate(piece.internal_cutouts)],
        notches=notches, drill_holes=drills,
    )


def _apply_rules(pieces: list[Piece], table: RuleTable, source: str) -> dict[str, list[Piece]]:
    graded: dict[str, list[Piece]] = {size: [] for size in table.sizes}
    for piece in pieces:
        index = _grade_index(piece, getattr(piece, "_grades", []))
        for s, size in enumerate(table.sizes):
            moves = {}
            for number, target in index.items():
                if number not in table.rules:
                    raise BadInput(f"{source}: grade point # {number} has no rule in the RUL file")
                moves[target] = table.rules[number][s]
            graded[size].append(_moved(piece, moves, size))
    return graded


def read_dxf(path: str | os.PathLike, *, rul_path: str | os.PathLike | None = None,
             find_rul: bool = True) -> Pattern:
    """Load an AAMA/ASTM DXF as a Pattern (geometry in mm, pieces as laid out in the file).

    A graded file: with a RUL file (given, or beside the DXF with the same stem when find_rul) the
    sample pieces are graded by their "# n" points into pattern.graded; a nest of sizes (one block
    per piece and size) is grouped by piece name into pattern.graded.
    """
    from ezdxf import recover
    from ezdxf.lldxf.const import DXFStructureError

    path = Path(path)
    try:
        doc, _ = recover.readfile(str(path))
    except (OSError, DXFStructureError) as exc:
        raise BadInput(f"cannot read DXF {path}: {exc}") from None
    msp = doc.modelspace()

    style: dict[str, str] = {}
    for entity in msp:
        if entity.dxftype() == "TEXT":
            kv = key_value(entity.dxf.text)
            if kv:
                style.setdefault(kv[0], kv[1])
    units = style.get("UNITS", "").upper()
    if not units:
        for block in doc.blocks:
            for entity in block.query("TEXT"):
                kv = key_value(entity.dxf.text)
                if kv and kv[0] == "UNITS":
                    units = kv[1].upper()
    if not units:
        units = "ENGLISH" if doc.header.get("$INSUNITS", 0) == 1 or doc.header.get("$MEASUREMENT", 1) == 0 else "METRIC"
    scale = 25.4 if units.startswith("ENGLISH") or units.startswith("INCH") else 1.0

    inserts = [e for e in msp if e.dxftype() == "INSERT"]
    if inserts:
        sources = [(e.dxf.name, e) for e in inserts]
    else:
        sources = [(b.name, None) for b in doc.blocks if not b.name.startswith(("*", "$"))]
    pieces: list[Piece] = []
    for name, insert in sources:
        if name not in doc.blocks:
            continue
        raw = _RawPiece(name)
        _collect(doc.blocks.get(name), raw, _make_transform(insert, scale), scale)
        piece = _build_piece(raw, str(path))
        if piece is not None:
            pieces.append(piece)
    if not pieces:
        raise BadInput(f"{path} has no pattern pieces (no block with a closed cut line on layer 1)")

    sample_size = style.get("SAMPLE SIZE", "")
    meta = {"source": path.name, "units": units or "METRIC"}
    for key in ("AUTHOR", "CREATION DATE", "GRADE RULE TABLE"):
        if key in style:
            meta[key.lower().replace(" ", "_")] = style[key]
    pattern_style = style.get("STYLE NAME", path.stem)

    if rul_path is None and find_rul:
        for suffix in (".rul", ".RUL", ".Rul"):
            candidate = path.with_suffix(suffix)
            if candidate.is_file():
                rul_path = candidate
                break
    graded: dict[str, list[Piece]] = {}
    names = [p.name for p in pieces]
    if rul_path is not None and any(getattr(p, "_grades", []) for p in pieces):
        table = read_rul(rul_path)
        graded = _apply_rules(pieces, table, str(path))
        sample_size = sample_size or table.sample_size
        meta["grade_rule_table"] = table.name or meta.get("grade_rule_table", "")
        sample = graded.get(sample_size, pieces)
        pieces = sample
    elif len(set(names)) < len(names):  # a nest: the same piece in several sizes
        by_size: dict[str, list[Piece]] = {}
        for p in pieces:
            by_size.setdefault(p.size, []).append(p)
        order = [p.name for p in next(iter(by_size.values()))]
        if all([p.name for p in ps] == order for ps in by_size.values()):
            graded = by_size
            sample_size = sample_size if sample_size in by_size else next(iter(by_size))
            pieces = by_size[sample_size]
    for p in pieces:
        p.__dict__.pop("_grades", None)
    for ps in graded.values():
        for p in ps:
            p.__dict__.pop("_grades", None)
    if not sample_size:
        sample_size = pieces[0].size
    return Pattern(style=pattern_style, options={}, pieces=pieces, sample_size=sample_size, graded=graded, meta=meta)
