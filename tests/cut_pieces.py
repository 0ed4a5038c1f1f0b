"""Hand-built pattern pieces for the cut-stage tests and bench (the drafting engine is separate).

Shapes are exact geometry (rectangles, circular arcs, mitred offsets), so tests can assert real
coordinates: a rectangle with notches, a curved piece with a dart / internal line / cut-out / drill
hole / fold line, a mirrored sleeve pair with a non-ASCII name, and a graded nest of three sizes.
"""

from __future__ import annotations

import numpy as np

from c2m_tailor.pattern.model import Edge, Notch, Pattern, Piece, signed_area


def mitre_offset(points: np.ndarray, distance: float) -> np.ndarray:
    """Offset a counter-clockwise closed polygon outwards by `distance`, one vertex per vertex."""
    prev_pts = np.roll(points, 1, axis=0)
    next_pts = np.roll(points, -1, axis=0)
    def outward(a, b):
        d = b - a
        d = d / np.linalg.norm(d, axis=1, keepdims=True)
        return np.stack([d[:, 1], -d[:, 0]], axis=1)  # right-hand normal = outward for CCW
    n1 = outward(prev_pts, points)
    n2 = outward(points, next_pts)
    bis = n1 + n2
    bis = bis / np.linalg.norm(bis, axis=1, keepdims=True)
    cos_half = np.sum(bis * n1, axis=1)
    return points + bis * (distance / cos_half)[:, None]


def arc(center, radius, start_deg, end_deg, count):
    t = np.radians(np.linspace(start_deg, end_deg, count))
    return np.stack([center[0] + radius * np.cos(t), center[1] + radius * np.sin(t)], axis=1)


def rectangle_piece(width=200.0, height=300.0, sa=10.0, name="BACK_YOKE") -> Piece:
    sew = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=float)
    cut = mitre_offset(sew, sa)
    notches = [
        Notch(width / 2, -sa, 90.0, "slit", "cut", 6.0, "hem_mid"),
        Notch(width + sa, height / 2, 180.0, "v", "cut", 6.0, "side_mid"),
        Notch(width / 2, height + sa, 270.0, "t", "cut", 6.0, "top_mid"),
        Notch(-sa, height / 3, 0.0, "castle", "cut", 6.0, "cb_third"),
    ]
    return Piece(
        name=name, sew_line=sew, cut_line=cut, cut_turn_points=np.ones(4, bool),
        grain_line=np.array([[width / 2, 40.0], [width / 2, height - 40.0]]),
        edges=[Edge("hem", 0, 1, sa), Edge("side", 1, 2, sa), Edge("top", 2, 3, sa), Edge("cb", 3, 0, sa)],
        notches=notches, quantity=2, material="fabric", category="body", size="M",
        annotation=["cut 2 on straight grain"],
    )


def curved_piece(name="FRONT") -> Piece:
    """Half front on the fold: straight hem and centre front (fold) with a curved armhole/neck top."""
    top = arc((150.0, 380.0), 150.0, 0.0, 180.0, 25)  # from (300,380) counter-clockwise to (0,380)
    sew = np.vstack([[[0.0, 0.0], [300.0, 0.0]], top])  # CCW: hem, side, curve, down the fold
    assert signed_area(sew) > 0
    cut = mitre_offset(sew, 10.0)
    turn = np.zeros(len(cut), bool)
    turn[[0, 1, 2, len(cut) - 1]] = True
    dart = np.array([[120.0, 0.0], [135.0, 160.0], [150.0, 0.0]])
    pocket_line = np.array([[60.0, 250.0], [200.0, 250.0]])
    buttonhole = np.array([[40.0, 300.0], [60.0, 300.0], [60.0, 304.0], [40.0, 304.0]])
    return Piece(
        name=name, sew_line=sew, cut_line=cut, cut_turn_points=turn,
        grain_line=np.array([[80.0, 60.0], [80.0, 420.0]]),
        notches=[Notch(300.0 + 10.0, 200.0, 180.0, "slit", "cut", 6.0, "side_notch")],
        fold_line=np.array([[-10.0, -10.0], [-10.0, 380.0]]),
        internal_lines=[dart, pocket_line], internal_cutouts=[buttonhole],
        drill_holes=[(135.0, 150.0)], quantity=1, material="fabric", category="body", size="M",
        annotation=["place on fold"], labels={"monogram": "A.B."},
    )


def sleeve_piece(name="Ärmel links/rechts – Größe XXL") -> Piece:
    cap = arc((150.0, 400.0), 150.0, 0.0, 180.0, 19)
    sew = np.vstack([[[30.0, 0.0], [270.0, 0.0]], [[300.0, 400.0]], cap[1:-1], [[0.0, 400.0]]])
    cut = mitre_offset(sew, 10.0)
    turn = np.zeros(len(cut), bool)
    turn[[0, 1, 2, len(cut) - 1]] = True
    top = cut[int(np.argmax(cut[:, 1]))]  # the cap's highest cut-line vertex (on the arc's mitre)
    return Piece(
        name=name, sew_line=sew, cut_line=cut, cut_turn_points=turn,
        grain_line=np.array([[150.0, 40.0], [150.0, 480.0]]),
        notches=[Notch(float(top[0]), float(top[1]), 270.0, "slit", "cut", 6.0, "cap_top")],
        quantity=1, mirrored_pair=True, material="fabric", category="sleeve", size="M",
    )


def sample_pattern() -> Pattern:
    return Pattern(style="Shirt classic", options={"collar": "kent"},
                   pieces=[rectangle_piece(), curved_piece(), sleeve_piece()], sample_size="M")


def _scaled(piece: Piece, sx: float, sy: float, size: str) -> Piece:
    m = np.array([sx, sy])
    from dataclasses import replace
    return replace(
        piece, size=size,
        sew_line=piece.sew_line * m, cut_line=piece.cut_line * m, grain_line=piece.grain_line * m,
        cut_turn_points=piece.cut_turn_points.copy(),
        notches=[replace(n, x=n.x * sx, y=n.y * sy) for n in piece.notches],
        fold_line=None if piece.fold_line is None else piece.fold_line * m,
        internal_lines=[p * m for p in piece.internal_lines],
        internal_cutouts=[p * m for p in piece.internal_cutouts],
        drill_holes=[(x * sx, y * sy) for x, y in piece.drill_holes],
    )


GRADE_STEPS = {"S": (0.95, 0.97), "M": (1.0, 1.0), "L": (1.05, 1.03)}


def graded_pattern() -> Pattern:
    base = [rectangle_piece(), curved_piece(), sleeve_piece()]
    graded = {size: [_scaled(p, sx, sy, size) for p in base] for size, (sx, sy) in GRADE_STEPS.items()}
    return Pattern(style="Shirt classic", options={}, pieces=graded["M"], sample_size="M", graded=graded)
