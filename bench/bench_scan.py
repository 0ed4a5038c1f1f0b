"""Speed of `measure` on a ~1M-face scan against trimesh's bare load of the same file.

Builds the scan from sample_scans/male_average.obj (midpoint subdivision, so the body is the same),
writes it as binary PLY in a temp dir, then prints:
  load   = trimesh.load(path) (what reading the file costs anyway)
  total  = measure_scan(path) (our load + normalize + measure)
  ratio  = (total - load) / load : what measuring adds on top of reading (goal <= 1.0x)
  breakdown: the bare read without trimesh's processing, our normalize step, the CPU time
  of load_body + measure_body (one thread: it should match their wall time)
and the total against the bare load for the same scan written as OBJ text (slower to read), and
the same body as a 1M-point cloud (load_body meshes its points: the time to follow, no goal).
With --peer-sections it also times the issue's suggested tool for the sweep: trimesh's vectorized
multi-plane section (Trimesh.section_multiplane) of the 2 mm horizontal sweep measure_body cuts,
against our slice_surface of the same planes on the same full mesh (about 25 s more).
Run: /work/venv/bin/python bench/bench_scan.py [--peer-sections]
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_scan(out: Path) -> int:
    import trimesh

    mesh = trimesh.load(str(ROOT / "sample_scans" / "male_average.obj"), force="mesh", process=False)
    v, f = mesh.vertices, mesh.faces
    # Loop subdivision keeps the mesh closed and manifold (a scanner's output is, mostly).
    v, f = trimesh.remesh.subdivide_loop(v, f, iterations=2)
    v, f = trimesh.remesh.subdivide(v, f, face_index=np.arange(0, len(f), 2))
    trimesh.Trimesh(v, f, process=False).export(str(out))
    return len(f)


def main() -> None:
    import trimesh

    from c2m_tailor.scan import load_body, measure_body

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan_1m.ply"
        faces = build_scan(path)
        loads, reads, ours_load, ours_measure, cpu = [], [], [], [], []
        for _ in range(2):
            t = time.perf_counter()
            trimesh.load(str(path))
            loads.append(time.perf_counter() - t)
            t = time.perf_counter()
            trimesh.load(str(path), process=False)
            reads.append(time.perf_counter() - t)
            t, c = time.perf_counter(), time.process_time()
            body = load_body(path)
            t1 = time.perf_counter()
            measure_body(body)
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c)
            ours_load.append(t1 - t)
            ours_measure.append(t2 - t1)
        load = statistics.median(loads)
        our_load = statistics.median(ours_load)
        measure = statistics.median(ours_measure)
        read = statistics.median(reads)
        print(f"faces                         {faces:,}")
        print(f"trimesh.load (bare)           {load:7.2f} s")
        print(f"load_body (read + normalize)  {our_load:7.2f} s")
        print(f"measure_body                  {measure:7.2f} s")
        print(f"measure_scan total            {our_load + measure:7.2f} s")
        print(f"ratio measure / bare load     {measure / load:7.2f}x   (goal <= 1.0x)")
        print(f"ratio total / bare load       {(our_load + measure) / load:7.2f}x")
        print("breakdown:")
        print(f"  read only (trimesh.load, process=False)   {read:7.2f} s")
        print(f"  normalize (load_body - read only)         {our_load - read:7.2f} s")
        print(f"  CPU time of load_body + measure_body      {statistics.median(cpu):7.2f} s")
        print(f"  ratio (total - bare load) / bare load     {(our_load + measure - load) / load:7.2f}x")
        if "--peer-sections" in sys.argv[1:]:
            peer_sections(body)
        # The ratio depends on the file format: binary PLY is the cheapest file to read (the hardest
        # case for the ratio); many scanners write OBJ text, which trimesh takes far longer to read.
        obj = Path(tmp) / "scan_1m.obj"
        trimesh.load(str(path), process=False).export(str(obj))
        t = time.perf_counter()
        trimesh.load(str(obj))
        obj_load = time.perf_counter() - t
        t = time.perf_counter()
        measure_body(load_body(obj))
        obj_total = time.perf_counter() - t
        print("same scan as OBJ text:")
        print(f"  trimesh.load (bare)                       {obj_load:7.2f} s")
        print(f"  load_body + measure_body                  {obj_total:7.2f} s")
        print(f"  ratio total / bare load                   {obj_total / obj_load:7.2f}x")
        # A scanner that delivers points: the same body as a bare cloud, meshed over its points
        # (scan/cloud.py), far more work than a mesh's load; printed to follow, no goal set.
        import resource

        cloud = Path(tmp) / "cloud_1m.ply"
        points, _ = trimesh.sample.sample_surface(trimesh.load(str(path)), 1_000_000, seed=4)
        trimesh.PointCloud(points).export(str(cloud))
        t = time.perf_counter()
        trimesh.load(str(cloud))
        cloud_read = time.perf_counter() - t
        t = time.perf_counter()
        cloud_body = load_body(cloud)
        t1 = time.perf_counter()
        measure_body(cloud_body)
        t2 = time.perf_counter()
        print("same body as a 1M-point cloud (binary PLY):")
        print(f"  trimesh.load (bare)                       {cloud_read:7.2f} s")
        print(f"  load_body (meshing the points)            {t1 - t:7.2f} s")
        print(f"  measure_body                              {t2 - t1:7.2f} s")
        print(f"  peak memory of this process               {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:7.2f} GB")


def peer_sections(body) -> None:
    """trimesh's multi-plane section against ours, over the sweep measure_body cuts (its heights:
    every SWEEP_STEP_MM from half a step above the floor), on the same full mesh (BODY, loaded)."""
    import trimesh

    from c2m_tailor.scan.measuring import SWEEP_STEP_MM
    from c2m_tailor.scan.sections import Surface, slice_surface

    levels = np.arange(SWEEP_STEP_MM / 2, float(body.vertices[:, 2].max()), SWEEP_STEP_MM)
    mesh = trimesh.Trimesh(body.vertices, body.faces, process=False)
    t = time.perf_counter()
    mesh.section_multiplane(plane_origin=[0.0, 0.0, 0.0], plane_normal=[0.0, 0.0, 1.0], heights=list(levels))
    theirs = time.perf_counter() - t
    t = time.perf_counter()
    slice_surface(Surface.from_mesh(body.vertices, body.faces), [0.0, 0.0, 1.0], levels)
    ours = time.perf_counter() - t
    print(f"the sweep's {len(levels)} horizontal sections of the full mesh:")
    print(f"  trimesh section_multiplane                {theirs:7.2f} s")
    print(f"  ours (Surface + slice_surface)            {ours:7.2f} s")


if __name__ == "__main__":
    main()
