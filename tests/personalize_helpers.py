"""Hand-built pattern pieces with personalization anchors, and a stitch-file reader for the tests."""

from __future__ import annotations

import math

import numpy as np

from c2m_tailor.pattern.model import Edge, Piece


def _piece(name: str, sew: np.ndarray, anchors: dict, allowance: float = 10.0) -> Piece:
    from shapely.geometry import Polygon

    cut = Polygon(sew).buffer(allowance, join_style="mitre")
    cut_pts = np.asarray(cut.exterior.coords)[:-1]
    if Polygon(cut_pts).exterior.is_ccw is False:
        cut_pts = cut_pts[::-1]
    xs = sew[:, 0]
    grain = np.array([[xs.mean(), sew[:, 1].min() + 5], [xs.mean(), sew[:, 1].max() - 5]])
    return Piece(name=name, sew_line=sew, cut_line=cut_pts, cut_turn_points=np.ones(len(cut_pts), bool),
                 grain_line=grain, edges=[Edge("all", 0, len(sew) - 1, allowance)], anchors=anchors)


def barrel_cuff(max_length_mm: float | None = None) -> Piece:
    """A barrel cuff, 260 x 65 mm sew line; monogram 25 mm in from the button side, 9 mm above the edge."""
    sew = np.array([[0.0, 0.0], [260.0, 0.0], [260.0, 65.0], [0.0, 65.0]])
    anchor = {"x": 25.0, "y": 9.0, "angle_deg": 0.0, "align": "start"}
    if max_length_mm is not None:
        anchor["max_length_mm"] = max_length_mm
    return _piece("cuff", sew, {"cuff_left": anchor})


def collar_stand() -> Piece:
    """A curved collar stand, 420 mm long and 32 mm high at the centre back; lettering centred at the back."""
    t = np.linspace(-1.0, 1.0, 41)
    bottom = np.column_stack([210.0 * t, 12.0 * t ** 2])
    top = np.column_stack([210.0 * t[::-1], 12.0 * t[::-1] ** 2 + 32.0 - 10.0 * t[::-1] ** 2])
    sew = np.vstack([bottom, top[1:-1]])
    return _piece("collar_stand", sew, {"collar_band": {"x": 0.0, "y": 10.0, "angle_deg": 0.0, "align": "center"}})


def shirt_front() -> Piece:
    """A simplified shirt front (300 x 760 mm) with a chest_left anchor."""
    sew = np.array([[0.0, 0.0], [300.0, 0.0], [300.0, 560.0], [250.0, 700.0], [170.0, 760.0],
                    [60.0, 740.0], [0.0, 680.0]])
    return _piece("front_left", sew, {"chest_left": {"x": 160.0, "y": 520.0, "angle_deg": 0.0, "align": "center"}})


def read_back(path) -> dict:
    """What an independent reader (pyembroidery) finds in a stitch file.

    Stitch lengths are measured between consecutive needle penetrations of one thread run, after
    collapsing zero-length stitches (some readers put a penetration where a jump lands).
    """
    import pyembroidery

    # JEF marks trims with a run of jump codes; the reader only looks for them when asked
    settings = {"trims": True} if str(path).lower().endswith(".jef") else None
    pattern = pyembroidery.read(str(path), settings)
    assert pattern is not None, f"pyembroidery cannot read {path}"
    points, lengths = [], []
    trims_between = color_changes = 0
    previous = None
    pending_trim = False
    for x, y, command in pattern.stitches:
        command &= pyembroidery.COMMAND_MASK
        if command == pyembroidery.STITCH:
            if pending_trim and points:
                trims_between += 1
            pending_trim = False
            if previous is not None:
                length = math.hypot(x - previous[0], y - previous[1]) / 10.0
                if length > 0:
                    lengths.append(length)
            previous = (x, y)
            points.append((x / 10.0, y / 10.0))
        elif command == pyembroidery.TRIM:
            pending_trim = True
            previous = None
        elif command == pyembroidery.COLOR_CHANGE:
            color_changes += 1
            previous = None
        elif command == pyembroidery.JUMP:
            previous = (x, y)
    pts = np.asarray(points)
    return {"stitches": int(sum(1 for s in pattern.stitches if s[2] & pyembroidery.COMMAND_MASK == pyembroidery.STITCH)),
            "points_mm": pts, "lengths_mm": np.asarray(lengths), "trims_between": trims_between,
            "color_changes": color_changes, "threads": len(pattern.threadlist), "pattern": pattern}
