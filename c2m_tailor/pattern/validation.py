"""Pattern validation: what a pattern maker checks by hand, measured on the pieces themselves.

Every number here is measured on the drafted geometry (sew and cut lines, marks), never copied from
the drafting formulas: seam walking (sewn lengths of joined edges), fit (girths and lengths across
the sew lines against body + designed ease) and geometry (closed simple lines, seam allowance width,
notches on their lines, grain inside, identity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from c2m_tailor.pattern import geometry as geo
from c2m_tailor.pattern.model import Pattern, Piece, signed_area

SEAM_TOLERANCE_MM = 1.0
FIT_TOLERANCE_MM = 1.0
ALLOWANCE_TOLERANCE_MM = 0.1
NOTCH_TOLERANCE_MM = 0.5
CURVE_KINK_DEG = 30.0  # largest turn allowed between neighbouring samples inside a curve


@dataclass
class Check:
    name: str
    passed: bool
    measured: float | None = None
    expected: float | None = None
    tolerance: float | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        def num(v):
            return None if v is None else round(float(v), 3)
        return {"name": self.name, "passed": self.passed, "measured": num(self.measured),
                "expected": num(self.expected), "tolerance": num(self.tolerance), "message": self.message}


@dataclass
class ValidationReport:
    style: str
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict[str, Any]:
        return {"style": self.style, "passed": self.passed, "checks": [c.to_dict() for c in self.checks],
                "failures": len(self.failures), "total": len(self.checks)}

    def to_junit_xml(self) -> str:
        """JUnit XML (one testcase per check) for CI dashboards."""
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 f'<testsuites name="c2m-tailor validate" tests="{len(self.checks)}" failures="{len(self.failures)}">',
                 f'  <testsuite name={quoteattr("pattern." + self.style)} tests="{len(self.checks)}" '
                 f'failures="{len(self.failures)}" errors="0" skipped="0">']
        for c in self.checks:
            group, _, leaf = c.name.rpartition(".")
            classname = quoteattr(f"pattern.{self.style}" + (f".{group}" if group else ""))
            lines.append(f'    <testcase classname={classname} name={quoteattr(leaf or c.name)}>')
            if not c.passed:
                detail = f"measured {c.measured} expected {c.expected} tolerance {c.tolerance}"
                lines.append(f'      <failure message={quoteattr(c.message or "failed")}>{escape(detail)}</failure>')
            lines.append("    </testcase>")
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# measuring helpers

def _crossings(points: np.ndarray, axis: int, value: float) -> np.ndarray:
    """Coordinates (along the other axis) where the closed polygon crosses axis == value."""
    a = points[:, axis]
    b = geo.following(points)[:, axis]
    other_a = points[:, 1 - axis]
    other_b = geo.following(points)[:, 1 - axis]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    hit = (lo <= value) & (value < hi)  # half-open: a vertex on the line counts once
    if not hit.any():
        return np.empty(0)
    t = (value - a[hit]) / (b[hit] - a[hit])
    return other_a[hit] + t * (other_b[hit] - other_a[hit])


def _dart_opening_across(line: np.ndarray, axis: int, value: float) -> float:
    xs = []
    for p, q in zip(line[:-1], line[1:]):
        lo, hi = sorted((p[axis], q[axis]))
        if lo <= value <= hi and hi > lo:
            t = (value - p[axis]) / (q[axis] - p[axis])
            xs.append(p[1 - axis] + t * (q[1 - axis] - p[1 - axis]))
    return max(xs) - min(xs) if len(xs) >= 2 else 0.0


def _points_polyline_distances(points: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Distance of every point (k, 2) to the open polyline, in one vectorised pass."""
    seg = poly[1:] - poly[:-1]
    len2 = np.maximum(np.einsum("ij,ij->i", seg, seg), 1e-18)
    rel_x = points[:, :1] - poly[None, :-1, 0]
    rel_y = points[:, 1:] - poly[None, :-1, 1]
    t = np.clip((rel_x * seg[:, 0] + rel_y * seg[:, 1]) / len2, 0.0, 1.0)
    dx = rel_x - seg[:, 0] * t
    dy = rel_y - seg[:, 1] * t
    return np.sqrt((dx * dx + dy * dy).min(axis=1))


def _ring(points: np.ndarray) -> np.ndarray:
    return np.vstack([points, points[:1]])


def _dart_lines(pattern: Pattern, piece: Piece) -> list[np.ndarray]:
    marks = (pattern.meta.get("marks") or {}).get(piece.name) or {}
    return [piece.internal_lines[d["line"]] for d in marks.get("darts", []) if d["line"] < len(piece.internal_lines)]


def sewn_length(pattern: Pattern, pieces: dict[str, Piece], ref: str, memo: dict[str, float] | None = None) -> float:
    """Length of an edge as sewn: its sew-line length less darts and pleats whose mouths lie on it.

    MEMO: lengths already measured for these pieces (seams and fit checks walk the same edges)."""
    if memo is not None:
        if ref not in memo:
            memo[ref] = sewn_length(pattern, pieces, ref)
        return memo[ref]
    piece_name, edge_name = ref.split(".", 1)
    piece = pieces[piece_name]
    poly = piece.edge_points(edge_name)
    step = poly[1:] - poly[:-1]
    length = float(np.sqrt(np.einsum("ij,ij->i", step, step)).sum())
    for line in _dart_lines(pattern, piece):
        a, b = line[0], line[-1]
        if _points_polyline_distances(np.array([a, b]), poly).max() < 0.5:  # the dart's mouth is on this edge
            length -= float(np.linalg.norm(b - a))
    return length


def _inside_all(points: Any, polygon: np.ndarray) -> bool:
    """True when every point is strictly inside the polygon (even-odd rule, vectorised)."""
    return bool(np.all(_inside(points, polygon)))


def _inside(points: Any, polygon: np.ndarray) -> np.ndarray:
    """Per point: inside the polygon (even-odd rule: odd crossings of a ray towards +x)."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) == 0:
        return np.ones(0, dtype=bool)
    a, b = polygon, geo.following(polygon)
    y = pts[:, 1][:, None]
    lo, hi = np.minimum(a[:, 1], b[:, 1])[None, :], np.maximum(a[:, 1], b[:, 1])[None, :]
    hit = (lo <= y) & (y < hi)
    dy = np.where(b[:, 1] == a[:, 1], 1.0, b[:, 1] - a[:, 1])[None, :]
    x_cross = a[:, 0][None, :] + (y - a[:, 1][None, :]) / dy * (b[:, 0] - a[:, 0])[None, :]
    count = (hit & (x_cross > pts[:, 0][:, None])).sum(axis=1)
    return count % 2 == 1


def _simple_outlines(lines: list[np.ndarray]) -> list[bool]:
    """Closed, simple and counter-clockwise, for many outlines in one vectorised shapely call."""
    import shapely

    usable = [k for k, line in enumerate(lines) if len(line) >= 3]
    simple = []
    if usable:
        coords = np.concatenate([lines[k] for k in usable])
        indices = np.repeat(np.arange(len(usable)), [len(lines[k]) for k in usable])
        simple = shapely.is_simple(shapely.linearrings(coords, indices=indices))
    out = [False] * len(lines)
    for k, ok in zip(usable, simple):
        out[k] = bool(ok) and signed_area(lines[k]) > 0
    return out


def _largest_curve_turn(piece: Piece) -> float:
    """Largest direction change (degrees) at cut-line points that lie on a curve (not turn points)."""
    cut = piece.cut_line
    incoming = cut - geo.preceding(cut)
    outgoing = geo.following(cut) - cut
    cross = incoming[:, 0] * outgoing[:, 1] - incoming[:, 1] * outgoing[:, 0]
    dot = (incoming * outgoing).sum(axis=1)
    turn = np.degrees(np.abs(np.arctan2(cross, dot)))
    on_curve = ~np.asarray(piece.cut_turn_points, dtype=bool)
    return float(turn[on_curve].max()) if on_curve.any() else 0.0


def _allowance_deviation(piece: Piece) -> tuple[float, str]:
    """Largest |measured - designed| allowance over all sew segments (ray from each segment middle).

    The ray from a segment's middle along its outward normal can only hit a cut edge whose two ends
    lie on opposite sides of (or on) the ray's line: those few pairs are found with one (segments x
    cut vertices) side test, and only they are intersected.
    """
    sew = piece.sew_line
    n = len(sew)
    designed = np.zeros(n)
    for e in piece.edges:
        count = (e.end - e.start) % n
        designed[(e.start + np.arange(count)) % n] = e.seam_allowance_mm
    nxt = geo.following(sew)
    seg = nxt - sew
    seg_len = np.sqrt(np.einsum("ij,ij->i", seg, seg))
    valid = seg_len > 1e-6
    mid = 0.5 * (sew + nxt)
    scale = np.maximum(seg_len, 1e-12)
    normal_x, normal_y = seg[:, 1] / scale, -seg[:, 0] / scale
    cut = piece.cut_line
    edge_vec = geo.following(cut) - cut
    # side of every cut vertex against every ray line: cross(normal, vertex - mid)
    rel_x = cut[None, :, 0] - mid[:, :1]
    rel_y = cut[None, :, 1] - mid[:, 1:]
    side = normal_x[:, None] * rel_y - normal_y[:, None] * rel_x
    side_next = np.concatenate([side[:, 1:], side[:, :1]], axis=1)
    rows, cols = np.nonzero(((side < 0) != (side_next < 0)) | (side == 0) | (side_next == 0))
    measured = np.full(n, np.inf)
    if len(rows):
        nx, ny = normal_x[rows], normal_y[rows]
        ex, ey = edge_vec[cols, 0], edge_vec[cols, 1]
        dx, dy = rel_x[rows, cols], rel_y[rows, cols]
        denom = nx * ey - ny * ex
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (dx * ey - dy * ex) / denom
            u = (dx * ny - dy * nx) / denom
        ok = (np.abs(denom) > 1e-12) & (u >= -1e-9) & (u <= 1 + 1e-9) & (t >= -1e-6)
        np.minimum.at(measured, rows[ok], t[ok])
    zero = designed <= 1e-9
    if zero.any():  # no allowance (a fold): the sew segment lies on the cut line
        folds = np.nonzero(zero & valid)[0]
        if len(folds):
            measured[folds] = _points_polyline_distances(mid[folds], _ring(cut))
    dev = np.where(valid, np.abs(measured - designed), 0.0)
    i = int(np.argmax(dev))
    edge = next((e.name for e in piece.edges if (i - e.start) % n < (e.end - e.start) % n), "?")
    return float(dev[i]), f"edge {edge}: {measured[i]:.2f} mm for {designed[i]:.2f} mm designed"


# --------------------------------------------------------------------------------------------------

def _geometry_checks(pattern: Pattern, piece: Piece, prefix: str, simple_lines: tuple[bool, bool]) -> list[Check]:
    """SIMPLE_LINES: whether the sew and the cut line are closed, simple and counter-clockwise."""
    checks = []
    name_ok = bool(piece.name) and piece.name.isascii() and len(piece.name) <= 20 and piece.quantity >= 1
    checks.append(Check(f"{prefix}.identity", name_ok, message="" if name_ok else
                        f"piece {piece.name!r} needs an ASCII name of at most 20 characters and a quantity >= 1"))
    for label, simple in zip(("sew", "cut"), simple_lines):
        checks.append(Check(f"{prefix}.{label}_line_simple", simple, message="" if simple else
                            f"{piece.name}: {label} line is not a closed, simple, counter-clockwise outline"))
    contains = _inside_all(piece.sew_line, piece.cut_line)
    checks.append(Check(f"{prefix}.cut_contains_sew", contains,
                        message="" if contains else f"{piece.name}: sew line leaves the cut line"))
    dev, where = _allowance_deviation(piece)
    checks.append(Check(f"{prefix}.seam_allowance", dev <= ALLOWANCE_TOLERANCE_MM, dev, 0.0, ALLOWANCE_TOLERANCE_MM,
                        "" if dev <= ALLOWANCE_TOLERANCE_MM else f"{piece.name}: seam allowance off at {where}"))
    kink = _largest_curve_turn(piece)
    checks.append(Check(f"{prefix}.curves_smooth", kink <= CURVE_KINK_DEG, kink, 0.0, CURVE_KINK_DEG,
                        "" if kink <= CURVE_KINK_DEG else f"{piece.name}: a curve kinks by {kink:.0f} degrees"))
    worst = 0.0
    for on, line in (("cut", piece.cut_line), ("sew", piece.sew_line)):
        points = [[notch.x, notch.y] for notch in piece.notches if (notch.on == "cut") == (on == "cut")]
        if points:
            worst = max(worst, float(_points_polyline_distances(np.array(points, dtype=float), _ring(line)).max()))
    checks.append(Check(f"{prefix}.notches_on_line", worst <= NOTCH_TOLERANCE_MM, worst, 0.0, NOTCH_TOLERANCE_MM,
                        "" if worst <= NOTCH_TOLERANCE_MM else f"{piece.name}: a notch lies {worst:.2f} mm off its line"))
    grain = np.asarray(piece.grain_line, dtype=float).reshape(-1, 2)
    marks = [[a["x"], a["y"]] for a in piece.anchors.values()] + [list(h) for h in piece.drill_holes]
    inside = _inside(np.vstack([grain, np.asarray(marks, dtype=float).reshape(-1, 2)]), piece.sew_line)
    grain_ok = bool(inside[:len(grain)].all())
    checks.append(Check(f"{prefix}.grain_inside", grain_ok,
                        message="" if grain_ok else f"{piece.name}: grain line leaves the piece"))
    marks_ok = bool(inside[len(grain):].all())
    checks.append(Check(f"{prefix}.marks_inside", marks_ok,
                        message="" if marks_ok else f"{piece.name}: an anchor or drill hole lies outside the piece"))
    return checks


def _seam_checks(pattern: Pattern, pieces: dict[str, Piece], meta: dict[str, Any], prefix: str,
                 memo: dict[str, float]) -> list[Check]:
    checks = []
    for seam in meta.get("seams", []):
        try:
            a = sum(sewn_length(pattern, pieces, r, memo) for r in seam["a"])
            b = sum(sewn_length(pattern, pieces, r, memo) for r in seam["b"])
        except KeyError as exc:
            checks.append(Check(f"{prefix}seam.{seam['name']}", False, message=f"seam {seam['name']}: {exc}"))
            continue
        diff = a - b
        ok = abs(diff - seam["ease_mm"]) <= SEAM_TOLERANCE_MM
        msg = "" if ok else (f"seam {seam['name']}: {' + '.join(seam['a'])} is {a:.1f} mm against "
                             f"{' + '.join(seam['b'])} {b:.1f} mm (designed difference {seam['ease_mm']:.1f} mm)")
        checks.append(Check(f"{prefix}seam.{seam['name']}", ok, diff, seam["ease_mm"], SEAM_TOLERANCE_MM, msg))
    return checks


def _measure_span(pattern: Pattern, piece: Piece, span: dict[str, Any], memo: dict[str, float]) -> float:
    kind = span["kind"]
    if kind == "edge":
        value = sewn_length(pattern, {piece.name: piece}, f"{piece.name}.{span['edge']}", memo) if span.get("minus_darts") \
            else piece.edge_length(span["edge"])
    elif kind == "height":
        ys = _crossings(piece.sew_line, 0, span["x"])
        value = float(ys.max() - ys.min()) if len(ys) >= 2 else 0.0
    else:
        xs = _crossings(piece.sew_line, 1, span["y"])
        if len(xs) < 2:
            value = 0.0
        elif "from_x" in span:
            value = float(xs.max() - span["from_x"]) if span.get("direction", 1) > 0 else float(span["from_x"] - xs.min())
        else:
            value = float(xs.max() - xs.min())
        if span.get("minus_darts"):
            value -= sum(_dart_opening_across(line, 1, span["y"]) for line in _dart_lines(pattern, piece))
    return value * span.get("scale", 1.0)


def _fit_checks(pattern: Pattern, pieces: dict[str, Piece], meta: dict[str, Any], measurements: dict[str, float],
                prefix: str, memo: dict[str, float]) -> list[Check]:
    checks = []
    for fit in meta.get("fit_checks", []):
        body = measurements.get(fit["measurement"], fit["body_mm"])
        expected = body + fit["ease_mm"]
        measured = sum(_measure_span(pattern, pieces[s["piece"]], s, memo) for s in fit["spans"] if s["piece"] in pieces)
        ok = abs(measured - expected) <= FIT_TOLERANCE_MM
        msg = "" if ok else (f"{fit['name']}: garment measures {measured:.1f} mm, body {fit['measurement']} "
                             f"{body:.1f} + ease {fit['ease_mm']:.1f} = {expected:.1f} mm")
        checks.append(Check(f"{prefix}fit.{fit['name']}", ok, measured, expected, FIT_TOLERANCE_MM, msg))
    return checks


def _edge_exists(pieces: dict[str, Piece], ref: str) -> bool:
    name, _, edge = ref.partition(".")
    return name in pieces and any(e.name == edge for e in pieces[name].edges)


def validate(pattern: Pattern, measurements_mm: dict[str, float] | None = None) -> ValidationReport:
    """Check the pattern (every size of a graded nest) and return the report; never raises on failure."""
    report = ValidationReport(pattern.style)
    sizes = pattern.graded if pattern.graded else {pattern.sample_size: pattern.pieces}
    size_meta = pattern.meta.get("sizes") or {}
    for size, pieces in sizes.items():
        prefix = "" if len(sizes) == 1 else f"{size}."
        meta = size_meta.get(size, pattern.meta) if len(sizes) > 1 else pattern.meta
        body = dict(meta.get("measurements_mm") or {})
        if len(sizes) == 1 and measurements_mm:
            body.update(measurements_mm)
        by_name = {p.name: p for p in pieces}
        simple = _simple_outlines([line for piece in pieces for line in (piece.sew_line, piece.cut_line)])
        for k, piece in enumerate(pieces):
            report.checks.extend(_geometry_checks(pattern, piece, f"{prefix}{piece.name}", simple[2 * k:2 * k + 2]))
            dangling = [e.joins for e in piece.edges if e.joins and not _edge_exists(by_name, e.joins)]
            report.checks.append(Check(f"{prefix}{piece.name}.joins_exist", not dangling, message="" if not dangling
                                       else f"{piece.name}: edges join missing partners {', '.join(dangling)}"))
        sewn: dict[str, float] = {}  # edge -> sewn length, for this size's pieces
        report.checks.extend(_seam_checks(pattern, by_name, meta, prefix, sewn))
        report.checks.extend(_fit_checks(pattern, by_name, meta, body, prefix, sewn))
    if pattern.graded:
        reference = next(iter(pattern.graded.values()))
        same = all(len(p.sew_line) == len(r.sew_line) and len(p.cut_line) == len(r.cut_line)
                   for pieces in pattern.graded.values() for p, r in zip(pieces, reference))
        same = same and all(len(pieces) == len(reference) for pieces in pattern.graded.values())
        report.checks.append(Check("nest.equal_vertex_counts", same, message="" if same else
                                   "graded sizes differ in piece or vertex count"))
    return report
