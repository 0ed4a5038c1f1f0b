"""Bodies the scan code was never fitted to: tests/data/unseen_bodies.npz (bench/make_unseen_bodies.py;
Anny 0.6.2 bodies from CC0 MakeHuman data; origin and licence: tests/data/LICENSE_CC0.md)."""

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "unseen_bodies.npz"


@lru_cache(maxsize=None)
def _archive() -> dict:
    with np.load(DATA) as archive:
        return {key: archive[key] for key in archive.files}


def names() -> list[str]:
    """The bodies' names, sorted."""
    return sorted(key[len("vertices_"):] for key in _archive() if key.startswith("vertices_"))


def parameters(name: str) -> dict:
    """The Anny phenotype parameters NAME was made with."""
    return json.loads(str(_archive()["about"]))["parameters"][name]


def vertices_and_faces(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Body NAME as (V, 3) vertices in metres (Z-up, faces -Y, feet where Anny puts them) and faces."""
    archive = _archive()
    return archive[f"vertices_{name}"].T.astype(np.float64) * float(archive["step_m"]), archive["faces"].astype(np.int64)


def mesh(name: str):
    """Body NAME as a trimesh (not processed: vertices as stored)."""
    import trimesh

    return trimesh.Trimesh(*vertices_and_faces(name), process=False)


def write_obj(name: str, folder: Path) -> Path:
    """Body NAME as an OBJ file in FOLDER (what a scanner hands over)."""
    path = Path(folder) / f"{name}.obj"
    mesh(name).export(str(path))
    return path
