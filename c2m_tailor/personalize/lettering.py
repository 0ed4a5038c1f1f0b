"""Text -> glyph geometry in millimetres, in the lettering frame.

Lettering frame: x along the baseline, y up, origin where the baseline of the first glyph starts.
Sizing: `height_mm` is the height of a capital letter ("H") for alphabetic text, and the height of
the ideographs together (lowest bottom to highest top) for CJK text, as it will be sewn or drawn. For satin lettering from a
single-stroke font the stroke width is part of that height (the centre lines are scaled to
height - width, the satin adds half a width above and below).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from c2m_tailor.errors import BadInput
from c2m_tailor.personalize.fonts import OutlineFont, StrokeFont, choose_font, is_blank, is_cjk

METHODS = ("embroidery", "marking")
MIN_HEIGHT_MM = 4.0
MAX_HEIGHT_MM = 60.0


@dataclass
class Glyph:
    """One drawn character. Outline glyphs carry `shape` (a shapely (Multi)Polygon, nonzero fill);
    stroke glyphs carry `strokes` (centre lines). Both are in the lettering frame, in mm."""

    char: str
    index: int  # position in the text
    shape: object | None = None
    strokes: list[np.ndarray] = field(default_factory=list)


@dataclass
class Lettering:
    """A text laid out in one font at one size, ready to be placed and stitched."""

    text: str
    font_name: str
    font_kind: str  # "outline" | "stroke"
    method: str  # "embroidery" | "marking"
    height_mm: float
    glyphs: list[Glyph]
    stroke_width_mm: float  # satin width (stroke fonts, embroidery); 0 otherwise
    advance_mm: float  # pen advance of the whole text

    def shape(self):
        """The area the lettering covers: glyph outlines, or satin strokes with square ends."""
        from shapely import union_all

        if self.font_kind == "outline":
            return union_all([g.shape for g in self.glyphs if g.shape is not None])
        from c2m_tailor.personalize.stitches import _stroke_edges

        width = max(self.stroke_width_mm, 0.2)
        # the satin columns as sewn: one square-ended column per stroke edge (split at joints and corners)
        return union_all([stroke_area(edge, width) for g in self.glyphs for edge in _stroke_edges(g.strokes)])

    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the ink."""
        return tuple(float(v) for v in self.shape().bounds)

    def outline_polylines(self) -> list[np.ndarray]:
        """What the cutting room sees on the pattern: closed glyph outlines (first point repeated), or the
        stroke centre lines for pen marking."""
        if self.method == "marking" and self.font_kind == "stroke":
            return [s.copy() for g in self.glyphs for s in g.strokes]
        return polygon_rings(self.shape())


def stroke_area(line: np.ndarray, width: float):
    from shapely.geometry import LineString

    return LineString(line).buffer(width / 2.0, cap_style="square", join_style="mitre", mitre_limit=2.0)


def polygon_rings(geometry) -> list[np.ndarray]:
    rings = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty:
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            rings.append(np.asarray(ring.coords, dtype=float))
    return rings


def nonzero_fill(contours: list[np.ndarray]):
    """The area a set of glyph contours encloses under the nonzero winding rule (TrueType and CFF).

    Why not even-odd: CJK fonts overlap contours of one stroke; nonzero keeps their overlap filled.
    The contours are noded into faces and a face is kept where the winding number is not zero.
    """
    from shapely import polygonize, union_all
    from shapely.geometry import LineString, Polygon

    from c2m_tailor.pattern.model import signed_area

    rings = [c for c in contours if len(c) >= 3 and abs(signed_area(c)) > 1e-9]
    if not rings:
        return Polygon()
    polygons = [Polygon(c) for c in rings]
    signs = [1 if signed_area(c) > 0 else -1 for c in rings]
    noded = union_all([LineString(np.vstack([c, c[:1]])) for c in rings])
    faces = list(polygonize([noded]).geoms)
    kept = []
    for face in faces:
        point = face.representative_point()
        winding = sum(sign for polygon, sign in zip(polygons, signs) if polygon.contains(point))
        if winding != 0:
            kept.append(face)
    return union_all(kept).buffer(0)


def default_stroke_width(height_mm: float) -> float:
    """Satin width for single-stroke lettering: about an eighth of the letter height, 0.9..2.5 mm."""
    return float(np.clip(0.125 * height_mm, 0.9, 2.5))


def plan_lettering(text: str, *, font: str | None = None, height_mm: float = 8.0, method: str = "embroidery",
                   letter_spacing_mm: float = 0.0, stroke_width_mm: float | None = None) -> Lettering:
    """Lay out `text` in `font` so that its letter height is `height_mm` (see the module docstring)."""
    from shapely import affinity

    if method not in METHODS:
        raise BadInput(f"method {method!r} is not one of {', '.join(METHODS)}")
    clean = " ".join(text.split())
    if not clean:
        raise BadInput("the personalization text is empty")
    if not (MIN_HEIGHT_MM <= height_mm <= MAX_HEIGHT_MM):
        raise BadInput(f"letter height {height_mm:g} mm is outside {MIN_HEIGHT_MM:g}..{MAX_HEIGHT_MM:g} mm")
    chosen = choose_font(clean, font, method)
    glyphs: list[Glyph] = []
    pen_x = 0.0
    if isinstance(chosen, OutlineFont):
        if any(is_cjk(c) for c in clean):
            extents = [chosen.ink_height(c) for c in clean if is_cjk(c)]
            reference = max(top for _, top in extents) - min(bottom for bottom, _ in extents)
        else:
            bottom, top = chosen.ink_height("H") if chosen.has_char("H") else chosen.ink_height(clean.strip()[0])
            reference = top - bottom
        scale = height_mm / reference
        previous = None
        for index, char in enumerate(clean):
            outline = chosen.glyph(char) if not is_blank(char) else None
            if previous is not None:
                pen_x += chosen.kerning(previous, char) * scale
            if outline is not None and outline.contours:
                shape = nonzero_fill([c * scale for c in outline.contours])
                glyphs.append(Glyph(char, index, shape=affinity.translate(shape, pen_x, 0.0)))
            advance = outline.advance if outline is not None else chosen.glyph(" ").advance if chosen.has_char(" ") \
                else 0.3 * chosen.units_per_em
            pen_x += advance * scale + letter_spacing_mm
            previous = char
        width = 0.0
    else:
        assert isinstance(chosen, StrokeFont)
        width = stroke_width_mm if stroke_width_mm is not None else (
            default_stroke_width(height_mm) if method == "embroidery" else 0.0)
        if method == "embroidery" and not (0.8 <= width <= 7.0):
            raise BadInput(f"satin width {width:g} mm is outside 0.8..7 mm")
        scale = (height_mm - width) / chosen.cap_height
        for index, char in enumerate(clean):
            strokes, advance = chosen.glyph(char)
            # satin ends are square: lift the centre lines by half a width so the ink sits on the baseline
            placed = [s * scale + np.array([pen_x + width / 2.0, width / 2.0]) for s in strokes]
            if placed:
                glyphs.append(Glyph(char, index, strokes=placed))
            pen_x += advance * scale + letter_spacing_mm + (width if width else 0.0)
    return Lettering(clean, chosen.name, chosen.kind, method, float(height_mm), glyphs, float(width), float(pen_x))
