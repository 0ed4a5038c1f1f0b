"""A bare point cloud turned into a triangle mesh, so that it is measured as a mesh is.

Why: a cloud has no surface, and joining its points into section contours by nearness alone
fails on a scanner's uneven density. Randomly spread points clump (Poisson): within a few mm of
a plane they leave gaps of 5-10 mm along a leg ring, while the gap under an armpit or between
the legs that must part two contours is of the same size, so no nearness link both keeps rings
whole and keeps body parts apart (a random 250k-point cloud of a body was refused as "not one
standing person"). A triangle mesh decides this by topology instead: a section joins the two
crossing edges of each face, however far apart the crossing points lie.

A noisy cloud (a scanner's raw points scatter 0.5-2 mm about the skin) is first settled: each
point moved onto the quadratic surface fitted to its 60 nearest neighbours (see _settled).

How (numpy and scipy only; no surface-reconstruction dependency): every point's umbrella is the
fan of Delaunay triangles around it in its tangent plane (the plane of its nearest neighbours),
among its K nearest neighbours: the neighbours are projected onto the plane and inverted
(q -> q / |q|^2); the point's Delaunay neighbours are then the corners of the convex hull of the
inverted neighbours, found for all points at once by repeatedly dropping the corners that turn
the wrong way. The mesh is the union of all umbrellas (on an even cloud 96 % of its triangles
are found by all three of their corners). Its vertices are the scan's own points, so girths are
cut through the measured surface, not a fitted one. Points whose fan stays open (a clump with
all K neighbours to one side) are tried again with more neighbours. Neighbours far out of the
tangent plane (across the gap between an arm and the trunk) are not joined.

Surfaces a scanner cannot see but a cloud sampled from a body model holds (the inside of a
closed mouth, teeth, eyeballs) are dropped: points the space around the body cannot reach
(voxels), and small separate pieces of the mesh, as a mesh's loader drops its separate pieces.
Without that, the mouth's inside joined the lips, and the head's sweep took its ring for the
head's (female_average random clouds read the neck 19-23 mm large).

Every cloud is meshed, evenly spread or not. An even cloud once kept its own path, its points
joined into section contours within a few point spacings: that joined the arm to the trunk
where the gap under it narrowed below the link (a plus-size body's waist +13.7 mm, across front
+60), and needed its own armpit correction. Triangles lying across the surface, more than 60
degrees out of a corner's tangent plane, are then dropped (_along_surface): they bridged the gap
under a plus-size body's arm. Where that gap is narrower than about a point spacing it stays
bridged: male_plus_size's armpit (a slit under 1 mm wide over its top 10 mm) reads 6-8 mm low on
a 250k cloud (its arm girths hold the bar all the same: the arm's axis runs through the centres of
its sections' hulls, see sections.hull_centroid).
"""

from __future__ import annotations

import numpy as np

from c2m_tailor.scan.concurrency import run_in_batches, thread_count
from c2m_tailor.scan.sections import connected_labels, distinct_faces, edge_table, fixed_sample

NEIGHBOURS = 16           # candidates per point for its umbrella
NEIGHBOURS_OPEN = 48      # candidates for a point whose umbrella stayed open
NORMAL_NEIGHBOURS = 10    # neighbours whose plane is the point's tangent plane
MAX_TILT = 0.5            # a neighbour more than asin(0.5) = 30 degrees out of the plane is no neighbour
MIN_FACE_COS = 0.5         # a face more than 60 degrees out of a corner's tangent plane lies across the surface
HIDDEN_DEPTH = 4          # voxels (of two spacings): points deeper inside are hidden
SETTLE_NEIGHBOURS = 60    # neighbours a point's quadratic surface is fitted to (noise falls as 1/sqrt)
SETTLE_NORMAL_NEIGHBOURS = 20  # ... and whose plane is its tangent plane there
SETTLE_MIN_NEIGHBOURS = 12     # fewer neighbours in the plane than this: the point is left as it is
SETTLE_NOISE = 1e-4        # median move (fraction of the cloud's extent) below which a cloud is left as it is
SETTLE_CHUNK = 2048      # points fitted at a time: ~40 arrays of chunk x neighbours stay in cache (250k points 1.3 s, 2.0 with 20,000)
UMBRELLA_CHUNK = 8192     # points whose fans are found at a time (see _umbrellas)
SMALL_PIECE = 0.2         # pieces with fewer vertices than this fraction of the largest are dropped


def mesh_from_points(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Triangles over a point cloud (see module docstring): the kept points (N', 3), faces
    (F, 3) into them, and how many points were dropped (out of the outside's reach, or in
    small separate pieces)."""
    from scipy.spatial import cKDTree

    points = np.asarray(points, dtype=np.float64)
    if len(points) < NEIGHBOURS + 1:
        return points, np.zeros((0, 3), np.int64), 0
    seen = _seen_from_outside(points)
    hidden = len(points) - int(seen.sum())
    if hidden:
        points = points[seen]
    n = len(points)
    # Points in grid-cell order: neighbour queries in spatial order run 3-4 times faster than
    # in a scanner's (or a sampler's) order. The faces are mapped back to the input order.
    order = _spatial_order(points)
    p = _settled(np.ascontiguousarray(points[order]))
    points = np.empty_like(p)
    points[order] = p  # (the mesh's vertices are the settled points, in the input order)
    tree = cKDTree(p)
    _, neighbours = tree.query(p, k=NEIGHBOURS + 1, workers=thread_count())
    faces, open_points, normals = _umbrellas(p, np.arange(n), neighbours[:, 1:])
    faces = distinct_faces(faces, n)
    # Where the union of fans leaves a hole (its rim: edges of one triangle, or fans left open),
    # the points there get fans among more candidates, which reach across the hole.
    rim = np.union1d(open_points, _single_face_edge_ends(faces, n))
    if len(rim):
        k = min(NEIGHBOURS_OPEN, n - 1)
        _, more = tree.query(p[rim], k=k + 1, workers=thread_count())
        more_faces, _, _ = _umbrellas(p, rim, more[:, 1:])
        faces = distinct_faces(np.vstack([faces, more_faces]), n)
    faces = _along_surface(p, faces, normals)
    faces = order[faces]
    kept, faces, dropped = _drop_small_pieces(points, faces)
    return kept, faces, dropped + hidden


def _seen_from_outside(points: np.ndarray) -> np.ndarray:
    """Which points lie on the outside of the shape: within HIDDEN_DEPTH voxels of the space
    around it. A scanner records only surfaces it can see; a cloud sampled from a body model
    can hold surfaces enclosed by the skin (the inside of a closed mouth, teeth, eyeballs),
    whose sections a mesh's loader drops as separate pieces but a cloud's mesh joins to the
    lips. Voxels are two point spacings wide and the occupied ones are grown by one, so the
    clumps and gaps of an uneven cloud leave no way in; the armpit's and crotch's creases
    (filled where narrower than two voxels) stay within reach of the outside."""
    from scipy import ndimage

    voxel = 2.0 * _spacing(points)
    if voxel <= 0:
        return np.ones(len(points), bool)
    lo = np.array([points[:, k].min() for k in range(3)]) - 2 * voxel * (HIDDEN_DEPTH + 2)
    cells = np.floor((points - lo) / voxel).astype(np.int64)
    shape = cells.max(axis=0) + 2 * (HIDDEN_DEPTH + 2) + 1
    if float(np.prod(shape)) > 6e7:  # a scene far bigger than its points: nothing is enclosed
        return np.ones(len(points), bool)
    occupied = np.zeros(tuple(shape), bool)
    occupied[cells[:, 0], cells[:, 1], cells[:, 2]] = True
    # (growing by a cube of voxels is a maximum over the cube, three one-dimensional passes: the
    # same voxels as dilations with a 3 x 3 x 3 structure, the second repeated HIDDEN_DEPTH + 1
    # times; on a million points 0.67 s against 1.34)
    occupied = ndimage.maximum_filter(occupied, size=3, mode="constant", cval=False)
    labels, _ = ndimage.label(~occupied)
    outside = labels == labels[0, 0, 0]
    reach = ndimage.maximum_filter(outside, size=2 * (HIDDEN_DEPTH + 1) + 1, mode="constant", cval=False)
    return reach[cells[:, 0], cells[:, 1], cells[:, 2]]


def _settled(points: np.ndarray) -> np.ndarray:
    """Each point moved along its normal onto the quadratic surface fitted (least squares) to
    itself and its SETTLE_NEIGHBOURS nearest neighbours in its tangent frame.

    Why: a scanner's points scatter about the skin (0.5-2 mm), and a tape's convex hull rides the
    outermost of them. A 250k-point cloud with 1 mm noise read girths 4-12 mm large and stature
    6 mm tall (the crown's highest outlier); a mesh's own faces hold its vertices apart, but a
    cloud's mesh is joined through the noise. A quadratic fit follows the body's curvature (a
    plane through 60 neighbours would cut inside a wrist by ~0.4 mm), so a clean cloud moves
    little. Neighbours far out of the tangent plane (across the gap under an arm) are left out.

    Only a noisy cloud is settled: where the median move is under SETTLE_NOISE of the cloud's
    extent (0.17 mm on a 1.7 m person, i.e. noise under about 0.25 mm, which moves a girth by
    about a millimetre), the points are kept as they are. A clean cloud sampled from a coarse
    mesh would otherwise be smoothed across the mesh's facets (their middles lie up to 0.5 mm
    inside a limb's vertices): its median point moves 0.06 mm, and limb girths lost 1-2 mm."""
    from scipy.spatial import cKDTree

    n = len(points)
    k = min(SETTLE_NEIGHBOURS, n - 1)
    tree = cKDTree(points)
    # the noise, from the moves of a fixed sample of points (as _spacing's)
    sample = np.sort(fixed_sample(n))
    workers = thread_count()
    moves = _moves_onto_fit(points, sample, tree.query(points[sample], k=k + 1, workers=workers)[1][:, 1:])
    extent = float(max(np.ptp(points[:, c]) for c in range(3)))
    if np.median(np.linalg.norm(moves, axis=1)) < SETTLE_NOISE * extent:
        return points
    neighbours = tree.query(points, k=k + 1, workers=workers)[1][:, 1:]
    # (each point's move depends on its own neighbours only)
    return points + np.concatenate(run_in_batches(
        n, SETTLE_CHUNK, lambda start, stop: _moves_onto_fit(points, np.arange(start, stop), neighbours[start:stop])))


def _moves_onto_fit(points: np.ndarray, centres: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """For each of CENTRES (ids into POINTS), the move (M, 3) along its normal onto the quadratic
    surface fitted to it and its CANDIDATES (M, K; nearest first) that lie near its tangent plane
    (see _settled); zero where fewer than SETTLE_MIN_NEIGHBOURS do."""
    rel = [points[candidates, c] - points[centres, c][:, None] for c in range(3)]
    normal, e1, e2 = _tangent_frames(rel, SETTLE_NORMAL_NEIGHBOURS)
    x, y, h = (rel[0] * axis[:, 0:1] + rel[1] * axis[:, 1:2] + rel[2] * axis[:, 2:3] for axis in (e1, e2, normal))
    r2 = x * x + y * y
    weight = (h * h <= MAX_TILT * MAX_TILT * (r2 + h * h)).astype(np.float64)
    # (coordinates in units of the neighbourhood's size keep the normal equations well scaled)
    count = weight.sum(axis=1)
    scale = np.sqrt((r2 * weight).sum(axis=1) / np.maximum(count, 1.0))
    scale = np.where(scale > 0, scale, 1.0)[:, None]
    x, y, h = x / scale, y / scale, h / scale
    # basis 1, x, y, x^2, xy, y^2; the centre itself is the sample at the origin (h = 0)
    basis = [np.ones_like(x), x, y, x * x, x * y, y * y]
    normal_matrix = np.empty((len(centres), 6, 6))
    for i in range(6):
        for j in range(i, 6):
            normal_matrix[:, i, j] = normal_matrix[:, j, i] = (weight * basis[i] * basis[j]).sum(axis=1)
    normal_matrix[:, 0, 0] += 1.0
    # (a tiny ridge keeps the system solvable where the neighbours lie on a line)
    normal_matrix[:, np.arange(6), np.arange(6)] += 1e-9 * count[:, None]
    rhs = np.stack([(weight * b * h).sum(axis=1) for b in basis], axis=1)
    enough = count >= SETTLE_MIN_NEIGHBOURS
    normal_matrix[~enough] = np.eye(6)  # (left where it is)
    rhs[~enough] = 0.0
    offset = np.linalg.solve(normal_matrix, rhs[:, :, None])[:, 0, 0] * scale[:, 0]
    return offset[:, None] * normal


def _spacing(points: np.ndarray) -> float:
    """The point spacing the density gives (over a fixed sample of up to 20,000 points): median
    distance to the 8th neighbour x sqrt(pi/8) (the side of the square each point covers), which
    clumping hardly moves (the nearest neighbour's distance shrinks where points clump)."""
    from scipy.spatial import cKDTree

    sample = points[fixed_sample(len(points))]
    d, _ = cKDTree(points).query(sample, k=min(9, len(points)))
    return float(np.median(d[:, -1])) * float(np.sqrt(np.pi / 8.0))


def _spatial_order(points: np.ndarray) -> np.ndarray:
    """Point ids sorted by a coarse grid cell (z slowest), stable within a cell."""
    lo = np.array([points[:, k].min() for k in range(3)])
    span = np.array([points[:, k].max() for k in range(3)]) - lo
    cell = max(float(span.max()) / 64.0, 1e-9)
    cells = np.floor((points - lo) / cell).astype(np.int64)
    dims = cells.max(axis=0) + 1
    key = (cells[:, 2] * dims[1] + cells[:, 1]) * dims[0] + cells[:, 0]
    return np.argsort(key, kind="stable")


def _umbrellas(p: np.ndarray, centres: np.ndarray, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Delaunay fan of each of CENTRES (ids into P) among its CANDIDATES (M, K; nearest
    first) in its tangent plane: triangles (M', 3), the centres whose fan stays open, and each
    centre's unit normal (M, 3).

    Taken UMBRELLA_CHUNK centres at a time, the first half of the batches beside the second
    (concurrency.py). A centre's fan depends on its own candidates only, so the batches give
    what one batch of all centres gives, bit for bit, in the same order; but a batch's dozens
    of (chunk, K) arrays stay in the processor's cache: a 250k cloud's fans took 4.3 s in one
    batch, 1.6 s in batches on one core, 1.0 s on two."""
    if len(centres) <= UMBRELLA_CHUNK:
        return _umbrellas_of(p, centres, candidates)
    batches = run_in_batches(len(centres), UMBRELLA_CHUNK,
                             lambda start, stop: _umbrellas_of(p, centres[start:stop], candidates[start:stop]))
    return tuple(np.concatenate([batch[i] for batch in batches]) for i in range(3))


def _umbrellas_of(p: np.ndarray, centres: np.ndarray, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """_umbrellas of one batch of CENTRES."""
    m, k = candidates.shape
    # offsets of the candidates, one coordinate at a time ((M, K, 3) gathers are slower)
    rel = [p[candidates, c] - p[centres, c][:, None] for c in range(3)]
    normal, e1, e2 = _tangent_frames(rel, NORMAL_NEIGHBOURS)
    x = rel[0] * e1[:, 0:1] + rel[1] * e1[:, 1:2] + rel[2] * e1[:, 2:3]
    y = rel[0] * e2[:, 0:1] + rel[1] * e2[:, 1:2] + rel[2] * e2[:, 2:3]
    h = rel[0] * normal[:, 0:1] + rel[1] * normal[:, 1:2] + rel[2] * normal[:, 2:3]
    r2 = x * x + y * y
    valid = (r2 > 0) & (h * h <= MAX_TILT * MAX_TILT * (r2 + h * h))
    # candidates in angular order around the centre (invalid ones last)
    angle = np.where(valid, np.arctan2(y, x), 10.0)
    by_angle = _flat(np.argsort(angle, axis=1))
    angle = np.take(angle, by_angle)
    candidates = np.take(candidates, by_angle)
    active = np.take(valid, by_angle)
    r2 = np.take(r2, by_angle)
    safe = np.where(r2 > 0, r2, 1.0)
    qx = np.take(x, by_angle) / safe
    qy = np.take(y, by_angle) / safe
    # The valid candidates come first; at first each one's neighbours in the fan are the
    # ones beside it. Afterwards only the rows that just dropped a corner can drop more.
    count = active.sum(axis=1)
    j = np.arange(k)[None, :]
    prev = np.where(j == 0, count[:, None] - 1, j - 1)
    nxt = np.where(j >= count[:, None] - 1, 0, j + 1)
    todo = np.arange(m)
    for _ in range(k):
        drop = _reflex_corners(qx[todo], qy[todo], angle[todo], active[todo], prev, nxt)
        changed = drop.any(axis=1)
        if not changed.any():
            break
        todo, drop = todo[changed], drop[changed]
        active[todo] &= ~drop
        prev, nxt = _cyclic_neighbours(active[todo])
    _, nxt = _cyclic_neighbours(active)
    gap = np.mod(np.take(angle, _flat(nxt)) - angle, 2.0 * np.pi)
    fan = active & (gap > 0) & (gap < np.pi)
    open_fan = (active & ~fan).any(axis=1) | (active.sum(axis=1) < 3)
    r, c = np.nonzero(fan)
    faces = np.column_stack([centres[r], candidates[r, c], candidates[r, nxt[r, c]]])
    return faces, centres[open_fan], normal


def _along_surface(p: np.ndarray, faces: np.ndarray, normals: np.ndarray) -> np.ndarray:
    """FACES without those lying across the surface: more than 60 degrees (MIN_FACE_COS) out of
    a corner's tangent plane (NORMALS: unit normal per point).

    Why: where the gap under an arm narrows to a point spacing or two, umbrellas join the arm to
    the trunk with nearly horizontal triangles whose corners sit on the gap's two near-vertical
    walls: the armpit read low and the waist level with it (female_plus_size, random 250k cloud:
    waist +6.8 mm, across front +28). Two 40 mm limbs 6 mm apart: 65 faces across the gap, 7
    with this. It also opens about 1 % of a clean cloud's faces at the eyes, ears, fingers and
    toes (2-3 % of a 1 mm noisy cloud's, spread out): the head's sweep reads a split ring's pieces
    together (_midline_parts). A tighter 45 degrees opened an arm's ring: refused clouds."""
    a, b, c = p[faces[:, 0]], p[faces[:, 1]], p[faces[:, 2]]
    face_normal = np.cross(b - a, c - a)
    length = np.linalg.norm(face_normal, axis=1)
    cosines = [np.abs((face_normal * normals[faces[:, i]]).sum(axis=1)) for i in range(3)]
    keep = np.minimum(np.minimum(cosines[0], cosines[1]), cosines[2]) >= MIN_FACE_COS * length
    return faces[keep]


def _reflex_corners(qx, qy, angle, active, prev, nxt) -> np.ndarray:
    """The active corners (of inverted neighbours in angular order, with the previous and next
    active column of each) that are no corner of their hull: a corner turning right lies inside
    the triangle (centre, prev, next) when prev and next are less than half a turn apart."""
    prev, nxt = _flat(prev), _flat(nxt)
    px, py = np.take(qx, prev), np.take(qy, prev)
    nx, ny = np.take(qx, nxt), np.take(qy, nxt)
    turn = (qx - px) * (ny - qy) - (qy - py) * (nx - qx)
    span = np.mod(np.take(angle, nxt) - np.take(angle, prev), 2.0 * np.pi)
    enough = active.sum(axis=1, keepdims=True) > 3
    return active & (turn <= 0) & (span < np.pi) & enough


def _flat(columns: np.ndarray) -> np.ndarray:
    """Per-row column indices (M, K) as indices into the flattened (M, K) array, for np.take:
    np.take_along_axis's values, about twice as fast."""
    m, k = columns.shape
    return columns + (np.arange(m, dtype=columns.dtype) * k)[:, None]


def _tangent_frames(rel: list[np.ndarray], count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit normal (of the plane through the centre and its COUNT nearest neighbours) and two
    unit vectors spanning that plane, per centre; REL holds the neighbours' x, y, z offsets."""
    cols = [np.concatenate([np.zeros((len(r), 1)), r[:, :count]], axis=1) for r in rel]
    cols = [c - c.mean(axis=1, keepdims=True) for c in cols]
    cov = np.empty((len(cols[0]), 3, 3))
    for i in range(3):
        for j in range(i, 3):
            cov[:, i, j] = cov[:, j, i] = (cols[i] * cols[j]).sum(axis=1)
    _, vectors = np.linalg.eigh(cov)
    normal, e1 = vectors[:, :, 0], vectors[:, :, 2]
    e2 = np.cross(normal, e1)
    return normal, e1, e2


def _cyclic_neighbours(active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, for each column the previous and the next active column, cyclically."""
    m, k = active.shape
    cols = np.arange(2 * k)
    twice = np.concatenate([active, active], axis=1)
    last = np.maximum.accumulate(np.where(twice, cols, -1), axis=1)
    prev = last[:, k - 1:2 * k - 1] % k
    first = np.minimum.accumulate(np.where(twice, cols, 3 * k)[:, ::-1], axis=1)[:, ::-1]
    nxt = first[:, 1:k + 1] % k
    return prev, nxt


def _single_face_edge_ends(faces: np.ndarray, n: int) -> np.ndarray:
    """Ids of the points on edges that only one of FACES holds."""
    keys, faces_per_edge = edge_table(n, faces)
    ends = keys[faces_per_edge == 1]
    return np.unique(np.concatenate([ends // n, ends % n]))


def _drop_small_pieces(points: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Keep the mesh pieces with at least SMALL_PIECE of the largest piece's vertices; points in
    no triangle go too. Returns the kept points, faces renumbered, and points dropped with pieces."""
    n = len(points)
    labels = connected_labels(n, np.concatenate([faces[:, 0], faces[:, 1]]), np.concatenate([faces[:, 1], faces[:, 2]]))
    used = np.zeros(n, bool)
    used[faces.ravel()] = True
    sizes = np.bincount(labels[used], minlength=int(labels.max()) + 1)
    big = sizes >= SMALL_PIECE * sizes.max() if len(sizes) else np.zeros(0, bool)
    keep = used & big[labels]
    dropped = int((used & ~keep).sum())
    index = np.full(n, -1, np.int64)
    index[keep] = np.arange(int(keep.sum()))
    new_faces = index[faces]
    new_faces = new_faces[(new_faces >= 0).all(axis=1)]
    return points[keep], new_faces, dropped


def meshed_points(points: np.ndarray, name: str, warnings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The points and faces of mesh_from_points over a cloud read from file NAME; a warning
    is added to WARNINGS when small separate pieces (teeth, eyes) were dropped."""
    from c2m_tailor.errors import BadInput

    vertices, faces, dropped = mesh_from_points(points)
    if len(faces) < 100:
        raise BadInput(f"the point cloud in {name} is too sparse to find its surface; export the scanner's mesh instead")
    if dropped:
        warnings.append(f"dropped {dropped} points of small separate pieces inside or beside the cloud's surface")
    return vertices, faces
