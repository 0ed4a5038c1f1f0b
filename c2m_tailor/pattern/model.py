"""The piece model: a pattern is a set of pieces; a piece is geometry in millimetres plus attributes.

Deliberately general (not shirt-specific) so a factory's own pattern read from AAMA/ASTM DXF fits the
same model as one we draft. Coordinates: millimetres, x to the right, y up (the DXF convention), one
piece in its own frame. Polylines are (N, 2) float arrays; closed lines do not repeat their first
point.

Conventions every stage relies on:
- `sew_line` is the finished outline, counter-clockwise; `cut_line` is the outline the cutter
  follows (sew line + seam allowance), counter-clockwise, with `cut_turn_points[i]` True where
  vertex i is a corner (AAMA layer 2) and False where it is a point on a curve (layer 3).
- Edges name runs of the sew line (`start`..`end` vertex indices, walking counter-clockwise, wrapping
  around), carry their seam allowance, and name the edge they are sewn to (`joins`, as
  "piece.edge"), so seam walking can be checked by name.
- In a graded nest every size has the same vertex count per line, so that vertex i is the same grade
  point in every size (the RUL file writes its per-size deltas).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

NOTCH_KINDS = ("slit", "v", "t", "castle")
MATERIALS = ("fabric", "lining", "fusing", "contrast")


def _array(points: Any, what: str) -> np.ndarray:
    arr = np.asarray(points, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{what} must be an (N, 2) array of points, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} has non-finite coordinates")
    return arr


def signed_area(points: np.ndarray) -> float:
    """Shoelace area; positive when the polygon runs counter-clockwise."""
    x, y = points[:, 0], points[:, 1]
    wrap = x[-1] * y[0] - y[-1] * x[0] if len(points) else 0.0
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(y[:-1], x[1:]) + wrap)


def polygon_centroid(points: np.ndarray) -> np.ndarray:
    """Area centroid of a closed polygon (the mean of its points when it has no area)."""
    x, y = points[:, 0], points[:, 1]
    xs, ys = np.concatenate([x[1:], x[:1]]), np.concatenate([y[1:], y[:1]])  # next vertex, wrapping
    cross = x * ys - xs * y
    area = cross.sum() / 2.0
    if abs(area) < 1e-9:
        return points.mean(axis=0)
    return np.array([((x + xs) * cross).sum(), ((y + ys) * cross).sum()]) / (6.0 * area)


def polyline_length(points: np.ndarray, closed: bool = False) -> float:
    pts = np.vstack([points, points[:1]]) if closed else points
    return float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum())


@dataclass
class Edge:
    """A named run of the sew line, from vertex `start` to vertex `end` (counter-clockwise, wrapping)."""

    name: str
    start: int
    end: int
    seam_allowance_mm: float
    joins: str | None = None  # "piece_name.edge_name" it is sewn to
    corner: str = "mitre"  # how the cut line closes at this edge's end: "mitre" or "square"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start, "end": self.end,
                "seam_allowance_mm": self.seam_allowance_mm, "joins": self.joins, "corner": self.corner}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Edge":
        return cls(d["name"], int(d["start"]), int(d["end"]), float(d["seam_allowance_mm"]),
                   d.get("joins"), d.get("corner", "mitre"))


@dataclass
class Notch:
    """A notch: position on a line, the direction it cuts into the piece, its type and which line."""

    x: float
    y: float
    angle_deg: float  # direction pointing into the piece, degrees counter-clockwise from +x
    kind: str = "slit"  # slit | v | t | castle
    on: str = "cut"  # "cut" or "sew" line
    depth_mm: float = 6.0
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "angle_deg": self.angle_deg, "kind": self.kind, "on": self.on,
                "depth_mm": self.depth_mm, "name": self.name}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Notch":
        return cls(float(d["x"]), float(d["y"]), float(d["angle_deg"]), d.get("kind", "slit"),
                   d.get("on", "cut"), float(d.get("depth_mm", 6.0)), d.get("name", ""))


@dataclass
class Piece:
    """One pattern piece, ready to be written as one AAMA/ASTM block."""

    name: str  # ASCII id, unique in the pattern, <= 20 chars (a DXF block name)
    sew_line: np.ndarray
    cut_line: np.ndarray
    cut_turn_points: np.ndarray  # bool per cut_line vertex
    grain_line: np.ndarray  # (2, 2): start, end (arrow at end)
    edges: list[Edge] = field(default_factory=list)
    notches: list[Notch] = field(default_factory=list)
    fold_line: np.ndarray | None = None  # (2, 2) mirror line, or None
    internal_lines: list[np.ndarray] = field(default_factory=list)  # darts, placement lines (layer 8)
    internal_cutouts: list[np.ndarray] = field(default_factory=list)  # closed polylines (layer 11)
    drill_holes: list[tuple[float, float]] = field(default_factory=list)  # layer 13
    quantity: int = 1
    mirrored_pair: bool = False  # cut as a left/right pair ("1,1" in AAMA Quantity)
    material: str = "fabric"
    category: str = ""
    size: str = "MTM"
    annotation: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # extra key/values (e.g. monogram text)
    # Named placement anchors for personalization, in piece coordinates:
    # {"cuff_left": {"x": .., "y": .., "angle_deg": .., "align": "start"|"center"}}; the text
    # baseline starts (or is centred) at (x, y) and runs along angle_deg.
    anchors: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sew_line = _array(self.sew_line, f"{self.name}: sew line")
        self.cut_line = _array(self.cut_line, f"{self.name}: cut line")
        self.cut_turn_points = np.asarray(self.cut_turn_points, dtype=bool)
        if self.cut_turn_points.shape != (len(self.cut_line),):
            raise ValueError(f"{self.name}: cut_turn_points needs one flag per cut line vertex")
        self.grain_line = _array(self.grain_line, f"{self.name}: grain line")
        if self.fold_line is not None:
            self.fold_line = _array(self.fold_line, f"{self.name}: fold line")
        self.internal_lines = [_array(p, f"{self.name}: internal line") for p in self.internal_lines]
        self.internal_cutouts = [_array(p, f"{self.name}: internal cut-out") for p in self.internal_cutouts]
        self.drill_holes = [(float(x), float(y)) for x, y in self.drill_holes]

    def edge(self, name: str) -> Edge:
        for edge in self.edges:
            if edge.name == name:
                return edge
        raise KeyError(f"piece {self.name} has no edge {name!r}")

    def edge_points(self, name: str) -> np.ndarray:
        """The sew-line vertices of an edge, start to end inclusive (wrapping around)."""
        edge = self.edge(name)
        n = len(self.sew_line)
        count = (edge.end - edge.start) % n + 1
        return self.sew_line[(edge.start + np.arange(count)) % n]

    def edge_length(self, name: str) -> float:
        return polyline_length(self.edge_points(name))

    @property
    def quantity_text(self) -> str:
        """AAMA Quantity: "1,1" for a mirrored left/right pair, else the count."""
        return f"{self.quantity},{self.quantity}" if self.mirrored_pair else str(self.quantity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sew_line": self.sew_line.round(6).tolist(),
            "cut_line": self.cut_line.round(6).tolist(),
            "cut_turn_points": self.cut_turn_points.tolist(),
            "grain_line": self.grain_line.round(6).tolist(),
            "edges": [e.to_dict() for e in self.edges],
            "notches": [n.to_dict() for n in self.notches],
            "fold_line": None if self.fold_line is None else self.fold_line.round(6).tolist(),
            "internal_lines": [p.round(6).tolist() for p in self.internal_lines],
            "internal_cutouts": [p.round(6).tolist() for p in self.internal_cutouts],
            "drill_holes": [list(h) for h in self.drill_holes],
            "quantity": self.quantity,
            "mirrored_pair": self.mirrored_pair,
            "material": self.material,
            "category": self.category,
            "size": self.size,
            "annotation": list(self.annotation),
            "labels": dict(self.labels),
            "anchors": {k: dict(v) for k, v in self.anchors.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Piece":
        return cls(
            name=d["name"],
            sew_line=d["sew_line"],
            cut_line=d["cut_line"],
            cut_turn_points=d["cut_turn_points"],
            grain_line=d["grain_line"],
            edges=[Edge.from_dict(e) for e in d.get("edges", [])],
            notches=[Notch.from_dict(n) for n in d.get("notches", [])],
            fold_line=d.get("fold_line"),
            internal_lines=d.get("internal_lines", []),
            internal_cutouts=d.get("internal_cutouts", []),
            drill_holes=[tuple(h) for h in d.get("drill_holes", [])],
            quantity=int(d.get("quantity", 1)),
            mirrored_pair=bool(d.get("mirrored_pair", False)),
            material=d.get("material", "fabric"),
            category=d.get("category", ""),
            size=d.get("size", "MTM"),
            annotation=list(d.get("annotation", [])),
            labels=dict(d.get("labels", {})),
            anchors={k: dict(v) for k, v in d.get("anchors", {}).items()},
        )


@dataclass
class Pattern:
    """A style drafted for one body (size "MTM") or a graded nest of sizes.

    `pieces` is the sample size; `graded` maps every size name (sample included) to its pieces, in
    the same order and with the same vertex counts, when a size chart was graded.
    """

    style: str
    options: dict[str, str]
    pieces: list[Piece]
    sample_size: str = "MTM"
    graded: dict[str, list[Piece]] = field(default_factory=dict)
    ease_mm: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def piece(self, name: str) -> Piece:
        for piece in self.pieces:
            if piece.name == name:
                return piece
        raise KeyError(f"pattern {self.style} has no piece {name!r}")

    @property
    def sizes(self) -> list[str]:
        return list(self.graded) if self.graded else [self.sample_size]

    def to_dict(self) -> dict[str, Any]:
        return {
            "style": self.style,
            "options": dict(self.options),
            "sample_size": self.sample_size,
            "pieces": [p.to_dict() for p in self.pieces],
            "graded": {size: [p.to_dict() for p in pieces] for size, pieces in self.graded.items()},
            # JSON objects lose their order when written with sorted keys: keep the size order explicitly
            "size_order": list(self.graded),
            "ease_mm": dict(self.ease_mm),
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Pattern":
        return cls(
            style=d["style"],
            options=dict(d.get("options", {})),
            pieces=[Piece.from_dict(p) for p in d["pieces"]],
            sample_size=d.get("sample_size", "MTM"),
            graded=_ordered_graded(d),
            ease_mm=dict(d.get("ease_mm", {})),
            meta=dict(d.get("meta", {})),
        )


def _ordered_graded(d: dict[str, Any]) -> dict[str, list[Piece]]:
    graded = d.get("graded", {})
    order = [s for s in d.get("size_order", []) if s in graded] + [s for s in graded if s not in d.get("size_order", [])]
    return {size: [Piece.from_dict(p) for p in graded[size]] for size in order}


PATTERN_FILE = "pattern/pattern.json"


def save_pattern(job, pattern: Pattern, stage: str = "grade") -> str:
    """Write the pattern as a job artifact (pattern/pattern.json) and return its relative path."""
    from c2m_tailor.fileio import write_json_atomic

    write_json_atomic(job.directory / PATTERN_FILE, pattern.to_dict(), compact=True)
    job.add_artifact(PATTERN_FILE, stage)
    return PATTERN_FILE


def load_pattern(job) -> Pattern:
    """Read the pattern a previous `grade` wrote into the job."""
    import json

    from c2m_tailor.errors import BadInput

    path = job.directory / PATTERN_FILE
    if not path.is_file():
        raise BadInput(f"job {job.directory} has no graded pattern: run 'c2m-tailor grade' first")
    try:
        return Pattern.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise BadInput(f"{path} is not a valid pattern: {exc}") from None
