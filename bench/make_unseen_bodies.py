"""Writes tests/data/unseen_bodies.npz: twelve bodies none of the team's code was ever fitted to.

The issue asks the scan bars to hold "on bodies the suite has never seen". The six shared bodies
are where every constant of scan/ was checked, so this script draws others from the same
generator they came from (the Anny parametric model, anny 0.6.2, whose mesh data are the CC0
MakeHuman assets): adults spread over sex, age, height, weight, muscle, proportions, cup size
and ancestry, in Anny's rest pose (an A-pose, faces -Y, Z-up, metres, feet wherever the model
puts them). They share the shared bodies' topology (13,718 vertices, 27,420 triangles).

Not run by CI: it needs anny and torch, which the product does not. Set up once in a venv of
its own:  python3 -m venv /tmp/annyvenv && /tmp/annyvenv/bin/pip install torch anny==0.6.2
Run: /tmp/annyvenv/bin/python bench/make_unseen_bodies.py
     [--draw 12 --seed 1 --objs DIR]  (random adults as OBJ files instead: a fresh holdout)
The file keeps each body's vertices as rows of x, y and z in 0.1 mm steps (int16: the bodies are
the file's, not Anny's float32 ones, so nothing is lost that a test reads) and the faces once
(uint16); tests/unseen_bodies.py reads it.
"""

import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "unseen_bodies.npz"
sys.path.insert(0, str(ROOT / "tests"))
import unseen_bodies  # noqa: E402  (the file's form: unseen_bodies.write_archive)

# Anny's phenotype parameters run from 0 to 1 (0.5 the average); gender 0 is male, 1 female;
# age 0.5 is a young adult, 0.85 about 70 years; race weights african/asian/caucasian.
BODIES = {
    "androgynous": {"gender": 0.5, "age": 0.55, "weight": 0.5, "height": 0.5},
    "man_heavy": {"gender": 0.0, "age": 0.6, "muscle": 0.3, "weight": 0.95, "height": 0.5},
    "man_muscular": {"gender": 0.0, "age": 0.5, "muscle": 0.9, "weight": 0.6, "height": 0.6},
    "man_older": {"gender": 0.0, "age": 0.85, "muscle": 0.4, "weight": 0.65, "height": 0.4},
    "man_short": {"gender": 0.0, "age": 0.5, "weight": 0.5, "height": 0.2, "african": 0.8, "asian": 0.1,
                  "caucasian": 0.1},
    "man_tall_slim": {"gender": 0.0, "age": 0.55, "muscle": 0.5, "weight": 0.2, "height": 0.75, "proportions": 0.5},
    "woman_large_cup": {"gender": 1.0, "age": 0.5, "weight": 0.5, "height": 0.5, "cupsize": 0.95, "firmness": 0.5},
    "woman_older": {"gender": 1.0, "age": 0.85, "muscle": 0.3, "weight": 0.7, "height": 0.4, "firmness": 0.2},
    "woman_short_heavy": {"gender": 1.0, "age": 0.6, "muscle": 0.4, "weight": 0.9, "height": 0.25,
                          "proportions": 0.5, "cupsize": 0.6},
    "woman_slim_small_cup": {"gender": 1.0, "age": 0.5, "weight": 0.15, "height": 0.65, "cupsize": 0.1},
    "woman_tall_heavy": {"gender": 1.0, "age": 0.55, "weight": 0.8, "height": 0.75, "asian": 0.8, "african": 0.1,
                         "caucasian": 0.1},
    "woman_uncommon_proportions": {"gender": 1.0, "age": 0.5, "weight": 0.5, "height": 0.5, "proportions": 1.0},
}


def random_adults(count: int, seed: int) -> dict:
    """COUNT adults drawn at random (seeded): a fresh set no code was looked at against, for
    --draw (age 0.5-0.85, height 0.25-0.75, the other phenotypes 0.1-0.9, sex 0 or 1, a random
    ancestry mix)."""
    rng = np.random.default_rng(seed)
    bodies = {}
    for k in range(count):
        sex = int(rng.integers(0, 2))
        mix = rng.dirichlet([1.0, 1.0, 1.0])
        params = {"gender": float(sex), "age": float(rng.uniform(0.5, 0.85)),
                  **{p: float(rng.uniform(0.1, 0.9)) for p in ("muscle", "weight", "proportions")},
                  "height": float(rng.uniform(0.25, 0.75)),  # (0.1-0.9 reaches 1.30 and 2.17 m)
                  "african": float(mix[0]), "asian": float(mix[1]), "caucasian": float(mix[2])}
        if sex == 1:
            params.update(cupsize=float(rng.uniform(0.1, 0.9)), firmness=float(rng.uniform(0.1, 0.9)))
        bodies[f"draw{seed}_{k:02d}_{'woman' if sex else 'man'}"] = params
    return bodies


def main() -> None:
    warnings.filterwarnings("ignore")
    import argparse

    import anny
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--draw", type=int, help="instead: this many random adults (random_adults) ...")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--objs", type=Path, help="... written as OBJ files into this folder (for "
                                                  "bench_scan_robustness.py --bodies-dir)")
    args = parser.parse_args()
    model = anny.Anny(phenotypes="all")
    faces = model.get_triangular_faces().numpy()
    if args.draw:
        import trimesh

        args.objs.mkdir(parents=True, exist_ok=True)
        for name, params in random_adults(args.draw, args.seed).items():
            with torch.no_grad():
                v = model(phenotype_kwargs=params)["vertices"][0].numpy().astype(np.float64)
            trimesh.Trimesh(v, faces, process=False).export(str(args.objs / f"{name}.obj"))
            print(f"{name:28s} {np.ptp(v[:, 2]):.3f} m tall  {params}")
        return
    vertices = {}
    for name, params in BODIES.items():
        with torch.no_grad():
            vertices[name] = model(phenotype_kwargs=params)["vertices"][0].numpy().astype(np.float64)
        print(f"{name:28s} {np.ptp(vertices[name][:, 2]):.3f} m tall")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    unseen_bodies.write_archive(OUT, faces, vertices, {"generator": f"anny {anny.__version__}", "parameters": BODIES})
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
