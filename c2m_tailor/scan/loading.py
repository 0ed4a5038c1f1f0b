"""Read a body scan in any common format and bring it to one frame.

The frame every later step relies on: millimetres, +Z up, the person facing +Y (so +X is the
person's right), feet at z = 0, the torso centred on x = y = 0. Units, the up axis and the
facing direction are found from the body itself, because scanners disagree on all three: the
long axis says roughly which way is up and which end is the head, the plane the soles stand on
gives the vertical to a fraction of a degree (a handheld scan can lean a few degrees), and the
toes say which way the person faces.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from c2m_tailor.errors import BadInput
from c2m_tailor.scan.ascii_points import ASCII_CLOUD_SUFFIXES, read_ascii_points
from c2m_tailor.scan.sections import (column_max, column_min, connected_labels, edge_table, fixed_sample,
                                      keyed_edges_length, pair_keys)
from c2m_tailor.scan.smoothing import NoiseCheck, remove_noise

UNIT_TO_MM = {"m": 1000.0, "dm": 100.0, "cm": 10.0, "mm": 1.0, "inch": 25.4}
UNIT_ALIASES = {"in": "inch", "inches": "inch", "\"": "inch", "meter": "m", "metre": "m",
                "millimetre": "mm", "millimeter": "mm", "centimetre": "cm", "centimeter": "cm"}
# A typical adult stature; the unit whose reading lands nearest to it (in ratio) wins.
TYPICAL_STATURE_MM = 1700.0
PLAUSIBLE_STATURE_MM = (500.0, 2600.0)
MIN_POINTS = 300
SOLE_SEARCH_DEG = 30.0  # hull facets facing down within this of the body's long axis may be soles
SOLE_SPREAD_DEG = 3.0  # facets of one sole plane agree within this
SOLE_SETTLE_STEPS = 20  # the sole plane: the facets' mean normal within SOLE_SPREAD_DEG, moved to at most so often
SOLE_SETTLED_DEG = 0.001  # ... or until it moves less than this
SOLE_REST_DEG = 1.0  # ... counting only facets within this of the facet the body rests on
SNAP_TO_FILE_AXIS_DEG = 1.0  # a floor's vertical this close to a file axis is taken as that axis
# The soles' vertical is drawn wholly onto a file axis within the first of these, not at all
# beyond the second, and in proportion between (_lean_to_file_axis) ...
SOLE_SNAP_DEG = (0.5, 1.5)
# ... and where the soles are open (a booth's cameras never see them), within these: their plane
# then rests on the hole's rim, and is found only to about a degree or two (_soles_open).
OPEN_SOLES_SNAP_DEG = (2.0, 3.0)
OPEN_SOLE_SLAB = 0.002  # of the body's length: the surface this near the soles' plane bears it ...
OPEN_SOLE_AREA = 0.0018  # of its length squared: ... the soles where there is this much of it
# A mesh read from the file is open at the soles only where a hole's rim runs along their plane:
# edges of one face within OPEN_SOLE_RIM_SLAB of the length of it, together at least OPEN_SOLE_RIM
# of the length long (booths' meshes: 0.23-0.92; a closed mesh has none, yet feet that do not
# stand flat, heels raised, hold as little as 0.0012 of surface on the plane).
OPEN_SOLE_RIM_SLAB = 0.005
OPEN_SOLE_RIM = 0.1
# A cloud's mesh has rims at the soles' edges whether they were scanned or not: its soles are open
# below this (booths' clouds 0.0003-0.0010; clouds of whole bodies 0.0013-0.0043, the least where
# the heels are raised).
OPEN_SOLE_AREA_CLOUD = 0.0012
FLOOR_SHARE = 0.1  # a plane holding this share of the scan's surface is a floor left in it (a body's flattest: 1-4 %)
FLOOR_SPREAD_DEG = 3.0  # the faces of a floor face one way within this
FLOOR_THICKNESS = 0.002  # of the scan's extent: a floor's faces lie this near its plane


@dataclass
class Body:
    """A scan in the normalized frame (see module docstring)."""

    vertices: np.ndarray              # (V, 3) mm
    faces: np.ndarray                 # (F, 3); a point cloud's: the mesh over its points (scan/cloud.py)
    detected_unit: str
    detected_up_axis: str
    detected_facing: str
    source: str
    warnings: list[str] = field(default_factory=list)
    noise: NoiseCheck = NoiseCheck(0.0, 0.0, False, 0)  # the scanner noise found, and the smoothing it got
    floor: bool = False  # a floor is left in the scan, joined to the feet, at z = 0 (_floor)
    soles_open: bool = False  # the soles are missing: z = 0 is the lowest edge of the hole (_soles_open)


def normalize_unit_name(unit: str | None) -> str | None:
    if unit is None:
        return None
    key = unit.strip().lower()
    key = UNIT_ALIASES.get(key, key)
    if key not in UNIT_TO_MM:
        raise BadInput(f"unknown unit {unit!r}; use one of m, dm, cm, mm, inch")
    return key


def _read(path: Path):
    """Vertices and faces (None for points) from any format trimesh reads, or an ASCII cloud
    (ascii_points.py)."""
    import trimesh

    if not path.is_file():
        raise BadInput(f"scan file {path} does not exist")
    if path.stat().st_size == 0:
        raise BadInput(f"scan file {path} is empty")
    if path.suffix.lower() in ASCII_CLOUD_SUFFIXES:
        return _checked(read_ascii_points(path.read_bytes(), path.name), None, path.name)
    try:
        loaded = trimesh.load(str(path), process=False)
    except Exception as exc:  # trimesh raises many types for broken files
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise BadInput(f"scan file {path.name} cannot be read (truncated or corrupt?): {reason}") from None
    if isinstance(loaded, trimesh.Scene):
        geoms = [g for g in loaded.dump() if hasattr(g, "vertices")]
        meshes = [g for g in geoms if isinstance(g, trimesh.Trimesh) and len(g.faces)]
        if meshes:
            loaded = trimesh.util.concatenate(meshes)
        elif geoms:
            loaded = trimesh.PointCloud(np.vstack([np.asarray(g.vertices) for g in geoms]))
        else:
            raise BadInput(f"scan file {path.name} contains no geometry")
    vertices = np.asarray(getattr(loaded, "vertices", np.zeros((0, 3))), dtype=np.float64)
    faces = getattr(loaded, "faces", None)
    faces = None if faces is None or len(faces) == 0 else np.asarray(faces, dtype=np.int64)
    return _checked(vertices, faces, path.name)


def _checked(vertices: np.ndarray, faces: np.ndarray | None, name: str):
    """VERTICES and FACES as read from the file NAME, once they hold a body's worth of finite points."""
    if len(vertices) == 0:
        raise BadInput(f"scan file {name} contains no points")
    if not np.isfinite(vertices).all():
        raise BadInput(f"scan file {name} contains NaN or infinite coordinates")
    if faces is not None:
        if faces.min() < 0 or faces.max() >= len(vertices):
            raise BadInput(f"scan file {name} has faces pointing past its vertex list (truncated?)")
    if len(vertices) < MIN_POINTS:
        count = f"{len(vertices)} point" + ("" if len(vertices) == 1 else "s")
        raise BadInput(f"scan file {name} has only {count}, too few for a body scan")
    return vertices, faces


def _first_and_inverse(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_index=True, return_inverse=True)[1:], through a plain (unstable,
    faster) sort: a key's first index is the lowest index among its copies."""
    order = np.argsort(keys)
    ordered = keys[order]
    new = np.empty(len(keys), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    starts = np.nonzero(new)[0]
    first = np.minimum.reduceat(order, starts) if len(starts) else np.zeros(0, np.int64)
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return first, inverse


def _merge_duplicates(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weld duplicated vertices (STL triangle soup) so faces share edges; drop degenerate faces."""
    lo = column_min(vertices)
    span = float((column_max(vertices) - lo).max()) or 1.0
    quantum = span * 1e-6  # 1.7 um on a 1.7 m body; one int64 key per vertex (fast 1-D unique)
    cells = np.round((vertices - lo) / quantum).astype(np.int64)
    keys = (cells[:, 0] * 1_000_003 + cells[:, 1]) * 1_000_003 + cells[:, 2]
    first, inverse = _first_and_inverse(keys)
    new_vertices = np.take(vertices, first, axis=0)  # (the rows of vertices[first], faster)
    new_faces = inverse[faces]
    ok = ((new_faces[:, 0] != new_faces[:, 1]) & (new_faces[:, 1] != new_faces[:, 2])
          & (new_faces[:, 0] != new_faces[:, 2]))
    return new_vertices, new_faces[ok]


def _components_points(points: np.ndarray) -> np.ndarray:
    """Cluster a point cloud on a voxel grid a few point spacings wide."""
    from scipy import ndimage
    from scipy.spatial import cKDTree

    sample = points[fixed_sample(len(points))]
    d, _ = cKDTree(points).query(sample, k=2)
    spacing = float(np.median(d[:, 1])) or 1e-9
    span = np.ptp(points, axis=0)
    voxel = max(3.0 * spacing, float(span.max()) / 400.0)
    cells = np.floor((points - points.min(axis=0)) / voxel).astype(np.int64)
    shape = cells.max(axis=0) + 1
    grid = np.zeros(shape, dtype=bool)
    grid[cells[:, 0], cells[:, 1], cells[:, 2]] = True
    labels, _ = ndimage.label(grid, structure=np.ones((3, 3, 3)))
    return labels[cells[:, 0], cells[:, 1], cells[:, 2]]


def _is_flat(points: np.ndarray) -> bool:
    centred = points - points.mean(axis=0)
    s = np.linalg.svd(centred[:: max(1, len(centred) // 5000)], compute_uv=False)
    return s[-1] < 0.06 * s[0]


def _drop_debris(vertices, faces, edge_keys, name, warnings):
    """Keep the one body; drop eyes/teeth, stray points, a turntable or floor plate. Also says
    which vertices were kept (None: all)."""
    if faces is not None:
        n = len(vertices)
        labels = connected_labels(n, edge_keys // n, edge_keys % n)
    else:
        labels = _components_points(vertices)
    counts = np.bincount(labels)
    order = np.argsort(-counts, kind="stable")
    big = [lab for lab in order if counts[lab] >= 0.2 * counts[order[0]]]
    bodies = [lab for lab in big if not _is_flat(vertices[labels == lab])]
    dropped_plates = len(big) - len(bodies)
    if not bodies:
        raise BadInput(f"scan file {name} holds only a flat shape, not a standing person")
    if len(bodies) > 1:
        raise BadInput(f"scan file {name} holds {len(bodies)} body-sized objects; scan one person at a time")
    keep = labels == bodies[0]
    dropped = int((~keep).sum())
    if dropped:
        what = ("" if not dropped_plates else "a flat piece (a floor plate or a wall) and " if dropped_plates == 1
                else f"{dropped_plates} flat pieces (floor plates, walls) and ")
        warnings.append(f"dropped {what}{len(counts) - 1 - dropped_plates} small extra piece(s) "
                        f"({dropped} points) beside the body")
    if faces is None:
        return vertices[keep], None, keep
    if not dropped:
        return vertices, faces, None
    index = np.full(len(vertices), -1)
    index[keep] = np.arange(int(keep.sum()))
    new_faces = index[faces]
    return vertices[keep], new_faces[(new_faces[:, 0] >= 0) & (new_faces[:, 1] >= 0) & (new_faces[:, 2] >= 0)], keep


def _weighted_samples(vertices, faces):
    """Points and weights spread by surface area, so dense face or hand meshes do not bias axes."""
    # per coordinate (gathering (F, 3, 3) corner blocks from a big mesh is several times
    # slower, and holds far more memory); the same products and sums in the same order as
    # np.cross, np.linalg.norm and mean
    centres = np.empty((len(faces), 3))
    e1, e2 = [], []
    for k in range(3):
        column = np.ascontiguousarray(vertices[:, k])
        a, b, c = column[faces[:, 0]], column[faces[:, 1]], column[faces[:, 2]]
        centres[:, k] = (a + b + c) / 3
        e1.append(b - a)
        e2.append(c - a)
    squares = None
    for i, j in ((1, 2), (2, 0), (0, 1)):  # the three components of e1 x e2, in order
        part = e1[i] * e2[j] - e1[j] * e2[i]
        part *= part
        squares = part if squares is None else squares + part
    return centres, 0.5 * np.sqrt(squares)


def _floor(centres: np.ndarray, weights: np.ndarray, vertices: np.ndarray, faces: np.ndarray):
    """A floor left in the scan, joined to the feet (a point cloud's floor points mesh with the
    soles, and a mesh's floor can be fused to them), or the top of a turntable the person stands
    on: a plane holding FLOOR_SHARE or more of the surface, the one of them nearest the body
    (a turntable's top, not its underside). Its unit normal and which face samples (CENTRES,
    area WEIGHTS) lie on it; None when no plane holds that much (a body's own
    flattest part holds 1.0-3.7 %: the shared bodies, the bench scan, clouds clean and noisy).

    Why: the long axis that orients a scan is the axis of the largest spread, and a floor spreads
    sideways: a cloud with a 2 m square of floor points under the feet was refused as "not one
    standing person" (its long axis lay along the floor); and with a turntable 80 mm tall under
    the feet, every height counted from its underside (stature +80 mm). The normals are read on
    a fixed sample of up to 100,000 faces, their sign set by their largest component (a cloud's
    fans are wound either way), and binned 0.02 apart; the fullest bin's mean is refined over the
    faces within FLOOR_SPREAD_DEG of it, whose offsets along it, binned FLOOR_THICKNESS apart,
    give the planes."""
    ids = fixed_sample(len(faces), 100_000)
    corners = [vertices[faces[ids, k]] for k in range(3)]
    normals = np.cross(corners[1] - corners[0], corners[2] - corners[0])
    length = np.linalg.norm(normals, axis=1)
    area = weights[ids]  # (the faces' areas: half those lengths)
    normals = normals / np.where(length > 0, length, 1.0)[:, None]
    largest = np.argmax(np.abs(normals), axis=1)
    normals *= np.sign(normals[np.arange(len(ids)), largest])[:, None]
    bins = np.round(normals / 0.02).astype(np.int64) + 50
    key = (bins[:, 0] * 101 + bins[:, 1]) * 101 + bins[:, 2]
    fullest = np.argmax(np.bincount(key, area))
    normal = (normals[key == fullest] * area[key == fullest, None]).sum(axis=0)
    normal /= np.linalg.norm(normal)
    near = np.abs(normals @ normal) > math.cos(math.radians(FLOOR_SPREAD_DEG))
    if area[near].sum() < FLOOR_SHARE * area.sum():
        return None
    extent = float(max(np.ptp(vertices[:, k]) for k in range(3)))
    thickness = FLOOR_THICKNESS * extent
    offsets = centres[ids] @ normal
    layer = np.floor(offsets[near] / thickness).astype(np.int64)
    layer -= layer.min()
    in_layer = np.bincount(layer, area[near])
    # a plane: two neighbouring layers (a plane's faces straddle a layer's edge) holding the share
    pairs = in_layer + np.append(in_layer[1:], 0.0)
    planes = np.nonzero(pairs >= FLOOR_SHARE * area.sum())[0]
    if len(planes) == 0:
        return None
    body = _weighted_median(offsets[~near], area[~near]) if (~near).any() else 0.0
    in_plane = [(layer == k) | (layer == k + 1) for k in planes]
    plane = min((_weighted_median(offsets[near][part], area[near][part]) for part in in_plane),
                key=lambda offset: abs(offset - body))
    on_floor = np.abs(centres @ normal - plane) < thickness
    if weights[on_floor].sum() < FLOOR_SHARE * weights.sum():
        return None
    return normal, on_floor


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value with half the weight below it."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


# said when a scan is no standing person while a large plane is joined to it
_ROOM_HINT = "; a large flat surface is joined to it (a floor, a wall): crop the scan to the person"


def _room_hint(vertices: np.ndarray, faces: np.ndarray) -> str:
    """_ROOM_HINT where a large plane is joined to the scan (_floor), else nothing: for the
    message refusing it as no standing person (error paths only: it reads the whole mesh)."""
    return _ROOM_HINT if _floor(*_weighted_samples(vertices, faces), vertices, faces) is not None else ""


def _orient_scan(centres: np.ndarray, weights: np.ndarray, vertices: np.ndarray, faces: np.ndarray,
                 rim_keys: np.ndarray | None = None):
    """_orient of a scan's face samples (CENTRES, area WEIGHTS of FACES over VERTICES; RIM_KEYS:
    the sorted pair keys of a mesh's edges of one face, None for a cloud's mesh), and the height
    (along the new vertical, in the file's unit) of a floor left in it (_floor; None if none):
    then the rest is oriented, with the floor's normal for the vertical (and the feet stand on
    it: no soles are open)."""
    floor = _floor(centres, weights, vertices, faces)
    rim = None if rim_keys is None else (vertices, rim_keys)
    if floor is None:
        return (*_orient(centres, weights, rim), None)
    normal, on_floor = floor
    # Only what stands on the floor is the body: not the floor, nor what lies under it (a
    # turntable's side and underside, whose ring, the lowest part of the scan, was taken for the
    # feet, and its rim for the toes: half the turntable clouds faced backwards).
    offsets = centres @ normal
    plane = float(np.median(offsets[on_floor]))
    above = np.sign(_weighted_median(offsets[~on_floor], weights[~on_floor]) - plane) * (offsets - plane) > 0.0
    body = above & ~on_floor
    rotation, _, _, length, _ = _orient(centres[body], weights[body])
    if abs(normal @ rotation[2]) < math.cos(math.radians(SOLE_SEARCH_DEG)):
        return (*_orient(centres, weights, rim), None)  # a wall, not a floor (the body stands along it)
    up, up_name = _snap(normal if normal @ rotation[2] > 0 else -normal, SNAP_TO_FILE_AXIS_DEG)
    depth = rotation[1] - (rotation[1] @ up) * up
    depth /= np.linalg.norm(depth)
    # (the floor's height in the new frame: where the heights count from)
    floor_height = float(np.median(centres[on_floor] @ up))
    return (np.vstack([np.cross(depth, up), depth, up]), (up_name or "tilted"), _axis_name(depth), length, False,
            floor_height)


def _nearest_file_axis(axis: np.ndarray) -> tuple[np.ndarray, str, float]:
    """The file axis nearest to the unit vector AXIS (either way along it), its name ("+Z") and
    the cosine of the angle between the two."""
    k = int(np.argmax(np.abs(axis)))
    file_axis = np.zeros(3)
    file_axis[k] = math.copysign(1.0, axis[k])
    return file_axis, ("+" if axis[k] > 0 else "-") + "XYZ"[k], abs(float(axis[k]))


def _snap(axis: np.ndarray, tolerance_deg: float = 8.0) -> tuple[np.ndarray, str | None]:
    file_axis, name, cosine = _nearest_file_axis(axis)
    if cosine >= math.cos(math.radians(tolerance_deg)):
        return file_axis, name
    return axis, None


def _lean_to_file_axis(axis: np.ndarray, bounds_deg: tuple[float, float]) -> tuple[np.ndarray, str | None]:
    """The soles' vertical AXIS drawn onto the nearest file axis, and that axis' name where it lies
    within the middle of BOUNDS_DEG of it (else None).

    Scanners stand people along a file axis, and the soles' plane is found only to 0.1-0.5
    degrees (_sole_normal), so a file axis that near is the better vertical. A hard cut at 1
    degree, though, let a body whose soles tilt about that much stand on the file's axis as a
    mesh and 1 degree off it as a point cloud (committed unseen man_short: 0.96 and 1.03 degrees
    off; stature 2.1, hip height 3.2 mm apart). So the tilt left is 0 up to the first bound, the
    whole tilt beyond the second, and rises in a straight line between: two readings of one tilt
    stand at most 1.5 times as far apart as they read (3 times on open soles)."""
    file_axis, name, cosine = _nearest_file_axis(axis)
    tilt = math.degrees(math.acos(min(1.0, cosine)))
    full, free = bounds_deg
    name = name if tilt <= 0.5 * (full + free) else None
    if tilt >= free:
        return axis, name
    if tilt <= full:
        return file_axis, name
    kept = math.radians((tilt - full) * free / (free - full))
    across = axis - (axis @ file_axis) * file_axis
    return math.cos(kept) * file_axis + math.sin(kept) * across / np.linalg.norm(across), name


def _sole_normal(centred: np.ndarray, up: np.ndarray, length: float) -> np.ndarray | None:
    """Upward normal of the plane the feet stand on, or None where no sole plane shows.

    A standing person's soles rest on the floor, so their plane gives the vertical far better
    than the body's long axis (a lean, an A-pose or a turned head tilt that axis by a degree or
    more). On the convex hull of the lowest 5 % of the body, the facet the body rests on is the
    one facing down straight under its centre; the area-weighted mean normal of the facets within
    SOLE_SPREAD_DEG of it, moved to the mean of those within that of the mean until it stays, is
    the vertical (0.10-0.48 degrees from the true one on the six shared bodies and their clouds,
    upright or tilted 4, 7 or 20 degrees). Only facets within SOLE_REST_DEG of the resting one
    count: a raised heel's slope lies 1-2 degrees beside the sole and is as large, and the mean
    could drift onto it on a mesh and not on its cloud (draw 1's man 06: 1.02 and 1.73 degrees
    off the file's axis; his resting facet reads 1.66 and 1.72). So held, 35 bodies' mesh /
    cloud pairs agree within 0.13 degrees, 0.048 on average (0.71 and 0.104 unheld).

    (It was the mean of the largest set of facets agreeing within SOLE_SPREAD_DEG. Soles the Anny
    model's raised heels curve show two such sets, 1-2 degrees apart, of about the same area, and
    a mesh and a point cloud of one body could take different ones: draw 2's man 02 stood 1.68 and
    0.79 degrees off the file's axis, 0.9 apart. Settled from the resting facet, 30 bodies' mesh /
    cloud pairs agree within 0.20 degrees, 0.085 on average; it was 0.89 and 0.196.)"""
    from scipy.spatial import ConvexHull, QhullError

    h = centred @ up
    low = centred[h < h.min() + 0.05 * length]
    if len(low) < 20:
        return None
    try:
        hull = ConvexHull(low)
    except QhullError:
        return None
    normals = -hull.equations[:, :3]  # qhull's normals point outwards: a sole facet's points down
    corners = low[hull.simplices]
    area = 0.5 * np.linalg.norm(np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]), axis=1)
    down = normals @ up > math.cos(math.radians(SOLE_SEARCH_DEG))
    if not down.any():
        return None
    normals, area, corners = normals[down], area[down], corners[down]
    # (the facet the body rests on: the one the vertical line through its centre, CENTRED's
    # origin, passes through; as seen along that line, the centre lies on the same side of each
    # of its edges)
    turns = np.stack([np.cross(corners[:, i], corners[:, (i + 1) % 3]) @ up for i in range(3)], axis=1)
    under = np.nonzero((turns >= 0).all(axis=1) | (turns <= 0).all(axis=1))[0]
    if len(under):
        sole = normals[under[np.argmin(corners[under].mean(axis=1) @ up)]]
    else:  # (the centre is not over the feet: the largest set of facets agreeing instead)
        candidates = np.argsort(-area)[:500]  # the sole's own facets are among the largest
        near = normals[candidates] @ normals.T > math.cos(math.radians(SOLE_SPREAD_DEG))
        sole = normals[candidates[int(np.argmax(near @ area))]]
    resting = normals @ sole > math.cos(math.radians(SOLE_REST_DEG))
    for _ in range(SOLE_SETTLE_STEPS):
        near = resting & (normals @ sole > math.cos(math.radians(SOLE_SPREAD_DEG)))
        mean = (normals[near] * area[near, None]).sum(axis=0)
        mean /= np.linalg.norm(mean)
        settled = mean @ sole > math.cos(math.radians(SOLE_SETTLED_DEG))
        sole = mean
        if settled:
            break
    return sole


def _soles_open(centred: np.ndarray, weights: np.ndarray, sole: np.ndarray, length: float,
                rim: tuple[np.ndarray, np.ndarray] | None, centre: np.ndarray) -> bool:
    """Whether the soles' plane (SOLE, the upward normal) rests on the rim of a hole rather than
    on soles: less surface than OPEN_SOLE_AREA lies within OPEN_SOLE_SLAB of it, and (a mesh's
    RIM: its vertices and edges of one face; CENTRE: where CENTRED's frame has its origin) a
    hole's rim runs along it, not counting holes of three edges (a punched face, a T-junction's
    crack: closed later, _small_holes). A cloud's mesh is judged by its surface alone, below
    OPEN_SOLE_AREA_CLOUD. (Closed soles of the shared bodies hold 0.0028-0.0040 of the length
    squared there, clouds' meshes 0.0026-0.0032; the same bodies as booths see them, soles
    missing, 0.0001-0.0012, their planes 0.02-1.35 degrees off; a mesh cut flat through the
    feet 0.0009-0.0012. Bodies whose heels the Anny model raises, tests/unseen_bodies.py:
    0.0012-0.0023, closed: hence the rim.)"""
    h = centred @ sole
    bottom = h.min()
    area = weights[h < bottom + OPEN_SOLE_SLAB * length].sum()
    if rim is None:
        return bool(area < OPEN_SOLE_AREA_CLOUD * length ** 2)
    if area >= OPEN_SOLE_AREA * length ** 2:
        return False
    vertices, keys = rim
    n = len(vertices)
    height = (vertices - centre) @ sole - bottom
    top = np.maximum(height[keys // n], height[keys % n])  # (each edge's higher end)
    # (the small holes searched among edges twice as high, so that none reaching above the rim's
    # slab is missed)
    near = top < 2.0 * OPEN_SOLE_RIM_SLAB * length
    keys = keys[near]  # (still sorted)
    small = three_edge_holes(keys, n)
    in_rim = top[near] < OPEN_SOLE_RIM_SLAB * length
    if len(small):
        for a, b in ((0, 1), (1, 2), (0, 2)):
            in_rim[np.searchsorted(keys, pair_keys(small[:, a], small[:, b], n))] = False
    return keyed_edges_length(vertices, keys[in_rim]) >= OPEN_SOLE_RIM * length


def _blob_count(points2d: np.ndarray, cell: float) -> int:
    from scipy import ndimage

    if len(points2d) == 0:
        return 0
    cells = np.floor((points2d - points2d.min(axis=0)) / cell).astype(int)
    grid = np.zeros(cells.max(axis=0) + 1, dtype=bool)
    grid[cells[:, 0], cells[:, 1]] = True
    labels, n = ndimage.label(grid, structure=np.ones((3, 3)))
    sizes = np.bincount(labels[cells[:, 0], cells[:, 1]])[1:]
    return int((sizes >= 0.1 * sizes.max()).sum()) if len(sizes) else 0


def _orient(points, weights, rim: tuple[np.ndarray, np.ndarray] | None = None):
    """Rotation (rows = new x, y, z in old coordinates), the names of what was found, the body's
    length and whether its soles are open (_soles_open; RIM: a mesh's vertices and the pair keys
    of its edges of one face, None for a cloud's mesh)."""
    centre = np.average(points, axis=0, weights=weights)
    centred = points - centre
    cov = (centred * weights[:, None]).T @ centred / weights.sum()
    _, vecs = np.linalg.eigh(cov)
    up = vecs[:, 2]
    depth = vecs[:, 0]
    up, up_name = _snap(up)
    # Which end is the head: the feet end shows two separate blobs (legs), the head end one.
    h = centred @ up
    length = h.max() - h.min()
    lateral = np.cross(up, depth)
    lateral /= np.linalg.norm(lateral)
    depth = np.cross(lateral, up)
    ends = []
    for sign in (1.0, -1.0):
        hs = sign * h
        top = hs.max()
        slab = (hs < top - 0.02 * length) & (hs > top - 0.10 * length)
        in_slab = centred[slab]
        flat = np.column_stack([in_slab @ lateral, in_slab @ depth])
        width = float(np.ptp(flat[:, 0])) if len(flat) else 0.0
        ends.append((_blob_count(flat, 0.012 * length), width))
    # ends[0] is the +up end; it is the feet end if it has more blobs (or is wider on a tie).
    if ends[0][0] > ends[1][0] or (ends[0][0] == ends[1][0] and ends[0][1] > ends[1][1]):
        up = -up
        h = -h
        up_name = None if up_name is None else ("-" if up_name[0] == "+" else "+") + up_name[1]
        lateral = -lateral
    # Facing: toes stick out in front of the ankles.
    h_min = h.min()
    feet = h < h_min + 0.03 * length
    ankles = (h > h_min + 0.05 * length) & (h < h_min + 0.09 * length)
    if feet.any() and ankles.any():
        toes_forward = np.average(centred[feet] @ depth, weights=weights[feet]) - \
            np.average(centred[ankles] @ depth, weights=weights[ankles])
        if toes_forward < 0:
            depth = -depth
            lateral = -lateral
    # The vertical: the soles' plane, where it shows (within SOLE_SEARCH_DEG of the long axis);
    # drawn onto a file axis only within about a degree of it (SOLE_SNAP_DEG; OPEN_SOLES_SNAP_DEG
    # where the soles are open), so a scanner's tilt of a few degrees is undone.
    sole = _sole_normal(centred, up, length)
    soles_open = sole is not None and _soles_open(centred, weights, sole, length, rim, centre)
    if sole is not None:
        up, up_name = _lean_to_file_axis(sole, OPEN_SOLES_SNAP_DEG if soles_open else SOLE_SNAP_DEG)
        depth = depth - (depth @ up) * up
        depth /= np.linalg.norm(depth)
    facing = _axis_name(depth)
    lateral = np.cross(depth, up)
    rotation = np.vstack([lateral, depth, up])
    return rotation, (up_name or "tilted"), facing, length, soles_open


def _debris_orientation_and_holes(vertices, faces, name, warnings):
    """A mesh's body (_drop_debris: vertices, faces and which vertices read are kept), the
    orientation of that body, and its small holes' closing faces (_small_holes).

    Steps that need none of each other's results run side by side (concurrency.py): the faces'
    sample points and weights beside the edge table and the debris search (a face's point and
    weight depend on its own corners only, so the body's are the whole mesh's of the kept faces,
    bit for bit), then the orientation beside the hole search (which reads vertex ids only)."""
    from c2m_tailor.scan.concurrency import run_together

    n_read = len(vertices)

    def debris():
        edge_keys, faces_per_edge = edge_table(n_read, faces)
        return edge_keys, faces_per_edge, _drop_debris(vertices, faces, edge_keys, name, warnings)

    (edge_keys, faces_per_edge, body), (samples, weights) = run_together(
        debris, lambda: _weighted_samples(vertices, faces))
    kept = body[2]
    if kept is not None:
        on_body = kept[faces].all(axis=1)
        samples, weights = samples[on_body], weights[on_body]
    body_faces = faces if kept is None else faces[on_body]
    rim_keys = edge_keys[faces_per_edge == 1]
    if kept is not None:
        rim_keys = rim_keys[kept[rim_keys // n_read]]  # (a dropped piece shares no vertex with the body)
    oriented, holes = run_together(lambda: _orient_scan(samples, weights, vertices, body_faces, rim_keys),
                                   lambda: _small_holes(body[1], len(body[0]), edge_keys, faces_per_edge, n_read, kept))
    return body, oriented, holes


def _axis_name(vector: np.ndarray) -> str:
    _, name, cosine = _nearest_file_axis(vector)
    return f"about {name}" if cosine < math.cos(math.radians(8.0)) else name


def _choose_unit(length: float) -> str:
    return min(UNIT_TO_MM, key=lambda u: abs(math.log(max(length * UNIT_TO_MM[u], 1e-12) / TYPICAL_STATURE_MM)))


def load_body(path: str | os.PathLike, unit: str | None = None) -> Body:
    """Read a scan (mesh or point cloud), drop debris, and normalize it (see module docstring)."""
    path = Path(path)
    unit = normalize_unit_name(unit)
    warnings: list[str] = []
    vertices, faces = _read(path)
    holes = None
    if faces is not None:
        vertices, faces = _merge_duplicates(vertices, faces)
        if len(faces) < 100:
            raise BadInput(f"scan file {path.name} has too few faces to be a body scan")
        (vertices, faces, _), oriented, holes = _debris_orientation_and_holes(vertices, faces, path.name, warnings)
    else:
        vertices, faces, _ = _drop_debris(vertices, faces, None, path.name, warnings)
        # A bare point cloud is measured as the mesh over its points (see scan/cloud.py), its
        # frame found from that mesh's faces too.
        from c2m_tailor.scan.cloud import meshed_points

        vertices, faces = meshed_points(vertices, path.name, warnings)
        oriented = _orient_scan(*_weighted_samples(vertices, faces), vertices, faces)
    rotation, up_name, facing, length, soles_open, floor_height = oriented
    if floor_height is not None:
        warnings.append("a floor (or a turntable's top) is in the scan, joined to the feet: it sets the vertical, "
                        "and heights count from it")
    detected = _choose_unit(length)
    chosen = unit or detected
    if unit and unit != detected:
        warnings.append(f"unit given as {unit}; from the body size it looked like {detected}")
    scale = UNIT_TO_MM[chosen]
    stature = length * scale
    if not PLAUSIBLE_STATURE_MM[0] <= stature <= PLAUSIBLE_STATURE_MM[1]:
        raise BadInput(f"scan file {path.name} would be a person {stature:.0f} mm tall in {chosen}; "
                       "give the right unit")
    mm = (vertices @ rotation.T) * scale
    # the floor at z = 0: the lowest point, or a floor left in the scan (what lies below it, a
    # turntable's side and underside, stays below)
    mm[:, 2] -= mm[:, 2].min() if floor_height is None else floor_height * scale
    # Centre on the pelvis: lateral band of the hips excludes hands hanging beside them.
    z = mm[:, 2]
    band = (z > 0.45 * stature) & (z < 0.55 * stature)
    if band.sum() < 10:
        raise BadInput(f"scan file {path.name} is not one standing person (nothing at hip height)"
                       + _room_hint(vertices, faces))
    mid_x = 0.5 * (mm[:, 0].min() + mm[:, 0].max())
    torso = band & (np.abs(mm[:, 0] - mid_x) < 0.12 * stature)
    if torso.sum() < 10:
        torso = band
    mm[:, 0] -= 0.5 * (mm[torso, 0].min() + mm[torso, 0].max())
    mm[:, 1] -= 0.5 * (mm[torso, 1].min() + mm[torso, 1].max())
    if holes is not None:  # (a mesh read from the file, not one over a cloud)
        faces = _fill_small_holes(mm, faces, holes)
    # A scanner's noise out before anything reads the surface (see scan/smoothing.py), once the
    # cracks are closed (their rims would be held still, noise and all); then the soles, on the
    # smoothed surface, set the floor.
    noise = remove_noise(mm, faces)
    if noise.pairs:
        if floor_height is None:
            mm[:, 2] -= mm[:, 2].min()
        warnings.append(f"scan noise of about {noise.noise_mm:.1f} mm smoothed out before measuring "
                        f"({noise.pairs} Taubin pairs)")
    elif noise.noisy:
        warnings.append(f"the scan's surface is rough (noise of about {noise.noise_mm:.1f} mm, or detail too fine "
                        f"for its {noise.edge_mm:.0f} mm edges) and its mesh too coarse to smooth: girths may be "
                        "off by a few mm")
    return Body(mm, faces, chosen, up_name, facing, str(path), warnings, noise, floor_height is not None, soles_open)


@dataclass
class _Holes:
    """A body's holes of three boundary edges as faces, and what stays open once they are closed."""

    faces: np.ndarray  # (H, 3) vertex ids of the body
    open_edges: int    # boundary edges left open (a boundary edge can bound two holes: then < 0)
    edges: int         # the body's edges


def _small_holes(faces: np.ndarray, n_vertices: int, edge_keys: np.ndarray, faces_per_edge: np.ndarray,
                 n_read: int, kept: np.ndarray | None) -> _Holes | None:
    """The holes of three boundary edges of the body (FACES over N_VERTICES vertices): a punched
    face, a T-junction's crack (see three_edge_holes). EDGE_KEYS and FACES_PER_EDGE: the edges of
    the mesh as read (N_READ vertices) and how many faces hold each; KEPT: which vertices read are
    the body's (None: all). None when the body has no boundary edge (closed)."""
    if kept is not None:
        # the body's edges: a dropped piece shares no vertex, so no edge, with the body
        on_body = kept[edge_keys // n_read]
        edge_keys, faces_per_edge = edge_keys[on_body], faces_per_edge[on_body]
    boundary = edge_keys[faces_per_edge == 1]
    if len(boundary) == 0:
        return None
    holes = three_edge_holes(boundary, n_read)
    if kept is not None:
        holes = (np.cumsum(kept) - 1)[holes]
    holes = holes[~_are_faces(holes, faces, n_vertices)]
    return _Holes(holes, len(boundary) - 3 * len(holes), len(faces_per_edge))


def _fill_small_holes(vertices: np.ndarray, faces: np.ndarray, holes: _Holes | None) -> np.ndarray:
    """Close the body's holes of three boundary edges (HOLES, see _small_holes), and where few
    edges are open then, of four (two punched faces), so sections close."""
    import trimesh

    if holes is None:
        return faces
    faces = np.vstack([faces, holes.faces])
    if holes.open_edges <= 0 or holes.open_edges > 0.05 * holes.edges:
        return faces  # closed, or a shredded mesh that hole filling would not help
    mesh = trimesh.Trimesh(vertices, faces, process=False)
    try:
        trimesh.repair.fill_holes(mesh)
    except Exception:
        return faces
    return np.asarray(mesh.faces, dtype=np.int64)


def three_edge_holes(boundary_keys: np.ndarray, n_vertices: int) -> np.ndarray:
    """The holes of three boundary edges, as faces (H, 3), from the sorted pair keys (see
    sections.pair_keys) of a mesh's edges held by one face.

    Such a hole is a punched face, or the crack of a T-junction: a mesh refined in part (a
    scanner's patches stitched together, or every other face of a test body subdivided) has
    faces whose edge holds a vertex of the finer faces beside it, so the two are not joined.
    A million-face body with such cracks everywhere had its landmarks searched on a coarse
    copy whose merged cells opened the cracks wider than its nearness link: the trunk's
    sections split, and five of the six shared bodies read neck +12..+23 mm, or no armpits."""
    if len(boundary_keys) < 3:
        return np.zeros((0, 3), np.int64)
    low, high = boundary_keys // n_vertices, boundary_keys % n_vertices
    # every boundary edge low-high, and for each the boundary edges from its high end to a
    # higher third vertex; a hole when that vertex and the low end share a boundary edge too
    # (boundary keys are sorted by their low end: the edges by low end need no sort, and the
    # higher neighbours of a vertex are the edges it is the low end of)
    first = np.zeros(n_vertices + 1, np.int64)
    np.cumsum(np.bincount(low, minlength=n_vertices), out=first[1:])
    count = first[high + 1] - first[high]
    edge = np.repeat(np.arange(len(low)), count)
    step = np.arange(len(edge)) - np.repeat(np.cumsum(count) - count, count)
    a, b, c = low[edge], high[edge], high[first[high[edge]] + step]
    closing = pair_keys(a, c, n_vertices)
    found = np.minimum(np.searchsorted(boundary_keys, closing), len(boundary_keys) - 1)
    hole = boundary_keys[found] == closing
    return np.column_stack([a[hole], b[hole], c[hole]])


def _are_faces(triples: np.ndarray, faces: np.ndarray, n_vertices: int) -> np.ndarray:
    """Which TRIPLES (ascending vertex ids) are FACES already: a face all of whose edges lie
    on holes (a face with a T-junction on each side) closes a loop of three boundary edges too."""
    if len(triples) == 0 or float(n_vertices) ** 3 >= 2.0 ** 63:
        return np.zeros(len(triples), bool)  # (too many vertices for one key per triple: unchecked)
    n = np.int64(n_vertices)
    on_rim = np.zeros(n_vertices, bool)
    on_rim[triples.ravel()] = True
    rim_faces = np.sort(faces[on_rim[faces].all(axis=1)], axis=1)
    face_keys = np.sort((rim_faces[:, 0] * n + rim_faces[:, 1]) * n + rim_faces[:, 2])
    keys = (triples[:, 0] * n + triples[:, 1]) * n + triples[:, 2]
    if len(face_keys) == 0:
        return np.zeros(len(triples), bool)
    found = np.minimum(np.searchsorted(face_keys, keys), len(face_keys) - 1)
    return face_keys[found] == keys
