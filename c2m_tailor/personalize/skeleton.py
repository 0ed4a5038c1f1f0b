"""Stroke centre lines of outline glyphs (an approximate medial axis), for satin lettering from TTF/OTF fonts.

Why: small lettering is sewn in satin, with stitches across each stroke; that needs the centre line and
width of every stroke, which an outline font does not store. The medial axis is taken from the Voronoi
diagram of points sampled densely along the outline: ridges between points on opposite sides of a
stroke run along its middle. Spurs into corners are pruned, and the result is checked against the
glyph (a caller falls back to tatami where the satin would not cover the shape well).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass
class Chain:
    """A run of centre line between joints or ends: points and the stroke half-width at each point."""

    points: np.ndarray
    radius: np.ndarray
    start_is_end: bool  # the chain starts at a free stroke end (extend the satin to the outline there)
    end_is_end: bool


def _sample_rings(shape, step: float) -> np.ndarray:
    points = []
    for polygon in getattr(shape, "geoms", [shape]):
        for ring in [polygon.exterior, *polygon.interiors]:
            length = ring.length
            count = max(8, int(math.ceil(length / step)))
            distances = np.linspace(0.0, length, count, endpoint=False)
            points.extend(np.asarray(ring.interpolate(d).coords[0]) for d in distances)
    return np.asarray(points)


def medial_axis(shape, *, step: float = 0.12, min_separation: float = 0.3) -> list[Chain]:
    """Centre-line chains of a (Multi)Polygon in mm."""
    import shapely
    from scipy.spatial import Voronoi

    samples = _sample_rings(shape, step)
    if len(samples) < 4:
        return []
    diagram = Voronoi(samples)
    vertices = diagram.vertices
    inside = shapely.contains_xy(shape, vertices[:, 0], vertices[:, 1])
    boundary = shape.boundary
    edges = set()
    for (i, j), (a, b) in zip(diagram.ridge_points, diagram.ridge_vertices):
        if a < 0 or b < 0 or not (inside[a] and inside[b]):
            continue
        if np.hypot(*(samples[i] - samples[j])) < min_separation:
            continue  # neighbours on the same side: a ridge pointing at the outline, not along the stroke
        edges.add((min(a, b), max(a, b)))
    if not edges:
        return []
    used = sorted({v for e in edges for v in e})
    radius = {v: float(boundary.distance(shapely.Point(vertices[v]))) for v in used}
    neighbours: dict[int, set[int]] = {v: set() for v in used}
    for a, b in edges:
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    _prune_spurs(neighbours, vertices, radius)
    return _chains(neighbours, vertices, radius)


def _leaf_branch(neighbours: dict[int, set[int]], vertices: np.ndarray, leaf: int) -> tuple[list[int], float]:
    """From a leaf along degree-2 vertices to the first vertex of another degree: (path, length)."""
    path = [leaf]
    previous, current = None, leaf
    length = 0.0
    while True:
        options = [n for n in neighbours[current] if n != previous]
        if not options:
            break
        nxt = options[0]
        length += float(np.hypot(*(vertices[nxt] - vertices[current])))
        previous, current = current, nxt
        path.append(current)
        if len(neighbours[current]) != 2 or current == leaf:
            break
    return path, length


def _prune_spurs(neighbours: dict[int, set[int]], vertices: np.ndarray, radius: dict[int, float],
                 factor: float = 1.5) -> None:
    """Remove branches from a joint to a leaf that run into a corner of the outline.

    A corner of angle a makes a spur of length r / sin(a / 2) from the joint (1.41 r at 90 degrees); a
    square stroke end makes two at one joint, so all the spurs of a pass are found before any is removed.
    """
    while True:
        by_joint: dict[int, list[tuple[float, list[int]]]] = {}
        for leaf in sorted(v for v, n in neighbours.items() if len(n) == 1):
            path, length = _leaf_branch(neighbours, vertices, leaf)
            joint = path[-1]
            thinning = radius[path[0]] < 0.6 * radius[joint]  # a stub keeps its width to its end
            if len(neighbours[joint]) >= 3 and thinning and length < factor * radius[joint]:
                by_joint.setdefault(joint, []).append((length, path))
        if not by_joint:
            return
        for joint, branches in by_joint.items():
            if len(branches) >= len(neighbours[joint]):
                branches = sorted(branches, key=lambda b: b[0])[:-2]  # a dot: keep its two longest as a line
            for _, path in branches:
                for a, b in zip(path[:-1], path[1:]):
                    neighbours[a].discard(b)
                    neighbours[b].discard(a)
                for v in path[:-1]:
                    if v in neighbours and not neighbours[v]:
                        del neighbours[v]
        if not any(branches for branches in by_joint.values()):
            return


def _chains(neighbours: dict[int, set[int]], vertices: np.ndarray, radius: dict[int, float]) -> list[Chain]:
    """Split the skeleton graph into chains between nodes whose degree is not 2."""
    seen = set()
    chains = []
    nodes = sorted(v for v, n in neighbours.items() if len(n) != 2)
    for start in nodes:
        for first in sorted(neighbours[start]):
            if (start, first) in seen:
                continue
            path = [start, first]
            seen.add((start, first))
            seen.add((first, start))
            while len(neighbours[path[-1]]) == 2:
                nxt = next(n for n in sorted(neighbours[path[-1]]) if n != path[-2])
                seen.add((path[-1], nxt))
                seen.add((nxt, path[-1]))
                path.append(nxt)
                if nxt == start:
                    break
            chains.append(_make_chain(path, neighbours, vertices, radius))
    # closed loops without any joint (an "O"'s medial axis)
    for v in sorted(neighbours):
        if len(neighbours[v]) == 2 and not any((v, n) in seen for n in neighbours[v]):
            path = [v]
            previous = None
            while True:
                nxt = next(n for n in sorted(neighbours[path[-1]]) if n != previous)
                seen.add((path[-1], nxt))
                seen.add((nxt, path[-1]))
                previous = path[-1]
                path.append(nxt)
                if nxt == v:
                    break
            chains.append(_make_chain(path, neighbours, vertices, radius))
    return chains


def _make_chain(path, neighbours, vertices, radius) -> Chain:
    points = vertices[path].astype(float)
    radii = np.array([radius[v] for v in path])
    points, radii = _smooth(points, radii)
    return Chain(points, radii, len(neighbours[path[0]]) == 1, len(neighbours[path[-1]]) == 1)


def _smooth(points: np.ndarray, radii: np.ndarray, step: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """Resample a chain evenly and smooth away the Voronoi zigzag, keeping its ends in place."""
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    total = float(cum[-1])
    if total < 1e-9:
        return points[:1], radii[:1]
    count = max(2, int(math.ceil(total / step)) + 1)
    s = np.linspace(0.0, total, count)
    xs, ys, rs = np.interp(s, cum, points[:, 0]), np.interp(s, cum, points[:, 1]), np.interp(s, cum, radii)
    pts = np.column_stack([xs, ys])
    if count > 4:
        kernel = np.ones(3) / 3.0
        for _ in range(2):
            inner = np.column_stack([np.convolve(pts[:, 0], kernel, "valid"), np.convolve(pts[:, 1], kernel, "valid")])
            pts[1:-1] = inner
            rs[1:-1] = np.convolve(rs, kernel, "valid")
    return pts, rs
