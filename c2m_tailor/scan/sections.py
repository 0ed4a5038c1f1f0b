"""Vectorized planar sections of a body surface: many parallel planes in one numpy pass.

A section point is where a surface edge crosses a plane. Points are grouped into contours by
two links: the two crossing edges of one face (exact topology), and nearness at the rims of
holes (so a contour still closes across a small scanner hole). A point cloud is meshed first
(scan/cloud.py). Girths are convex-hull perimeters of a contour, which is what a tape
pulled around the body measures: it bridges hollows.

Speed (a scan can have millions of faces): a single section is cut from only the faces that
reach its plane, found through a grid of face centroids (FaceGrid) rather than by scanning the
mesh; numpy reductions run down single columns, not across narrow (N, 3) rows. Every shortcut
returns exactly what the plain computation did (same sections, same numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def pair_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """One int64 key per undirected pair of ids below N (lower id x N + higher id), so distinct
    edges come from a 1-D np.unique instead of a row sort and np.unique(axis=0)."""
    keys = np.minimum(a, b).astype(np.int64, copy=False)
    keys *= np.int64(n)
    keys += np.maximum(a, b)
    return keys


def keyed_edges_length(vertices: np.ndarray, keys: np.ndarray) -> float:
    """The total length of the edges given by their pair KEYS (pair_keys) over VERTICES."""
    n = len(vertices)
    return float(np.linalg.norm(vertices[keys // n] - vertices[keys % n], axis=1).sum())


def edge_table(n_vertices: int, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A mesh's distinct edges, one pair key each (ascending), and how many FACES hold each."""
    return np.unique(pair_keys(faces.ravel(), faces[:, [1, 2, 0]].ravel(), n_vertices), return_counts=True)


def fixed_sample(n: int, size: int = 20_000) -> np.ndarray:
    """Ids of up to SIZE of N items, drawn at random but the same on every run (a seeded
    generator), for statistics of a big cloud that a sample gives as well (spacings, noise)."""
    return np.random.default_rng(0).choice(n, size=min(n, size), replace=False)


def connected_labels(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The component label of each of N nodes joined by the links ROWS[i]-COLS[i] (scipy's
    connected_components; 32-bit ids when they fit: its graph conversions move half the bytes)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    id_type = np.int32 if n < 2**31 - 1 else np.int64
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (np.asarray(rows).astype(id_type),
                                                            np.asarray(cols).astype(id_type))), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def column_min(a: np.ndarray) -> np.ndarray:
    """a.min(axis=0) of an (N, k) array, one column at a time: numpy reduces a narrow C-order
    array along its long axis some twenty times slower than a single column."""
    return np.array([a[:, k].min() for k in range(a.shape[1])])


def column_max(a: np.ndarray) -> np.ndarray:
    """a.max(axis=0), one column at a time (see column_min)."""
    return np.array([a[:, k].max() for k in range(a.shape[1])])


def row_min(a: np.ndarray) -> np.ndarray:
    """a.min(axis=1) of an (N, k) array, as k - 1 elementwise minima (faster for small k)."""
    out = a[:, 0].copy()
    for k in range(1, a.shape[1]):
        np.minimum(out, a[:, k], out=out)
    return out


def row_max(a: np.ndarray) -> np.ndarray:
    """a.max(axis=1), as elementwise maxima (see row_min)."""
    out = a[:, 0].copy()
    for k in range(1, a.shape[1]):
        np.maximum(out, a[:, k], out=out)
    return out


@dataclass
class Surface:
    """Edges of a mesh ready for slicing."""

    vertices: np.ndarray            # (V, 3) float64, mm
    edges: np.ndarray               # (E, 2) int, unique, sorted per row
    face_edges: np.ndarray          # (F, 3) edge indices per face
    link_mm: float                  # contour points nearer than this belong together
    boundary: np.ndarray | None = None  # (E,) edge bounds a hole (one face); None = all may

    def spatial_index(self) -> "FaceGrid":
        """Grid over face centroids, built once."""
        index = getattr(self, "_grid", None)
        if index is None:
            # a face's centre: the mean of the ends of its first two edges
            corners = self.edges[self.face_edges[:, :2]].reshape(len(self.face_edges), -1)
            extent = column_max(self.vertices) - column_min(self.vertices) if len(self.vertices) else np.ones(3)
            index = FaceGrid(self.vertices, corners, 0.007 * float(extent.max()))
            self._grid = index
        return index

    @classmethod
    def from_mesh(cls, vertices: np.ndarray, faces: np.ndarray, link_mm: float | None = None) -> "Surface":
        """Edges of a mesh; LINK_MM given (a part of a bigger mesh) or from the edge lengths."""
        faces = np.asarray(faces, dtype=np.int64)
        # edges (f0, f1), (f1, f2), (f2, f0) of each face, lower id first
        unique_keys, inverse = np.unique(pair_keys(faces.ravel(), faces[:, [1, 2, 0]].ravel(), len(vertices)),
                                         return_inverse=True)
        edges = np.column_stack([unique_keys // len(vertices), unique_keys % len(vertices)])
        link = link_mm
        if link is None:
            # (per coordinate: the same sum of squares as np.linalg.norm, without (E, 3) gathers)
            squares = np.zeros(len(edges))
            for k in range(3):
                column = np.ascontiguousarray(vertices[:, k])
                squares += (column[edges[:, 0]] - column[edges[:, 1]]) ** 2
            lengths = np.sqrt(squares)
            # Bridge a gap of about one edge (a missing face), never the gap under an armpit.
            link = float(np.clip(np.median(lengths), 1.5, 8.0))
        # Only contour ends (on edges of a single face, i.e. at a hole) need nearness links.
        boundary = np.bincount(inverse, minlength=len(edges)) == 1
        return cls(np.asarray(vertices, dtype=np.float64), edges, inverse.reshape(-1, 3), link, boundary)


class FaceGrid:
    """Faces bucketed by centroid into cubic cells, z slowest, so that a
    plane through a ball, or a horizontal band, reads only the cells it passes through instead
    of every face of a dense scan. Queries return exactly the rows a full scan would."""

    def __init__(self, vertices: np.ndarray, corners: np.ndarray, cell: float, side_and_z: bool = False):
        """Rows given by their CORNERS (N, K) vertex ids into VERTICES (V, 3); each row sits in
        the cell of its centre (the mean of its corners); CELL is the cell edge in mm.

        SIDE_AND_Z also keeps, from the same corner gathers, each row's squared first side
        (corner 0 to corner 1) and its lowest and highest z.

        Per-row arrays stay in row order (reordering millions of rows costs more than the
        queries' lookups through `order`, which maps grid positions to rows)."""
        corners = np.asarray(corners)
        side2 = np.zeros(len(corners)) if side_and_z else None
        # one coordinate at a time: gathering (N, K, 3) blocks from a big mesh is several times
        # slower (the same sums in the same order, so the same centres)
        centres = np.empty((len(corners), 3))
        centre_columns = []
        extent2 = np.zeros(len(corners))
        for k in range(3):
            column = np.ascontiguousarray(vertices[:, k])
            values = [column[corners[:, j]] for j in range(corners.shape[1])]
            total, lo, hi = values[0].copy(), values[0].copy(), values[0].copy()
            for v in values[1:]:
                total += v
                np.minimum(lo, v, out=lo)
                np.maximum(hi, v, out=hi)
            centre_columns.append(total / corners.shape[1])
            centres[:, k] = centre_columns[-1]
            extent2 += (hi - lo) ** 2
            if side2 is not None:
                d = values[0] - values[1]
                side2 += d * d
                if k == 2:
                    z_low, z_high = lo, hi
        # a bound on how far a row's corner lies from its centre: a row reaching a plane has its
        # centre within this of the plane. The longest rows (0.1 %: a few slivers would widen
        # every query) are kept apart and tried by every query.
        extent = np.sqrt(extent2)
        self.reach = 0.0
        if len(extent):
            q = int(0.999 * (len(extent) - 1))
            self.reach = float(np.partition(extent, q)[q])
        # (per coordinate, on the centre columns: the same values as on the (N, 3) block)
        self.origin = np.array([c.min() for c in centre_columns]) if len(centres) else np.zeros(3)
        span = (np.array([c.max() for c in centre_columns]) - self.origin) if len(centres) else np.zeros(3)
        # at most about two million cells, however large the scene
        cell = max(float(cell), float(np.prod(span + 1e-9)) ** (1 / 3) / 128.0, 1e-6)
        self.cell = cell
        cells = [np.floor((c - o) / cell).astype(np.int64) for c, o in zip(centre_columns, self.origin)]
        self.dims = np.array([c.max() for c in cells]) + 1 if len(centres) else np.ones(3, np.int64)
        n_cells = int(np.prod(self.dims))
        key = (cells[2] * self.dims[1] + cells[1]) * self.dims[0] + cells[0]
        key[extent > self.reach] = n_cells  # the long rows, after every cell
        # (order within a cell does not matter: every query sorts the ids it returns)
        self.order = _cell_order(key, n_cells)
        if side2 is not None:
            self.side2, self.z_low, self.z_high = side2, z_low, z_high
        self.centres, self.corners = centres, corners
        self.columns = [np.ascontiguousarray(vertices[:, k]) for k in range(3)]
        # the first position of each cell (np.searchsorted(key[order], np.arange(n_cells + 2)))
        self.start = np.concatenate([[0], np.cumsum(np.bincount(key, minlength=n_cells + 1))])
        self.long_rows = np.arange(self.start[n_cells], len(self.order))

    def crossing(self, rows: np.ndarray, point: np.ndarray, normal: np.ndarray, slack: float) -> np.ndarray:
        """The ROWS (grid positions) whose corners reach the plane through POINT (see _crossing)."""
        # (np.take: the same rows as fancy indexing, several times faster for (N, k) arrays)
        corners = np.take(self.corners, self.order[rows], axis=0)
        heights = np.zeros(corners.shape)
        for k in range(3):
            heights += (self.columns[k][corners] - point[k]) * normal[k]
        return rows[_crossing(heights, slack)]

    def plane_ball(self, point: np.ndarray, radius: float, normal: np.ndarray | None) -> np.ndarray:
        """Positions of the rows with a centre within RADIUS of POINT that may reach the plane
        through POINT with unit NORMAL (None: the whole ball).

        Cells are taken a run along x at a time (a run of cells is a run of rows): per (y, z)
        row of cells, the x interval whose cell centres lie near the ball and the plane."""
        cell, origin = self.cell, self.origin
        lo = np.clip(np.floor((point - radius - origin) / cell).astype(np.int64), 0, self.dims - 1)
        hi = np.clip(np.floor((point + radius - origin) / cell).astype(np.int64), 0, self.dims - 1)
        iy, iz = np.meshgrid(np.arange(lo[1], hi[1] + 1), np.arange(lo[2], hi[2] + 1), indexing="ij")
        iy, iz = iy.ravel(), iz.ravel()
        dy = origin[1] + (iy + 0.5) * cell - point[1]
        dz = origin[2] + (iz + 0.5) * cell - point[2]
        half_diagonal = 0.5 * np.sqrt(3.0) * cell
        # ball: (x - px)^2 <= (r + half diagonal)^2 - dy^2 - dz^2 for a cell centre x
        room = (radius + half_diagonal) ** 2 - dy * dy - dz * dz
        ok = room >= 0
        reach = np.sqrt(np.maximum(room, 0.0))
        x_lo, x_hi = point[0] - reach, point[0] + reach
        if normal is not None:
            # plane: |nx (x - px) + ny dy + nz dz| <= half diagonal + row reach
            slack = half_diagonal + self.reach
            rest = normal[1] * dy + normal[2] * dz
            if abs(normal[0]) > 1e-9:
                a = (-slack - rest) / normal[0]
                b = (slack - rest) / normal[0]
                x_lo = np.maximum(x_lo, point[0] + np.minimum(a, b))
                x_hi = np.minimum(x_hi, point[0] + np.maximum(a, b))
            else:
                ok &= np.abs(rest) <= slack + 1e-9 * (radius + half_diagonal)
        # cell indices whose centres fall in [x_lo, x_hi], one cell wider for rounding
        i_lo = np.maximum(np.ceil((x_lo - origin[0]) / cell - 0.5) - 1, lo[0]).astype(np.int64)
        i_hi = np.minimum(np.floor((x_hi - origin[0]) / cell - 0.5) + 1, hi[0]).astype(np.int64)
        ok &= i_lo <= i_hi
        base = (iz[ok] * self.dims[1] + iy[ok]) * self.dims[0]
        a, b = self.start[base + i_lo[ok]], self.start[base + i_hi[ok] + 1]
        counts = b - a
        total = int(counts.sum())
        rows = np.repeat(a - (np.cumsum(counts) - counts), counts) + np.arange(total)
        rows = np.concatenate([rows, self.long_rows])
        d2 = ((np.take(self.centres, self.order[rows], axis=0) - point) ** 2).sum(axis=1)
        return rows[d2 <= radius * radius]

    def layer(self, z: float, z_top: float | None = None) -> np.ndarray:
        """Positions of the rows whose centre lies within the reach of height z (with Z_TOP:
        of some height from z to z_top)."""
        per_layer = int(self.dims[0] * self.dims[1])
        top = z if z_top is None else z_top
        k0 = int(np.clip(np.floor((z - self.reach - self.origin[2]) / self.cell), 0, self.dims[2] - 1))
        k1 = int(np.clip(np.floor((top + self.reach - self.origin[2]) / self.cell), 0, self.dims[2] - 1))
        return np.concatenate([np.arange(self.start[k0 * per_layer], self.start[(k1 + 1) * per_layer]),
                               self.long_rows])


def _cell_order(key: np.ndarray, n_cells: int) -> np.ndarray:
    """Rows sorted by cell KEY (0..N_CELLS), in any order within a cell: two stable radix passes
    over 16-bit halves (numpy radix-sorts 16-bit keys), some 40 % faster than an argsort of
    32-bit keys on a million faces (there are at most about two million cells)."""
    if n_cells >= 2**32 - 1:
        return np.argsort(key)
    order = np.argsort((key & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((key >> 16).astype(np.uint16)[order], kind="stable")]


@dataclass
class Sections:
    """Contours of a family of parallel planes; points sorted by contour id."""

    offsets: np.ndarray        # (L,) plane offsets along the normal
    points2d: np.ndarray       # (N, 2) in the plane basis (u, w)
    points3d: np.ndarray       # (N, 3)
    contour_of_point: np.ndarray
    contour_level: np.ndarray  # (C,) level index of each contour
    contour_start: np.ndarray  # (C+1,) slice bounds into the point arrays
    u: np.ndarray
    w: np.ndarray

    def contour_points(self, cid: int) -> np.ndarray:
        return self.points2d[self.contour_start[cid]:self.contour_start[cid + 1]]

    def contour_points3d(self, cid: int) -> np.ndarray:
        return self.points3d[self.contour_start[cid]:self.contour_start[cid + 1]]

    def contours_at(self, level: int) -> np.ndarray:
        """Ids of the contours of one level (np.nonzero(contour_level == level)): contours are
        numbered level by level, so each level's ids are one run (a sweep asks ~8,000 times)."""
        starts = getattr(self, "_level_start", None)
        if starts is None:
            starts = np.searchsorted(self.contour_level, np.arange(len(self.offsets) + 1))
            self._level_start = starts
        if not 0 <= level < len(self.offsets):
            return np.zeros(0, np.int64)
        return np.arange(starts[level], starts[level + 1])

    def stats(self) -> dict[str, np.ndarray]:
        """Per-contour bounding box, centroid and point count, all vectorized."""
        cid = self.contour_of_point
        count = np.bincount(cid, minlength=len(self.contour_level)).astype(float)
        out = {"count": count}
        starts = self.contour_start[:-1]
        for name, column in (("u", self.points2d[:, 0]), ("w", self.points2d[:, 1])):
            out[f"{name}_mean"] = np.bincount(cid, column, len(count)) / np.maximum(count, 1)
            if len(starts):  # points are sorted by contour and no contour is empty
                out[f"{name}_min"] = np.minimum.reduceat(column, starts)
                out[f"{name}_max"] = np.maximum.reduceat(column, starts)
            else:
                out[f"{name}_min"], out[f"{name}_max"] = np.zeros(0), np.zeros(0)
        return out


def _cross3(a, b) -> np.ndarray:
    """np.cross of two 3-vectors (the same products in the same order), without its overhead."""
    return np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])


def plane_basis(normal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors spanning the plane; for a horizontal plane they are +X and +Y."""
    n = normal / np.linalg.norm(normal)
    if abs(n[2]) > 0.999:
        u = np.array([1.0, 0.0, 0.0])
    else:
        u = _cross3(np.array([0.0, 0.0, 1.0]), n)
        if abs(n[0]) < 1e-9 and abs(n[1]) < 1e-9:
            u = np.array([1.0, 0.0, 0.0])
        u /= np.linalg.norm(u)
        if u[0] < 0 or (abs(u[0]) < 1e-9 and u[1] < 0):
            u = -u
    u = u - n * np.dot(u, n)
    u /= np.linalg.norm(u)
    w = _cross3(n, u)
    return u, w


def _crossing(heights: np.ndarray, slack: float) -> np.ndarray:
    """Rows (faces or edges, by their vertices' signed heights) that reach the plane h = 0.

    A little SLACK keeps a row whose vertex lies on the plane to rounding: an extra row that
    does not cross changes no section (only crossing edges make points, and every face holding
    a crossing edge crosses too, so the edges' face counts, hence the hole flags, stay the same)."""
    return (row_min(heights) < slack) & (row_max(heights) >= -slack)


def local_surface(surface: Surface, point, radius: float, normal=None) -> Surface:
    """The part of SURFACE near POINT (faces with a centroid within RADIUS).

    With NORMAL, only what reaches the plane through POINT with that normal is kept: the one
    section cut from the part is the same, and the part is built from a few faces, not a ball;
    and every face that reaches that plane within RADIUS of POINT is in it (_rows_near)."""
    grid = surface.spatial_index()
    rows, _ = _rows_near(grid, point, radius, normal)
    return _faces_part(surface, np.sort(grid.order[rows]))


def _rows_near(grid: "FaceGrid", point, radius: float, normal) -> tuple[np.ndarray, float]:
    """The positions in GRID of the faces local_surface (and MeshParts.ball) take near POINT,
    and how far from POINT their centroids were sought: with a NORMAL, RADIUS and the grid's
    reach (a bound on how far a face's corners lie from its centroid, for all but its longest
    0.1 % of faces), so that every face reaching the plane within RADIUS is found; else RADIUS.
    (A long face crossing the plane inside RADIUS can have its centroid outside it: man_older's
    shin faces run up to 60 mm along his leg, and his shin's section 58 mm about its axis came
    out of a 69 mm ball with pieces missing: 9 mm short; with a booth's holes, 236 mm where the
    ring reads 281.)"""
    point = np.asarray(point, float)
    if normal is None:
        return grid.plane_ball(point, radius, None), radius
    n = np.asarray(normal, float) / np.linalg.norm(normal)
    reach = radius + grid.reach
    rows = grid.plane_ball(point, reach, n)
    return grid.crossing(rows, point, n, 1e-6 * max(radius, 1.0)), reach


def _faces_part(surface: Surface, ids: np.ndarray) -> Surface:
    """The faces IDS of SURFACE as a Surface of their own (over the same vertices)."""
    fe = np.take(surface.face_edges, ids, axis=0)
    used, local = np.unique(fe, return_inverse=True)
    return Surface(surface.vertices, np.take(surface.edges, used, axis=0), local.reshape(-1, 3), surface.link_mm,
                   None if surface.boundary is None else surface.boundary[used])


def band_index(surface: Surface):
    """The faces of SURFACE by lowest z, with their highest z and the
    largest z span of one, built once (horizontal_band_surface's index)."""
    index = getattr(surface, "_z_index", None)
    if index is not None:
        return index
    ends = surface.edges[surface.face_edges].reshape(len(surface.face_edges), -1)
    zz = np.ascontiguousarray(surface.vertices[:, 2])[ends]
    lo, hi = row_min(zz), row_max(zz)
    order = np.argsort(lo, kind="stable")
    index = (order, lo[order], hi[order], float((hi - lo).max()))
    surface._z_index = index
    return index


def horizontal_band_surface(surface: Surface, z: float, z_top: float | None = None) -> Surface:
    """The faces that reach height z (with Z_TOP: any height from z to
    z_top), found by a sorted index, not a scan."""
    order, lo_sorted, hi_sorted, span = band_index(surface)
    a = np.searchsorted(lo_sorted, z - span - 1e-9, side="left")
    b = np.searchsorted(lo_sorted, z if z_top is None else z_top, side="right")
    return _faces_part(surface, order[a:b][hi_sorted[a:b] >= z])


def _small_components(n: int, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Connected-component labels of a small undirected graph, numbered like scipy's
    connected_components (in order of each component's lowest node), without its per-call
    overhead: every link hooks the larger root under the smaller, then paths are halved
    until every node points at its component's lowest node."""
    parent = np.arange(n)
    while len(r):
        pr, pc = parent[r], parent[c]
        differ = pr != pc
        if not differ.any():
            break
        pr, pc = pr[differ], pc[differ]
        np.minimum.at(parent, np.maximum(pr, pc), np.minimum(pr, pc))
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    return np.unique(parent, return_inverse=True)[1].reshape(-1)


def _near_pairs(points2d: np.ndarray, level: np.ndarray, radius: float) -> np.ndarray | None:
    """All pairs (i, j) of points on one level at most RADIUS apart (the pairs a k-d tree's
    query_pairs gives), through a grid of RADIUS cells: each point meets only the points of
    its own and four neighbouring cells. None when the grid would not fit 64-bit keys."""
    lo = column_min(points2d)
    cells = np.floor((points2d - lo) / radius).astype(np.int64) + 1  # a free cell all round
    nx, ny = int(cells[:, 0].max()) + 2, int(cells[:, 1].max()) + 2
    if float(nx) * ny * (int(level.max()) + 1) > 2.0**62:
        return None
    key = (level.astype(np.int64) * ny + cells[:, 1]) * nx + cells[:, 0]
    order = np.argsort(key, kind="stable")
    key = key[order]
    # (one coordinate at a time: the same differences and sums, without (N, 2) row gathers)
    xs, ys = np.ascontiguousarray(points2d[order, 0]), np.ascontiguousarray(points2d[order, 1])
    n = len(key)
    # each occupied cell's run of points (searched once per cell, not once per point)
    new_cell = np.ones(n, dtype=bool)
    np.not_equal(key[1:], key[:-1], out=new_cell[1:])
    run_start = np.nonzero(new_cell)[0]
    run_end = np.append(run_start[1:], n)
    cell_keys = key[run_start]
    cell_of_point = np.cumsum(new_cell) - 1
    found = []
    for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):
        if dx == 0 and dy == 0:  # the same cell: each pair once (later points only)
            a, b = np.arange(1, n + 1), run_end[cell_of_point]
        else:
            # the run of the neighbouring cell (none: an empty range, as searchsorted gives)
            target = cell_keys + (dy * nx + dx)
            j = np.minimum(np.searchsorted(cell_keys, target, side="left"), len(cell_keys) - 1)
            hit = cell_keys[j] == target
            a = np.where(hit, run_start[j], 0)[cell_of_point]
            b = np.where(hit, run_end[j], 0)[cell_of_point]
        counts = b - a
        has = np.nonzero(counts > 0)[0]
        if len(has) == 0:
            continue
        counts = counts[has]
        total = int(counts.sum())
        i = np.repeat(has, counts)
        j = np.repeat(a[has] - (np.cumsum(counts) - counts), counts) + np.arange(total)
        dx, dy = xs[i] - xs[j], ys[i] - ys[j]
        close = dx * dx + dy * dy <= radius * radius
        found.append(np.column_stack([order[i[close]], order[j[close]]]))
    return np.concatenate(found) if found else np.zeros((0, 2), np.int64)


def _crossing_points(verts, edges, h0, h1, edge_of_point, level, origin, u, w, level_cut: bool):
    """Where each listed edge crosses its plane (LEVEL: one height, or one per point), in 3-D and
    in the plane's (u, w) coordinates; on a level cut through the origin those are just (x, y)."""
    a = np.take(verts, np.take(edges[:, 0], edge_of_point), axis=0)
    b = np.take(verts, np.take(edges[:, 1], edge_of_point), axis=0)
    ha, hb = h0[edge_of_point], h1[edge_of_point]
    t = (level - ha) / np.where(hb != ha, hb - ha, 1.0)
    p3 = a + (b - a) * t[:, None]
    if level_cut:
        return p3, np.ascontiguousarray(p3[:, :2])
    rel = p3 - origin
    return p3, np.column_stack([rel @ u, rel @ w])


def slice_surface(surface: Surface, normal, offsets, origin=(0.0, 0.0, 0.0),
                  vertex_mask: np.ndarray | None = None) -> Sections:
    """Cut SURFACE with the planes {p : (p - origin) . normal = offset} in one vectorized pass."""
    offsets = np.sort(np.atleast_1d(np.asarray(offsets, dtype=float)))
    verts = surface.vertices
    edges = surface.edges
    if vertex_mask is not None:
        edges = edges[vertex_mask[edges[:, 0]] & vertex_mask[edges[:, 1]]]
    normal, origin, u, w, level_cut, h0, h1 = _edge_heights(verts, edges, normal, origin)
    empty = _no_sections(offsets, u, w)
    if len(offsets) == 1:
        # One plane (limb and single-level sections): plain masks, no interval expansion.
        plane = _plane_points(surface, edges, h0, h1, offsets[0], origin, u, w, level_cut, vertex_mask)
        if plane is None:
            return empty
        p3, p2, rows, cols, ends = plane
        total = len(p2)
        level_of_point = np.zeros(total, dtype=np.int64)
    else:
        # Edge crosses level z when exactly one end is at or above z: lo < z <= hi.
        lo_h, hi_h = np.minimum(h0, h1), np.maximum(h0, h1)
        first = np.searchsorted(offsets, lo_h, side="right")
        last = np.searchsorted(offsets, hi_h, side="right")
        counts = np.maximum(last - first, 0)
        total = int(counts.sum())
        if total == 0:
            return empty
        edge_of_point = np.repeat(np.arange(len(edges)), counts)
        level_of_point = (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
                          + np.repeat(first, counts))
        p3, p2 = _crossing_points(verts, edges, h0, h1, edge_of_point, offsets[level_of_point], origin, u, w,
                                  level_cut)

        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        # Topological links: a face crossing a plane joins its two crossing edges.
        if len(surface.face_edges):
            fe = surface.face_edges
            if vertex_mask is not None:
                # Map full edge ids to the filtered list; faces with a dropped edge are skipped.
                full_edges = surface.edges
                keep_edge = vertex_mask[full_edges[:, 0]] & vertex_mask[full_edges[:, 1]]
                remap = np.full(len(full_edges), -1)
                remap[keep_edge] = np.arange(int(keep_edge.sum()))
                fe = remap[fe]
                fe = fe[(fe >= 0).all(axis=1)]
            # points are laid out edge by edge, levels ascending: (edge e, level l) is point
            # point_start[e] + l - first[e]
            point_start = np.cumsum(counts) - counts
            face_first = [first[fe[:, i]] for i in range(3)]
            face_last = [last[fe[:, i]] for i in range(3)]
            for i, j in ((0, 1), (1, 2), (2, 0)):
                # levels both edges cross (searchsorted is monotone, so max/min commute with it)
                f_first = np.maximum(face_first[i], face_first[j])
                f_counts = np.maximum(np.minimum(face_last[i], face_last[j]) - f_first, 0)
                has = np.nonzero(f_counts)[0]
                if len(has) == 0:
                    continue
                f_counts = f_counts[has]
                n_pairs = int(f_counts.sum())
                step = np.arange(n_pairs) - np.repeat(np.cumsum(f_counts) - f_counts, f_counts)
                ei, ej, f_first = fe[has, i], fe[has, j], f_first[has]
                rows.append(np.repeat(point_start[ei] + f_first - face_first[i][has], f_counts) + step)
                cols.append(np.repeat(point_start[ej] + f_first - face_first[j][has], f_counts) + step)

        ends = _contour_ends(surface, edge_of_point, vertex_mask)
    spread = (offsets[-1] - offsets[0] + 1.0) * 10.0 + 1e4
    return _group_contours(p2, p3, level_of_point, rows, cols, ends, surface.link_mm, spread, offsets, u, w)


def plane_segments(surface: Surface, normal, origin) -> np.ndarray:
    """The section of SURFACE by the plane through ORIGIN with NORMAL as its pieces, one per
    face that crosses it: (S, 2, 3), the points where two of the face's edges cross the plane.
    (What slice_surface joins into contours, for a caller that cuts them at bounds.)"""
    normal, origin, u, w, level_cut, h0, h1 = _edge_heights(surface.vertices, surface.edges, normal, origin)
    plane = _plane_points(surface, surface.edges, h0, h1, 0.0, origin, u, w, level_cut, None)
    if plane is None or not plane[2]:
        return np.zeros((0, 2, 3))
    p3, _, rows, cols, _ = plane
    return np.stack([p3[rows[0]], p3[cols[0]]], axis=1)


def slice_planes(parts: list[Surface], origins, normals) -> list[Sections]:
    """[slice_surface(part, normal, [0.0], origin) for each part, origin and normal]: the same
    sections, with the contour grouping (nearness links, components, ordering) done once for
    all planes instead of once per plane (a limb's girth profile cuts dozens of small parts)."""
    points3d, points2d, plane_of_point, rows, cols, ends, bases = [], [], [], [], [], [], []
    start = 0
    for k, (part, origin, normal) in enumerate(zip(parts, origins, normals)):
        normal, origin, u, w, level_cut, h0, h1 = _edge_heights(part.vertices, part.edges, normal, origin)
        bases.append((u, w))
        plane = _plane_points(part, part.edges, h0, h1, 0.0, origin, u, w, level_cut, None)
        if plane is None:
            continue
        p3, p2, plane_rows, plane_cols, plane_ends = plane
        points3d.append(p3)
        points2d.append(p2)
        plane_of_point.append(np.full(len(p2), k, dtype=np.int64))
        rows += [r + start for r in plane_rows]
        cols += [c + start for c in plane_cols]
        ends.append(plane_ends + start)
        start += len(p2)
    offsets = np.zeros(1)
    if start == 0:
        return [_no_sections(offsets, u, w) for u, w in bases]
    links = {part.link_mm for part in parts if len(part.edges)}
    if len(links) > 1:
        raise ValueError("slice_planes takes parts of one surface (one nearness link)")
    link_mm = links.pop()
    # (planes as levels, kept apart by the spread slice_surface gives a single plane; the joined
    # sections' basis is never read: each plane gets its own below)
    joined = _group_contours(np.concatenate(points2d), np.concatenate(points3d), np.concatenate(plane_of_point),
                             rows, cols, np.concatenate(ends), link_mm, 1e4 + 10.0, np.arange(len(parts)), *bases[0])
    # each plane's contours and points are one run of the joined sections
    contour_runs = np.searchsorted(joined.contour_level, np.arange(len(parts) + 1))
    out = []
    for k, (u, w) in enumerate(bases):
        c0, c1 = contour_runs[k], contour_runs[k + 1]
        p0, p1 = joined.contour_start[c0], joined.contour_start[c1]
        out.append(Sections(offsets, joined.points2d[p0:p1], joined.points3d[p0:p1],
                            joined.contour_of_point[p0:p1] - c0, np.zeros(c1 - c0, np.int64),
                            joined.contour_start[c0:c1 + 1] - p0, u, w))
    return out


def _no_sections(offsets, u, w) -> Sections:
    """Sections of planes that meet no edge."""
    return Sections(offsets, np.zeros((0, 2)), np.zeros((0, 3)), np.zeros(0, int), np.zeros(0, int),
                    np.zeros(1, int), u, w)


def _edge_heights(verts, edges, normal, origin):
    """The unit NORMAL, ORIGIN as an array, the plane basis, whether this is a level cut, and
    each edge's two end heights above the plane through the origin."""
    normal = np.asarray(normal, dtype=float)
    normal = normal / np.linalg.norm(normal)
    origin = np.asarray(origin, dtype=float)
    u, w = plane_basis(normal)
    # Horizontal planes through the frame's origin (the sweep, torso sections): the heights
    # and plane coordinates are then exactly z and (x, y), read off instead of multiplied.
    level_cut = bool(normal[2] == 1.0 and not origin.any())
    if level_cut:
        z = verts[:, 2]
        h0, h1 = z[edges[:, 0]], z[edges[:, 1]]
    else:
        h0 = (np.take(verts, edges[:, 0], axis=0) - origin) @ normal
        h1 = (np.take(verts, edges[:, 1], axis=0) - origin) @ normal
    return normal, origin, u, w, level_cut, h0, h1


def _contour_ends(surface: Surface, edge_of_point: np.ndarray, vertex_mask) -> np.ndarray:
    """The points that need nearness links: on a mesh only contour ends (points on hole
    edges); on a masked mesh, every point."""
    if surface.boundary is not None and vertex_mask is None:
        return np.nonzero(surface.boundary[edge_of_point])[0]
    return np.arange(len(edge_of_point))


def _plane_points(surface: Surface, edges, h0, h1, level: float, origin, u, w, level_cut: bool, vertex_mask):
    """One plane's section points (3-D and in-plane), face links and contour ends; None if the
    plane meets no edge."""
    lo_h, hi_h = np.minimum(h0, h1), np.maximum(h0, h1)
    crossing = (lo_h < level) & (hi_h >= level)
    edge_of_point = np.nonzero(crossing)[0]
    total = len(edge_of_point)
    if total == 0:
        return None
    p3, p2 = _crossing_points(surface.vertices, edges, h0, h1, edge_of_point, level, origin, u, w, level_cut)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    if len(surface.face_edges) and vertex_mask is None:
        fe = surface.face_edges
        in_face = crossing[fe]
        two = in_face.sum(axis=1) == 2
        node = np.full(len(edges), -1, dtype=np.int64)
        node[edge_of_point] = np.arange(total)
        pairs = fe[two][in_face[two]].reshape(-1, 2)
        rows.append(node[pairs[:, 0]])
        cols.append(node[pairs[:, 1]])
    return p3, p2, rows, cols, _contour_ends(surface, edge_of_point, vertex_mask)


def _group_contours(p2, p3, level_of_point, rows, cols, ends, link_mm: float, spread: float, offsets, u, w) -> Sections:
    """Points of planes (LEVEL_OF_POINT) joined into contours by their face links (ROWS, COLS)
    and by nearness (ENDS within LINK_MM on one level; SPREAD keeps levels apart)."""
    from scipy.spatial import cKDTree

    total = len(p2)
    # Nearness links within one plane (closes small holes).
    if len(ends) > 1:
        # (a grid beats a k-d tree on thousands of points; below that its fixed cost does not)
        near = _near_pairs(p2[ends], level_of_point[ends], link_mm) if len(ends) > 2000 else None
        if near is None:
            tree = cKDTree(np.column_stack([p2[ends], level_of_point[ends] * spread]))
            near = tree.query_pairs(link_mm, output_type="ndarray")
        if len(near):
            rows.append(ends[near[:, 0]])
            cols.append(ends[near[:, 1]])
    if rows:
        r = np.concatenate(rows)
        c = np.concatenate(cols)
    else:
        r = c = np.zeros(0, int)
    if total <= 1000:
        labels = _small_components(total, r, c)
    else:
        labels = connected_labels(total, r, c)
    # Renumber contours in (level, label) order so output is deterministic.
    # (np.lexsort((labels, level_of_point)) through one integer key: the same stable order, in
    # one sort pass instead of two)
    order = np.argsort(level_of_point.astype(np.int64) * (int(labels.max()) + 1) + labels, kind="stable")
    labels_sorted = labels[order]
    levels_sorted = level_of_point[order]
    new_contour = np.ones(total, dtype=bool)
    new_contour[1:] = (labels_sorted[1:] != labels_sorted[:-1]) | (levels_sorted[1:] != levels_sorted[:-1])
    # A label never spans two levels (nearness uses a huge level spread), so this is exact.
    contour_ids = np.cumsum(new_contour) - 1
    # Points of one label may interleave with another label only if lexsort keeps them apart: it does.
    starts = np.concatenate([np.nonzero(new_contour)[0], [total]])
    return Sections(offsets, np.take(p2, order, axis=0), np.take(p3, order, axis=0), contour_ids, levels_sorted[new_contour], starts, u, w)


def _unique_rows_2d(points: np.ndarray) -> np.ndarray:
    """np.unique(points, axis=0) for (N, 2) floats (same rows, same order), without the
    structured-array sort that makes it ten times slower."""
    order = np.lexsort((points[:, 1], points[:, 0]))
    pts = np.take(points, order, axis=0)
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = (pts[1:, 0] != pts[:-1, 0]) | (pts[1:, 1] != pts[:-1, 1])
    return pts[keep]


def hull_perimeter(points2d: np.ndarray) -> tuple[float, np.ndarray]:
    """Perimeter of the convex hull (the tape) and its corner points in order."""
    from scipy.spatial import ConvexHull
    from scipy.spatial import QhullError

    pts = _unique_rows_2d(np.round(points2d, 6))
    if len(pts) < 3:
        return 0.0, pts
    try:
        hull = ConvexHull(pts)
    except QhullError:
        return 0.0, pts
    ring = pts[hull.vertices]
    return float(hull.area), ring


# A limb's ring is open at a hole where its widest gap, seen from the limb's axis, is at least
# this wide and this many times its median gap (closed rings of the shared bodies: 2.2-3.1 times;
# rings open where a booth of three towers sees nothing: 6.2-11.9 times, 45-92 degrees).
HOLE_GAP_MIN_DEG = 30.0
HOLE_GAP_RATIO = 5.0
HOLE_GAP_MAX_DEG = 150.0  # a wider gap leaves too little of the ring to follow across it


def ring_hole(points2d: np.ndarray, centre=(0.0, 0.0)) -> tuple[float, float, float] | None:
    """The hole in a ring of POINTS2D seen from CENTRE: its widest gap in angle, where that is
    at least HOLE_GAP_MIN_DEG (up to HOLE_GAP_MAX_DEG) and HOLE_GAP_RATIO times the ring's median
    gap, as (the angle where it starts, its width, the median gap), in radians; None where the
    ring has no such gap (or fewer than 12 points)."""
    if len(points2d) < 12:
        return None
    angle = np.sort(np.arctan2(points2d[:, 1] - centre[1], points2d[:, 0] - centre[0]))
    steps = np.diff(np.append(angle, angle[0] + 2.0 * np.pi))
    widest = int(np.argmax(steps))
    gap, median_step = float(steps[widest]), float(np.median(steps))
    if not (np.radians(HOLE_GAP_MIN_DEG) <= gap <= np.radians(HOLE_GAP_MAX_DEG) and gap >= HOLE_GAP_RATIO * median_step):
        return None
    return float(angle[widest]), gap, median_step


def ring_across_hole(points2d: np.ndarray) -> np.ndarray:
    """A limb's section POINTS2D (about the limb's axis at the origin), with points added
    across a hole in it: a tape around the limb follows its round surface over the hole, where
    a hull of the points left would run straight across (a 40-degree hole in a thigh's ring
    takes 5 mm off its girth). The radius about the origin, as a function of the angle, is
    carried across the ring's widest gap by a cubic that meets the ring at both edges of the
    gap with the ring's own radius and slope there (fitted to the ring's points within half
    the gap's width of each edge); a ring without such a gap is returned as it is."""
    hole = ring_hole(points2d)
    if hole is None:
        return points2d
    start, gap, median_step = hole
    angle = np.arctan2(points2d[:, 1], points2d[:, 0])
    # angles measured from the gap's start, so the ring runs from the gap's end (gap) round to it (2 pi)
    along = np.mod(angle - start, 2.0 * np.pi)
    along[along < 0.5 * gap] += 2.0 * np.pi  # (the gap's first point: reached going round, at 2 pi)
    radius = np.hypot(points2d[:, 0], points2d[:, 1])
    reach = 0.5 * gap

    def edge(at: float, near: np.ndarray) -> tuple[float, float]:
        """The ring's radius and its slope (per radian) at angle AT, from the points NEAR it
        (points all at one angle, as where the ring runs straight out from the axis, give no
        slope: their mean radius)."""
        if near.sum() < 3 or np.ptp(along[near]) < 1e-9:
            return float(radius[near].mean()), 0.0
        slope, intercept = np.polyfit(along[near] - at, radius[near], 1)
        return float(intercept), float(slope)

    r0, s0 = edge(2.0 * np.pi, along >= 2.0 * np.pi - reach)
    r1, s1 = edge(gap, along <= gap + reach)
    count = max(int(np.ceil(gap / median_step)), 2)
    t = np.arange(1, count) / count
    # cubic Hermite from (r0, s0) to (r1, s1) over the gap's width
    filled = ((2 * t ** 3 - 3 * t ** 2 + 1) * r0 + (t ** 3 - 2 * t ** 2 + t) * gap * s0
              + (-2 * t ** 3 + 3 * t ** 2) * r1 + (t ** 3 - t ** 2) * gap * s1)
    across = start + gap * t
    return np.vstack([points2d, np.column_stack([filled * np.cos(across), filled * np.sin(across)])])


def hull_centroid(points2d: np.ndarray) -> np.ndarray:
    """The centre (2,) of the area of POINTS2D's convex hull; the points' mean where they have
    no area (fewer than three, or on a line).

    Why not the points' mean: a section's points are where the mesh's edges cross its plane, so
    they crowd where the mesh is fine and thin out where it is coarse. A point cloud's mesh is
    fine and coarse by patches, and the mean of an arm's section wandered by a millimetre or two
    from level to level: the arm's axis through those centres tilted its perpendicular sections,
    whose girths rose and fell by 2 mm from station to station (female_plus_size as a 250k
    cloud), and the fullest of them read the upper arm 2.3 mm off its mesh's on male_plus_size."""
    return hull_centroid_and_perimeter(points2d)[0]


def hull_centroid_and_perimeter(points2d: np.ndarray) -> tuple[np.ndarray, float]:
    """hull_centroid(POINTS2D) and hull_perimeter(POINTS2D)[0], from one hull."""
    from c2m_tailor.pattern.model import polygon_centroid

    girth, ring = hull_perimeter(points2d)
    if girth <= 0 or len(ring) < 3:
        return points2d.mean(axis=0), girth
    return polygon_centroid(ring), girth


def hull_perimeter_bounds(points2d: np.ndarray) -> tuple[float, float]:
    """Bounds on hull_perimeter(POINTS2D)[0] that cost a few reductions instead of a hull, so a
    search for the smallest or largest of many girths takes hulls only where the bounds leave
    it open. Below: the polygon through the extreme points in eight directions, 45 degrees
    apart (inscribed in the hull). Above: the bounding box with its corners cut by the two
    diagonal support lines (around the hull). Both are widened by far more than the rounding
    hull_perimeter does; a flat set (where the hull may fail and give 0) is bounded below by 0."""
    x, y = points2d[:, 0], points2d[:, 1]
    s, d = x + y, x - y
    extremes = [np.argmax(x), np.argmax(s), np.argmax(y), np.argmin(d), np.argmin(x), np.argmin(s), np.argmin(y),
                 np.argmax(d)]  # (counter-clockwise)
    ring = points2d[extremes]
    nxt = np.roll(ring, -1, axis=0)
    lower = float(np.sqrt(((ring - nxt) ** 2).sum(axis=1)).sum())
    x_lo, x_hi, y_lo, y_hi = x[extremes[4]], x[extremes[0]], y[extremes[6]], y[extremes[2]]
    s_lo, s_hi, d_lo, d_hi = s[extremes[5]], s[extremes[1]], d[extremes[3]], d[extremes[7]]
    # how far each diagonal line cuts into its corner of the box (the cuts never overlap)
    cuts = (x_hi + y_hi - s_hi) + (s_lo - x_lo - y_lo) + (x_hi - y_lo - d_hi) + (d_lo - x_lo + y_hi)
    upper = 2.0 * ((x_hi - x_lo) + (y_hi - y_lo)) - (2.0 - np.sqrt(2.0)) * cuts
    area = 0.5 * abs(float((ring[:, 0] * nxt[:, 1] - ring[:, 1] * nxt[:, 0]).sum()))
    if area <= 1e-6 * max(x_hi - x_lo, y_hi - y_lo, 1.0) ** 2:
        lower = 0.0
    slack = 1e-6 * (upper + 1.0)
    return max(lower - slack, 0.0), float(upper + slack)


def cluster_decimate(vertices: np.ndarray, faces: np.ndarray, cell_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """A coarser copy of a dense mesh: vertices merged per CELL_MM grid cell (their mean),
    faces that collapse dropped. Used only to find landmarks fast; final girths are taken on
    the full mesh."""
    key = np.floor((vertices - column_min(vertices)) / cell_mm).astype(np.int64)
    dims = column_max(key) + 1
    linear = (key[:, 0] * dims[1] + key[:, 1]) * dims[2] + key[:, 2]
    _, inverse = np.unique(linear, return_inverse=True)
    inverse = inverse.ravel()
    count = np.bincount(inverse).astype(np.float64)
    merged = np.column_stack([np.bincount(inverse, weights=vertices[:, i]) for i in range(3)]) / count[:, None]
    return merged, distinct_faces(inverse[faces], len(merged))


def distinct_faces(faces: np.ndarray, n: int) -> np.ndarray:
    """Each triangle of FACES (ids below N) once, its ids in ascending order, in lexicographic
    order; triangles with a repeated corner (collapsed) dropped. (np.unique(np.sort(faces,
    axis=1), axis=0), through one integer key per face when it fits.)"""
    a, b, c = faces[:, 0], faces[:, 1], faces[:, 2]
    lo, hi = np.minimum(np.minimum(a, b), c), np.maximum(np.maximum(a, b), c)
    f = np.column_stack([lo, a + b + c - lo - hi, hi])
    f = f[(f[:, 0] != f[:, 1]) & (f[:, 1] != f[:, 2])]
    n = np.int64(n)
    if n < 2_000_000:  # n**3 fits in int64
        # (copies of a face share its key: the sorted distinct keys, decoded, are the rows; a
        # plain sort, not the stable one np.unique's first indices need)
        key = np.sort((f[:, 0] * n + f[:, 1]) * n + f[:, 2])
        if len(key):
            key = key[np.concatenate([[True], key[1:] != key[:-1]])]
        return np.column_stack([key // (n * n), key // n % n, key % n])
    return np.unique(f, axis=0)


class MeshParts:
    """Pieces of a large mesh near a point or a height, each as a small Surface (no global edge
    table: building one for millions of faces costs more than the few sections it serves)."""

    def __init__(self, vertices: np.ndarray, faces: np.ndarray):
        self.vertices = np.asarray(vertices, dtype=np.float64)
        self.faces = np.asarray(faces, dtype=np.int64)
        # faces by centroid cell, with each face's lowest and highest z (from the grid's own
        # corner gathers: gathering millions of corners again costs as much)
        extent = float((column_max(self.vertices) - column_min(self.vertices)).max()) if len(self.vertices) else 1.0
        grid = FaceGrid(self.vertices, self.faces, 0.007 * extent, side_and_z=True)
        self._index = (grid, grid.z_low, grid.z_high)
        # the same nearness link as Surface.from_mesh would give the whole mesh
        # (per coordinate: the same sum of squares as np.linalg.norm, without (F, 3) gathers)
        d2 = grid.side2
        self.link_mm = float(np.clip(np.median(np.sqrt(d2)), 1.5, 8.0)) if len(d2) else 2.0

    def _grid(self):
        """Faces by centroid cell, with each face's lowest and highest z."""
        return self._index

    def face_heights(self) -> tuple[np.ndarray, np.ndarray]:
        """Each face's lowest and highest corner z, in face order."""
        return self._index[1], self._index[2]

    def ball(self, point, radius: float, normal=None) -> Surface:
        """Faces with a centroid within RADIUS of POINT; with NORMAL only those reaching the
        plane through POINT, all that reach it within RADIUS (see local_surface: the same
        section from far fewer faces)."""
        point = np.asarray(point, float)
        grid = self._grid()[0]
        rows, reach = _rows_near(grid, point, radius, normal)
        part = self._part(np.sort(grid.order[rows]))
        if part.boundary is not None and len(part.edges):
            # edges on the rim of the ball are cut by the query, not holes in the scan
            far = np.linalg.norm(self.vertices[part.edges] - np.asarray(point, float), axis=2).max(axis=1)
            part.boundary &= far < reach - 2.0 * part.link_mm
        return part

    def levels(self, zs) -> Surface:
        """The faces that reach any of the heights ZS: what a cut at those heights reads (every
        face holding an edge that crosses one), without the faces of a band between them."""
        zs = np.sort(np.asarray(zs, dtype=float))
        grid, lo, hi = self._grid()
        ids = grid.order[grid.layer(float(zs[0]), float(zs[-1]))]
        # some height lies in [lo, hi]: more heights lie at or below hi than below lo
        keep = np.searchsorted(zs, hi[ids], side="right") > np.searchsorted(zs, lo[ids], side="left")
        return self._part(np.sort(ids[keep]))

    def _part(self, ids: np.ndarray) -> Surface:
        if len(ids) == 0:
            return Surface(self.vertices, np.zeros((0, 2), np.int64), np.zeros((0, 3), np.int64), 2.0,
                           np.zeros(0, bool))
        return Surface.from_mesh(self.vertices, np.take(self.faces, ids, axis=0), self.link_mm)
