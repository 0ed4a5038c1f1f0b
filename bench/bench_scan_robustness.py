"""The robustness bar of tests/test_scan_robustness.py on every shared body, not only male_average.

The tests hold the bar on one body; the issue asks it of bodies the suite has never seen. For
each body and variant, the variant is built as the tests build it, written to a temporary file,
measured, and compared with the body's own file. Prints per case the seconds, the bar (2 mm for
heights and small girths, 4 mm for large girths: OK or the misses) and the worst other
differences, then per variant how many bodies hold the bar.

Variants: rotated (37 degrees about the vertical), yup, inch, plate (a dense floor plate), holes
(2 % of faces punched), noise1 / noise2 (1 mm Gaussian, seeds 1 and 2), sub2 (subdivided twice,
0.44M faces), sub2noise05 / sub2noise1 (sub2 with 0.5 / 1 mm Gaussian noise, seed 1: a scanner's mesh),
million (every other face of sub2 split again: 1.07M faces, a T-junction crack beside each),
millionnoise1 (million with 1 mm noise, seed 1: its cracks are closed before it is smoothed),
even / random (250k-point clouds: sample_surface_even seed 3, sample_surface seed 2), random500k (seed 1), cloudnoise05 / cloudnoise1 (the random cloud with 0.5 / 1 mm Gaussian noise,
seed 5: a scanner's raw points), booth3 / booth4 / booth8 (only the faces a booth of 3, 4 or 8
camera towers sees, tests/booth_scanner.py: soles, crotch, armpits' insides, under the chin and
the breasts go missing; booth3's towers at 0/120/240 degrees, booth4's at 45/135/225/315, both
with cameras at 0.1-1.1 of the height; booth8's every 45 degrees), booth3cloud / booth4cloud
(what those booths deliver: 250k points, sample_surface seed 2, on the faces they see). About 14
minutes for all on the team's 2-core VM.
Bodies never fitted to (--unseen: tests/data/unseen_bodies.npz, twelve Anny bodies; or any folder
of OBJ files with --bodies-dir) take about twice as long.
Run: /work/venv/bin/python bench/bench_scan_robustness.py [--bodies a,b | --unseen | --bodies-dir DIR]
     [--variants x,y] [--keep DIR]
"""

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
BODIES_DIR = ROOT.parent / "shared" / "data" / "bodies"
BODIES = ["female_average", "female_curvy", "female_plus_size", "female_slim", "male_average", "male_plus_size"]

SMALL = ["stature", "inside_leg_length", "hip_height", "neck_girth", "wrist_girth",
         "upper_arm_girth", "elbow_girth", "knee_girth", "calf_girth", "ankle_girth"]
LARGE = ["chest_girth", "underbust_girth", "waist_girth", "hip_girth", "thigh_girth"]


def _mesh(vertices, faces):
    import trimesh

    return trimesh.Trimesh(vertices, faces, process=False)


def _subdivided(vertices, faces, times, every_other_last=False):
    import trimesh

    for k in range(times):
        index = np.arange(0, len(faces), 2) if every_other_last and k == times - 1 else None
        vertices, faces = trimesh.remesh.subdivide(vertices, faces, face_index=index)
    return vertices, faces


def _plate_scene(vertices, faces):
    import trimesh

    plate = trimesh.creation.box(extents=[1.2, 1.2, 0.02])
    plate = _mesh(*_subdivided(plate.vertices, plate.faces, 5))
    plate.apply_translation([0, 0, -0.011])
    return trimesh.util.concatenate([_mesh(vertices, faces), plate])


def _cloud(mesh, even: bool, count: int, seed: int):
    import trimesh

    sample = trimesh.sample.sample_surface_even if even else trimesh.sample.sample_surface
    return trimesh.PointCloud(sample(mesh, count, seed=seed)[0])


def _noisy(cloud, sigma: float, seed: int):
    import trimesh

    points = cloud.vertices
    return trimesh.PointCloud(points + np.random.default_rng(seed).normal(0.0, sigma, points.shape))


def _dense_noisy(mesh, sigma: float):
    """A scanner's mesh: dense (sub2, 0.44M faces) with noise on every vertex (seed 1)."""
    return _noisy_mesh(_subdivided(mesh.vertices, mesh.faces, 2), sigma)


def _noisy_mesh(vertices_and_faces, sigma: float, seed: int = 1):
    """The mesh with Gaussian noise (SIGMA, file units) on every vertex."""
    vertices, faces = vertices_and_faces
    return _mesh(vertices + np.random.default_rng(seed).normal(0.0, sigma, vertices.shape), faces)


def _booth(mesh, towers: int, first_tower_deg: float):
    """What a booth of TOWERS camera towers sees of MESH (tests/booth_scanner.py)."""
    from booth_scanner import seen_by_booth

    heights = (0.1, 0.35, 0.6, 0.85, 1.1)
    return _mesh(mesh.vertices, mesh.faces[seen_by_booth(mesh.vertices, mesh.faces, towers, first_tower_deg, heights)])


def _rotated(v):
    a = math.radians(37.0)
    return v @ np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]]).T


# name -> (file extension, builder from the body's trimesh mesh to what is written)
VARIANTS = {
    "rotated": ("ply", lambda m: _mesh(_rotated(m.vertices), m.faces)),
    "yup": ("ply", lambda m: _mesh(m.vertices[:, [0, 2, 1]] * [1, 1, -1], m.faces)),
    "inch": ("off", lambda m: _mesh(m.vertices * (1000.0 / 25.4), m.faces)),
    "plate": ("ply", lambda m: _plate_scene(m.vertices, m.faces)),
    "holes": ("ply", lambda m: _mesh(m.vertices, m.faces[np.random.default_rng(2).random(len(m.faces)) >= 0.02])),
    "noise1": ("ply", lambda m: _noisy_mesh((m.vertices, m.faces), 0.001, 1)),
    "noise2": ("ply", lambda m: _noisy_mesh((m.vertices, m.faces), 0.001, 2)),
    "sub2": ("ply", lambda m: _mesh(*_subdivided(m.vertices, m.faces, 2))),
    "sub2noise05": ("ply", lambda m: _dense_noisy(m, 0.0005)),
    "sub2noise1": ("ply", lambda m: _dense_noisy(m, 0.001)),
    "million": ("ply", lambda m: _mesh(*_subdivided(m.vertices, m.faces, 3, every_other_last=True))),
    "millionnoise1": ("ply", lambda m: _noisy_mesh(_subdivided(m.vertices, m.faces, 3, every_other_last=True), 0.001)),
    "even": ("ply", lambda m: _cloud(m, True, 250_000, 3)),
    "random": ("ply", lambda m: _cloud(m, False, 250_000, 2)),
    "random500k": ("ply", lambda m: _cloud(m, False, 500_000, 1)),
    "cloudnoise05": ("ply", lambda m: _noisy(_cloud(m, False, 250_000, 2), 0.0005, 5)),
    "cloudnoise1": ("ply", lambda m: _noisy(_cloud(m, False, 250_000, 2), 0.001, 5)),
    "booth3": ("ply", lambda m: _booth(m, 3, 0.0)),
    "booth4": ("ply", lambda m: _booth(m, 4, 45.0)),
    "booth8": ("ply", lambda m: _booth(m, 8, 0.0)),
    "booth3cloud": ("ply", lambda m: _cloud(_booth(m, 3, 0.0), False, 250_000, 2)),
    "booth4cloud": ("ply", lambda m: _cloud(_booth(m, 4, 45.0), False, 250_000, 2)),
}


def main() -> None:
    import trimesh

    from c2m_tailor.errors import BadInput
    from c2m_tailor.scan import measure_scan

    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", help="names of OBJ files in the bodies folder (default: the six shared bodies, "
                                         "or every OBJ in --bodies-dir)")
    parser.add_argument("--bodies-dir", type=Path, default=BODIES_DIR, help="where the bodies' OBJ files are")
    parser.add_argument("--unseen", action="store_true",
                        help="the twelve bodies of tests/data/unseen_bodies.npz instead (written to the --keep folder)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--keep", help="write (or reuse) the variants' files in this folder")
    args = parser.parse_args()
    variants = args.variants.split(",")
    held: dict[str, list[str]] = {name: [] for name in variants}
    missed: dict[str, list[str]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.unseen:
            import unseen_bodies

            args.bodies_dir = folder / "unseen"
            args.bodies_dir.mkdir(exist_ok=True)
            for name in unseen_bodies.names():
                if not (args.bodies_dir / f"{name}.obj").exists():
                    unseen_bodies.write_obj(name, args.bodies_dir)
        if args.bodies:
            bodies = args.bodies.split(",")
        elif args.bodies_dir == BODIES_DIR:
            bodies = BODIES
        else:
            bodies = sorted(path.stem for path in args.bodies_dir.glob("*.obj"))
        for body in bodies:
            mesh_path = args.bodies_dir / f"{body}.obj"
            ref = measure_scan(mesh_path).measurements_mm
            mesh = trimesh.load(str(mesh_path), force="mesh", process=False)
            for name in variants:
                ext, build = VARIANTS[name]
                path = folder / f"{body}_{name}.{ext}"
                if not path.exists():
                    build(mesh).export(str(path))
                t = time.perf_counter()
                try:
                    got = measure_scan(path).measurements_mm
                except BadInput as error:
                    print(f"{body:17s} {name:10s} {time.perf_counter() - t:6.1f} s  REFUSED: {error}", flush=True)
                    missed[name].append(body)
                    continue
                seconds = time.perf_counter() - t
                d = {n: got.get(n, float("nan")) - ref[n] for n in ref}
                over = [f"{n} {d[n]:+.1f}" for n in SMALL if not abs(d[n]) <= 2.0]
                over += [f"{n} {d[n]:+.1f}" for n in LARGE if not abs(d[n]) <= 4.0]
                others = sorted((n for n in d if n not in SMALL + LARGE), key=lambda n: -abs(d[n]) if d[n] == d[n] else -1e9)
                (missed if over else held)[name].append(body)
                print(f"{body:17s} {name:10s} {seconds:6.1f} s  {'OK' if not over else 'MISS ' + ', '.join(over)}"
                      f"  | worst others: " + ", ".join(f"{n} {d[n]:+.1f}" for n in others[:3]), flush=True)
    print("\nbodies holding the bar, per variant:")
    for name in variants:
        print(f"  {name:10s} {len(held[name])} of {len(held[name]) + len(missed[name])}"
              + (f"  (missing: {', '.join(missed[name])})" if missed[name] else ""))


if __name__ == "__main__":
    main()
