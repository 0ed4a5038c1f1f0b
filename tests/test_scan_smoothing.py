"""The loader's noise reading and smoothing (scan/smoothing.py) on the shared bodies."""

import numpy as np
import pytest

from c2m_tailor.scan import smoothing


@pytest.fixture(scope="module")
def body_mesh(shared_data):
    import trimesh

    mesh = trimesh.load(str(shared_data / "bodies" / "female_slim.obj"), force="mesh", process=False)
    return mesh.vertices * 1000.0, np.asarray(mesh.faces)  # mm, Z up, feet near z = 0


def _across(vertices, faces):
    """How far points lie from the clean skin VERTICES, measured across it: rms along its normals."""
    import trimesh

    normals = trimesh.Trimesh(vertices, faces, process=False).vertex_normals
    return lambda points: float(np.sqrt(np.mean(np.sum((points - vertices) * normals, axis=1) ** 2)))


def test_a_clean_body_reads_below_the_noise_threshold_and_is_left_as_it_is(body_mesh):
    vertices, faces = body_mesh
    smoothed = vertices.copy()
    check = smoothing.remove_noise(smoothed, faces)
    # measured on the six shared bodies: 0.054-0.056 (and 0.046 on the MakeHuman base mesh)
    assert 0.03 < check.reading_mm < 0.7 * smoothing.NOISY_MM
    assert not check.noisy and check.pairs == 0 and np.array_equal(smoothed, vertices)


@pytest.mark.parametrize("sigma_mm", [0.5, 1.0, 2.0])
def test_the_reading_follows_the_noise_and_smoothing_takes_it_back_out(body_mesh, sigma_mm):
    vertices, faces = body_mesh
    noisy = vertices + np.random.default_rng(4).normal(0.0, sigma_mm, vertices.shape)
    smoothed = noisy.copy()
    check = smoothing.remove_noise(smoothed, faces)
    # the reading is about 0.29 x the noise over the clean body's 0.055 (measured: 0.16 / 0.28 at 0.5 / 1 mm)
    assert check.noise_mm == pytest.approx(sigma_mm, rel=0.2)
    assert check.noisy and 0 < check.pairs <= smoothing.MAX_PAIRS
    # the smoothed skin lies nearer the clean one than the noisy skin did, measured across it (rms
    # along the clean normals; measured 0.50 -> 0.43, 1.00 -> 0.63, 2.00 -> 1.01 mm: on this coarse
    # mesh the smoothing also rounds the clean shape by a few tenths)
    across = _across(vertices, faces)
    assert across(smoothed) < (0.95 if sigma_mm < 1.0 else 0.7) * across(noisy)


def test_smoothing_stops_at_what_the_clean_shape_reads(body_mesh):
    """A clean body reads about SHAPE_READING_PER_EDGE per mm of its edges from its shape alone;
    smoothing a noisy copy stops once it reads that, not on down to SMOOTH_TO_MM: pairs past it
    take out shape, not noise. With 1 mm of noise: 4 pairs, the skin 0.63 mm rms from the clean
    one; on to SMOOTH_TO_MM, 6 pairs, 0.65 (0.5 mm of noise: 3 pairs, 0.43; 4 pairs, 0.47)."""
    vertices, faces = body_mesh
    noisy = vertices + np.random.default_rng(4).normal(0.0, 1.0, vertices.shape)
    smoothed = noisy.copy()
    check = smoothing.remove_noise(smoothed, faces)
    clean_reading = smoothing.remove_noise(vertices.copy(), faces).reading_mm
    # (measured: 0.055 against 0.012 x 4.83 mm = 0.058; 0.0115-0.0129 per mm on 18 Anny bodies)
    assert clean_reading == pytest.approx(smoothing.SHAPE_READING_PER_EDGE * check.edge_mm, rel=0.1)
    assert check.pairs == 4
    n = len(vertices)
    further = smoothed.copy()
    smoothing.taubin(further, smoothing.mean_of_neighbours(smoothing.mesh_edges(faces, n)[0], n), np.ones(n, bool), 2)
    across = _across(vertices, faces)
    assert across(smoothed) == pytest.approx(0.628, abs=0.01)
    assert across(further) > across(smoothed) + 0.015


def test_a_coarse_mesh_is_neither_taken_for_noisy_nor_smoothed(body_mesh):
    """Decimated to about half its faces (vertex clustering, 8 mm cells: edges about 9.5 mm where
    the noise is read), a clean body reads 0.17-0.19 from its shape alone (0.055 at full size), and
    five Taubin pairs took 6-21 mm off its ankle girth: it is not smoothed, noisy or not."""
    from c2m_tailor.scan.sections import cluster_decimate

    vertices, faces = body_mesh
    coarse_vertices, coarse_faces = cluster_decimate(vertices, faces, 8.0)
    coarse_vertices = np.array(coarse_vertices, dtype=float)
    clean = smoothing.remove_noise(coarse_vertices.copy(), coarse_faces)
    assert clean.edge_mm > smoothing.MAX_SMOOTHED_EDGE_MM
    assert clean.reading_mm > smoothing.NOISY_MM and not clean.noisy and clean.pairs == 0
    noisy_vertices = coarse_vertices + np.random.default_rng(4).normal(0.0, 1.0, coarse_vertices.shape)
    kept = noisy_vertices.copy()
    noisy = smoothing.remove_noise(kept, coarse_faces)
    assert noisy.noisy and noisy.pairs == 0 and np.array_equal(kept, noisy_vertices)


def test_taubin_pairs_keep_a_sphere_its_size_and_take_its_noise_out():
    import trimesh

    sphere = trimesh.creation.icosphere(subdivisions=4, radius=100.0)
    clean = np.asarray(sphere.vertices)
    noisy = clean + np.random.default_rng(0).normal(0.0, 1.0, clean.shape)
    from c2m_tailor.scan.sections import Surface

    edges = Surface.from_mesh(noisy, sphere.faces).edges
    smoothed = noisy.copy()
    smoothing.taubin(smoothed, smoothing.mean_of_neighbours(edges, len(noisy)), np.ones(len(noisy), bool), 5)
    radius = np.linalg.norm(smoothed, axis=1)
    assert abs(radius.mean() - 100.0) < 0.1  # no shrinking (plain averaging would: about -0.9 mm)
    assert radius.std() < 0.5 * np.linalg.norm(noisy, axis=1).std()
