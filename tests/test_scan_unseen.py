"""The scan bars on bodies the scan code was never fitted to (tests/unseen_bodies.py: twelve Anny
bodies from tall and slim to short and heavy, young to about seventy, cup sizes, ancestries).

No independent reference exists for them, so what is asked is what must hold of any body:
every catalogue value found without a warning, stature equal to the body's height, landmarks
in their anatomical order, and the robustness bar of tests/test_scan_robustness.py (the same
body delivered another way measures the same), including the body's mirror image (the Anny
bodies are left-right symmetric within 0.8 mm). The variants that scatter with a random draw
(noise, booths) run in bench/bench_scan_robustness.py --bodies-dir; see the closing notes.
"""

import math

import numpy as np
import pytest

import unseen_bodies
from c2m_tailor.measure.catalogue import CANONICAL_NAMES
from c2m_tailor.scan import measure_scan

BODIES = unseen_bodies.names()
SMALL = ["stature", "inside_leg_length", "hip_height", "neck_girth", "wrist_girth", "upper_arm_girth",
         "elbow_girth", "knee_girth", "calf_girth", "ankle_girth"]
LARGE = ["chest_girth", "underbust_girth", "waist_girth", "hip_girth", "thigh_girth"]

# Landmarks from the floor up: each at least as high as the one before (the right side's;
# the left mirrors it).
BOTTOM_TO_TOP = ["ankle_right", "calf_right", "knee_right", "thigh_right", "crotch", "buttock", "waist_front",
                 "underbust_front", "chest_level_front", "armpit_right", "acromion_right", "cervicale", "vertex"]

# The generator raises some bodies' heels (age): the loader stands a body on its soles, so a
# body whose soles lie more than half a degree off the file's vertical is turned upright by
# part of that (past 1.5 degrees by all of it), and reads shorter than its height along the
# file's axis (man_older: soles 2.94 degrees off, -8.1 mm; man_short 0.96 and woman_older 1.15
# degrees, stood 0.69 and 0.98 off the file's axis, read -1.4 and -1.5 mm).
TILTED_SOLES = {"man_older": -8.1}

# Misses of the bar found on these bodies and not yet mended (variant, body) -> the values that
# miss, as measured. (Found and mended: the neck girth of forward-leaning necks moved with the mesh's
# density, man_older +10.0 mm subdivided and +9.6 as a cloud, man_tall_slim -4.2 / -4.3, man_short
# -2.5, its axis fitted through the shoulders; raised heels read as open soles; and the upper arm
# of man_short and man_tall_slim as clouds, -2.4 and -2.1, test_upper_arm_of_a_cloud_holds_to_its_mesh.)
KNOWN_GAPS: dict[tuple[str, str], dict[str, float]] = {}

_cache: dict[str, object] = {}


def _measured(name, tmp_path_factory):
    if name not in _cache:
        _cache[name] = measure_scan(unseen_bodies.write_obj(name, tmp_path_factory.mktemp(name)))
    return _cache[name]


def _hold_bar(variant, name, result, reference) -> None:
    """The robustness bar; a known gap (KNOWN_GAPS, nothing else missing) is an xfail."""
    misses = _misses(result, reference)
    known = KNOWN_GAPS.get((variant, name), {})
    if misses and {miss.split()[0] for miss in misses} <= set(known):
        pytest.xfail("known gap: " + ", ".join(misses))
    assert misses == []


def _misses(result, reference) -> list[str]:
    """What the robustness bar finds: 2 mm for heights and small girths, 4 mm for large girths."""
    misses = [f"{n} {result.measurements_mm[n] - reference.measurements_mm[n]:+.1f}" for n in SMALL
              if not abs(result.measurements_mm[n] - reference.measurements_mm[n]) <= 2.0]
    return misses + [f"{n} {result.measurements_mm[n] - reference.measurements_mm[n]:+.1f}" for n in LARGE
                     if not abs(result.measurements_mm[n] - reference.measurements_mm[n]) <= 4.0]


@pytest.mark.parametrize("name", BODIES)
def test_every_value_without_a_warning(name, tmp_path_factory):
    result = _measured(name, tmp_path_factory)
    assert set(result.measurements_mm) == set(CANONICAL_NAMES)
    # (the eyes and teeth are separate pieces: dropped, and said so)
    assert [w for w in result.warnings if "small extra piece" not in w] == []


@pytest.mark.parametrize("name", BODIES)
def test_stature_is_the_height(name, tmp_path_factory):
    if name in TILTED_SOLES:
        pytest.xfail(f"soles tilted by the generator: stature reads {TILTED_SOLES[name]:+.1f} mm")
    vertices, _ = unseen_bodies.vertices_and_faces(name)
    height_mm = float(np.ptp(vertices[:, 2])) * 1000.0
    assert _measured(name, tmp_path_factory).measurements_mm["stature"] == pytest.approx(height_mm, abs=4.0)


@pytest.mark.parametrize("name", BODIES)
def test_landmarks_in_anatomical_order(name, tmp_path_factory):
    result = _measured(name, tmp_path_factory)
    heights = [result.landmarks[landmark][2] for landmark in BOTTOM_TO_TOP]
    assert heights == sorted(heights), dict(zip(BOTTOM_TO_TOP, heights))
    m = result.measurements_mm
    assert m["ankle_girth"] < m["calf_girth"] < m["thigh_girth"] < m["hip_girth"]
    assert m["wrist_girth"] < m["elbow_girth"] < m["upper_arm_girth"] < m["neck_base_girth"] < m["chest_girth"]
    assert m["inside_leg_length"] < m["hip_height"] < m["waist_height"] < m["stature"]


@pytest.mark.parametrize("name", BODIES)
def test_mirror_image_measures_the_same(name, tmp_path_factory, tmp_path):
    import trimesh

    vertices, faces = unseen_bodies.vertices_and_faces(name)
    # x -> -x, faces turned over so they still face out
    mirrored = trimesh.Trimesh(vertices * [-1.0, 1.0, 1.0], faces[:, ::-1], process=False)
    path = tmp_path / "mirrored.obj"
    mirrored.export(str(path))
    reference = _measured(name, tmp_path_factory)
    result = measure_scan(path)
    assert _misses(result, reference) == []
    # the lengths and widths read on one side, too
    for measurement in ("shoulder_width", "arm_length", "across_back_width", "across_front_width",
                        "bust_point_distance", "crotch_length"):
        assert result.measurements_mm[measurement] == pytest.approx(reference.measurements_mm[measurement], abs=4.0)


@pytest.mark.parametrize("name", BODIES)
def test_rotated_moved_and_in_millimetres(name, tmp_path_factory, tmp_path):
    import trimesh

    vertices, faces = unseen_bodies.vertices_and_faces(name)
    angle = math.radians(37.0)
    turn = np.array([[math.cos(angle), -math.sin(angle), 0.0], [math.sin(angle), math.cos(angle), 0.0], [0, 0, 1]])
    moved = (vertices @ turn.T + [0.4, -1.3, 0.25]) * 1000.0
    path = tmp_path / "turned_mm.ply"
    trimesh.Trimesh(moved, faces, process=False).export(str(path))
    assert _misses(measure_scan(path), _measured(name, tmp_path_factory)) == []


@pytest.mark.parametrize("name", BODIES)
def test_holes_punched(name, tmp_path_factory, tmp_path):
    """2 % of the faces punched out at random (seed fixed), as in test_scan_robustness."""
    import trimesh

    vertices, faces = unseen_bodies.vertices_and_faces(name)
    keep = np.random.default_rng(7).random(len(faces)) >= 0.02
    path = tmp_path / "holes.ply"
    trimesh.Trimesh(vertices, faces[keep], process=False).export(str(path))
    assert _misses(measure_scan(path), _measured(name, tmp_path_factory)) == []


@pytest.mark.parametrize("name", BODIES)
def test_subdivided_denser(name, tmp_path_factory, tmp_path):
    """Subdivided twice (0.44M faces): a finer scanner's mesh of the same body."""
    import trimesh

    vertices, faces = unseen_bodies.vertices_and_faces(name)
    for _ in range(2):
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
    path = tmp_path / "sub2.ply"
    trimesh.Trimesh(vertices, faces, process=False).export(str(path))
    result, reference = measure_scan(path), _measured(name, tmp_path_factory)
    # Landmarks on the shoulder's front-view outline and on the bust's front: shoulder width and
    # length and the bust point distance as the bar's breadths (2 mm), the underbust as its
    # large girths (4 mm), arm length and back neck to waist within ISO 20685-1's 5 mm for
    # lengths. (Read off the highest surface sample per 4 mm bin and the foremost section point
    # per 2 mm bin, with the neck band smoothed by 5 Taubin pairs, they moved with the mesh: on
    # 36 fresh Anny draws by 4.3, 1.7, 3.5, 1.1, 1.2 and 1.4 mm on average, up to 107, 24, 12.9,
    # 16.1, 8.2 and 3.9. Read off the mesh's edges, the neck unsmoothed: 0.4, 0.2, 0.1, 0.2, 0.3
    # and 0.8, up to 1.1, 0.4, 1.1, 2.7, 2.6 and 2.8; the 12 bodies here: up to 1.3, 0.7, 0.2,
    # 2.7, 3.8 and 1.9.)
    # The head girth as a large girth (4 mm): on this dense a mesh its level is searched on a
    # coarse copy, whose merged cells joined man_heavy's ears to the head's ring (-9.3 mm).
    # The armscye and across front and back as large girths and breadths over a hollow (4 mm):
    # their section's points were cut at a bound and weighted where the mesh's edges fell
    # (36 draws: up to 4.7, 7.7 and 1.5 mm; now 2.7, 3.4 and 2.2; here 2.2, 2.9 and 1.1).
    # The neck base girth as a small girth (2 mm): its landmarks' place across the body was the
    # mean of the surface samples near each, which moved with the mesh, and the girth was read
    # in one plane through all four landmarks, grazing the trapezius (36 draws: up to 6.2 mm;
    # landmarks read off the sections: 1.9; a tape pulled tight between them: 1.2; here 0.6).
    # The landmarks moved shoulder width and length too (36 draws: 1.1 and 0.4; now 0.1, 0.4).
    limits = {"shoulder_width": 2.0, "shoulder_length": 2.0, "bust_point_distance": 2.0, "neck_base_girth": 2.0,
              "underbust_girth": 4.0,
              "head_girth": 4.0, "armscye_girth": 4.0, "across_front_width": 4.0, "across_back_width": 4.0,
              "arm_length": 5.0, "back_neck_to_waist": 5.0}
    moved = {n: round(result.measurements_mm[n] - reference.measurements_mm[n], 1) for n in limits}
    assert all(abs(moved[n]) <= limit for n, limit in limits.items()), moved
    _hold_bar("sub2", name, result, reference)


@pytest.mark.parametrize("name", BODIES[::4])
def test_as_a_point_cloud(name, tmp_path_factory, tmp_path):
    """250k points sampled on the surface, no faces (every fourth body here; all of them with -m slow)."""
    _cloud_case(name, tmp_path_factory, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in BODIES if n not in BODIES[::4]])
def test_as_a_point_cloud_all(name, tmp_path_factory, tmp_path):
    _cloud_case(name, tmp_path_factory, tmp_path)


def _cloud_case(name, tmp_path_factory, tmp_path):
    _hold_bar("cloud", name, _cloud_measured(name, tmp_path_factory), _measured(name, tmp_path_factory))


def _cloud_measured(name, tmp_path_factory):
    """NAME as 250k points sampled on its surface (seed 2), measured."""
    import trimesh

    key = f"{name} cloud"
    if key not in _cache:
        points = trimesh.sample.sample_surface(unseen_bodies.mesh(name), 250_000, seed=2)[0]
        path = tmp_path_factory.mktemp(f"{name}_cloud") / "cloud.ply"
        trimesh.PointCloud(points).export(str(path))
        _cache[key] = measure_scan(path)
    return _cache[key]


@pytest.mark.parametrize("name", ["man_tall_slim", "woman_older"])
def test_arm_length_of_a_cloud_holds_to_its_mesh(name, tmp_path_factory):
    """The wrist joint ends the arm length where the rise of the girth across the heel of the
    hand levels off. It was the first rise at least 30 % as steep as the steepest up to the palm,
    which is where the thumb joins the hand: where the heel's rise fell just short of that, the
    joint went on to the thumb. These two read arm lengths 33.5 and -28.6 mm off their meshes as
    point clouds (and 30 bodies' mesh-cloud pairs 7.3 mm apart on average; now 1.4, at most
    5.2). ISO 20685-1 allows 5 mm for a segment length."""
    cloud, mesh = _cloud_measured(name, tmp_path_factory), _measured(name, tmp_path_factory)
    assert cloud.measurements_mm["arm_length"] == pytest.approx(mesh.measurements_mm["arm_length"], abs=5.0)


@pytest.mark.parametrize("name", ["man_short", "man_tall_slim"])
def test_upper_arm_of_a_cloud_holds_to_its_mesh(name, tmp_path_factory):
    """The upper arm is the fullest section below the armpit, on a hanging arm the highest one,
    where the girth falls about 0.6 mm per mm down the arm. The search started at the last 2 mm
    sweep level where the arm stands apart, which a point cloud's mesh puts a level lower (it
    joins arm and trunk where they stand closer than its points' spacing): these two read their
    upper arms 2.4 and 2.1 mm small as clouds (30 bodies' mesh-cloud pairs: 5 past 2 mm). Now it
    starts below where the gap is 6 mm wide, a gap both see (at most 1.9 mm apart)."""
    cloud, mesh = _cloud_measured(name, tmp_path_factory), _measured(name, tmp_path_factory)
    assert cloud.measurements_mm["upper_arm_girth"] == pytest.approx(mesh.measurements_mm["upper_arm_girth"], abs=1.5)


def test_a_cloud_stands_as_its_mesh(tmp_path_factory):
    """The vertical is the soles' plane. woman_older's heels are raised, her soles curved: two
    sets of downward hull facets 1-2 degrees apart, of about the same area, and the largest set
    was taken, a different one on the mesh (1.23 degrees off the file's axis) and on a point cloud
    of it (0.94, taken as the file's axis), which read the chest 2.7 mm and stature 1.2 mm apart.
    Now the sole plane is settled from the facet the body rests on (1.15 and 1.12 degrees), and
    drawn onto the file's axis in proportion as it nears it (0.98 and 0.93)."""
    cloud, mesh = _cloud_measured("woman_older", tmp_path_factory), _measured("woman_older", tmp_path_factory)
    assert cloud.measurements_mm["stature"] == pytest.approx(mesh.measurements_mm["stature"], abs=1.0)
    assert cloud.measurements_mm["chest_girth"] == pytest.approx(mesh.measurements_mm["chest_girth"], abs=1.5)
    assert cloud.detected_up_axis == mesh.detected_up_axis == "tilted"


def test_hip_of_a_cloud_holds_to_its_mesh(tmp_path_factory):
    """The hip level is the centre of the band of levels within 2 % of the fullest girth, from
    just above the crotch up. A point cloud's mesh leaves the faces across the crotch's fold out,
    and a level there split into a left and a right half; one half was left out of the ring and
    the level fell out of the band: woman_older's hip height read 1.3 mm high as a cloud (draw 2's
    woman 05: 2.1). Now a piece reaching within 5 mm of the midline belongs to the ring."""
    cloud, mesh = _cloud_measured("woman_older", tmp_path_factory), _measured("woman_older", tmp_path_factory)
    assert cloud.measurements_mm["hip_height"] == pytest.approx(mesh.measurements_mm["hip_height"], abs=0.7)


def test_chest_of_a_cloud_holds_to_its_mesh(tmp_path_factory):
    """The chest is the fullest horizontal girth below the armpits, and on most bodies that is
    the highest ring searched. The search ended at the last 2 mm sweep level where the arm
    stands apart, which a point cloud's mesh puts a level lower (it joins arm and trunk where
    they stand closer than its points' spacing), and its highest ring was the last of a 4 mm
    grid below that: man_short's cloud read its chest 3.4 mm small. Now the search ends where
    the gap under the arm closes (fitted across the levels below), and that height is cut."""
    cloud, mesh = _cloud_measured("man_short", tmp_path_factory), _measured("man_short", tmp_path_factory)
    assert cloud.measurements_mm["chest_girth"] == pytest.approx(mesh.measurements_mm["chest_girth"], abs=1.5)


def test_raised_heels_are_not_open_soles(tmp_path):
    """The generator raises some bodies' heels (age): man_older's stand 8 mm off the plane of his
    soles, and only 0.0017 of the length squared of his surface lies on that plane (the shared
    bodies 0.0028-0.0040), as where a booth missed the soles. That read as open soles: a false
    warning, and the vertical snapped to the file's axis within 2 degrees instead of 1. A mesh
    read from the file has open soles only where a hole's rim runs along them: cut the soles
    out of the same body and they are open."""
    import trimesh

    vertices, faces = unseen_bodies.vertices_and_faces("man_older")
    closed = measure_scan(unseen_bodies.write_obj("man_older", tmp_path))
    assert not closed.body.soles_open
    assert not any("soles are missing" in w for w in closed.warnings)
    # the soles cut out: every face within 20 mm of the floor that faces down
    mesh = trimesh.Trimesh(vertices, faces, process=False)
    low = vertices[faces][:, :, 2].max(axis=1) < vertices[:, 2].min() + 0.02
    down = mesh.face_normals[:, 2] < -0.5
    path = tmp_path / "soles_cut.ply"
    trimesh.Trimesh(vertices, faces[~(low & down)], process=False).export(str(path))
    opened = measure_scan(path)
    assert opened.body.soles_open
    assert any("soles are missing" in w for w in opened.warnings)


def test_underbust_fold_does_not_follow_a_coarse_mesh(tmp_path_factory, tmp_path):
    """woman_tall_heavy's fold under the bust, on her 13k-face mesh and on the same surface
    subdivided twice. The front profile below the bust was the foremost section point within a
    column: on the coarse mesh it jittered by 1.5 mm below the breast, which read as a steeper
    fall than the breast's own underside, and the fold was put 72 mm too low (763 mm against
    841). The column's front strand is now taken between its points at the column's sides."""
    import trimesh

    vertices, faces = unseen_bodies.vertices_and_faces("woman_tall_heavy")
    for _ in range(2):
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
    path = tmp_path / "sub2.ply"
    trimesh.Trimesh(vertices, faces, process=False).export(str(path))
    dense = measure_scan(path)
    coarse = _measured("woman_tall_heavy", tmp_path_factory)
    assert coarse.confidence["underbust_girth"] == dense.confidence["underbust_girth"] == 0.7  # (a fold found)
    assert coarse.measurements_mm["underbust_girth"] == pytest.approx(dense.measurements_mm["underbust_girth"], abs=4.0)
    assert coarse.landmarks["underbust_front"][2] == pytest.approx(dense.landmarks["underbust_front"][2], abs=2.0)


def test_chest_under_a_fast_opening_armpit_holds_under_noise(tmp_path_factory, tmp_path):
    """man_tall_slim's chest is fullest at the top of its search, under the armpit, and grows
    1 mm per mm of height there; the gap under his arm opens 1.5 mm per mm down. With 1 mm of
    scanner noise his arm stood apart 2-4 mm lower, 10 mm from the trunk at once, and the line
    through the gap's 4-16 mm levels had two of them: none was drawn, the search stopped below
    the lower armpit, and the chest read 5.4-7.8 mm small (seeds 1-4). Two levels now make the
    line (_gap_closing): seed 4 reads -3.7 (the robustness bar: 4 mm; his neck, +3.2 there, is
    another matter)."""
    result, reference = _noisy_copy("man_tall_slim", 4, tmp_path), _measured("man_tall_slim", tmp_path_factory)
    assert abs(result.measurements_mm["chest_girth"] - reference.measurements_mm["chest_girth"]) <= 4.0



def _noisy_copy(name: str, seed: int, folder, subdivide: int = 0) -> object:
    """Body NAME (midpoint-subdivided SUBDIVIDE times: 2 is a scanner's 0.44M faces) with 1 mm of
    scanner noise (seed SEED) on every vertex, measured."""
    import trimesh

    vertices, faces = unseen_bodies.vertices_and_faces(name)
    for _ in range(subdivide):
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
    noisy = vertices + np.random.default_rng(seed).normal(0.0, 0.001, vertices.shape)
    path = folder / f"{name}_sub{subdivide}_noise{seed}.ply"
    trimesh.Trimesh(noisy, faces, process=False).export(str(path))
    return measure_scan(path)


def test_underbust_of_a_large_cup_is_the_chest_wall(tmp_path_factory, tmp_path):
    """The underbust is the chest wall's girth just below the breasts. woman_large_cup's breast
    underside is nearly level: the section at the fold took in its lowest part and read 689.5 mm,
    the chest wall 2-10 mm below 635-639; with 1 mm of scanner noise (smoothed, the fold's corner
    rounded) that section read 18.8-48.2 mm less (seeds 1-8). Now the wall's sections below the
    fold, carried up to it: 640.5, and -0.6..+1.5 mm with noise (seeds 1-4)."""
    from c2m_tailor.scan.measuring import UNDERBUST_WALL_MM, _Scan

    reference = _measured("woman_large_cup", tmp_path_factory)
    assert reference.confidence["underbust_girth"] == pytest.approx(0.7)  # (a breast's fall found)
    level = reference.landmarks["underbust_front"][2]
    scan = _Scan(reference.body)
    value = reference.measurements_mm["underbust_girth"]
    assert value == pytest.approx(scan.torso_girth(level - UNDERBUST_WALL_MM[0], final=True), abs=3.0)
    assert value < scan.torso_girth(level, final=True) - 40.0
    noisy = _noisy_copy("woman_large_cup", 1, tmp_path)
    assert abs(noisy.measurements_mm["underbust_girth"] - value) <= 4.0


@pytest.mark.parametrize("subdivide", [0, 2])
def test_underbust_of_a_gradual_breast_holds_under_noise(subdivide, tmp_path_factory, tmp_path):
    """woman_tall_heavy's breast falls away gradually (its steepest step 1.04 mm per mm of
    height). Where the fold needed a step steeper than 45 degrees, 1 mm of scanner noise left
    none on one side or both (0.82-0.96 on seeds 1 and 2), the level fell 8-9 mm towards the flat
    chest's convention and the underbust read 18.0-33.5 mm small (seeds 1-8). Taken at the foot of
    the fall (where its drop falls back under 0.3), it moved with the smoothing: the fall ends in
    steps of 0.40 mm per mm, which the smoothing takes under 0.3 2-3 mm higher (seeds 1 and 3:
    +4.8; her dense noisy mesh, seed 1: +8.6). Now the level is where the fall's line meets the
    wall's (_fall_corner): seeds 1-4 +0.8, -2.1, +0.9, +2.9; dense +1.9. The fall is weighed
    against the convention by its steepest step (from 0.6 mm per mm, fully from 0.9)."""
    reference = _measured("woman_tall_heavy", tmp_path_factory)
    noisy = _noisy_copy("woman_tall_heavy", 1, tmp_path, subdivide)
    assert reference.confidence["underbust_girth"] == pytest.approx(0.7)
    assert noisy.confidence["underbust_girth"] > 0.55  # (the fall counted)
    assert abs(noisy.measurements_mm["underbust_girth"] - reference.measurements_mm["underbust_girth"]) <= 4.0


def test_bust_points_of_a_front_without_prominence_hold_under_noise(tmp_path_factory, tmp_path):
    """man_older's front rises from under the armpit all the way down to his belly: no peak, so
    his bust points lie at the end of their search. 1 mm of scanner noise, smoothed, leaves bumps
    of about 1 mm on that front, and one beside the armpit passed for a peak: seed 4 put his bust
    points 56-58 mm higher (underbust +41.5 mm, neck to bust point -50.5; seeds 6-8 +18..+30 mm).
    The peak is now sought on the profile smoothed over 4 mm."""
    reference = _measured("man_older", tmp_path_factory)
    noisy = _noisy_copy("man_older", 4, tmp_path)
    for side in ("right", "left"):
        assert noisy.landmarks[f"bust_point_{side}"] == pytest.approx(reference.landmarks[f"bust_point_{side}"], abs=3.0)
    assert abs(noisy.measurements_mm["underbust_girth"] - reference.measurements_mm["underbust_girth"]) <= 4.0
    assert abs(noisy.measurements_mm["neck_to_bust_point"] - reference.measurements_mm["neck_to_bust_point"]) <= 5.0


def test_shin_section_reaching_the_small_ball_is_cut_again(tmp_path_factory, tmp_path):
    """A limb's section is cut first from a small ball about its station, and again from the full
    ball where its contour reaches the small one's rim. With 1 mm of noise (seed 8) man_heavy's
    shin 290 mm up reached 56 mm of the 70 mm ball, just inside the rim test, in open pieces: the
    largest read 260 mm where the ring reads 360, the slimmest station below the calf, and the
    ankle went 147 mm up to it (ankle girth +46.7 mm). The pieces were faces left out of the ball
    whose centroids lay outside it though they crossed the plane inside it: such faces are now
    taken (sections._rows_near; see test_shin_sections_of_long_faces_are_whole)."""
    reference = _measured("man_heavy", tmp_path_factory)
    noisy = _noisy_copy("man_heavy", 8, tmp_path)
    assert abs(noisy.measurements_mm["ankle_girth"] - reference.measurements_mm["ankle_girth"]) <= 2.0
    assert noisy.landmarks["ankle_right"][2] == pytest.approx(reference.landmarks["ankle_right"][2], abs=6.0)


def _booth_copy(name: str, folder, as_points: bool = False) -> object:
    """What a booth of three camera towers (0/120/240 degrees, tests/booth_scanner.py) sees of
    body NAME, as faces or (AS_POINTS) as 250k points on them (seed 2), measured."""
    import trimesh
    from booth_scanner import seen_by_booth

    vertices, faces = unseen_bodies.vertices_and_faces(name)
    seen = trimesh.Trimesh(vertices, faces[seen_by_booth(vertices, faces, 3, 0.0, (0.1, 0.35, 0.6, 0.85, 1.1))],
                           process=False)
    path = folder / f"{name}_booth3{'cloud' if as_points else ''}.ply"
    if as_points:
        trimesh.PointCloud(trimesh.sample.sample_surface(seen, 250_000, seed=2)[0]).export(str(path))
    else:
        seen.export(str(path))
    return measure_scan(path)

def test_shin_sections_of_long_faces_are_whole(tmp_path_factory, tmp_path):
    """A limb's section is cut from the faces near its station; a face was taken where its
    centroid lay within the ball, but man_older's shin faces run up to 60 mm along the leg, and
    one crossing the plane 58 mm from the axis can have its centroid 70 mm away: the section at
    224 mm came out with a piece missing, 9 mm short of its neighbours (clean), and with the
    faces a booth of three towers misses, 236 mm where the ring reads 281 (227-236 mm up): the
    slimmest station below the calf, where the ankle was read, 17.4 mm large. A face reaching
    the plane within the ball is now always taken (sections._rows_near)."""
    reference = _measured("man_older", tmp_path_factory)
    booth = _booth_copy("man_older", tmp_path)
    assert abs(booth.measurements_mm["ankle_girth"] - reference.measurements_mm["ankle_girth"]) <= 2.0
    for side in ("right", "left"):
        assert booth.landmarks[f"ankle_{side}"][2] == pytest.approx(reference.landmarks[f"ankle_{side}"][2], abs=6.0)


def test_underbust_wall_leaves_out_a_section_on_the_breast(tmp_path_factory, tmp_path):
    """The underbust is carried up a line through the chest wall's sections 4-14 mm below its
    level. What a booth of three towers delivers of woman_large_cup as points, meshed, puts the
    fold under her breast 1 mm lower than her mesh does: the highest wall section grazed the
    breast (649.7 mm against 638.8 a millimetre below) and the underbust read +11.3 mm. A section
    standing off the line of those below it is left out."""
    reference = _measured("woman_large_cup", tmp_path_factory)
    cloud = _booth_copy("woman_large_cup", tmp_path, as_points=True)
    assert abs(cloud.measurements_mm["underbust_girth"] - reference.measurements_mm["underbust_girth"]) <= 4.0


def test_hip_band_level_of_a_split_ring(tmp_path_factory, tmp_path):
    """The hip level is the centre of the levels whose girth lies within 2 % of the fullest. A
    booth of three towers misses woman_tall_heavy's inner thighs, and just above the crotch her
    trunk's ring came apart there: five levels read a piece of it, 332-348 mm short, fell out of
    the band, and the hip level rose 3.7 mm. A level so far under the band's median takes the
    girth of the levels about it."""
    reference = _measured("woman_tall_heavy", tmp_path_factory)
    booth = _booth_copy("woman_tall_heavy", tmp_path)
    assert abs(booth.measurements_mm["hip_height"] - reference.measurements_mm["hip_height"]) <= 2.0
    assert abs(booth.measurements_mm["hip_girth"] - reference.measurements_mm["hip_girth"]) <= 4.0
