"""The drafting engine: turns a pattern file (YAML: params, points, edges, marks) into Pieces.

A pattern file is the pattern maker's draft written down: constants and ease, params (formulas over
measurements), and per piece the named points, an outline of edges (lines and fixed-count curves),
seam allowances, notches, grain, fold, darts, drill holes, button marks and personalization anchors.
`docs` in each file explains its conventions; this module only interprets the grammar:

piece keys: name, when, quantity, mirrored_pair, material, category, params, points, solve (param,
start, low, high, measure, target, optional slope hint), start,
edges [{name, sa, corner, joins, path: [{line: P} | {cubic: [C1, C2, P], n} | {quad: [C, P], n} |
{through: [Q.., P], n}]}], symmetric (half outline from an axis point to an axis point, mirrored
about x = 0), mirror_of (copy another piece's outline mirrored about x = 0), grain, fold, notches,
internal_lines, darts, drill_holes, buttonholes, buttons, anchors, labels.
A point reference P is a point name or [x formula, y formula].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from c2m_tailor.errors import BadInput
from c2m_tailor.pattern import geometry as geo
from c2m_tailor.formula import FormulaError, compile_formula
from c2m_tailor.pattern.model import Edge, Notch, Piece

DEFAULT_CURVE_POINTS = 16


def patterns_dir() -> Path:
    """The shipped pattern files (package data c2m_tailor/data/patterns; `patterns/` links to it)."""
    return Path(str(resources.files("c2m_tailor") / "data" / "patterns"))


@dataclass
class OptionSpec:
    name: str
    values: list[str]
    default: str
    help: str = ""


@dataclass
class StyleSpec:
    id: str
    title: str
    sex: str | None
    required: list[str]
    options: dict[str, OptionSpec]
    ease: dict[str, dict[str, float]]
    constants: dict[str, Any]
    params: list[tuple[str, Any]]
    pieces: list[dict[str, Any]]
    seams: list[dict[str, Any]]
    fit_checks: list[dict[str, Any]]
    source: str
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


def load_style_file(path: Path) -> StyleSpec:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BadInput(f"pattern file {path} cannot be read: {exc}") from None
    if not isinstance(data, dict) or "style" not in data or "pieces" not in data:
        raise BadInput(f"pattern file {path} has no 'style' and 'pieces'")
    options = {}
    for name, spec in (data.get("options") or {}).items():
        values = [str(v) for v in spec["values"]]
        default = str(spec.get("default", values[0]))
        options[name] = OptionSpec(name, values, default, str(spec.get("help", "")))
    params = [(str(k), v) for k, v in (data.get("params") or {}).items()]
    return StyleSpec(
        id=str(data["style"]), title=str(data.get("title", data["style"])), sex=data.get("sex"),
        required=[str(m) for m in data.get("measurements", [])], options=options,
        ease={str(fit): {str(k): float(v) for k, v in table.items()} for fit, table in (data.get("ease") or {}).items()},
        constants=dict(data.get("constants") or {}), params=params, pieces=list(data["pieces"]),
        seams=list(data.get("seams") or []), fit_checks=list(data.get("fit_checks") or []),
        source=path.name, raw=data)


@lru_cache(maxsize=None)
def load_styles() -> dict[str, StyleSpec]:
    styles = {}
    for path in sorted(patterns_dir().glob("*.yaml")):
        spec = load_style_file(path)
        styles[spec.id] = spec
    return styles


# --------------------------------------------------------------------------------------------------
# drafting one piece

@dataclass
class Outline:
    """A drafted outline before it becomes a Piece: vertices, turn flags, edges, local names."""

    verts: np.ndarray
    turn: np.ndarray
    edges: list[dict[str, Any]]  # {name, start, end, sa, corner, joins}
    env: dict[str, Any]
    square: np.ndarray | None = None  # per vertex: the cut line is squared (not mitred) there


def _ev(expr: Any, env: dict[str, Any], where: str) -> Any:
    try:
        compiled, _ = compile_formula(expr)
        return compiled(env)
    except FormulaError as exc:
        raise BadInput(f"{where}: {exc}") from None


def _num(expr: Any, env: dict[str, Any], where: str) -> float:
    value = _ev(expr, env, where)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"{where}: formula {expr!r} did not give a number") from None
    if not math.isfinite(value):
        raise BadInput(f"{where}: formula {expr!r} is not finite for these measurements")
    return value


def _point(ref: Any, env: dict[str, Any], where: str) -> np.ndarray:
    if isinstance(ref, str):
        value = env.get(ref)
        if isinstance(value, np.ndarray):
            return value
        if ref.isidentifier():
            raise BadInput(f"{where}: unknown point {ref!r}")
        value = _ev(ref, env, where)  # a formula giving [x, y]
        if not isinstance(value, list) or len(value) != 2:
            raise BadInput(f"{where}: {ref!r} does not give a point [x, y]")
        return np.array([float(value[0]), float(value[1])])
    if isinstance(ref, (list, tuple)) and len(ref) == 2:
        return np.array([_num(ref[0], env, where), _num(ref[1], env, where)])
    raise BadInput(f"{where}: {ref!r} is not a point (a name or [x, y])")


def _when(spec: dict[str, Any], env: dict[str, Any], where: str) -> bool:
    cond = spec.get("when")
    return True if cond is None else bool(_ev(cond, env, where))


def _draft_outline(pspec: dict[str, Any], env: dict[str, Any], style: str) -> Outline:
    name = pspec["name"]
    where = f"{style}.{name}"
    local = env
    for key, expr in (pspec.get("params") or {}).items():
        local[key] = _num(expr, local, f"{where} param {key}")
    for key, ref in (pspec.get("points") or {}).items():
        local[key] = _point(ref, local, f"{where} point {key}")
    current = _point(pspec["start"], local, f"{where} start")
    verts = [current]
    turn = [True]
    edges = []
    for espec in pspec["edges"]:
        ewhere = f"{where} edge {espec['name']}"
        start = len(verts) - 1
        for item in espec["path"]:
            n = int(item.get("n", DEFAULT_CURVE_POINTS))
            if "line" in item:
                pts = _point(item["line"], local, ewhere)[None, :]
                flags = [True]
            elif "cubic" in item:
                c1, c2, p = (_point(r, local, ewhere) for r in item["cubic"])
                pts = geo.cubic(current, c1, c2, p, n)
                flags = [False] * (n - 1) + [True]
            elif "quad" in item:
                c, p = (_point(r, local, ewhere) for r in item["quad"])
                pts = geo.quad(current, c, p, n)
                flags = [False] * (n - 1) + [True]
            elif "through" in item:
                refs = [current] + [_point(r, local, ewhere) for r in item["through"]]
                pts = geo.through(refs, n)
                flags = [False] * (n - 1) + [True]
            else:
                raise BadInput(f"{ewhere}: path item {item!r} is not line/cubic/quad/through")
            verts.extend(pts)
            turn.extend(flags)
            current = pts[-1]
        edges.append({"name": espec["name"], "start": start, "end": len(verts) - 1,
                      "sa": _num(espec.get("sa", 0), local, ewhere), "corner": espec.get("corner", "mitre"),
                      "joins": espec.get("joins")})
    arr = np.array(verts)
    if not pspec.get("symmetric"):
        if np.linalg.norm(arr[-1] - arr[0]) > 1e-6:
            raise BadInput(f"{where}: outline does not close (ends {arr[-1].round(2)} not at start {arr[0].round(2)})")
        arr = arr[:-1]
        turn = turn[:-1]
        n = len(arr)
        for e in edges:
            e["end"] %= n
        square = np.zeros(n, dtype=bool)
        for e in edges:
            square[e["end"]] = e.get("corner") == "square"
        return Outline(arr, np.array(turn), edges, local, square)
    return _mirror_symmetric(arr, np.array(turn), edges, local, where)


def _mirror_symmetric(half: np.ndarray, turn: np.ndarray, edges: list[dict[str, Any]], env: dict[str, Any],
                      where: str) -> Outline:
    """Full outline from a half that runs counter-clockwise from an axis point to an axis point."""
    if abs(half[0, 0]) > 1e-6 or abs(half[-1, 0]) > 1e-6:
        raise BadInput(f"{where}: a symmetric half outline must start and end on x = 0")
    m = len(half)  # indices 0..m-1; mirror interior m-2..1
    half_square = np.zeros(m, dtype=bool)
    for e in edges:
        half_square[e["end"]] = e.get("corner") == "square"
    half_square[-1] = False  # the axis points are never squared

    mirrored = geo.mirror_x(half[-2:0:-1])
    verts = np.vstack([half, mirrored])
    flags = np.concatenate([turn, turn[-2:0:-1]])
    n = len(verts)

    def mirror_index(i: int) -> int:
        return 0 if i == 0 else (m - 1 if i == m - 1 else (2 * (m - 1) - i) % n)

    out = []
    first, last = edges[0], edges[-1]
    for e in edges:
        if e is first or e is last:
            continue
        out.append(dict(e, name=e["name"] + "_right"))
    for e in reversed(edges):
        if e is first or e is last:
            continue
        out.append(dict(e, name=e["name"] + "_left", start=mirror_index(e["end"]), end=mirror_index(e["start"]),
                        joins=_side_join(e.get("joins"), "_left")))
    for e in out:
        if e["name"].endswith("_right"):
            e["joins"] = _side_join(e.get("joins"), "_right")
    # the edges touching the axis run across it
    top = dict(last, start=last["start"], end=mirror_index(last["start"]))
    bottom = dict(first, start=mirror_index(first["end"]), end=first["end"])
    full = [bottom] + out[: len(out) // 2] + [top] + out[len(out) // 2:]
    square = np.concatenate([half_square, half_square[-2:0:-1]])
    return Outline(verts, flags, full, env, square)


def _side_join(joins: str | None, suffix: str) -> str | None:
    """Joins of a half edge may name '{side}' (this half's _left/_right) or '{other}' (the other)."""
    if joins is None:
        return None
    other = "_left" if suffix == "_right" else "_right"
    return joins.replace("{side}", suffix).replace("{other}", other)


def _solve(pspec: dict[str, Any], env: dict[str, Any], style: str, drafted: dict[str, Piece]) -> Outline:
    """Draft, adjusting the piece's solve params so that each 'measure' equals its 'target'."""
    solves = pspec.get("solve") or []
    where = f"{style}.{pspec['name']}"
    if not solves:
        return _draft_outline(pspec, dict(env), style)
    values = {}
    base = dict(env)
    pre = dict(env)  # piece params that do not depend on the solved ones, for start/low/high
    for key, expr in (pspec.get("params") or {}).items():
        try:
            pre[key] = _num(expr, pre, where)
        except BadInput:
            pass
    for s in solves:
        values[s["param"]] = _num(s["start"], pre, f"{where} solve {s['param']}")

    memo: dict[tuple, tuple[Outline, list[float]]] = {}

    def attempt(vals: dict[str, float]) -> tuple[Outline, list[float]]:
        key = tuple(vals[s["param"]] for s in solves)
        if key in memo:
            return memo[key]
        memo.clear()
        memo[key] = _attempt(vals)
        return memo[key]

    def _attempt(vals: dict[str, float]) -> tuple[Outline, list[float]]:
        local = dict(base)
        local.update(vals)
        outline = _draft_outline(pspec, local, style)
        local["length"] = _length_function(outline, drafted, where)
        errors = [_num(s["measure"], local, where) - _num(s["target"], local, where) for s in solves]
        return outline, errors

    # one param per solve, solved in turn (Gauss-Seidel over secant steps)
    outline, errors = attempt(values)
    for _ in range(8):
        for k, s in enumerate(solves):
            key = s["param"]
            low = _num(s.get("low", -1e9), pre, where)
            high = _num(s.get("high", 1e9), pre, where)
            x0, f0 = values[key], errors[k]
            known = float(s.get("slope", 0.0))
            if known:  # the file's estimate of d(measure)/d(param): start with a Newton step
                x1 = x0 - f0 / known
            else:
                x1 = x0 + (1.0 if abs(f0) < 1 else min(max(-f0 * 0.5, -50.0), 50.0))
            for _step in range(30):
                if abs(f0) < 1e-3:
                    break
                values[key] = min(max(x1, low), high)
                outline, errors = attempt(values)
                f1 = errors[k]
                if abs(f1) < 1e-3 or values[key] == x0:
                    x0, f0 = values[key], f1
                    break
                slope = (f1 - f0) / (values[key] - x0)
                x0, f0 = values[key], f1
                if abs(slope) < 1e-9:
                    break
                x1 = x0 - f1 / slope
            values[key] = x0
        outline, errors = attempt(values)
        if all(abs(e) < 0.01 for e in errors):
            return outline
    worst = max(range(len(solves)), key=lambda k: abs(errors[k]))
    raise BadInput(f"{where}: cannot fit {solves[worst]['param']} (off by {errors[worst]:.1f} mm); "
                   "the measurements are outside what this draft supports")


def _length_function(outline: Outline | None, drafted: dict[str, Piece], where: str):
    known: dict[str, float] = {}  # drafted pieces do not change: measure each edge once

    def length(ref: str) -> float:
        if "." in ref:
            if ref in known:
                return known[ref]
            piece_name, edge_name = ref.split(".", 1)
            piece = drafted.get(piece_name)
            if piece is None:
                raise BadInput(f"{where}: length({ref!r}) names a piece not drafted yet")
            try:
                known[ref] = piece.edge_length(edge_name)
            except KeyError:
                raise BadInput(f"{where}: length({ref!r}): no such edge") from None
            return known[ref]
        if outline is None:
            raise BadInput(f"{where}: length({ref!r}) needs a piece name")
        for e in outline.edges:
            if e["name"] == ref:
                n = len(outline.verts)
                count = (e["end"] - e["start"]) % n + 1
                return geo.polyline_length(outline.verts[(e["start"] + np.arange(count)) % n])
        raise BadInput(f"{where}: length({ref!r}): no such edge")
    return length


def _dist(p, q) -> float:
    return float(math.hypot(p[0] - q[0], p[1] - q[1]))


# --------------------------------------------------------------------------------------------------
# marks

def _edge_polyline(outline: Outline, edge: dict[str, Any]) -> np.ndarray:
    n = len(outline.verts)
    count = (edge["end"] - edge["start"]) % n + 1
    return outline.verts[(edge["start"] + np.arange(count)) % n]


def _find_edge(outline: Outline, name: str, where: str) -> dict[str, Any]:
    for e in outline.edges:
        if e["name"] == name:
            return e
    raise BadInput(f"{where}: no edge {name!r}")


def _notch(outline: Outline, spec: dict[str, Any], env: dict[str, Any], where: str,
           edge_stations: dict[str, tuple] | None = None) -> Notch:
    """EDGE_STATIONS: a cache (edge name -> polyline and its stations) shared by a piece's notches."""
    kind = spec.get("kind", "slit")
    on = spec.get("on", spec.get(True, "cut"))  # YAML 1.1 reads a bare `on:` key as True
    if on not in ("cut", "sew"):
        raise BadInput(f"{where}: a notch is 'on' the cut or the sew line, not {on!r}")
    if "edge" in spec:
        edge = _find_edge(outline, spec["edge"], where)
        cached = edge_stations.get(edge["name"]) if edge_stations is not None else None
        if cached is None:
            poly = _edge_polyline(outline, edge)
            cached = (poly, geo.polyline_stations(poly))
            if edge_stations is not None:
                edge_stations[edge["name"]] = cached
        poly, stations = cached
        total = float(stations[1].sum())
        if "at" in spec:
            distance = _num(spec["at"], env, where) * total
        elif "from_start" in spec:
            distance = _num(spec["from_start"], env, where)
        else:
            distance = total - _num(spec["from_end"], env, where)
        point, tangent = geo.point_along(poly, distance, stations)
        sa = edge["sa"]
    else:
        point, tangent, sa = _project_to_outline(outline, _point(spec["point"], env, where))
    outward = np.array([tangent[1], -tangent[0]])
    if on == "cut":
        point = point + outward * sa
    angle = math.degrees(math.atan2(-outward[1], -outward[0]))
    return Notch(float(point[0]), float(point[1]), angle, kind, on, float(spec.get("depth", 6.0)),
                 str(spec.get("name", "")))


def _project_to_outline(outline: Outline, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    verts = outline.verts
    nxt = geo.following(verts)
    seg = nxt - verts
    seg_len2 = np.maximum((seg ** 2).sum(axis=1), 1e-18)
    t = np.clip(((p - verts) * seg).sum(axis=1) / seg_len2, 0.0, 1.0)
    proj = verts + seg * t[:, None]
    i = int(np.argmin(((proj - p) ** 2).sum(axis=1)))
    tangent = seg[i] / math.sqrt(seg_len2[i])
    sa = _segment_allowances(outline)[i]
    return proj[i], tangent, sa


def _snap_to_line(notches: list[Notch], line: np.ndarray) -> list[Notch]:
    """Put notches exactly on the closed line (an offset position can miss a mitred vertex)."""
    if not notches:
        return []
    p = np.array([[nt.x, nt.y] for nt in notches])[:, None, :]  # (k, 1, 2)
    a, b = line, geo.following(line)
    seg = b - a
    t = np.clip(((p - a) * seg).sum(axis=2) / np.maximum((seg ** 2).sum(axis=1), 1e-18), 0.0, 1.0)
    proj = a + seg * t[:, :, None]  # (k, m, 2): the nearest point of every segment
    nearest = np.argmin(((proj - p) ** 2).sum(axis=2), axis=1)
    q = proj[np.arange(len(notches)), nearest]
    return [Notch(float(x), float(y), nt.angle_deg, nt.kind, nt.on, nt.depth_mm, nt.name)
            for (x, y), nt in zip(q.tolist(), notches)]


def _segment_allowances(outline: Outline) -> np.ndarray:
    n = len(outline.verts)
    sa = np.zeros(n)
    for e in outline.edges:
        count = (e["end"] - e["start"]) % n
        sa[(e["start"] + np.arange(count)) % n] = e["sa"]
    return sa


def _square_flags(outline: Outline) -> np.ndarray:
    if outline.square is not None:
        return np.asarray(outline.square, dtype=bool)
    n = len(outline.verts)
    flags = np.zeros(n, dtype=bool)
    for e in outline.edges:
        if e.get("corner") == "square":
            flags[e["end"] % n] = True
    return flags


def _repeated_points(spec: dict[str, Any], env: dict[str, Any], where: str) -> list[np.ndarray]:
    """`at`, then `count - 1` more points each `step` further on (a row of buttons or buttonholes)."""
    count = int(spec.get("count", 1))
    first = _point(spec["at"], env, where)
    step = _point(spec["step"], env, where) if count > 1 else np.zeros(2)
    return [first + k * step for k in range(count)]


def _build_piece(pspec: dict[str, Any], outline: Outline, env: dict[str, Any], style: str,
                 mirror: bool, extra: dict[str, Any]) -> tuple[Piece, dict[str, Any]]:
    """Marks are evaluated in the draft frame; the whole piece is mirrored at the end if asked."""
    name = pspec["name"]
    where = f"{style}.{name}"
    marks: dict[str, Any] = {"darts": [], "buttonholes": [], "buttons": []}
    edge_stations: dict[str, tuple] = {}
    notches = [_notch(outline, s, env, f"{where} notch", edge_stations) for s in pspec.get("notches", [])
               if _when(s, env, where)]
    internal: list[np.ndarray] = []
    drills: list[tuple[float, float]] = []
    for s in pspec.get("internal_lines", []):
        if _when(s, env, where):
            internal.append(np.array([_point(r, env, f"{where} line") for r in s["points"]]))
    for s in pspec.get("darts", []):
        if not _when(s, env, where):
            continue
        legs = np.array([_point(r, env, f"{where} dart") for r in s["legs"]])
        marks["darts"].append({"line": len(internal), "kind": s.get("kind", "dart"), "name": s.get("name", "")})
        internal.append(legs)
        if s.get("kind", "dart") == "dart":
            mouth = 0.5 * (legs[0] + legs[-1])
            back = mouth - legs[1]
            back_len = float(np.linalg.norm(back))
            inset = min(10.0, 0.25 * back_len)
            hole = legs[1] + back / max(back_len, 1e-9) * inset
            drills.append((float(hole[0]), float(hole[1])))
        for leg_end in (legs[0], legs[-1]):
            point, tangent, sa = _project_to_outline(outline, leg_end)
            outward = np.array([tangent[1], -tangent[0]])
            p = point + outward * sa
            notches.append(Notch(float(p[0]), float(p[1]), math.degrees(math.atan2(-outward[1], -outward[0])),
                                 "slit", "cut", 6.0, f"{s.get('name', 'dart')}"))
    for s in pspec.get("drill_holes", []):
        if _when(s if isinstance(s, dict) else {}, env, where):
            p = _point(s["at"] if isinstance(s, dict) else s, env, f"{where} drill")
            drills.append((float(p[0]), float(p[1])))
    for s in pspec.get("buttonholes", []):
        if not _when(s, env, where):
            continue
        length = _num(s.get("length", 16), env, where)
        angle = math.radians(_num(s.get("angle", 90), env, where))
        direction = np.array([math.cos(angle), math.sin(angle)])
        for start in _repeated_points(s, env, f"{where} buttonhole"):
            marks["buttonholes"].append(len(internal))
            internal.append(np.array([start, start + direction * length]))
    for s in pspec.get("buttons", []):
        if not _when(s, env, where):
            continue
        for p in _repeated_points(s, env, f"{where} button"):
            marks["buttons"].append(len(drills))
            drills.append((float(p[0]), float(p[1])))
    grain = np.array([_point(r, env, f"{where} grain") for r in pspec["grain"]])
    fold = None
    fold_spec = pspec.get("fold")
    if isinstance(fold_spec, dict):
        fold_spec = fold_spec["points"] if _when(fold_spec, env, where) else None
    if fold_spec:
        fold = np.array([_point(r, env, f"{where} fold") for r in fold_spec])
    warnings = [str(w["message"]) for w in pspec.get("warnings", []) if _when(w, env, where)]
    marks["warnings"] = [f"{name}: {w}" for w in warnings]
    anchors = {}
    keep_angle = set()
    for key, s in (pspec.get("anchors") or {}).items():
        if not _when(s, env, where):
            continue
        p = _point(s["at"], env, f"{where} anchor {key}")
        anchors[key] = {"x": float(p[0]), "y": float(p[1]), "angle_deg": _num(s.get("angle", 0), env, where),
                        "align": s.get("align", "start")}
        if "height" in s:
            anchors[key]["height_mm"] = _num(s["height"], env, where)
        for limit in ("max_length", "max_height"):  # the zone the lettering may fill (personalize checks it)
            if limit in s:
                anchors[key][f"{limit}_mm"] = _num(s[limit], env, where)
        if s.get("mirror_angle", True) is False:
            keep_angle.add(key)

    verts, turn, edges = outline.verts, outline.turn, outline.edges
    if mirror:
        n = len(verts)
        order = (-np.arange(n)) % n
        verts = geo.mirror_x(verts)[order]
        turn = turn[order]
        edges = [dict(e, start=(n - e["end"]) % n, end=(n - e["start"]) % n) for e in edges]
        internal = [geo.mirror_x(line) for line in internal]
        drills = [(-x, y) for x, y in drills]
        notches = [Notch(-nt.x, nt.y, (180.0 - nt.angle_deg) % 360.0, nt.kind, nt.on, nt.depth_mm, nt.name)
                   for nt in notches]
        grain = geo.mirror_x(grain)
        fold = None if fold is None else geo.mirror_x(fold)
        for key, a in anchors.items():
            a["x"] = -a["x"]
            if key not in keep_angle:
                a["angle_deg"] = (180.0 - a["angle_deg"]) % 360.0
        square = None if outline.square is None else outline.square[order]
        outline = Outline(verts, turn, edges, env, square)
    joins_override = pspec.get("joins") or {}
    square = _square_flags(outline)
    edge_objs = [Edge(e["name"], int(e["start"]), int(e["end"]), float(e["sa"]),
                      joins_override.get(e["name"], e.get("joins")), "square" if square[e["end"] % len(verts)] else "mitre")
                 for e in edges]
    seg_sa = _segment_allowances(outline)
    cut, first_index = geo.offset_outline(verts, seg_sa, square)
    snapped = iter(_snap_to_line([nt for nt in notches if nt.on == "cut"], cut))
    notches = [next(snapped) if nt.on == "cut" else nt for nt in notches]
    cut_turn = np.zeros(len(cut), dtype=bool)
    cut_turn[first_index] = turn
    cut_turn[first_index[square] + 1] = True
    for e in edges:  # edge ends are corners
        cut_turn[first_index[e["start"] % len(verts)]] = True
    quantity = int(_num(pspec.get("quantity", 1), env, where))
    piece = Piece(
        name=name, sew_line=verts, cut_line=cut, cut_turn_points=cut_turn, grain_line=grain,
        edges=edge_objs, notches=notches, fold_line=fold, internal_lines=internal, internal_cutouts=[],
        drill_holes=drills, quantity=quantity, mirrored_pair=bool(pspec.get("mirrored_pair", False)),
        material=str(pspec.get("material", "fabric")), category=str(pspec.get("category", style)),
        annotation=[f"{style} {name}", f"cut {quantity}{' pair' if pspec.get('mirrored_pair') else ''}"],
        labels={str(k): str(v) for k, v in (pspec.get("labels") or {}).items()}, anchors=anchors)
    piece.labels.update(extra)
    return piece, marks


# --------------------------------------------------------------------------------------------------
# a whole style

def base_environment(spec: StyleSpec, measurements: dict[str, float], options: dict[str, str]) -> dict[str, Any]:
    env: dict[str, Any] = {}
    env.update(measurements)
    env.update(options)
    fit = options.get("fit", "regular")
    ease = spec.ease.get(fit) or spec.ease.get("all") or {}
    for key, value in ease.items():
        env[f"ease_{key}"] = value
    env["dist"] = _dist
    env["option"] = lambda name: options.get(name, "")
    for key, value in spec.constants.items():
        env[key] = _num(value, env, f"{spec.id} constant {key}")
    for limit in spec.raw.get("limits") or []:  # plausibility of derived body dimensions
        value = _num(limit["value"], env, f"{spec.id} limit")
        low, high = float(limit["min"]), float(limit["max"])
        if not (low <= value <= high):
            raise BadInput(f"{limit['what']} = {value:.0f} mm is outside {low:.0f} to {high:.0f} mm, "
                           f"which the {spec.id} draft supports: check these measurements")
    for key, expr in spec.params:
        env[key] = _num(expr, env, f"{spec.id} param {key}")
    return env


def draft(spec: StyleSpec, measurements: dict[str, float], options: dict[str, str]
          ) -> tuple[list[Piece], dict[str, Any]]:
    """Draft every piece of the style for one body; returns the pieces and the validation meta."""
    env = base_environment(spec, measurements, options)
    drafted: dict[str, Piece] = {}
    outlines: dict[str, Outline] = {}
    dart_meta: dict[str, Any] = {}
    env["length"] = _length_function(None, drafted, spec.id)
    for pspec in spec.pieces:
        if not _when(pspec, env, f"{spec.id}.{pspec['name']}"):
            continue
        source_name = pspec.get("mirror_of")
        if source_name:
            if source_name not in outlines:
                raise BadInput(f"{spec.id}.{pspec['name']}: mirror_of {source_name!r} is not drafted before it")
            outline = outlines[source_name]
            piece_env = outline.env
            mirror = True
            source_spec = next(p for p in spec.pieces if p["name"] == source_name)
            inherited = {k: source_spec[k] for k in ("grain", "fold", "notches") if k in source_spec}
            pspec = {**inherited, **pspec}
        else:
            outline = _solve(pspec, env, spec.id, drafted)
            piece_env = outline.env
            piece_env["length"] = _length_function(outline, drafted, f"{spec.id}.{pspec['name']}")
            mirror = False
        piece, marks = _build_piece(pspec, outline, piece_env, spec.id, mirror, {})
        drafted[piece.name] = piece
        outlines[piece.name] = outline
        dart_meta[piece.name] = marks
    for piece in drafted.values():  # a partner left out by the options: the edge is finished instead
        for edge in piece.edges:
            if edge.joins:
                partner, _, partner_edge = edge.joins.partition(".")
                if partner not in drafted or partner_edge not in {e.name for e in drafted[partner].edges}:
                    edge.joins = None
    env["length"] = _length_function(None, drafted, spec.id)
    warnings = [w for marks in dart_meta.values() for w in marks.pop("warnings", [])]
    meta = {"seams": _evaluate_seams(spec, env, drafted), "fit_checks": _evaluate_fit(spec, env, drafted),
            "marks": dart_meta, "warnings": warnings}
    return list(drafted.values()), meta


def _evaluate_seams(spec: StyleSpec, env: dict[str, Any], drafted: dict[str, Piece]) -> list[dict[str, Any]]:
    out = []
    for s in spec.seams:
        if not _when(s, env, f"{spec.id} seam {s['name']}"):
            continue
        refs = list(s["a"]) + list(s["b"])
        if any(r.split(".")[0] not in drafted for r in refs):
            continue
        out.append({"name": s["name"], "a": list(s["a"]), "b": list(s["b"]),
                    "ease_mm": _num(s.get("ease", 0), env, f"{spec.id} seam {s['name']}")})
    return out


def _evaluate_fit(spec: StyleSpec, env: dict[str, Any], drafted: dict[str, Piece]) -> list[dict[str, Any]]:
    out = []
    for f in spec.fit_checks:
        where = f"{spec.id} fit {f['name']}"
        if not _when(f, env, where):
            continue
        spans = []
        for s in f["spans"]:
            if s["piece"] not in drafted or not _when(s, env, where):
                continue
            span = {"piece": s["piece"], "scale": _num(s.get("scale", 1), env, where)}
            if "across_y" in s:
                span.update(kind="width", y=_num(s["across_y"], env, where),
                            minus_darts=bool(s.get("minus_darts", False)))
                if "from_x" in s:
                    span.update(from_x=_num(s["from_x"], env, where), direction=int(s.get("direction", 1)))
            elif "across_x" in s:
                span.update(kind="height", x=_num(s["across_x"], env, where))
            else:
                span.update(kind="edge", edge=s["edge"], minus_darts=bool(s.get("minus_darts", False)))
            spans.append(span)
        body = float(env[f["measurement"]])
        ease = _num(f.get("ease", 0), env, where)
        out.append({"name": f["name"], "measurement": f["measurement"], "body_mm": body, "ease_mm": ease,
                    "expected_mm": body + ease, "spans": spans})
    return out
