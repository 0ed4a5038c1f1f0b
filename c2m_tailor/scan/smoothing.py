"""Scanner noise: how much a mesh has, and Taubin smoothing to take it out.

A scanner's noise moves each vertex a little off the skin, independently of its neighbours. A
tape cannot feel it, but every reading that takes an extreme does: a hull girth rides the
outward-pushed vertices, the top of the head and the soles the highest and lowest. Measured on
the shared bodies subdivided to 0.44M faces, with 1 mm noise: calf +4.5..+5.6 mm, chest +5.6..+6.7,
stature +2.4..+2.6.

The noise is read where a clean surface has none: one Taubin pair moves each vertex by its share
of the curvature (which neighbouring vertices share) plus its own noise (which they do not), so
what a vertex moves beyond its neighbours' mean, along its normal, is noise. On the shared
bodies this reading (median, mm) adds up, in quadrature, 0.29 x the noise's standard deviation and
a floor their shape leaves: 0.015 on a dense mesh, 0.046-0.068 on the 13k-face ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from c2m_tailor.scan.sections import edge_table

# Taubin's pair: a shrinking step (lambda) and an inflating one (mu), so a pair keeps the shape's
# size while it takes out detail a few edges across.
TAUBIN_LAMBDA, TAUBIN_MU = 0.5, -0.53
# Noise readings (mm, see the module docstring): a scan reading above NOISY_MM (noise of about
# 0.3 mm) is smoothed, a pair at a time, until it reads what its shape alone would (the larger of
# SMOOTH_TO_MM and SHAPE_READING_PER_EDGE times its edge length), at most MAX_PAIRS pairs.
NOISY_MM = 0.1
SMOOTH_TO_MM = 0.03
# What a clean body's shape reads, per mm of median edge: 0.0115-0.0129 on the six shared bodies
# and the twelve unseen ones (4.0-5.2 mm edges; 0.051-0.063 mm), 0.013 on them subdivided twice
# (1.3 mm edges: 0.016 mm, under SMOOTH_TO_MM, so a dense scan is smoothed as before). Each pair
# also moves the shape a little (Taubin's pass band: a clean shared body smoothed by 6 pairs reads
# its upper arm 1.2 mm, thigh 2.0 and hip 1.6 larger, its neck base 2.3 smaller;
# bench/bench_scan_noise.py --smoothing-only 6), so the pairs stop where the noise left is no
# more than the shape's own reading: smoothing on towards SMOOTH_TO_MM took out shape, not noise.
SHAPE_READING_PER_EDGE = 0.012
MAX_PAIRS = 60
# A denser scan is smoothed at least as far as REFERENCE_PAIRS reach over the 13k-face shared
# bodies' edges (about REFERENCE_EDGE_MM long where the noise is read; their 1 mm noise read
# SMOOTH_TO_MM after 5-6 pairs, their shape's own reading after 4): 3 pairs' reach is 39 pairs on
# a 1.1M-face scan (edges 1.3 mm), about 2.5 s there.
REFERENCE_EDGE_MM = 4.7
REFERENCE_PAIRS = 3
# A coarser mesh reads more from its shape alone: about 0.018 mm per mm of median edge (the
# shared bodies decimated 2-7 times by quadric and vertex-clustering decimation: 0.15-0.19 at
# 9-10 mm edges, 0.23-0.26 at 13, 0.29-0.46 at 19-21); it is noisy above 1.5 times that.
CLEAN_READING_PER_EDGE = 0.027
# Taubin pairs collapse a limb only a few edges round: the shared bodies decimated to half their
# faces (edges 9-10 mm where the noise is read) lost 6-21 mm of ankle girth to five pairs, and
# 1 mm of noise on them measured better left as it was. Coarser scans are not smoothed.
MAX_SMOOTHED_EDGE_MM = 6.0
# The noise is read on the faces of a band around this fraction of the body's height (hips, hands
# at their sides), a tenth of the height or, on a dense scan, as much of it as holds about
# NOISE_BAND_FACES faces (a dense scan's noise is read as well from those at a fraction of the work).
NOISE_BAND_CENTRE = 0.55
NOISE_BAND_FACES = 30_000
NOISE_PER_READING = 1.0 / 0.29  # noise standard deviation (mm) per mm of reading, for the warning


def mean_of_neighbours(edges: np.ndarray, n: int):
    """The sparse (N, N) matrix that averages each vertex's neighbours along EDGES."""
    from scipy.sparse import csr_matrix

    ends = (np.concatenate([edges[:, 0], edges[:, 1]]), np.concatenate([edges[:, 1], edges[:, 0]]))
    degree = np.bincount(ends[0], minlength=n).astype(float)
    return csr_matrix(((1.0 / np.maximum(degree, 1.0))[ends[0]], ends), shape=(n, n))


class Taubin:
    """Taubin passes over one mesh, moving only the MOVABLE vertices joined to a neighbour;
    AVERAGING is the mesh's mean_of_neighbours."""

    def __init__(self, averaging, movable: np.ndarray):
        degree = np.diff(averaging.indptr)
        self.free = np.nonzero(movable & (degree > 0))[0]
        self.everywhere = len(self.free) == averaging.shape[0]  # (a closed mesh: no rows to pick)
        self.rows = averaging if self.everywhere else averaging[self.free]  # the free vertices' rows

    def run(self, points: np.ndarray, pairs: int) -> None:
        """PAIRS pairs of passes, moving POINTS in place."""
        free, rows = self.free, self.rows
        for _ in range(pairs):
            for factor in (TAUBIN_LAMBDA, TAUBIN_MU):
                if self.everywhere:
                    points += factor * (rows @ points - points)
                else:
                    points[free] += factor * (rows @ points - points[free])


def taubin(points: np.ndarray, averaging, movable: np.ndarray, pairs: int) -> None:
    """PAIRS pairs of Taubin passes, moving POINTS in place where MOVABLE (and joined to a
    neighbour); AVERAGING is the mesh's mean_of_neighbours."""
    Taubin(averaging, movable).run(points, pairs)


def pairs_reaching(edge_mm: float, pairs_at_reference: int) -> int:
    """Taubin pairs that reach as far over edges EDGE_MM long as PAIRS_AT_REFERENCE pairs do
    over REFERENCE_EDGE_MM (a pair's reach goes with the edge length, so pairs with its square),
    at most MAX_PAIRS."""
    return int(min(round(pairs_at_reference * (REFERENCE_EDGE_MM / max(edge_mm, 1e-6)) ** 2), MAX_PAIRS))


class _NoiseGauge:
    """The noise reading of one part of a mesh (see the module docstring), read again as the
    mesh is smoothed."""

    def __init__(self, vertices: np.ndarray, faces: np.ndarray):
        self.ids, local = np.unique(faces, return_inverse=True)
        self.faces = local.reshape(-1, 3)
        n = len(self.ids)
        edges, boundary = mesh_edges(self.faces, n)
        self.averaging = mean_of_neighbours(edges, n)
        rim = np.zeros(n, bool)
        rim[edges[boundary].ravel()] = True
        # the reading at a vertex uses its neighbours' neighbours: none of them on a rim
        near_rim = np.zeros(n, bool)
        near_rim[edges[rim[edges].any(axis=1)].ravel()] = True
        self.inner = ~near_rim & (np.bincount(edges.ravel(), minlength=n) > 0)
        self.edges = edges

    def reading(self, vertices: np.ndarray) -> float:
        """The noise reading (mm)."""
        if not self.inner.any():
            return 0.0
        points = vertices[self.ids]
        moved = points.copy()
        taubin(moved, self.averaging, np.ones(len(points), bool), 1)
        motion = moved - points
        beyond = motion - self.averaging @ motion
        normals = _vertex_normals(points, self.faces)
        return float(np.median(np.abs(np.einsum("ij,ij->i", beyond, normals))[self.inner]))

    def edge_mm(self, vertices: np.ndarray) -> float:
        """The median edge length (mm), read after three Taubin pairs: noise lengthens edges (on
        a shared body, median 4.7 mm: 5.3 with 1 mm of noise, 8.6 with 3 mm; 4.8 and 5.6 after
        the pairs)."""
        if len(self.edges) == 0:
            return 0.0
        moved = vertices[self.ids].copy()
        taubin(moved, self.averaging, np.ones(len(moved), bool), 3)
        return float(np.median(np.linalg.norm(moved[self.edges[:, 0]] - moved[self.edges[:, 1]], axis=1)))


def mesh_edges(faces: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A mesh's distinct edges (E, 2), lower id first, and which bound a hole (one face)."""
    keys, faces_per_edge = edge_table(n, faces)
    return np.column_stack([keys // n, keys % n]), faces_per_edge == 1


def _vertex_normals(points: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Unit normals (their sign does not matter here), the sum of the faces' area vectors."""
    a, b, c = (points[faces[:, k]] for k in range(3))
    area_vectors = np.cross(b - a, c - a)
    normals = np.zeros_like(points)
    for k in range(3):
        for axis in range(3):
            normals[:, axis] += np.bincount(faces[:, k], area_vectors[:, axis], minlength=len(points))
    return normals / np.maximum(np.linalg.norm(normals, axis=1), 1e-12)[:, None]


@dataclass(frozen=True)
class NoiseCheck:
    """What remove_noise found and did."""

    reading_mm: float    # the noise reading before smoothing (module docstring)
    edge_mm: float       # the median edge length where it was read (0: not read, the reading was low)
    noisy: bool          # above what a clean mesh of these edges reads
    pairs: int           # Taubin pairs run (0: clean, or too coarse to smooth)

    @property
    def noise_mm(self) -> float:
        """The noise's standard deviation the reading stands for (the shape's share left in)."""
        return self.reading_mm * NOISE_PER_READING


def remove_noise(vertices: np.ndarray, faces: np.ndarray) -> NoiseCheck:
    """Smooth a noisy scan in place (VERTICES in mm, Z up) until its noise reading falls to what
    its shape alone reads (SHAPE_READING_PER_EDGE, at least SMOOTH_TO_MM); a clean one, or one
    too coarse to smooth (edges over MAX_SMOOTHED_EDGE_MM), is left as it is. Rims of holes are
    held still (they have neighbours on one side only)."""
    z = vertices[:, 2]
    if len(faces) == 0:
        return NoiseCheck(0.0, 0.0, False, 0)
    low, height = float(z.min()), float(z.max() - z.min())
    half_width = 0.05 * height * min(1.0, 10.0 * NOISE_BAND_FACES / len(faces))
    corner_z = z[faces[:, 0]]
    centre = low + NOISE_BAND_CENTRE * height
    band = faces[np.abs(corner_z - centre) < half_width]
    if len(band) < 50:
        return NoiseCheck(0.0, 0.0, False, 0)
    gauge = _NoiseGauge(vertices, band)
    reading = gauge.reading(vertices)
    if reading <= NOISY_MM:
        return NoiseCheck(reading, 0.0, False, 0)
    edge = gauge.edge_mm(vertices)
    noisy = reading > CLEAN_READING_PER_EDGE * edge
    if not noisy or edge > MAX_SMOOTHED_EDGE_MM:
        return NoiseCheck(reading, edge, noisy, 0)
    edges, boundary = mesh_edges(faces, len(vertices))
    averaging = mean_of_neighbours(edges, len(vertices))
    movable = np.ones(len(vertices), bool)
    movable[edges[boundary].ravel()] = False
    smoother = Taubin(averaging, movable)
    # The reading falls fast on a dense mesh, whose noise is still rough over a few millimetres:
    # 1.1M faces with 1 mm noise read SMOOTH_TO_MM after 5 pairs, which left wrist +2.0, elbow
    # +2.7, upper arm +2.9 mm; after 39 (pairs_reaching), all within 1.7 mm (0.5 mm noise, 60
    # pairs: within 1.0).
    at_least = pairs_reaching(edge, REFERENCE_PAIRS)
    smoother.run(vertices, at_least)
    pairs, now = at_least, gauge.reading(vertices)
    target = max(SMOOTH_TO_MM, SHAPE_READING_PER_EDGE * edge)
    while now > target and pairs < MAX_PAIRS:
        smoother.run(vertices, 1)
        pairs += 1
        now = gauge.reading(vertices)
    return NoiseCheck(reading, edge, True, pairs)
