"""Landmark rules on girth profiles, where the profile alone decides (no scan needed)."""

import numpy as np
import pytest

from c2m_tailor.scan.measuring import (ARM_STATION_MM, _clipped_profile, _clipped_to_box, _CoarseToFine, _crest_y,
                                       _first_prominence, _tape_around,
                                       _centre_below, _midline_parts, _palm, _stylion_offset,
                                       _TopOutlines)


def _arm(values):
    values = np.asarray(values, dtype=float)
    s = np.arange(len(values)) * ARM_STATION_MM
    return _CoarseToFine(lambda ids: values[ids], len(values)), s, float(s[-1])


def _hand(fingers_and_thumb):
    """A hanging arm's girth profile (mm) at 4 mm stations, shaped as measured on a
    male_plus_size point cloud: the forearm tapering to the wrist (172 at station 94), the hand
    widening to the palm (266 at 110), sections through the fingers alone (205, and 140 where
    they part), then one across the thumb and fingers, then fingertips."""
    forearm = np.linspace(346.0, 172.0, 95)
    hand = np.interp(np.arange(95, 111), [94, 110], [172.0, 266.0])
    past = [205.0] * 12 + [160.0, 140.0, 160.0, 240.0, 260.0, fingers_and_thumb, 100.0] + [60.0] * 21
    return np.concatenate([forearm, hand, past])


def test_palm_is_the_hand_not_a_fuller_section_across_thumb_and_fingers():
    # (the fullest section past the search start was taken for the palm: the wrist, the
    # slimmest section before it, then fell in the dip at 140 mm)
    profile, s, length = _arm(_hand(fingers_and_thumb=280.0))
    assert _palm(profile, s, length) == 110


def test_palm_when_the_palm_is_the_fullest_section():
    profile, s, length = _arm(_hand(fingers_and_thumb=230.0))
    assert _palm(profile, s, length) == 110


def test_no_palm_on_a_profile_with_no_hand():
    profile, s, length = _arm(np.linspace(346.0, 172.0, 160))
    assert _palm(profile, s, length) is None


# The girth profile (mm, 4 mm stations) from the slimmest wrist section to the palm, as measured
# on one body never fitted to (tests/unseen_bodies.py: man_tall_slim) as its mesh and as a 250k
# point cloud of it: the heel of the hand widens the girth by up to 10 mm a station, then the
# thumb joins it (16-38 mm a station).
WRIST_TO_PALM_MESH = [164.3, 164.5, 166.1, 169.0, 172.8, 177.8, 183.7, 190.9, 199.7, 209.4, 219.4, 229.3,
                      238.3, 246.3, 254.2, 262.9, 272.3, 288.0, 320.5]
WRIST_TO_PALM_CLOUD = [163.2, 164.5, 166.9, 170.2, 174.8, 180.8, 187.7, 195.7, 205.0, 214.7, 224.9, 234.0,
                       242.6, 250.2, 258.8, 268.0, 280.1, 307.6, 346.1]


def test_wrist_joint_is_where_the_heel_of_the_hand_levels_off_not_at_the_thumb():
    """The wrist joint was the first peak of the rise at least 30 % as steep as the steepest,
    which is the thumb's jump: on the cloud the heel's 10 mm fell short of 30 % of the thumb's
    38, and the joint went on to the thumb (station 18 against the mesh's 10: arm length +33.5
    mm)."""
    mesh, cloud = _stylion_offset(np.array(WRIST_TO_PALM_MESH)), _stylion_offset(np.array(WRIST_TO_PALM_CLOUD))
    assert abs(mesh - cloud) <= 1
    assert 7 <= mesh <= 10 and 7 <= cloud <= 10


def test_no_wrist_joint_on_a_profile_without_a_hand_rise():
    assert _stylion_offset(np.linspace(150.0, 160.0, 12)) is None  # (a rise under STYLION_MIN_RISE)
    assert _stylion_offset(np.array([150.0, 152.0, 0.0, 170.0, 190.0])) is None  # (a gap)


# A heavy man's front profile (mm, the foremost point of each 2 mm level from the armpit down,
# 0.02-0.09 of stature to the right; a body never fitted to, drawn with make_unseen_bodies.py
# --draw 12 --seed 2) as his mesh and as a 250k point cloud: the chest, a dip of 1.0 / 0.9 mm,
# then his belly, further forward.
FRONT_MESH = [102.5, 103.3, 104.1, 104.9, 105.7, 106.4, 106.9, 107.4, 108.3, 109.1, 110.0, 110.7, 111.4, 112.0,
              112.7, 113.3, 114.0, 114.6, 115.1, 115.4, 115.7, 116.0, 116.3, 116.5, 116.5, 116.6, 116.6, 116.7,
              116.7, 116.8, 116.7, 116.5, 116.4, 116.2, 116.1, 116.0, 115.9, 115.9, 115.9, 115.8, 115.8, 115.8,
              115.9, 116.1, 116.3, 116.4, 116.6, 116.8, 116.9, 117.1, 117.3, 117.4, 117.6, 117.8, 117.9, 118.1,
              118.2, 118.4, 118.2, 118.3, 118.3, 118.4, 118.4, 118.4, 118.5]
FRONT_CLOUD = [101.1, 101.9, 102.7, 103.4, 104.1, 104.8, 105.4, 106.2, 107.0, 107.8, 108.6, 109.2, 109.8, 110.5,
               111.2, 111.9, 112.5, 112.9, 113.2, 113.6, 113.9, 114.1, 114.4, 114.4, 114.5, 114.5, 114.6, 114.7,
               114.7, 114.6, 114.4, 114.3, 114.1, 114.0, 113.9, 113.9, 113.8, 113.8, 113.8, 113.8, 113.8, 113.9,
               114.1, 114.3, 114.5, 114.6, 114.8, 115.0, 115.1, 115.3, 115.5, 115.5, 115.8, 116.0, 116.2, 116.2,
               116.2, 116.5, 116.5, 116.6, 116.6, 116.7, 116.7, 116.6, 116.7]


def test_bust_apex_of_a_flat_chest_stays_on_the_chest():
    """The bust point is the first peak the front falls back from by more than 1 mm; without
    one it was the last level searched: the cloud's dip of 0.9 mm put its bust points 55 mm
    down on the belly (underbust -88 mm, neck to bust point +48 against the mesh). Now the peak
    the profile falls back from the most, if by more than half a millimetre."""
    assert 27 <= _first_prominence(np.array(FRONT_MESH), 1.0) <= 29
    assert 27 <= _first_prominence(np.array(FRONT_CLOUD), 1.0) <= 29
    assert _first_prominence(np.linspace(100.0, 118.0, 40), 1.0) == 39  # (no peak: the last level)


def test_segments_cut_at_a_box():
    """The neck base keeps its section's lines cut at the side neck points, not only the
    points within them (_neck_base_girth)."""
    segments = np.array([[[-2.0, 0.0, 5.0], [2.0, 0.0, 9.0]],   # across the box in x: cut at both sides
                         [[0.0, 0.5, 1.0], [0.5, 0.5, 1.0]],    # inside: kept whole
                         [[3.0, 0.0, 0.0], [4.0, 0.0, 0.0]],    # outside
                         [[0.0, -3.0, 0.0], [0.0, 3.0, 6.0]]])  # across the box in y
    ends = _clipped_to_box(segments, np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
    assert np.allclose(ends, [[-1, 0, 6], [0, 0.5, 1], [0, -1, 2], [1, 0, 8], [0.5, 0.5, 1], [0, 1, 4]])


def _contour_stats(*boxes):
    """Section stats (as Sections.stats) of contours given as (u_min, u_max, point count)."""
    u_min, u_max, count = (np.array(column, dtype=float) for column in zip(*boxes))
    return {"u_min": u_min, "u_max": u_max, "u_mean": 0.5 * (u_min + u_max), "count": count.astype(int)}


def test_a_trunk_ring_split_in_halves_is_read_whole():
    # A point cloud's mesh just above the crotch (draw 2's woman 05, z 795): its fold left open,
    # the ring in a left half stopping 2.5 mm short of the midline and a right half across it.
    # Only the right half was taken: the hip band read 682 mm among levels of 1050.
    halves = _contour_stats((-203.2, -2.5, 491), (-21.7, 203.0, 552))
    assert _midline_parts(halves, np.arange(2)) == [0, 1]


def test_arms_beside_the_trunk_are_not_part_of_its_ring():
    # hands hanging beside the hips, 15 mm out from them; a 3-point crumb on the midline
    level = _contour_stats((-190.0, 185.0, 900), (-290.0, -205.0, 120), (200.0, 285.0, 118), (-1.0, 1.0, 3))
    assert _midline_parts(level, np.arange(4)) == [0, 3]


def _shoulder_surface(step_mm: float):
    """A shoulder as a height field over x 0..200, y -60..60 mm (grid STEP_MM, two triangles per
    cell): a ridge along y = 0 falling 0.3 mm per mm outward from 100 mm high, and the sides
    falling away from it; below it, at x < 40, a flap hanging down at y = -80 (the back of a
    neck far below the top)."""
    xs, ys = np.arange(0.0, 200.0 + 1e-9, step_mm), np.arange(-60.0, 60.0 + 1e-9, step_mm)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    vertices = np.column_stack([gx.ravel(), gy.ravel(), (100.0 - 0.3 * gx - 0.01 * gy ** 2).ravel()])
    n = len(ys)
    i, j = np.meshgrid(np.arange(len(xs) - 1), np.arange(n - 1), indexing="ij")
    corner = (i * n + j).ravel()
    faces = np.vstack([np.column_stack([corner, corner + n, corner + 1]),
                       np.column_stack([corner + 1, corner + n, corner + n + 1])])
    flap = np.array([[0.0, -80.0, 0.0], [40.0, -80.0, 0.0], [0.0, -80.0, 20.0]])
    return np.vstack([vertices, flap]), np.vstack([faces, [len(vertices) + np.arange(3)]])


def test_top_outline_is_the_surface_silhouette_at_any_mesh_density():
    """The outline is the highest point of the surface over each step, read on the mesh's edges:
    the ridge's own line, the same on a mesh four times as fine (the highest samples per 4 mm
    bin moved with the mesh: shoulder width +107 mm on one Anny body subdivided twice, where a
    bin 0.002 mm wide at the outline's inner end held one sample on the back of the neck)."""
    coarse = _TopOutlines(*_shoulder_surface(6.0), z_low=30.0, z_high=95.0).side(1, 30.0, 3.0, 190.0)
    fine = _TopOutlines(*_shoulder_surface(1.5), z_low=30.0, z_high=95.0).side(1, 30.0, 3.0, 190.0)
    x = np.arange(3.0, 190.0 + 1e-9, 1.0)
    assert np.allclose(coarse[:, 0], x) and np.allclose(fine[:, 0], x)
    # up to x = 16.7 the ridge stands above Z_HIGH: the outline is held at it, as below it
    assert np.allclose(coarse[:, 2], np.minimum(100.0 - 0.3 * x, 95.0))
    assert np.allclose(fine[:, 2], coarse[:, 2])
    assert np.allclose(coarse[x > 17.0, 1], 0.0, atol=1e-9) and np.allclose(fine[x > 17.0, 1], 0.0, atol=1e-9)
    # the left side (x < 0) has no surface
    assert _TopOutlines(*_shoulder_surface(6.0), z_low=30.0, z_high=95.0).side(-1, 30.0, 3.0, 190.0) is None


def test_a_folds_centre_is_the_same_however_densely_its_line_is_sampled():
    """An armpit fold's centre, weighted by how far the contour lies deeper than half the fold:
    an uneven fold (steep on one side, gentle on the other) under a hull edge along x, its line
    read at its corners only and then with 40 points between each two, gives the same centre
    (point weights times spacing put the corners-only one 2.3 mm short of it)."""
    corners = np.array([[0.0, 0.0], [10.0, -8.0], [14.0, -10.0], [40.0, 0.0]])
    fine = np.vstack([corners[i] + np.linspace(0.0, 1.0, 40, endpoint=False)[:, None] * (corners[i + 1] - corners[i])
                      for i in range(3)] + [corners[-1:]])
    coarse_centre = _centre_below(corners, -corners[:, 1], 5.0)
    fine_centre = _centre_below(fine, -fine[:, 1], 5.0)
    assert np.allclose(coarse_centre, fine_centre, atol=1e-9)
    # the part deeper than 5 mm runs from x = 6.25 to 27, weighted 0..5 mm
    assert 12.0 < coarse_centre[0] < 16.0 and coarse_centre[1] < -5.0
    # nothing deeper than the level: the deepest point
    assert np.allclose(_centre_below(corners, -corners[:, 1], 20.0), [14.0, -10.0])


def test_a_crests_place_across_the_body_is_the_same_at_any_mesh_density():
    """Where a shoulder's crest lies across the body (y), read off the surface's sagittal sections
    within 6 mm of its top: an uneven ridge (gentle behind, steep in front of y = 7) as a 6 mm
    grid and the same surface subdivided twice (16 times the faces) give one y. (The mean of the
    surface samples in such a box moved with the mesh: side neck points 1.3 mm apart across
    the body on 36 Anny draws subdivided twice, up to 4.8.)"""
    import trimesh

    from c2m_tailor.scan.sections import Surface

    xs, ys = np.arange(0.0, 200.0 + 1e-9, 6.0), np.arange(-60.0, 60.0 + 1e-9, 6.0)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    across = gy - 7.0
    z = 100.0 - 0.3 * gx - np.where(across < 0, 0.01, 0.04) * across ** 2
    vertices = np.column_stack([gx.ravel(), gy.ravel(), z.ravel()])
    n = len(ys)
    i, j = np.meshgrid(np.arange(len(xs) - 1), np.arange(n - 1), indexing="ij")
    corner = (i * n + j).ravel()
    faces = np.vstack([np.column_stack([corner, corner + n, corner + 1]),
                       np.column_stack([corner + 1, corner + n, corner + n + 1])])
    top = np.array([99.0, 7.0, 100.0 - 0.3 * 99.0])
    coarse = _crest_y(Surface.from_mesh(vertices, faces), top, 6.0, 40.0)
    fine = _crest_y(Surface.from_mesh(*trimesh.remesh.subdivide(*trimesh.remesh.subdivide(vertices, faces))),
                    top, 6.0, 40.0)
    assert abs(coarse - fine) < 1e-6
    # the cap within 6 mm of the top runs 24.5 mm behind the crest line and 12.2 in front of it
    # (steeper, so longer for its width): its middle by length lies 5.8 mm behind the line
    assert -6.5 < coarse - 7.0 < -5.0


def _cylinder(radius: float, height: float, sides: int):
    """A closed-sided tube around the z axis (no caps): vertices and faces."""
    angle = 2 * np.pi * np.arange(sides) / sides
    ring = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    vertices = np.vstack([np.column_stack([ring, np.zeros(sides)]), np.column_stack([ring, np.full(sides, height)])])
    k = np.arange(sides)
    faces = np.vstack([np.column_stack([k, (k + 1) % sides, k + sides]),
                       np.column_stack([(k + 1) % sides, (k + 1) % sides + sides, k + sides])])
    return vertices, faces


def test_a_tape_between_two_points_goes_around_the_outside_the_shortest_way():
    """The neck base tape's stretch between two landmarks a quarter turn apart on a neck (a
    tube of radius 60 mm, 256 sides): in the level plane it is the quarter circle (the 256-gon's
    quarter); in a plane leaning about the chord it is a longer arc of an ellipse, so the
    shortest over the leaning planes (what the tape is) is the level one."""
    from c2m_tailor.scan.sections import Surface

    surface = Surface.from_mesh(*_cylinder(60.0, 200.0, 256))
    p, q = np.array([60.0, 0.0, 100.0]), np.array([0.0, 60.0, 100.0])
    span = float(np.linalg.norm(q - p))
    along, out = (q - p) / span, np.array([1.0, 1.0, 0.0]) / np.sqrt(2.0)
    level, path = _tape_around(surface, p, along, span, out)
    assert level == pytest.approx(2 * 256 * 60.0 * np.sin(np.pi / 256) / 4, abs=1e-6)
    assert np.allclose(path[0], p) and np.allclose(path[-1], q) and np.allclose(path[:, 2], 100.0)
    up = np.cross(along, out)
    leaning = _tape_around(surface, p, along, span, np.cos(0.5) * out + np.sin(0.5) * up)[0]
    assert leaning > level + 2.0  # (96.7 mm)


def test_a_profile_ends_exactly_where_its_length_ends():
    """A midline profile read on 2 mm levels, cut to a waist between two of them: its ends lie
    at exactly those heights, read on the line between the levels about them."""
    z = np.arange(0.0, 22.0, 2.0)
    profile = np.column_stack([np.zeros_like(z), 0.5 * z + 10.0, z])[::-1]  # (any order)
    clipped = _clipped_profile(profile, 3.2, 15.7)
    assert clipped[0] == pytest.approx([0.0, 11.6, 3.2]) and clipped[-1] == pytest.approx([0.0, 17.85, 15.7])
    assert np.array_equal(clipped[1:-1, 2], np.arange(4.0, 15.0, 2.0))
    assert len(_clipped_profile(profile, 4.0, 30.0)) == 9  # (no end past the profile's last level)
