"""Placing lettering on a pattern piece, checking it fits, and marking it on the piece for the DXF.

An anchor ({x, y, angle_deg, align} in piece coordinates) says where the baseline goes: with align
"start" the ink begins at (x, y) and runs along angle_deg, with "center" it is centred there, with
"end" it ends there. Optional anchor keys `max_length_mm` / `max_height_mm` bound the zone a style
allows (e.g. the visible face of a cuff) beyond what the sew line allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import Piece
from c2m_tailor.personalize.lettering import Lettering

DEFAULT_MARGIN_MM = 3.0
ALIGNS = ("start", "center", "end")


@dataclass
class Placement:
    """Lettering set on one piece: lettering-frame point (0, 0) goes to `origin`, x turned by `rotation_deg`."""

    lettering: Lettering
    piece_name: str
    origin: tuple[float, float]  # piece coordinates of the lettering-frame origin
    rotation_deg: float
    anchor: str | None  # the anchor's name, or None for an explicit offset
    baseline: np.ndarray  # (2, 2): start and end of the ink along the baseline, piece coordinates
    margin_mm: float

    def matrix(self) -> np.ndarray:
        """3x3 affine matrix from the lettering frame to the piece frame."""
        c, s = math.cos(math.radians(self.rotation_deg)), math.sin(math.radians(self.rotation_deg))
        return np.array([[c, -s, self.origin[0]], [s, c, self.origin[1]], [0.0, 0.0, 1.0]])

    def to_piece(self, points) -> np.ndarray:
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        m = self.matrix()
        return pts @ m[:2, :2].T + m[:2, 2]

    def shape_on_piece(self):
        from shapely import affinity

        m = self.matrix()
        return affinity.affine_transform(self.lettering.shape(), [m[0, 0], m[0, 1], m[1, 0], m[1, 1], m[0, 2], m[1, 2]])


def _resolve_anchor(piece: Piece, anchor: str | None) -> tuple[str, dict]:
    if not piece.anchors:
        raise BadInput(f"piece {piece.name} has no personalization anchors: give an offset and rotation instead")
    if anchor is None:
        if len(piece.anchors) == 1:
            anchor = next(iter(piece.anchors))
        elif piece.name in piece.anchors:
            anchor = piece.name
        else:
            raise BadInput(f"piece {piece.name} has several anchors ({', '.join(sorted(piece.anchors))}): name one")
    if anchor not in piece.anchors:
        names = ", ".join(sorted(piece.anchors))
        raise BadInput(f"piece {piece.name} has no anchor {anchor!r}; it has: {names}")
    spec = piece.anchors[anchor]
    try:
        float(spec["x"]), float(spec["y"])
    except (KeyError, TypeError, ValueError):
        raise BadInput(f"anchor {anchor!r} of piece {piece.name} needs numeric x and y") from None
    align = spec.get("align", "start")
    if align not in ALIGNS:
        raise BadInput(f"anchor {anchor!r} of piece {piece.name} has align {align!r}, not one of {', '.join(ALIGNS)}")
    return anchor, spec


def _room_along(region, point: np.ndarray, direction: np.ndarray) -> float:
    """Distance from `point` along `direction` until the ray leaves `region` (0 if it starts outside)."""
    from shapely.geometry import LineString, Point

    if not region.contains(Point(point)):
        return 0.0
    far = point + direction * 1e5
    hit = region.intersection(LineString([point, far]))
    pieces = list(getattr(hit, "geoms", [hit]))
    for part in pieces:
        coords = np.asarray(part.coords)
        if len(coords) and np.linalg.norm(coords[0] - point) < 1e-6:
            return float(np.linalg.norm(coords[-1] - coords[0]))
    return 0.0


def place(lettering: Lettering, piece: Piece, anchor: str | None = None, offset: tuple[float, float] | None = None,
          rotation_deg: float = 0.0, margin_mm: float = DEFAULT_MARGIN_MM) -> Placement:
    """Put the lettering on the piece at an anchor (default: the piece's anchor) or at an explicit offset.

    With `offset` the ink starts at that point (align start) and runs along `rotation_deg`; with an anchor,
    `rotation_deg` turns the text further from the anchor's angle. The ink must
    lie inside the sew line less `margin_mm`; otherwise BadInput says how long or tall it is and how much
    room the position leaves.
    """
    from shapely.geometry import Polygon

    if offset is not None and anchor is not None:
        raise BadInput("give either an anchor or an offset (with a rotation), not both")
    xmin, ymin, xmax, ymax = lettering.bounds()
    if offset is not None:
        anchor_name, align, limits = None, "start", {}
        point = np.array([float(offset[0]), float(offset[1])])
        angle = float(rotation_deg)
    else:
        anchor_name, spec = _resolve_anchor(piece, anchor)
        align = spec.get("align", "start")
        point = np.array([float(spec["x"]), float(spec["y"])])
        angle = float(spec.get("angle_deg", 0.0)) + float(rotation_deg)
        limits = spec
    along = {"start": xmin, "center": 0.5 * (xmin + xmax), "end": xmax}[align]
    direction = np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])
    normal = np.array([-direction[1], direction[0]])
    origin = point - along * direction
    placement = Placement(lettering, piece.name, (float(origin[0]), float(origin[1])), angle, anchor_name,
                          np.array([origin + xmin * direction, origin + xmax * direction]), margin_mm)

    sew = Polygon(piece.sew_line).buffer(0)
    region = sew.buffer(-margin_mm)
    where = f"the {anchor_name} anchor" if anchor_name else f"offset {point[0]:g},{point[1]:g}"
    label = f"{lettering.text!r}"
    length, height = xmax - xmin, ymax - ymin
    size = f"{lettering.height_mm:g} mm"

    # room along the baseline (from the anchor point, in the alignment's direction(s))
    forward, backward = _room_along(region, point, direction), _room_along(region, point, -direction)
    room = {"start": forward, "end": backward, "center": 2 * min(forward, backward)}[align]
    if limits.get("max_length_mm") is not None:
        room = min(room, float(limits["max_length_mm"]))
    if length > room + 1e-9:
        raise BadInput(f"{label} is {length:.0f} mm long at {size}, {where} leaves {room:.0f} mm: "
                       f"too long for piece {piece.name}")
    up, down = _room_along(region, point, normal), _room_along(region, point, -normal)
    max_height = limits.get("max_height_mm")
    if ymax > up + 1e-9 or -ymin > down + 1e-9 or (max_height is not None and height > float(max_height) + 1e-9):
        room_h = up + down if max_height is None else min(up + down, float(max_height))
        raise BadInput(f"{label} is {height:.1f} mm tall at {size}, {where} leaves {room_h:.1f} mm "
                       f"({up:.1f} mm above and {down:.1f} mm below the baseline inside a {margin_mm:g} mm margin): "
                       f"too tall for piece {piece.name}")
    ink = placement.shape_on_piece()
    if not region.contains(ink):
        outside = ink.difference(region)
        reach = max(outside.hausdorff_distance(region.boundary), 0.0) if not outside.is_empty else 0.0
        raise BadInput(f"{label} at {size} placed at {where} reaches outside the sew line of piece {piece.name} "
                       f"less its {margin_mm:g} mm margin (by up to {reach:.1f} mm)")
    return placement


def apply_to_piece(piece: Piece, placement: Placement, *, method_note: str = "") -> Piece:
    """A NEW piece with the lettering outlines as internal lines (AAMA layer 8), placement marks as drill
    holes (layer 13: the two ends of the baseline, then the design centre, which is the origin of the
    stitch files), the text in the annotation and labels.

    The cut line, sew line and everything else are copied unchanged (never altered).
    """
    if placement.piece_name != piece.name:
        raise BadInput(f"the placement is for piece {placement.piece_name}, not {piece.name}")
    lettering = placement.lettering
    outlines = [placement.to_piece(line) for line in lettering.outline_polylines()]
    xmin, ymin, xmax, ymax = lettering.bounds()
    center = placement.to_piece([(0.5 * (xmin + xmax), 0.5 * (ymin + ymax))])[0]
    marks = [tuple(float(round(v, 3)) for v in point) for point in [*placement.baseline, center]]
    where = placement.anchor or f"{placement.origin[0]:.1f},{placement.origin[1]:.1f} at {placement.rotation_deg:g} deg"
    note = (f"{'MONOGRAM' if lettering.method == 'embroidery' else 'MARKING'}: {lettering.text} "
            f"({lettering.font_name}, {lettering.height_mm:g} mm, {where}{', ' + method_note if method_note else ''})")
    labels = dict(piece.labels)
    labels.update({
        "personalize_text": lettering.text,
        "personalize_method": lettering.method,
        "personalize_font": lettering.font_name,
        "personalize_height_mm": f"{lettering.height_mm:g}",
        "personalize_position": where,
        # the stitch files are centred on this point: the embroiderer hoops the piece on it
        "personalize_design_center": f"{center[0]:.1f},{center[1]:.1f}",
        "personalize_rotation_deg": f"{placement.rotation_deg:g}",
    })
    return replace(
        piece,
        sew_line=piece.sew_line.copy(),
        cut_line=piece.cut_line.copy(),
        cut_turn_points=piece.cut_turn_points.copy(),
        internal_lines=[*piece.internal_lines, *outlines],
        drill_holes=[*piece.drill_holes, *marks],
        annotation=[*piece.annotation, note],
        labels=labels,
        notches=list(piece.notches),
        edges=list(piece.edges),
        anchors={k: dict(v) for k, v in piece.anchors.items()},
    )
