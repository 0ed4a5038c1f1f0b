"""Bodies the scan code was never fitted to: tests/data/unseen_bodies.npz (bench/make_unseen_bodies.py;
Anny 0.6.2 bodies from CC0 MakeHuman data; origin and licence: tests/data/LICENSE_CC0.md)."""

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

# (C2M_UNSEEN_BODIES: another file of the same form instead, e.g. a fresh draw:
# bench/make_unseen_bodies.py --draw N --objs DIR, then pack_objs below; the tests that name a
# body of the committed file still find it there)
STEP_M = 1e-4  # the stored vertices' step (0.1 mm)
COMMITTED = Path(__file__).resolve().parent / "data" / "unseen_bodies.npz"
DATA = Path(os.environ.get("C2M_UNSEEN_BODIES") or COMMITTED)


@lru_cache(maxsize=None)
def _archive(path: Path = DATA) -> dict:
    with np.load(path) as archive:
        return {key: archive[key] for key in archive.files}


def _holding(name: str) -> dict:
    """The archive with body NAME: DATA's, else the committed one's."""
    return _archive() if f"vertices_{name}" in _archive() else _archive(COMMITTED)


def names() -> list[str]:
    """The bodies' names, sorted."""
    return sorted(key[len("vertices_"):] for key in _archive() if key.startswith("vertices_"))


def parameters(name: str) -> dict:
    """The Anny phenotype parameters NAME was made with."""
    return json.loads(str(_holding(name)["about"]))["parameters"][name]


def vertices_and_faces(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Body NAME as (V, 3) vertices in metres (Z-up, faces -Y, feet where Anny puts them) and faces."""
    archive = _holding(name)
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


def write_archive(out: Path, faces: np.ndarray, vertices_m: dict, about: dict) -> None:
    """Bodies (name -> (V, 3) vertices in metres, all over FACES) as a file of this module's form:
    the faces once (uint16), each body's vertices as rows of x, y and z in 0.1 mm steps (int16:
    they pack smaller than (V, 3) rows), and ABOUT (their origin) as JSON."""
    arrays = {}
    for name, vertices in vertices_m.items():
        steps = np.round(np.asarray(vertices, dtype=np.float64) / STEP_M)
        if np.abs(steps).max() > np.iinfo(np.int16).max:
            raise ValueError(f"{name} does not fit 16-bit steps of {STEP_M} m")
        arrays[f"vertices_{name}"] = np.ascontiguousarray(steps.T.astype(np.int16))
    np.savez_compressed(out, faces=np.asarray(faces).astype(np.uint16), step_m=STEP_M, about=json.dumps(about),
                        **arrays)


def pack_objs(folder: Path, out: Path) -> None:
    """Every OBJ body in FOLDER (Anny's topology, metres) into a file of this module's form."""
    import trimesh

    bodies, faces = {}, None
    for path in sorted(Path(folder).glob("*.obj")):
        mesh = trimesh.load(str(path), process=False, force="mesh")
        faces, bodies[path.stem] = np.asarray(mesh.faces), np.asarray(mesh.vertices)
    write_archive(out, faces, bodies, {"parameters": {name: {} for name in bodies}})
