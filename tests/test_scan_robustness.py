"""The same body, delivered the ways scanners deliver it, must measure the same; junk is refused."""

import math

import numpy as np
import pytest

from c2m_tailor.errors import BadInput
from c2m_tailor.scan import CANONICAL_NAMES, load_body, measure_scan

HEIGHTS_AND_SMALL = ["stature", "inside_leg_length", "hip_height", "neck_girth", "wrist_girth",
                     "upper_arm_girth", "elbow_girth", "knee_girth", "calf_girth", "ankle_girth"]
LARGE = ["chest_girth", "underbust_girth", "waist_girth", "hip_girth", "thigh_girth"]
LANDMARK_LENGTHS = ["shoulder_width", "arm_length", "shoulder_length", "bust_point_distance",
                    "neck_to_bust_point", "back_neck_to_waist", "front_neck_to_waist", "crotch_length"]


@pytest.fixture(scope="module")
def original(shared_data):
    import trimesh

    path = shared_data / "bodies" / "male_average.obj"
    mesh = trimesh.load(str(path), force="mesh", process=False)
    return mesh, measure_scan(path)


def _assert_same(result, reference, large_tol=4.0, small_tol=2.0, names_small=HEIGHTS_AND_SMALL,
                 known=()):
    """All within tolerance; a KNOWN gap (measured, reported) turns the test into an xfail."""
    problems = []
    for name in names_small:
        d = result.measurements_mm[name] - reference.measurements_mm[name]
        if abs(d) > small_tol:
            problems.append(f"{name} {d:+.1f}")
    for name in LARGE:
        d = result.measurements_mm[name] - reference.measurements_mm[name]
        if abs(d) > large_tol:
            problems.append(f"{name} {d:+.1f}")
    unknown = [p for p in problems if p.split()[0] not in known]
    assert not unknown, ", ".join(problems)
    if problems:
        pytest.xfail("known gap: " + ", ".join(problems))


def _export(mesh, path):
    mesh.export(str(path))
    return path


def _copy(mesh, vertices=None, faces=None):
    import trimesh

    return trimesh.Trimesh(mesh.vertices if vertices is None else vertices,
                           mesh.faces if faces is None else faces, process=False)


def test_rotated_about_vertical(original, tmp_path):
    mesh, ref = original
    a = math.radians(37.0)
    rot = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    result = measure_scan(_export(_copy(mesh, mesh.vertices @ rot.T), tmp_path / "rot.ply"))
    _assert_same(result, ref)


def test_rotated_about_vertical_changes_nothing(shared_data, tmp_path):
    """Every measurement, not only the bar's: the folds of across back and front once read a
    section's points as a polyline in the file's vertex order, which a rotation changes
    (male_plus_size at 37 degrees: across front -17.0 mm). Now 0.0 for all."""
    import trimesh

    path = shared_data / "bodies" / "male_plus_size.obj"
    mesh = trimesh.load(str(path), force="mesh", process=False)
    a = math.radians(37.0)
    rot = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    result, ref = measure_scan(_export(_copy(mesh, mesh.vertices @ rot.T), tmp_path / "rot.ply")), measure_scan(path)
    worst = max(ref.measurements_mm, key=lambda n: abs(result.measurements_mm[n] - ref.measurements_mm[n]))
    assert abs(result.measurements_mm[worst] - ref.measurements_mm[worst]) < 0.05, worst


def test_vertex_and_face_order_changes_nothing(original, tmp_path):
    """Another program's export of the same scan lists its vertices and faces in another order:
    surface samples drawn at random face by face moved shoulder width 1.4 mm (a lattice in each
    face now); section points were once read in the file's order (see above)."""
    mesh, ref = original
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(mesh.vertices))
    faces = np.argsort(perm)[mesh.faces][rng.permutation(len(mesh.faces))]
    result = measure_scan(_export(_copy(mesh, mesh.vertices[perm], faces), tmp_path / "shuffled.ply"))
    worst = max(ref.measurements_mm, key=lambda n: abs(result.measurements_mm[n] - ref.measurements_mm[n]))
    assert abs(result.measurements_mm[worst] - ref.measurements_mm[worst]) < 0.05, worst


def test_translated(original, tmp_path):
    mesh, ref = original
    result = measure_scan(_export(_copy(mesh, mesh.vertices + [12.5, -3.0, 4.2]), tmp_path / "moved.obj"))
    _assert_same(result, ref)


@pytest.mark.parametrize("unit,factor,ext", [("mm", 1000.0, "stl"), ("cm", 100.0, "ply"), ("inch", 1000.0 / 25.4, "off")])
def test_units_detected(original, tmp_path, unit, factor, ext):
    mesh, ref = original
    result = measure_scan(_export(_copy(mesh, mesh.vertices * factor), tmp_path / f"body_{unit}.{ext}"))
    assert result.detected_unit == unit
    _assert_same(result, ref)


def test_unit_override(original, tmp_path):
    mesh, ref = original
    path = _export(_copy(mesh, mesh.vertices * 100.0), tmp_path / "cm.ply")
    result = measure_scan(path, unit="cm")
    assert result.detected_unit == "cm"
    with pytest.raises(BadInput):
        measure_scan(path, unit="mm")  # a 17 m person is refused, not measured


def test_y_up_glb(original, tmp_path):
    mesh, ref = original
    v = mesh.vertices
    yup = np.column_stack([v[:, 0], v[:, 2], -v[:, 1]])
    result = measure_scan(_export(_copy(mesh, yup), tmp_path / "yup.glb"))
    assert result.detected_up_axis == "+Y"
    _assert_same(result, ref)


@pytest.mark.parametrize("degrees", [4.0, 20.0])
def test_tilted_off_vertical(original, tmp_path, degrees):
    """A handheld scan's frame can lean a few degrees: the soles' plane gives the vertical back.
    (Before, a lean under 8 degrees was taken as the file's axis: 5 degrees moved hip height and
    shoulder width by 27 mm.)"""
    import trimesh

    mesh, ref = original
    lean = trimesh.transformations.rotation_matrix(math.radians(degrees), [1.0, 0.4, 0.0])
    tilted = mesh.vertices @ lean[:3, :3].T
    result = measure_scan(_export(_copy(mesh, tilted), tmp_path / "tilted.ply"))
    assert result.detected_up_axis == "tilted"
    _assert_same(result, ref)
    for name in ("shoulder_width", "outside_leg_length", "crotch_length", "back_neck_to_waist"):
        assert abs(result.measurements_mm[name] - ref.measurements_mm[name]) <= 2.0, name


@pytest.mark.parametrize("degrees,axis", [(0.5, (1, 0, 0)), (-0.5, (1, 0, 0)), (0.5, (0, 1, 0)), (-0.5, (0, 1, 0))],
                         ids=["forward", "back", "left", "right"])
def test_leaning_half_a_degree(original, tmp_path, degrees, axis):
    """Nobody stands perfectly straight, and half a degree is under the 1-degree snap, so it is
    measured as it stands. The landmarks on gentle curves (bust points, acromion, armpit folds,
    the underbust fold, the neck base) used to jump with such a lean: shoulder width by 31 mm,
    underbust by 112 mm (from six bodies leaning 0.3-0.6 degrees). Lengths between landmarks
    must now hold within ISO 20685-1's 5 mm; the neck base, underbust and armhole within its 9 mm.
    (Not held yet: the across-back tape still moves by up to 10 mm.)"""
    import trimesh

    mesh, ref = original
    lean = trimesh.transformations.rotation_matrix(math.radians(degrees), axis)
    result = measure_scan(_export(_copy(mesh, mesh.vertices @ lean[:3, :3].T), tmp_path / "lean.ply"))
    problems = []
    for names, tol in ((LANDMARK_LENGTHS, 5.0), (("neck_base_girth", "underbust_girth", "armscye_girth"), 9.0)):
        for name in names:
            d = result.measurements_mm[name] - ref.measurements_mm[name]
            if abs(d) > tol:
                problems.append(f"{name} {d:+.1f}")
    assert not problems, ", ".join(problems)
    _assert_same(result, ref)


@pytest.mark.slow
@pytest.mark.parametrize("body", ["female_average", "female_curvy", "female_plus_size", "female_slim",
                                  "male_average", "male_plus_size"])
def test_no_landmark_jumps_when_leaning(shared_data, tmp_path, body):
    """Every shared body leaning 0.3, 0.6 and 0.95 degrees each way (under the 1 degree within
    which the file's axis is kept as the vertical): no measurement may jump. Before the landmarks
    were made to hold still, the worst moved 112 mm (underbust), 89 (neck to bust point), 62
    (armhole), 52 (arm length: the wrist on the hand at 0.8 degrees), 31 (shoulder width), 12.6
    (across back: its folds read off a polyline through the section's unordered points); now
    8.6 (arm length at 0.95), across front 8.2, armhole 6.6. 12 mm is the guard."""
    import trimesh

    path = shared_data / "bodies" / f"{body}.obj"
    mesh = trimesh.load(str(path), force="mesh", process=False)
    upright = measure_scan(path).measurements_mm
    jumps = []
    for degrees in (0.3, -0.3, 0.6, -0.6, 0.95, -0.95):
        for axis in ((1, 0, 0), (0, 1, 0)):
            lean = trimesh.transformations.rotation_matrix(math.radians(degrees), axis)
            result = measure_scan(_export(_copy(mesh, mesh.vertices @ lean[:3, :3].T), tmp_path / "lean.ply"))
            jumps += [f"{name} {result.measurements_mm[name] - value:+.1f} ({degrees} about {axis})"
                      for name, value in upright.items() if abs(result.measurements_mm[name] - value) > 12.0]
    assert not jumps, ", ".join(jumps)


@pytest.mark.parametrize("seed", [1, 2])
def test_noise_1mm(original, tmp_path, seed):
    """1 mm of noise on every vertex of the 13k-face body. The loader reads the noise and smooths
    the whole scan (scan/smoothing.py). Before that, only the neck, wrist and upper arm were
    smoothed, and 16 of 20 seeds missed the bar on male_average and on female_slim: hull girths
    rode the noise (ankle +1.2, elbow +1.2 on average) and the lowest sole vertex set the floor
    (stature +1.7 on average). Then 4 and 1 of 20 seeds missed (elbow +2.1..+2.3, upper arm +2.1
    on male_average; elbow +2.0 on female_slim); since the smoothing stops at the shape's own
    noise reading (4 pairs, not 5-6), 1 and 1: neck +2.2 (seed 8), hip height +2.7 (seed 14: the
    fullest-hip band is flat, see _measure_torso). bench/bench_scan_noise.py runs such seeds."""
    mesh, ref = original
    rng = np.random.default_rng(seed)
    noisy = mesh.vertices + rng.normal(0.0, 0.001, mesh.vertices.shape)
    result = measure_scan(_export(_copy(mesh, noisy), tmp_path / "noisy.ply"))
    assert any("scan noise of about 1.0 mm" in w for w in result.body.warnings)
    # male_average's chest has no fold under it: its underbust level is a fixed drop below the
    # bust points, which hold still. It was the corner of a front profile flat within 0.2 mm over
    # 30 mm of height, and 8 seeds moved it by +16..+55 mm (now +1.9..+3.8).
    assert ref.confidence["underbust_girth"] == 0.4
    assert abs(result.measurements_mm["underbust_girth"] - ref.measurements_mm["underbust_girth"]) <= 4.0
    _assert_same(result, ref)


def test_flat_chest_underbust_level_is_below_the_bust_points(original):
    """No fold under the bust: the underbust is taken 0.02 of stature below the bust points."""
    from c2m_tailor.scan.measuring import UNDERBUST_DROP_WITHOUT_FOLD

    _, ref = original
    bust_z = 0.5 * (ref.landmarks["bust_point_left"][2] + ref.landmarks["bust_point_right"][2])
    drop = UNDERBUST_DROP_WITHOUT_FOLD * ref.measurements_mm["stature"]
    assert ref.landmarks["underbust_front"][2] == pytest.approx(bust_z - drop, abs=1.0)


@pytest.mark.parametrize("body", ["male_average", "female_plus_size"])
def test_noise_1mm_on_a_dense_scan(shared_data, tmp_path, body):
    """What a scanner delivers: a dense mesh (0.44M faces) with 1 mm of noise. Before the loader
    smoothed noisy scans it missed the bar by far on every body tried (calf +4.5..+5.6, chest
    +5.6..+6.7, stature +2.4..+2.6 on male_average and female_slim); smoothed, but with the neck
    band smoothed as on a 13k-face mesh, female_plus_size's neck read +3.3 (then +0.2; -0.5 since
    a fine noisy scan's neck is cut from that band, test_neck_of_a_fine_noisy_scan)."""
    import trimesh

    path = shared_data / "bodies" / f"{body}.obj"
    mesh = trimesh.load(str(path), force="mesh", process=False)
    vertices, faces = trimesh.remesh.subdivide(*trimesh.remesh.subdivide(mesh.vertices, mesh.faces))
    noisy = vertices + np.random.default_rng(1).normal(0.0, 0.001, vertices.shape)
    result = measure_scan(_export(_copy(mesh, noisy, faces), tmp_path / "dense_noisy.ply"))
    _assert_same(result, measure_scan(path))


def test_neck_of_a_fine_noisy_scan(shared_data, tmp_path):
    """A smooth fine mesh (male_plus_size Loop-subdivided once: 110k faces, 2.4 mm edges) with
    1 mm of noise, against the same mesh clean. Its neck girth, cut from the surface as loaded,
    rode the noise the loader's smoothing leaves: +2.5 mm (the six bodies Loop-subdivided twice,
    seeds 1-4: +1.58 on average, 9 of 24 cases past the bar). On a noisy scan with edges under
    NECK_RESMOOTHED_BELOW_EDGE_MM it is cut from the neck band smoothed again: +1.8 here (0.98
    on average, none past the bar); the 13k-face bodies, 4-5 mm edges, keep the surface as loaded."""
    import trimesh

    from c2m_tailor.scan.measuring import NECK_RESMOOTHED_BELOW_EDGE_MM

    mesh = trimesh.load(str(shared_data / "bodies" / "male_plus_size.obj"), force="mesh", process=False)
    vertices, faces = trimesh.remesh.subdivide_loop(mesh.vertices, mesh.faces, iterations=1)
    noisy = vertices + np.random.default_rng(4).normal(0.0, 0.001, vertices.shape)
    clean = measure_scan(_export(_copy(mesh, vertices, faces), tmp_path / "fine.ply"))
    result = measure_scan(_export(_copy(mesh, noisy, faces), tmp_path / "fine_noisy.ply"))
    assert result.body.noise.pairs > 0 and result.body.noise.edge_mm < NECK_RESMOOTHED_BELOW_EDGE_MM
    assert abs(result.measurements_mm["neck_girth"] - clean.measurements_mm["neck_girth"]) <= 2.0


def test_neck_smoothing_band_is_the_whole_upper_body_smoothed_where_read(original, tmp_path):
    """The neck's Taubin smoothing runs over a band, not the whole upper body with the head (most
    of a dense scan's vertices): below the height it is exact to, its surface is the same."""
    from c2m_tailor.scan.measuring import _Scan, _smoothed_band, _SmoothedNeck

    mesh, _ = original
    rng = np.random.default_rng(1)
    noisy = mesh.vertices + rng.normal(0.0, 0.001, mesh.vertices.shape)
    scan = _Scan(load_body(_export(_copy(mesh, noisy), tmp_path / "noisy.ply")))
    z_from, exact_to = 0.75 * scan.H, 0.82 * scan.H
    whole = _smoothed_band(scan, z_from, np.inf)[0].vertices
    band = _smoothed_band(scan, z_from, exact_to)[0].vertices
    assert len(band) < 0.7 * len(whole)
    below = lambda points, z: points[points[:, 2] < z - 0.01 * scan.H]  # noqa: E731
    assert len(below(band, exact_to)) > 300
    assert np.array_equal(below(band, exact_to), below(whole, exact_to))
    unsmoothed = scan.v[(scan.v[:, 2] > z_from + 0.02 * scan.H) & (scan.v[:, 2] < exact_to - 0.02 * scan.H)]
    assert not np.isin(below(band, exact_to)[:, 0], unsmoothed[:, 0]).all()
    # read higher up (a leaning neck's sections), the band is smoothed again, taller
    neck = _SmoothedNeck(scan, z_from)
    low = neck.up_to(0.80 * scan.H).vertices
    high = neck.up_to(0.86 * scan.H).vertices
    assert len(low) < len(high) < len(whole)
    assert np.array_equal(below(high, 0.87 * scan.H), below(whole, 0.87 * scan.H))


def test_two_percent_faces_punched_out(original, tmp_path):
    mesh, ref = original
    rng = np.random.default_rng(2)
    keep = rng.random(len(mesh.faces)) >= 0.02
    result = measure_scan(_export(_copy(mesh, faces=mesh.faces[keep]), tmp_path / "holes.ply"))
    _assert_same(result, ref)


def test_head_ring_open_at_the_ears_is_one_head(original, tmp_path):
    """A scanner that does not see above the ears leaves them open: the head's ring at eye level
    falls into a front and a back arc across the same width. That is one head, not two (it was
    refused as "2 head sections")."""
    mesh, ref = original
    centres = mesh.triangles_center
    height = mesh.vertices[:, 2].max() - mesh.vertices[:, 2].min()
    z = centres[:, 2] - mesh.vertices[:, 2].min()
    head = (z > 0.9 * height) & (z < 0.97 * height)
    head_y = 0.5 * (centres[head, 1].min() + centres[head, 1].max())
    by_the_ears = head & (np.abs(centres[:, 0]) > 0.045) & (np.abs(centres[:, 1] - head_y) < 0.015)
    assert by_the_ears.sum() > 20
    result = measure_scan(_export(_copy(mesh, faces=mesh.faces[~by_the_ears]), tmp_path / "ears.ply"))
    _assert_same(result, ref)


def test_hole_under_one_arm(original, tmp_path):
    """A hole under one arm (a scanner sees nothing there) keeps that arm apart from the trunk
    above its armpit: here 36 mm. That armpit, its arm's ring open toward the trunk, is taken
    at the other's height; and the chest, the fullest ring below the armpits, is searched below
    the lower one. (Before: the chest read 145 mm large, a ring above the other armpit holding
    that arm; then the waist level rose with the armpit and the armhole read 29 mm small; the
    arm's axis through the open rings' centres tilted the upper arm's section, +7.2 mm.)"""
    mesh, ref = original
    armpit_x, _, armpit_z = ref.landmarks["armpit_left"]
    centres = mesh.triangles_center * 1000.0
    z = centres[:, 2] - mesh.vertices[:, 2].min() * 1000.0
    # (the file faces -Y: its x is the normalized frame's mirrored, so this is the right armpit)
    under_arm = (np.abs(centres[:, 0] - armpit_x) < 25.0) & (z > armpit_z - 10.0) & (z < armpit_z + 35.0)
    result = measure_scan(_export(_copy(mesh, faces=mesh.faces[~under_arm]), tmp_path / "armhole.ply"))
    assert result.landmarks["armpit_right"][2] == result.landmarks["armpit_left"][2] == ref.landmarks["armpit_left"][2]
    for name, tol in (("chest_girth", 4.0), ("waist_girth", 4.0), ("armscye_girth", 9.0), ("waist_height", 2.0),
                      ("upper_arm_girth", 2.0)):
        assert abs(result.measurements_mm[name] - ref.measurements_mm[name]) <= tol, name


def test_four_tower_booth_scan(original, tmp_path):
    """Only what a booth of four camera towers sees (tests/booth_scanner.py): the soles, the
    crotch, the armpits' insides and the undersides of chin and nose are missing, 15 % of the
    faces, and what is left has ragged edges (1,600 crumbs are dropped as debris)."""
    from booth_scanner import seen_by_booth

    mesh, ref = original
    seen = seen_by_booth(mesh.vertices, mesh.faces, 4, 45.0, (0.1, 0.35, 0.6, 0.85, 1.1))
    assert 0.1 < 1.0 - seen.mean() < 0.2
    result = measure_scan(_export(_copy(mesh, faces=mesh.faces[seen]), tmp_path / "booth.ply"))
    _assert_same(result, ref)


def test_a_value_not_found_is_said(shared_data, tmp_path):
    """What a booth of three towers delivers of male_plus_size as points: the folds beside the
    armpits that across back and across front are measured between are not on it. Those two
    were left out of the result without a word; now a warning names them."""
    import trimesh
    from booth_scanner import seen_by_booth

    mesh = trimesh.load(str(shared_data / "bodies" / "male_plus_size.obj"), force="mesh", process=False)
    seen = seen_by_booth(mesh.vertices, mesh.faces, 3, 0.0, (0.1, 0.35, 0.6, 0.85, 1.1))
    points = trimesh.sample.sample_surface(_copy(mesh, faces=mesh.faces[seen]), 250_000, seed=2)[0]
    path = tmp_path / "booth3cloud.ply"
    trimesh.PointCloud(points).export(str(path))
    result = measure_scan(path)
    missing = [name for name in CANONICAL_NAMES if name not in result.measurements_mm]
    assert missing == ["across_back_width", "across_front_width"]
    assert [w for w in result.warnings if w.startswith("not measured")] == [
        "not measured, nothing to measure on the scan: across_back_width, across_front_width; take them by tape"]


def test_open_soles_keep_the_vertical(original, tmp_path):
    """Without its soles (every face turned down in the lowest 25 mm: as a booth, which never
    sees them, leaves a scan) the soles' plane rests on the hole's uneven rim: it was 1.6
    degrees off, hip height read -11.7 mm and the neck base +7.1 mm. Open soles are known, their
    plane is trusted only to 2 degrees, and the file's axis is the vertical. Every height then
    counts from the rim, a few millimetres up: reported, and the same offset for every height."""
    mesh, ref = original
    down = (mesh.face_normals[:, 2] < -0.5) & (mesh.triangles_center[:, 2] < mesh.vertices[:, 2].min() + 0.025)
    result = measure_scan(_export(_copy(mesh, faces=mesh.faces[~down]), tmp_path / "soles.ply"))
    assert result.detected_up_axis == "+Z"
    assert any("soles are missing" in w for w in result.warnings)
    offset = result.measurements_mm["stature"] - ref.measurements_mm["stature"]
    assert -8.0 < offset < 0.0
    for name in ("inside_leg_length", "hip_height", "waist_height"):
        assert abs(result.measurements_mm[name] - ref.measurements_mm[name] - offset) <= 2.0, name
    _assert_same(result, ref, names_small=[n for n in HEIGHTS_AND_SMALL if n not in
                                            ("stature", "inside_leg_length", "hip_height")])


def test_three_tower_booth_limb_girths_across_holes(original, tmp_path):
    """Three camera towers (0/120/240 degrees) leave holes in the limbs' rings, the inner thigh's
    and the calf's among them: a hull runs straight across them (calf -2.3 mm, thigh -3.1). The
    reported girths of round limbs follow the ring across its hole (sections.ring_across_hole)."""
    from booth_scanner import seen_by_booth

    mesh, ref = original
    seen = seen_by_booth(mesh.vertices, mesh.faces, 3, 0.0, (0.1, 0.35, 0.6, 0.85, 1.1))
    result = measure_scan(_export(_copy(mesh, faces=mesh.faces[seen]), tmp_path / "booth3.ply"))
    for name, tol in (("upper_arm_girth", 2.0), ("elbow_girth", 2.0), ("knee_girth", 2.0), ("calf_girth", 2.0),
                      ("thigh_girth", 4.0)):
        assert abs(result.measurements_mm[name] - ref.measurements_mm[name]) <= tol, name


def test_open_crown_is_reported(original, tmp_path):
    """A scan missing the top of the head (hair) is measured, with stature flagged as short: its
    highest point is then a hole's rim. Without the crown's top 2 %, male_average reads stature
    23.8 mm short; every other measurement holds the bar."""
    mesh, ref = original
    v, f = mesh.vertices, mesh.faces
    centres = v[f].mean(axis=1)
    crown = centres[:, 2] > v[:, 2].min() + 0.98 * np.ptp(v[:, 2])
    result = measure_scan(_export(_copy(mesh, faces=f[~crown]), tmp_path / "no_crown.ply"))
    assert any("top of the head is missing" in w for w in result.warnings)
    assert result.confidence["stature"] < 0.5
    assert 15.0 < ref.measurements_mm["stature"] - result.measurements_mm["stature"] < 35.0
    assert not any("top of the head" in w for w in ref.warnings)
    _assert_same(result, ref, names_small=[n for n in HEIGHTS_AND_SMALL if n != "stature"])


@pytest.mark.parametrize("cut_mm,tilt_deg", [(10.0, 0.0), (3.0, 3.0)])
def test_feet_cut_flat_is_reported(original, tmp_path, cut_mm, tilt_deg):
    """A floor plate cut away with a plane CUT_MM above the floor takes the soles with it (here
    on a scan tilted TILT_DEG, which the cut's outline still stands up): every height counts from
    the cut, short by CUT_MM, and the job says so, with less confidence in those heights. The
    girths hold the bar; an intact scan gets no such warning."""
    import trimesh

    from c2m_tailor.scan.measuring import FLOOR_CUT_CONFIDENCE

    mesh, ref = original
    cut = trimesh.intersections.slice_mesh_plane(mesh, plane_normal=[0.0, 0.0, 1.0], cap=False,
                                                 plane_origin=[0.0, 0.0, mesh.vertices[:, 2].min() + cut_mm / 1000.0])
    tilt = trimesh.transformations.rotation_matrix(math.radians(tilt_deg), [1.0, 0.3, 0.0])[:3, :3]
    result = measure_scan(_export(_copy(cut, cut.vertices @ tilt.T), tmp_path / "cut.ply"))
    assert any("cut flat under the feet" in w for w in result.warnings)
    assert not any("cut flat" in w for w in ref.warnings)
    for name in ("stature", "waist_height", "hip_height", "inside_leg_length"):
        assert abs(ref.measurements_mm[name] - result.measurements_mm[name] - cut_mm) < 2.0, name
        assert result.confidence[name] == pytest.approx(ref.confidence[name] * FLOOR_CUT_CONFIDENCE)
    _assert_same(result, ref, names_small=[n for n in HEIGHTS_AND_SMALL if n not in
                                           ("stature", "inside_leg_length", "hip_height")])


@pytest.mark.parametrize("side_m", [2.0])
def test_point_cloud_standing_on_its_floor(original, tmp_path, side_m):
    """A scanner's cloud with the floor still in it (a SIDE_M square of points, as dense as the
    body's, 0.5 mm under the soles): the floor meshes with the feet, so no debris step can drop
    it. Its spread along the floor outweighed the body's height: the long axis lay along the
    floor and the cloud was refused as "not one standing person" (3 leg sections). The floor is
    now found (it holds 69 % of the surface) and sets the vertical, with a warning; the heights
    count from it and the cloud holds the bar. It is no cut under the feet: its holes leave rim on the floor,
    but it lies flat over far more than two soles."""
    import trimesh

    from c2m_tailor.scan.loading import _floor, _weighted_samples

    mesh, ref = original
    assert _floor(*_weighted_samples(mesh.vertices, mesh.faces), mesh.vertices, mesh.faces) is None
    points, _ = trimesh.sample.sample_surface(mesh, 250_000, seed=2)
    rng = np.random.default_rng(0)
    count = int(250_000 / mesh.area * side_m * side_m)
    centre = mesh.vertices.mean(axis=0)
    floor = np.column_stack([centre[:2] + (rng.random((count, 2)) - 0.5) * side_m,
                             np.full(count, mesh.vertices[:, 2].min() - 0.0005)])
    path = tmp_path / "cloud_on_floor.ply"
    trimesh.PointCloud(np.vstack([points, floor])).export(str(path))
    result = measure_scan(path)
    assert (result.detected_up_axis, result.detected_facing) == (ref.detected_up_axis, ref.detected_facing)
    assert not any("cut flat" in w for w in result.warnings)
    assert result.body.floor and not ref.body.floor
    assert any("is in the scan, joined to the feet" in w for w in result.warnings)
    _assert_same(result, ref)


def test_point_cloud_standing_on_a_turntable(original, tmp_path):
    """A raw cloud of a person on a turntable (0.9 m across, 80 mm tall) meshed with the feet:
    every height counted from its underside (stature +80.4, calf +152 mm, and a traceback from
    the ankle search). Its top is the floor, the plane nearest the body: the cloud holds the bar.
    And it faces the right way: the turntable's side and underside, left in the points the body
    was oriented by, stood for the feet and its rim for the toes, and the body was turned round
    (front and back swapped: shoulder width +96.9 mm, across back +51.9, underbust +31.8)."""
    import trimesh

    mesh, ref = original
    points, _ = trimesh.sample.sample_surface(mesh, 250_000, seed=2)
    centre, low = mesh.vertices.mean(axis=0), mesh.vertices[:, 2].min()
    table = trimesh.creation.cylinder(radius=0.45, height=0.08, sections=128)
    table.apply_translation([centre[0], centre[1], low - 0.0005 - 0.04])
    table_points, _ = trimesh.sample.sample_surface(table, int(250_000 / mesh.area * table.area), seed=3)
    path = tmp_path / "turntable.ply"
    trimesh.PointCloud(np.vstack([points, table_points])).export(str(path))
    result = measure_scan(path)
    assert result.body.floor
    assert result.detected_facing == ref.detected_facing == "-Y"
    _assert_same(result, ref)
    for name in LANDMARK_LENGTHS + ["across_back_width", "across_front_width"]:
        assert abs(result.measurements_mm[name] - ref.measurements_mm[name]) <= 5.0, name


def test_room_scan_is_refused_with_a_crop_hint(original, tmp_path):
    """A raw cloud of the room: a 2 m wall 0.3 m behind the person, joined to the feet through a
    2 m floor. The wall is the largest plane and was taken for the floor; the scan is refused,
    saying what to do (crop it to the person), not only that it is no standing person."""
    import trimesh

    mesh, _ = original
    points, _ = trimesh.sample.sample_surface(mesh, 250_000, seed=2)
    rng = np.random.default_rng(0)
    count = int(250_000 / mesh.area * 4.0)
    centre, low = mesh.vertices.mean(axis=0), mesh.vertices[:, 2].min()
    floor = np.column_stack([centre[:2] + (rng.random((count, 2)) - 0.5) * 2.0, np.full(count, low - 0.0005)])
    wall = np.column_stack([centre[0] + (rng.random(count) - 0.5) * 2.0,
                            np.full(count, mesh.vertices[:, 1].max() + 0.3), low + rng.random(count) * 2.0])
    path = tmp_path / "room.ply"
    trimesh.PointCloud(np.vstack([points, wall, floor])).export(str(path))
    with pytest.raises(BadInput, match="not one standing person .*crop the scan to the person"):
        measure_scan(path)


def test_on_floor_plate(original, tmp_path):
    import trimesh

    mesh, ref = original
    plate = trimesh.creation.box(extents=[1.2, 1.2, 0.02])
    plate = _subdivided(plate, 5)  # a dense turntable: as many points as a body part
    plate.apply_translation([0, 0, -0.011])
    combined = trimesh.util.concatenate([_copy(mesh), plate])
    result = measure_scan(_export(combined, tmp_path / "plate.ply"))
    assert any("plate" in w for w in result.warnings)
    _assert_same(result, ref)


def _subdivided(mesh, times):
    import trimesh

    v, f = mesh.vertices, mesh.faces
    for _ in range(times):
        v, f = trimesh.remesh.subdivide(v, f)
    return _copy(mesh, v, f)


def test_subdivided_400k_faces(original, tmp_path):
    mesh, ref = original
    dense = _subdivided(mesh, 2)
    assert len(dense.faces) > 400_000
    _assert_same(measure_scan(_export(dense, tmp_path / "dense.ply")), ref)


def _half_subdivided(mesh):
    """Every other face split in four: the faces beside them are not, so each such pair meets
    at a T-junction (a crack: the split edge's midpoint is no corner of the face beside it)."""
    import trimesh

    v, f = trimesh.remesh.subdivide(mesh.vertices, mesh.faces, face_index=np.arange(0, len(mesh.faces), 2))
    return _copy(mesh, v, f)


@pytest.mark.slow
@pytest.mark.parametrize("body", ["male_average", "female_average", "female_curvy", "female_plus_size",
                                  "female_slim", "male_plus_size"])
def test_subdivided_to_about_a_million_faces(shared_data, tmp_path, body):
    """Measured before T-junction cracks were closed: male_average held, the five others read
    neck +12..+23 mm (female_curvy: no armpits found); now all hold the bar."""
    import trimesh

    path = shared_data / "bodies" / f"{body}.obj"
    mesh = trimesh.load(str(path), force="mesh", process=False)
    dense = _half_subdivided(_subdivided(mesh, 2))
    assert len(dense.faces) > 1_000_000
    _assert_same(measure_scan(_export(dense, tmp_path / "million.ply")), measure_scan(path))


def test_t_junction_cracks_are_closed(original, tmp_path):
    """The loader closes every hole of three edges: here the crack of each T-junction."""
    from c2m_tailor.scan.sections import Surface

    mesh, _ = original
    cracked = _half_subdivided(mesh)
    assert Surface.from_mesh(cracked.vertices, cracked.faces).boundary.sum() > 10_000
    body = load_body(_export(cracked, tmp_path / "cracked.ply"))
    assert Surface.from_mesh(body.vertices, body.faces).boundary.sum() == 0


@pytest.mark.parametrize("spread,seed", [("even", 3), ("random", 2)])
def test_bare_point_cloud(original, tmp_path, spread, seed):
    """A bare cloud of 250k points, evenly spread or at random. A scanner's cloud is uneven
    (overlapping views, varying distance): randomly spread points clump, leaving gaps of 5-10 mm
    along a section as wide as the gap between an arm and the trunk. It was refused ("not one
    standing person") while joined by nearness; every cloud is now measured as the mesh over
    its points (scan/cloud.py). (A 500k cloud and the other bodies: bench/bench_scan_robustness.py.)"""
    import trimesh

    mesh, ref = original
    sample = trimesh.sample.sample_surface_even if spread == "even" else trimesh.sample.sample_surface
    points, _ = sample(mesh, 250_000, seed=seed)
    path = tmp_path / f"{spread}_cloud.ply"
    trimesh.PointCloud(points).export(str(path))
    _assert_same(measure_scan(path), ref)


def test_ascii_point_cloud_with_commas_header_and_normals(original, tmp_path):
    """The random 250k cloud as CloudCompare exports it: a header line, then x,y,z,nx,ny,nz with
    commas. trimesh refused it ("not enough columns in xyz file!"); it is read as its points,
    to the last bit, and measured like the same cloud as PLY."""
    import trimesh

    from c2m_tailor.scan.loading import _read

    mesh, ref = original
    points, faces = trimesh.sample.sample_surface(mesh, 250_000, seed=2)
    path = tmp_path / "cloud.xyz"
    with open(path, "w") as out:
        out.write("//X,Y,Z,Nx,Ny,Nz\n")
        np.savetxt(out, np.column_stack([points, mesh.face_normals[faces]]), fmt="%.17g", delimiter=",")
    assert np.array_equal(_read(path)[0], points)
    _assert_same(measure_scan(path), ref)


def test_plus_size_point_cloud_keeps_arm_and_trunk_apart(shared_data, tmp_path):
    """female_plus_size's arms hang a few millimetres from its trunk: the random 250k cloud's
    mesh joined them under the arm, so the armpit read 8 mm low and the waist level with it
    (waist +6.8 mm, across front +28). Faces lying across the surface are now dropped
    (scan/cloud.py, _along_surface): waist +2.0, across front +6.6 (measured)."""
    cloud, ref = _random_cloud_of(shared_data, tmp_path, "female_plus_size")
    got = measure_scan(cloud)
    _assert_same(got, ref)
    assert abs(got.measurements_mm["across_front_width"] - ref.measurements_mm["across_front_width"]) < 10.0


def test_plus_size_point_cloud_arm_girths(shared_data, tmp_path):
    """male_plus_size's arm lies within 1 mm of its trunk over the 10 mm below the armpit: a random
    250k cloud's mesh joins them there, and the armpit reads 6-8 mm low. Its arm's axis ran
    through the means of its sections' points, which crowd where the cloud's mesh is fine: the
    axis wandered, tilting the perpendicular sections (upper arm -2.3 mm, elbow -1.9; even and
    500k clouds elbow -2.4/-2.6). Through the centres of the sections' hulls (sections.hull_centroid):
    upper arm -1.7, elbow -1.3 (measured)."""
    cloud, ref = _random_cloud_of(shared_data, tmp_path, "male_plus_size")
    _assert_same(measure_scan(cloud), ref)


def test_arm_followed_past_a_gap_below_the_armpit(shared_data, tmp_path):
    """female_plus_size as a random 250k cloud, seed 1: just below the right armpit the cloud's
    mesh joins arm and trunk again for a level, parts them, joins them for another, and only
    then lets the arm hang apart. The arm's chain ended at the first gap and the scan was
    refused ("could not follow an arm below the armpit"); it now starts again below such a gap
    (measured: upper arm -0.7, elbow +0.5 against the mesh, the bar held)."""
    cloud, ref = _random_cloud_of(shared_data, tmp_path, "female_plus_size", seed=1)
    _assert_same(measure_scan(cloud), ref)


def test_plus_size_cloud_waist_level_where_the_gap_under_the_arm_closes(shared_data, tmp_path):
    """female_plus_size's arm hangs a few millimetres from its trunk, and a random 250k cloud's
    mesh bridges the last 2-3 mm of that gap: seed 3's armpits read 6-8 mm low (1203/1205 mm
    against 1211), and the waist level, set from the armpits, read its girth +5.9 mm (seeds 4
    and 5: +4.9, +5.3). The waist now takes each armpit where the gap under the arm, narrowing
    upwards, closes (measuring._gap_closing): +1.8."""
    cloud, ref = _random_cloud_of(shared_data, tmp_path, "female_plus_size", seed=3)
    got = measure_scan(cloud)
    _assert_same(got, ref)
    assert got.landmarks["armpit_right"][2] < ref.landmarks["armpit_right"][2] - 4.0  # (still bridged)


def _random_cloud_of(shared_data, tmp_path, body: str, seed: int = 2):
    """A shared BODY's randomly spread 250k-point cloud (SEED) written as a PLY, and what the
    body's own mesh measures."""
    import trimesh

    path = shared_data / "bodies" / f"{body}.obj"
    mesh = trimesh.load(str(path), force="mesh", process=False)
    points, _ = trimesh.sample.sample_surface(mesh, 250_000, seed=seed)
    cloud = tmp_path / f"{body}_cloud.ply"
    trimesh.PointCloud(points).export(str(cloud))
    return cloud, measure_scan(path)


def test_noisy_point_cloud(original, tmp_path):
    """A scanner's raw points scatter about the skin: the random cloud above with 1 mm noise.
    The tape's hull rode the outermost points: girths read +4.2..+11.9 mm (waist), stature +4.0
    (and at 0.5 mm noise waist +5.6), no body of the six held the bar. The points are now
    settled onto the surface their neighbours describe before meshing (scan/cloud.py)."""
    import trimesh

    mesh, ref = original
    points, _ = trimesh.sample.sample_surface(mesh, 250_000, seed=2)
    points = points + np.random.default_rng(5).normal(0.0, 0.001, points.shape)
    path = tmp_path / "noisy_cloud.ply"
    trimesh.PointCloud(points).export(str(path))
    _assert_same(measure_scan(path), ref)


def test_point_cloud_too_sparse_is_refused_with_a_reason(tmp_path):
    import trimesh

    points = np.random.default_rng(0).random((60, 3)) * [0.4, 0.3, 1.7]
    path = tmp_path / "sparse.xyz"
    trimesh.PointCloud(points).export(str(path))
    with pytest.raises(BadInput, match="sparse|person|body"):
        measure_scan(path)


@pytest.mark.parametrize("name,unit,up", [("variants_male_average_mm.stl", "mm", "+Z"),
                                          ("variants_male_average_yup_m.ply", "m", "+Y")])
def test_shared_variants(shared_data, original, name, unit, up):
    _, ref = original
    result = measure_scan(shared_data / "bodies" / name)
    assert (result.detected_unit, result.detected_up_axis) == (unit, up)
    _assert_same(result, ref)


def test_makehuman_base_mesh_in_decimetres(shared_data):
    result = measure_scan(shared_data / "bodies" / "makehuman_base_body_only_dm.obj")
    assert result.detected_unit == "dm"
    assert result.detected_up_axis == "+Y"
    assert 1500 < result.measurements_mm["stature"] < 1800
    assert len(result.measurements_mm) >= 24


# -- rejections ---------------------------------------------------------------------------

def test_rejects_cube(tmp_path):
    import trimesh

    path = tmp_path / "cube.stl"
    trimesh.creation.box(extents=[1.0, 1.0, 1.7]).export(str(path))
    with pytest.raises(BadInput, match="not one standing person|flat|body"):
        measure_scan(path)


def _arms_raised(vertices, landmarks, degrees):
    """VERTICES (mm, body frame) of an A-posed body with both arms raised DEGREES: each arm
    (outside a cut through the armpit up to the acromion, above a line 60 degrees down the gap
    under it) turns about a point inside its acromion, blended over 40 mm of the cut so the skin
    over the shoulder stays whole."""
    v = vertices.copy()
    for tag, side in (("right", 1), ("left", -1)):
        armpit = np.array(landmarks[f"armpit_{tag}"])
        acromion = np.array(landmarks[f"acromion_{tag}"])
        joint = acromion - [side * 40.0, 0.0, 45.0]
        rel = v - armpit
        up = acromion - armpit
        shoulder_cut = np.array([up[2], 0.0, -up[0]]) * side
        outside = rel @ (shoulder_cut / np.linalg.norm(shoulder_cut))
        above_gap = rel @ np.array([side * math.sin(math.radians(60)), 0.0, math.cos(math.radians(60))])
        s = np.clip(outside / 40.0, 0.0, 1.0)
        angle = np.radians(degrees) * side * np.where(above_gap > 0, s * s * (3 - 2 * s), 0.0)
        x, z = v[:, 0] - joint[0], v[:, 2] - joint[2]
        v[:, 0] = joint[0] + np.cos(angle) * x - np.sin(angle) * z
        v[:, 2] = joint[2] + np.sin(angle) * x + np.cos(angle) * z
    return v


POSE_DEPENDENT = ["shoulder_width", "shoulder_length", "arm_length", "armscye_girth", "across_back_width",
                  "across_front_width", "upper_arm_girth"]


@pytest.mark.parametrize("degrees", [45.0, 20.0])
def test_raised_arms(shared_data, original, tmp_path, degrees):
    """male_average's arms raised 45 degrees (a T-pose) or 20: the arms are followed across
    instead of down. Before, the T-pose read the chest 1.4 m too large and 20 degrees put the
    elbow on the hand. Now the trunk, legs and head hold the robustness bar (measured: the
    T-pose moved none of them more than 0.6 mm), neck and forearm girths hold 4 mm (+2.6,
    -3.7), and the values a raised arm changes (the shoulder blade turns, the skin over the
    shoulder stretches: 1-42 mm here) come with a warning and less confidence."""
    import trimesh

    _, ref = original
    body = load_body(shared_data / "bodies" / "male_average.obj")
    path = _export(trimesh.Trimesh(_arms_raised(body.vertices, ref.landmarks, degrees), body.faces, process=False),
                   tmp_path / "raised.ply")
    result = measure_scan(path)
    _assert_same(result, ref, names_small=[n for n in HEIGHTS_AND_SMALL
                                           if n not in ("neck_girth", "elbow_girth", "upper_arm_girth")])
    for name in ("neck_girth", "elbow_girth", "wrist_girth"):
        assert abs(result.measurements_mm[name] - ref.measurements_mm[name]) <= 4.0, name
    for name in POSE_DEPENDENT:
        assert abs(result.measurements_mm[name] - ref.measurements_mm[name]) <= 45.0, name
        assert result.confidence[name] < ref.confidence[name], name
    assert any("arms are raised" in w for w in result.warnings)
    assert abs(result.landmarks["armpit_right"][2] - ref.landmarks["armpit_right"][2]) <= 4.0


def test_rejects_two_people(original, tmp_path):
    import trimesh

    mesh, _ = original
    other = _copy(mesh, mesh.vertices + [1.4, 0.0, 0.0])
    path = _export(trimesh.util.concatenate([_copy(mesh), other]), tmp_path / "two.ply")
    with pytest.raises(BadInput, match="one person"):
        measure_scan(path)


def test_rejects_empty_file(tmp_path):
    path = tmp_path / "empty.obj"
    path.write_bytes(b"")
    with pytest.raises(BadInput, match="empty"):
        load_body(path)


def test_rejects_a_file_of_one_point_saying_so(tmp_path):
    """A cloud whose first line is not a point (a header to a reader) and one point after it."""
    path = tmp_path / "one.xyz"
    path.write_text("1 2 x\n3 4 5\n")
    with pytest.raises(BadInput, match=r"has only 1 point, too few for a body scan$"):
        load_body(path)


def test_rejects_nan(tmp_path):
    path = tmp_path / "nan.obj"
    lines = [f"v {i * 0.01} {i * 0.02} {'nan' if i == 5 else i * 0.003}" for i in range(400)]
    lines += [f"f {i + 1} {i + 2} {i + 3}" for i in range(397)]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(BadInput, match="NaN"):
        load_body(path)


@pytest.mark.parametrize("ext", ["ply", "stl"])
def test_rejects_truncated_binary(original, tmp_path, ext):
    mesh, _ = original
    full = _export(_copy(mesh), tmp_path / f"full.{ext}")
    data = full.read_bytes()
    cut = tmp_path / f"cut.{ext}"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInput):
        measure_scan(cut)


def test_rejects_arms_fused_to_torso(original, tmp_path):
    mesh, _ = original
    v = mesh.vertices.copy()
    # Press the arms against the sides: pull everything outside the torso inwards.
    arm = (np.abs(v[:, 0]) > 0.17) & (v[:, 2] > 0.45)
    v[arm, 0] = np.sign(v[arm, 0]) * (0.10 + 0.08 * (np.abs(v[arm, 0]) - 0.17))
    path = _export(_copy(mesh, v), tmp_path / "fused.ply")
    with pytest.raises(BadInput, match="A-pose"):
        measure_scan(path)


def test_bust_point_where_a_booth_missed_the_breast_underside(shared_data, tmp_path):
    """Three camera towers (0/120/240 degrees) miss the underside of female_plus_size's left
    breast: a dozen levels of her front there have no point in the bust's column, and the
    column's foremost point was on her back, 270 mm behind, which read as the breast's fall 24 mm
    above the apex: that bust point sat 18 mm high and neck to bust point read -11.9 mm. The
    column keeps to the ring's front half."""
    import trimesh
    from booth_scanner import seen_by_booth

    path = shared_data / "bodies" / "female_plus_size.obj"
    mesh = trimesh.load(str(path), force="mesh", process=False)
    ref = measure_scan(path)
    seen = seen_by_booth(mesh.vertices, mesh.faces, 3, 0.0, (0.1, 0.35, 0.6, 0.85, 1.1))
    result = measure_scan(_export(_copy(mesh, faces=mesh.faces[seen]), tmp_path / "booth3.ply"))
    for side in ("right", "left"):
        assert result.landmarks[f"bust_point_{side}"] == pytest.approx(ref.landmarks[f"bust_point_{side}"], abs=2.0)
    assert abs(result.measurements_mm["neck_to_bust_point"] - ref.measurements_mm["neck_to_bust_point"]) <= 2.0
    assert abs(result.measurements_mm["underbust_girth"] - ref.measurements_mm["underbust_girth"]) <= 4.0


def test_across_front_over_a_hole_is_left_out(shared_data, tmp_path):
    """A booth whose three towers stand at 30, 150 and 270 degrees has none facing the chest:
    female_plus_size's front is missing over 117 degrees at the across widths' level, and the
    across front ran straight across the hole, 61.7 mm short. It is left out and said so; the
    across back, on surface the booth saw, is read as before."""
    import trimesh
    from booth_scanner import seen_by_booth

    path = shared_data / "bodies" / "female_plus_size.obj"
    mesh = trimesh.load(str(path), force="mesh", process=False)
    ref = measure_scan(path)
    seen = seen_by_booth(mesh.vertices, mesh.faces, 3, 30.0, (0.1, 0.35, 0.6, 0.85, 1.1))
    result = measure_scan(_export(_copy(mesh, faces=mesh.faces[seen]), tmp_path / "booth3a30.ply"))
    assert "across_front_width" not in result.measurements_mm
    assert "not measured, nothing to measure on the scan: across_front_width; take it by tape" in result.warnings
    assert abs(result.measurements_mm["across_back_width"] - ref.measurements_mm["across_back_width"]) <= 2.0


def test_lengths_to_the_waist_follow_it_smoothly(shared_data, monkeypatch):
    """The crotch length and the neck-to-waist lengths end at the waist level itself, not on the
    sweep level nearest it: the same body with its waist 0.1 mm either side of halfway between
    two levels reads them within 1 mm (measured: crotch length +0.45 mm, the others -0.2). (Ending
    on the nearest level, the waist 0.2 mm higher added a level to each profile: male_average
    +4.1 mm of crotch length, -2.0 of both neck-to-waist lengths; 1 mm of scanner noise moved the crotch length 1.77 mm on average over 18 bodies x 8
    seeds, 1.39 now.)"""
    import c2m_tailor.scan.measuring as measuring

    lengths = ("crotch_length", "back_neck_to_waist", "front_neck_to_waist")
    read = {}
    measure_lengths = measuring._measure_lengths

    def twice(scan, crotch_z, armpit_z):
        k = scan.level_of(scan.waist_z)
        halfway = 0.5 * (scan.levels[k] + scan.levels[k + 1])
        for shift in (-0.1, 0.1):
            scan.waist_z = float(halfway + shift)
            measure_lengths(scan, crotch_z, armpit_z)
            read[shift] = {name: scan.m[name] for name in lengths}

    monkeypatch.setattr(measuring, "_measure_lengths", twice)
    measure_scan(shared_data / "bodies" / "male_average.obj")
    for name in lengths:
        assert abs(read[0.1][name] - read[-0.1][name]) < 1.0, (name, read)
