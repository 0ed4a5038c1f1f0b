"""The point-cloud mesher's settling step (scan/cloud.py): a noisy cloud's points are moved onto
the surface their neighbours describe; a clean one is left as it is."""

import numpy as np

from c2m_tailor.scan.cloud import _settled, mesh_from_points


def _sphere(count, radius_mm, rng):
    directions = rng.normal(size=(count, 3))
    return radius_mm * directions / np.linalg.norm(directions, axis=1)[:, None]


def test_noise_is_settled_without_shrinking_the_shape():
    """A 100 mm ball at a scanner's density (a point per 7.6 mm^2, as 250k points on a body)
    with 1 mm noise: the points' spread about the sphere falls from 1.00 to 0.33 mm (measured),
    the outermost 1 % (what a tape's hull rides) from 2.37 to 0.84 mm out, and the ball does
    not shrink (mean -0.003 mm)."""
    rng = np.random.default_rng(0)
    noisy = _sphere(16_500, 100.0, rng) + rng.normal(0.0, 1.0, (16_500, 3))
    before = np.linalg.norm(noisy, axis=1) - 100.0
    after = np.linalg.norm(_settled(noisy), axis=1) - 100.0
    assert np.sqrt(np.mean(before ** 2)) > 0.95
    assert np.sqrt(np.mean(after ** 2)) < 0.4
    assert np.percentile(after, 99) < 0.4 * np.percentile(before, 99)
    assert abs(after.mean()) < 0.02


def test_a_clean_cloud_is_left_as_it_is():
    """A clean 30 mm cylinder (a wrist) is not smoothed at all: its fit moves points by at most
    0.016 mm, far under the noise worth settling, so the points are returned unchanged."""
    rng = np.random.default_rng(0)
    angle, z = rng.uniform(0.0, 2.0 * np.pi, 5000), rng.uniform(0.0, 200.0, 5000)
    cylinder = np.column_stack([30.0 * np.cos(angle), 30.0 * np.sin(angle), z])
    assert np.array_equal(_settled(cylinder), cylinder)


def test_a_curved_noisy_limb_keeps_its_girth():
    """A 30 mm cylinder with 1 mm noise: settled, its mean radius stays within 0.05 mm (the
    quadratic fit follows the curvature; a plane through 60 neighbours would cut 0.4 mm in)."""
    rng = np.random.default_rng(1)
    angle, z = rng.uniform(0.0, 2.0 * np.pi, 5000), rng.uniform(0.0, 200.0, 5000)
    cylinder = np.column_stack([30.0 * np.cos(angle), 30.0 * np.sin(angle), z])
    settled = _settled(cylinder + rng.normal(0.0, 1.0, cylinder.shape))
    middle = (settled[:, 2] > 20.0) & (settled[:, 2] < 180.0)
    radius = np.hypot(settled[middle, 0], settled[middle, 1])
    assert abs(radius.mean() - 30.0) < 0.05
    assert np.sqrt(np.mean((radius - 30.0) ** 2)) < 0.45


def test_a_narrow_gap_between_limbs_is_not_bridged():
    """Two 40 mm limbs 6 mm apart (an arm beside the trunk) at a scanner's density: the mesh
    keeps them apart. Without dropping the faces that lie across the surface (_along_surface),
    65 triangles joined them (measured); with it 7, where the gap is a point spacing wide."""
    rng = np.random.default_rng(0)
    count = int(2.0 * np.pi * 40.0 * 300.0 / 7.6)

    def limb(centre_x):
        angle, z = rng.uniform(0.0, 2.0 * np.pi, count), rng.uniform(0.0, 300.0, count)
        return np.column_stack([centre_x + 40.0 * np.cos(angle), 40.0 * np.sin(angle), z])

    vertices, faces, _ = mesh_from_points(np.vstack([limb(-43.0), limb(43.0)]))
    right = vertices[:, 0] > 0
    across = right[faces].any(axis=1) & ~right[faces].all(axis=1)
    assert len(faces) > 40_000
    assert across.sum() < 20
