"""A body scanning booth, simulated: which faces of a body mesh its cameras see.

A booth's cameras stand on a few towers around the person; what none of them sees is missing from
the scan: the soles, the crotch and the armpits' insides, under the chin and the breasts, the
crown if no camera looks from above. Each camera renders the body into a depth buffer (points
spread over every face, the nearest kept per pixel); a face is seen when at least half its points
are the nearest in their pixel, facing that camera within GRAZING_DEG. The tests and
bench/bench_scan_robustness.py build booth scans of the shared bodies with it.
"""

from __future__ import annotations

import math

import numpy as np

GRAZING_DEG = 80.0  # a surface turned further from a camera than this gives it no data


def seen_by_booth(vertices: np.ndarray, faces: np.ndarray, towers: int = 4, first_tower_deg: float = 45.0,
                  camera_heights=(0.15, 0.4, 0.65, 0.9, 1.1), distance: float = 0.75,
                  pixel: float = 0.0012, seed: int = 0) -> np.ndarray:
    """Which FACES of a standing body (Z up, any unit) a booth sees: TOWERS evenly around it, the
    first at FIRST_TOWER_DEG from +X, each with cameras at CAMERA_HEIGHTS (fractions of the
    body's height) looking level at the body's axis from DISTANCE (of its height) away; a pixel
    spans PIXEL of its height at that distance."""
    height = float(np.ptp(vertices[:, 2]))
    floor = float(vertices[:, 2].min())
    axis = np.array([vertices[:, 0].mean(), vertices[:, 1].mean()])
    corners = vertices[faces]
    normals = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    doubled_area = np.linalg.norm(normals, axis=1)
    normals /= np.maximum(doubled_area, 1e-30)[:, None]
    # points spread over each face, about two per pixel's area, at least three
    size = pixel * height
    per_face = np.maximum(3, np.ceil(doubled_area / (size * size)).astype(np.int64))
    face_of_point = np.repeat(np.arange(len(faces)), per_face)
    rng = np.random.default_rng(seed)
    r1, r2 = np.sqrt(rng.random(len(face_of_point))), rng.random(len(face_of_point))
    points = ((1.0 - r1)[:, None] * corners[face_of_point, 0] + (r1 * (1.0 - r2))[:, None] * corners[face_of_point, 1]
              + (r1 * r2)[:, None] * corners[face_of_point, 2])
    point_normals = normals[face_of_point]
    seen = np.zeros(len(faces), dtype=bool)
    for tower in range(towers):
        angle = math.radians(first_tower_deg + 360.0 * tower / towers)
        ahead = -np.array([math.cos(angle), math.sin(angle), 0.0])  # from the tower to the body's axis
        right = np.cross(ahead, [0.0, 0.0, 1.0])
        for fraction in camera_heights:
            camera = np.array([*(axis - distance * height * ahead[:2]), floor + fraction * height])
            offset = points - camera
            depth = offset @ ahead
            # pixel of each point (angular: a pixel spans PIXEL of the height at DISTANCE)
            col = np.floor((offset @ right) / depth * distance / pixel).astype(np.int64)
            row = np.floor(offset[:, 2] / depth * distance / pixel).astype(np.int64)
            col -= col.min()
            row -= row.min()
            key = col * (int(row.max()) + 1) + row
            nearest = np.full(int(key.max()) + 1, np.inf)
            np.minimum.at(nearest, key, depth)
            toward = -offset / np.linalg.norm(offset, axis=1)[:, None]
            visible = (depth <= nearest[key] + 2.0 * size) & (
                np.einsum("ij,ij->i", point_normals, toward) > math.cos(math.radians(GRAZING_DEG)))
            seen |= np.bincount(face_of_point[visible], minlength=len(faces)) >= 0.5 * per_face
    return seen
