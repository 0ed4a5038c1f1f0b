"""Plane geometry for drafting: curve sampling, per-edge seam-allowance offsets, mirroring.

Curves are sampled with a fixed number of points (never adaptively) so that the same pattern graded
to different bodies keeps equal vertex counts: vertex i is the same grade point in every size.
"""

from __future__ import annotations

import math

import numpy as np

_T_CACHE: dict[int, np.ndarray] = {}


def _bernstein3(n: int) -> np.ndarray:
    """(n, 4) cubic Bernstein weights at t = 1/n .. 1 (the start point belongs to the previous run)."""
    cached = _T_CACHE.get(n)
    if cached is None:
        t = np.arange(1, n + 1, dtype=float) / n
        s = 1.0 - t
        cached = np.stack([s ** 3, 3 * s * s * t, 3 * s * t * t, t ** 3], axis=1)
        _T_CACHE[n] = cached
    return cached


def cubic(p0, c1, c2, p3, n: int) -> np.ndarray:
    """n points of a cubic Bezier after p0 (excluded) up to p3 (included)."""
    control = np.array([p0, c1, c2, p3], dtype=float)
    return _bernstein3(n) @ control


def quad(p0, c, p2, n: int) -> np.ndarray:
    """Quadratic Bezier as the equivalent cubic (degree elevation)."""
    p0, c, p2 = (np.asarray(v, dtype=float) for v in (p0, c, p2))
    return cubic(p0, p0 + 2.0 / 3.0 * (c - p0), p2 + 2.0 / 3.0 * (c - p2), p2, n)


def through(points: list, n: int) -> np.ndarray:
    """A smooth curve through the points (centripetal Catmull-Rom: no cusps, no loops per span).

    `points` starts with the current point; n samples are spread over the spans in proportion to
    their chord length rounded to a fixed split (each span gets n // spans, the last the remainder),
    so the count never depends on the body.
    """
    pts = np.asarray(points, dtype=float)
    spans = len(pts) - 1
    per = [n // spans] * spans
    per[-1] += n - sum(per)
    out = []
    for i in range(spans):
        p1, p2 = pts[i], pts[i + 1]
        p0 = pts[i - 1] if i > 0 else 2 * p1 - p2
        p3 = pts[i + 2] if i + 2 < len(pts) else 2 * p2 - p1
        d1 = max(np.linalg.norm(p1 - p0) ** 0.5, 1e-9)
        d2 = max(np.linalg.norm(p2 - p1) ** 0.5, 1e-9)
        d3 = max(np.linalg.norm(p3 - p2) ** 0.5, 1e-9)
        # centripetal Catmull-Rom as a cubic Bezier (Yuksel et al. tangents)
        t1 = ((p1 - p0) / d1 - (p2 - p0) / (d1 + d2) + (p2 - p1) / d2) * d2
        t2 = ((p2 - p1) / d2 - (p3 - p1) / (d2 + d3) + (p3 - p2) / d3) * d2
        out.append(cubic(p1, p1 + t1 / 3.0, p2 - t2 / 3.0, p2, per[i]))
    return np.vstack(out)


def polyline_length(points: np.ndarray) -> float:
    return float(np.sqrt((np.diff(points, axis=0) ** 2).sum(axis=1)).sum())


def polyline_stations(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segments, their lengths and the running length at each vertex, for walking a polyline."""
    seg = np.diff(points, axis=0)
    lengths = np.sqrt((seg ** 2).sum(axis=1))
    return seg, lengths, np.concatenate([[0.0], np.cumsum(lengths)])


def point_along(points: np.ndarray, distance: float, stations=None) -> tuple[np.ndarray, np.ndarray]:
    """Point at `distance` along an open polyline, and the unit tangent there.

    STATIONS: polyline_stations(points), when several points are taken along the same line."""
    seg, lengths, cum = stations if stations is not None else polyline_stations(points)
    total = lengths.sum()
    distance = min(max(distance, 0.0), total)
    i = int(np.searchsorted(cum, distance, side="right") - 1)
    i = min(max(i, 0), len(seg) - 1)
    while lengths[i] <= 1e-12 and i > 0:
        i -= 1
    frac = (distance - cum[i]) / lengths[i] if lengths[i] > 1e-12 else 0.0
    tangent = seg[i] / lengths[i] if lengths[i] > 1e-12 else np.array([1.0, 0.0])
    return points[i] + frac * seg[i], tangent


def offset_outline(sew: np.ndarray, seg_allowance: np.ndarray, square_after: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Cut line: every sew segment moved outward by its own allowance, joined at the vertices.

    sew: (n, 2) counter-clockwise; seg_allowance[i] is the allowance of segment i -> i+1;
    square_after[i] True where vertex i is an edge end whose corner is squared rather than mitred.
    Returns (cut points, cut point indices of each sew vertex's first cut point).
    A mitred vertex is the intersection of the two offset lines; a squared corner gets two points,
    each offset line extended past the corner by the other edge's allowance and joined straight.
    """
    n = len(sew)
    nxt = following(sew)
    direction = nxt - sew
    length = np.sqrt((direction ** 2).sum(axis=1))
    length[length < 1e-12] = 1e-12
    tangent = direction / length[:, None]
    normal = np.stack([tangent[:, 1], -tangent[:, 0]], axis=1)  # outward for counter-clockwise
    d = np.asarray(seg_allowance, dtype=float)
    square = np.asarray(square_after, dtype=bool)
    ta, tb = preceding(tangent), tangent  # incoming, outgoing segment at each vertex
    na, nb = preceding(normal), normal
    da, db = preceding(d)[:, None], d[:, None]
    qa = sew + na * da
    qb = sew + nb * db
    cross = ta[:, 0] * tb[:, 1] - ta[:, 1] * tb[:, 0]
    parallel = np.abs(cross) < 1e-9
    safe = np.where(parallel, 1.0, cross)
    diff = qb - qa
    s = (diff[:, 0] * tb[:, 1] - diff[:, 1] * tb[:, 0]) / safe
    mitre = qa + ta * s[:, None]
    same = np.abs(da - db)[:, 0] < 1e-9
    mitre = np.where(parallel[:, None], np.where(same[:, None], qb, 0.5 * (qa + qb)), mitre)
    if not square.any():
        return mitre, np.arange(n)
    counts = np.where(square, 2, 1)
    first_index = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = np.empty((int(counts.sum()), 2))
    out[first_index] = mitre
    sq = np.nonzero(square)[0]
    out[first_index[sq]] = sew[sq] + na[sq] * da[sq] + ta[sq] * db[sq]
    out[first_index[sq] + 1] = sew[sq] + nb[sq] * db[sq] - tb[sq] * da[sq]
    return out, first_index


def following(a: np.ndarray) -> np.ndarray:
    """a[i + 1] for every i, wrapping (np.roll(a, -1) without its overhead)."""
    return np.concatenate([a[1:], a[:1]])


def preceding(a: np.ndarray) -> np.ndarray:
    """a[i - 1] for every i, wrapping."""
    return np.concatenate([a[-1:], a[:-1]])


def mirror_x(points: np.ndarray) -> np.ndarray:
    out = np.array(points, dtype=float, copy=True)
    out[..., 0] *= -1.0
    return out


def rotate_deg(vector: np.ndarray, degrees: float) -> np.ndarray:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([c * vector[0] - s * vector[1], s * vector[0] + c * vector[1]])
