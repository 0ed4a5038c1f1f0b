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


def _point_polyline_distance(p: np.ndarray, poly: np.ndarray) -> float:
    seg = poly[1:] - poly[:-1]
    len2 = np.maximum((seg ** 2).sum(axis=1), 1e-18)
    t = np.clip(((p - poly[:-1]) * seg).sum(axis=1) / len2, 0.0, 1.0)
    proj = poly[:-1] + seg * t[:, None]
    return float(np.sqrt(((proj - p) ** 2).sum(axis=1)).min())


def _ring(points: np.ndarray) -> np.ndarray:
    return np.vstack([points, points[:1]])


def _dart_lines(pattern: Pattern, piece: Piece) -> list[np.ndarray]:
    marks = (pattern.meta.get("marks") or {}).get(piece.name) or {}
    return [piece.internal_lines[d["line"]] for d in marks.get("darts", []) if d["line"] < len(piece.internal_lines)]


def sewn_length(pattern: Pattern, pieces: dict[str, Piece], ref: str) -> float:
    """Length of an edge as sewn: its sew-line length less darts and pleats whose mouths lie on it."""
    piece_name, edge_name = ref.split(".", 1)
    piece = pieces[piece_name]
    poly = piece.edge_points(edge_name)
    length = float(np.sqrt((np.diff(poly, axis=0) ** 2).sum(axis=1)).sum())
    for line in _dart_lines(pattern, piece):
        a, b = line[0], line[-1]
        if _point_polyline_distance(a, poly) < 0.5 and _point_polyline_distance(b, poly) < 0.5:
            length -= float(np.linalg.norm(b - a))
    return length


def _inside_all(points: Any, polygon: np.ndarray) -> bool:
    """True when every point is strictly inside the polygon (even-odd rule, vectorised)."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) == 0:
        return True
    a, b = polygon, geo.following(polygon)
    y = pts[:, 1][:, None]
    lo, hi = np.minimum(a[:, 1], b[:, 1])[None, :], np.maximum(a[:, 1], b[:, 1])[None, :]
    hit = (lo <= y) & (y < hi)
    dy = np.where(b[:, 1] == a[:, 1], 1.0, b[:, 1] - a[:, 1])[None, :]
    x_cross = a[:, 0][None, :] + (y - a[:, 1][None, :]) / dy * (b[:, 0] - a[:, 0])[None, :]
    count = (hit & (x_cross > pts[:, 0][:, None])).sum(axis=1)
    return bool(np.all(count % 2 == 1))


def _is_simple(points: np.ndarray) -> bool:
    from shapely.geometry import LinearRing

    if len(points) < 3:
        return False
    return bool(LinearRing(points).is_simple)


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
    """Largest |measured - designed| allowance over all sew segments (ray from each segment middle)."""
    sew = piece.sew_line
    n = len(sew)
    designed = np.zeros(n)
    for e in piece.edges:
        count = (e.end - e.start) % n
        designed[(e.start + np.arange(count)) % n] = e.seam_allowance_mm
    nxt = geo.following(sew)
    seg = nxt - sew
    seg_len = np.sqrt((seg ** 2).sum(axis=1))
    valid = seg_len > 1e-6
    mid = 0.5 * (sew + nxt)
    tangent = seg / np.maximum(seg_len, 1e-12)[:, None]
    normal = np.stack([tangent[:, 1], -tangent[:, 0]], axis=1)
    cut = piece.cut_line
    c0, c1 = cut, geo.following(cut)
    e = c1 - c0  # (m, 2)
    # solve mid + t*normal = c0 + u*e for every (segment, cut edge) pair
    denom = normal[:, None, 0] * e[None, :, 1] - normal[:, None, 1] * e[None, :, 0]
    diff = c0[None, :, :] - mid[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (diff[..., 0] * e[None, :, 1] - diff[..., 1] * e[None, :, 0]) / denom
        u = (diff[..., 0] * normal[:, None, 1] - diff[..., 1] * normal[:, None, 0]) / denom
    ok = (np.abs(denom) > 1e-12) & (u >= -1e-9) & (u <= 1 + 1e-9) & (t >= -1e-6)
    t = np.where(ok, t, np.inf)
    measured = t.min(axis=1)
    zero = designed <= 1e-9
    if zero.any():  # no allowance (a fold): the sew segment lies on the cut line
        for i in np.nonzero(zero & valid)[0]:
            measured[i] = _point_polyline_distance(mid[i], _ring(cut))
    dev = np.where(valid, np.abs(measured - designed), 0.0)
    i = int(np.argmax(dev))
    edge = next((e.name for e in piece.edges if (i - e.start) % n < (e.end - e.start) % n), "?")
    return float(dev[i]), f"edge {edge}: {measured[i]:.2f} mm for {designed[i]:.2f} mm designed"


# --------------------------------------------------------------------------------------------------

def _geometry_checks(pattern: Pattern, piece: Piece, prefix: str) -> list[Check]:
    checks = []
    name_ok = bool(piece.name) and piece.name.isascii() and len(piece.name) <= 20 and piece.quantity >= 1
    checks.append(Check(f"{prefix}.identity", name_ok, message="" if name_ok else
                        f"piece {piece.name!r} needs an ASCII name of at most 20 characters and a quantity >= 1"))
    for label, line in (("sew", piece.sew_line), ("cut", piece.cut_line)):
        simple = _is_simple(line) and signed_area(line) > 0
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
    for notch in piece.notches:
        line = piece.cut_line if notch.on == "cut" else piece.sew_line
        worst = max(worst, _point_polyline_distance(np.array([notch.x, notch.y]), _ring(line)))
    checks.append(Check(f"{prefix}.notches_on_line", worst <= NOTCH_TOLERANCE_MM, worst, 0.0, NOTCH_TOLERANCE_MM,
                        "" if worst <= NOTCH_TOLERANCE_MM else f"{piece.name}: a notch lies {worst:.2f} mm off its line"))
    grain_ok = _inside_all(piece.grain_line, piece.sew_line)
    checks.append(Check(f"{prefix}.grain_inside", grain_ok,
                        message="" if grain_ok else f"{piece.name}: grain line leaves the piece"))
    marks_ok = _inside_all([[a["x"], a["y"]] for a in piece.anchors.values()], piece.sew_line)
    marks_ok = marks_ok and _inside_all(piece.drill_holes, piece.sew_line)
    checks.append(Check(f"{prefix}.marks_inside", marks_ok,
                        message="" if marks_ok else f"{piece.name}: an anchor or drill hole lies outside the piece"))
    return checks


def _seam_checks(pattern: Pattern, pieces: dict[str, Piece], meta: dict[str, Any], prefix: str) -> list[Check]:
    checks = []
    for seam in meta.get("seams", []):
        try:
            a = sum(sewn_length(pattern, pieces, r) for r in seam["a"])
            b = sum(sewn_length(pattern, pieces, r) for r in seam["b"])
        except KeyError as exc:
            checks.append(Check(f"{prefix}seam.{seam['name']}", False, message=f"seam {seam['name']}: {exc}"))
            continue
        diff = a - b
        ok = abs(diff - seam["ease_mm"]) <= SEAM_TOLERANCE_MM
        msg = "" if ok else (f"seam {seam['name']}: {' + '.join(seam['a'])} is {a:.1f} mm against "
                             f"{' + '.join(seam['b'])} {b:.1f} mm (designed difference {seam['ease_mm']:.1f} mm)")
        checks.append(Check(f"{prefix}seam.{seam['name']}", ok, diff, seam["ease_mm"], SEAM_TOLERANCE_MM, msg))
    return checks


def _measure_span(pattern: Pattern, piece: Piece, span: dict[str, Any]) -> float:
    kind = span["kind"]
    if kind == "edge":
        value = sewn_length(pattern, {piece.name: piece}, f"{piece.name}.{span['edge']}") if span.get("minus_darts") \
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
                prefix: str) -> list[Check]:
    checks = []
    for fit in meta.get("fit_checks", []):
        body = measurements.get(fit["measurement"], fit["body_mm"])
        expected = body + fit["ease_mm"]
        measured = sum(_measure_span(pattern, pieces[s["piece"]], s) for s in fit["spans"] if s["piece"] in pieces)
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
        for piece in pieces:
            report.checks.extend(_geometry_checks(pattern, piece, f"{prefix}{piece.name}"))
            dangling = [e.joins for e in piece.edges if e.joins and not _edge_exists(by_name, e.joins)]
            report.checks.append(Check(f"{prefix}{piece.name}.joins_exist", not dangling, message="" if not dangling
                                       else f"{piece.name}: edges join missing partners {', '.join(dangling)}"))
        report.checks.extend(_seam_checks(pattern, by_name, meta, prefix))
        report.checks.extend(_fit_checks(pattern, by_name, meta, body, prefix))
    if pattern.graded:
        reference = next(iter(pattern.graded.values()))
        same = all(len(p.sew_line) == len(r.sew_line) and len(p.cut_line) == len(r.cut_line)
                   for pieces in pattern.graded.values() for p, r in zip(pieces, reference))
        same = same and all(len(pieces) == len(reference) for pieces in pattern.graded.values())
        report.checks.append(Check("nest.equal_vertex_counts", same, message="" if same else
                                   "graded sizes differ in piece or vertex count"))
    return report
