"""Bare point clouds against the mesh they were sampled from: time and measurement differences.

For each body, clouds of evenly spread (sample_surface_even) and randomly spread
(sample_surface: Poisson-clumped, like a scanner's overlapping views) points are written as PLY
and measured; prints seconds per cloud (and for the mesh), then each measurement's difference
from the mesh, flagging the robustness bar of tests/test_scan_robustness.py (2 mm heights and
small girths, 4 mm large girths).
Run: /work/venv/bin/python bench/bench_cloud.py [--bodies male_average,female_average] [--keep DIR]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BODIES = ROOT.parent / "shared" / "data" / "bodies"

SMALL = ["stature", "inside_leg_length", "hip_height", "neck_girth", "wrist_girth",
         "upper_arm_girth", "elbow_girth", "knee_girth", "calf_girth", "ankle_girth"]
LARGE = ["chest_girth", "waist_girth", "hip_girth", "thigh_girth"]
CLOUDS = [("even 250k s3", "even", 250_000, 3), ("random 250k s1", "random", 250_000, 1),
          ("random 250k s2", "random", 250_000, 2), ("random 250k s3", "random", 250_000, 3),
          ("random 500k s1", "random", 500_000, 1)]


def write_cloud(mesh, kind: str, count: int, seed: int, path: Path) -> None:
    import trimesh

    if kind == "even":
        points, _ = trimesh.sample.sample_surface_even(mesh, count, seed=seed)
    else:
        points, _ = trimesh.sample.sample_surface(mesh, count, seed=seed)
    trimesh.PointCloud(points).export(str(path))


def main() -> None:
    import trimesh

    from c2m_tailor.errors import BadInput
    from c2m_tailor.scan import measure_scan

    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", default="male_average,female_average")
    parser.add_argument("--keep", help="write (or reuse) the clouds in this folder")
    parser.add_argument("--clouds", help="comma-separated labels to run (default all)")
    args = parser.parse_args()
    wanted = None if not args.clouds else set(args.clouds.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for body in args.bodies.split(","):
            mesh_path = BODIES / f"{body}.obj"
            t = time.perf_counter()
            ref = measure_scan(mesh_path).measurements_mm
            print(f"== {body}: mesh {time.perf_counter() - t:.2f} s")
            mesh = trimesh.load(str(mesh_path), force="mesh", process=False)
            for label, kind, count, seed in CLOUDS:
                if wanted and label not in wanted:
                    continue
                path = folder / f"{body}_{kind}_{count // 1000}k_s{seed}.ply"
                if not path.exists():
                    write_cloud(mesh, kind, count, seed, path)
                t = time.perf_counter()
                try:
                    got = measure_scan(path).measurements_mm
                except BadInput as error:
                    print(f"{label}: {time.perf_counter() - t:.2f} s  REFUSED: {error}")
                    continue
                seconds = time.perf_counter() - t
                d = {name: got.get(name, float('nan')) - ref[name] for name in ref}
                over = [f"{n} {d[n]:+.1f}" for n in SMALL if not abs(d[n]) <= 2.0]
                over += [f"{n} {d[n]:+.1f}" for n in LARGE if not abs(d[n]) <= 4.0]
                others = sorted((n for n in d if n not in SMALL + LARGE), key=lambda n: -abs(d[n]) if d[n] == d[n] else -1e9)[:5]
                print(f"{label}: {seconds:.2f} s  bar: {'OK' if not over else ', '.join(over)}")
                print("   bar names: " + ", ".join(f"{n} {d[n]:+.1f}" for n in SMALL + LARGE))
                print("   worst others: " + ", ".join(f"{n} {d[n]:+.1f}" for n in others))


if __name__ == "__main__":
    main()
