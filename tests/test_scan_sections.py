"""Section geometry helpers: the cheap girth bounds that spare most hulls must hold, and a
section's centre must not depend on where the mesh crowds its points."""

import numpy as np

from c2m_tailor.scan.sections import hull_centroid, hull_perimeter, hull_perimeter_bounds


def test_girth_bounds_hold():
    rng = np.random.default_rng(7)
    for k in range(3000):
        n = int(rng.integers(1, 300))
        kind = k % 3
        if kind == 0:  # a ring, like a section
            a = rng.uniform(0, 2 * np.pi, n)
            points = np.column_stack([np.cos(a), np.sin(a)]) * rng.uniform(5, 400) + rng.normal(size=2) * 500
        elif kind == 1:  # (nearly) on a line: the hull may fail and give 0
            t = rng.normal(size=n)
            points = np.column_stack([t, rng.uniform(-3, 3) * t]) * 100 + rng.normal(size=(n, 2)) * 1e-9
        else:
            points = rng.normal(size=(n, 2)) * rng.uniform(0.1, 300, 2)
        girth = hull_perimeter(points)[0]
        lower, upper = hull_perimeter_bounds(points)
        assert lower <= girth <= upper
        if kind == 0 and n > 50:
            assert upper < 1.1 * girth and lower > 0.95 * girth  # tight enough to rule levels out


def test_hull_centroid_ignores_how_densely_the_section_is_sampled():
    """An arm's section (an ellipse 110 x 90 mm about (250, -30)) crossed by a mesh that is fine
    on its inner half and coarse on its outer: its points' mean lies 31 mm inwards, the centre
    of its hull's area within 0.2 mm of the ellipse's (the rest is the hull's chords)."""
    centre = np.array([250.0, -30.0])
    inner = np.linspace(0.5 * np.pi, 1.5 * np.pi, 200, endpoint=False)  # a point every 0.8 mm
    outer = np.linspace(-0.5 * np.pi, 0.5 * np.pi, 12, endpoint=False)  # every 13 mm
    angles = np.concatenate([inner, outer])
    points = centre + np.column_stack([55.0 * np.cos(angles), 45.0 * np.sin(angles)])
    assert np.linalg.norm(points.mean(axis=0) - centre) > 10.0
    assert np.linalg.norm(hull_centroid(points) - centre) < 0.25
    # (no area: the points' mean)
    line = np.column_stack([np.arange(5.0), 2.0 * np.arange(5.0)])
    assert np.allclose(hull_centroid(line), [2.0, 4.0])
    assert np.allclose(hull_centroid(line[:2]), [0.5, 1.0])


def test_ring_across_hole_follows_a_round_ring_and_leaves_a_closed_one():
    """A circle of radius 50 with a 60-degree hole: the hull's chord loses 2.7 mm of its
    314.16 mm; the ring carried across the hole gives the circle back. A closed ring, and a
    ring whose gap is no wider than its spacing, come back as they are (the same array)."""
    from c2m_tailor.scan.sections import hull_perimeter, ring_across_hole

    angles = np.radians(np.arange(0.0, 360.0, 7.5))
    circle = 50.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    assert ring_across_hole(circle) is circle
    holed = circle[(angles < np.radians(60.0)) | (angles > np.radians(120.0))]
    assert hull_perimeter(holed)[0] < 2 * np.pi * 50.0 - 2.5
    assert abs(hull_perimeter(ring_across_hole(holed))[0] - 2 * np.pi * 50.0) < 0.3
    sparse = circle[::4]  # (30-degree spacing: every gap alike, no hole)
    assert ring_across_hole(sparse) is sparse
    # a hole across the angle's seam (180 degrees), its last point then rounded just short of it
    seam = circle[(angles < np.radians(150.0)) | (angles > np.radians(210.0))]
    bridged = ring_across_hole(seam)
    assert np.isfinite(bridged).all() and len(bridged) > len(seam)
    assert abs(hull_perimeter(bridged)[0] - 2 * np.pi * 50.0) < 0.3


def test_ring_across_hole_with_an_edge_running_straight_out():
    """Where the ring at one edge of its hole runs straight out from the axis (every point
    there at one angle: a fold of a limb's section), the edge has no slope to fit: its mean
    radius is taken. (np.polyfit raised LinAlgError there: a traceback on one of twelve bodies
    drawn at random, tests/unseen_bodies.py.)"""
    from c2m_tailor.scan.sections import hull_perimeter, ring_across_hole

    angles = np.radians(np.arange(0.0, 360.0, 7.5))
    ring = 50.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    # a hole from 52.5 to 120 degrees, and no point for 37.5 degrees past its far edge...
    holed = ring[(angles < np.radians(60.0)) | (angles > np.radians(155.0))]
    # ... but three at exactly one angle on that edge (halving keeps it), 50, 25 and 12.5 mm out
    edge = ring[angles == np.radians(120.0)][0]
    spoke = np.vstack([edge, 0.5 * edge, 0.25 * edge])
    points = np.vstack([holed, spoke])
    bridged = ring_across_hole(points)
    assert len(bridged) > len(points) and np.isfinite(bridged).all()
    assert hull_perimeter(bridged)[0] >= hull_perimeter(points)[0]
