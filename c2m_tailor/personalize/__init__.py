"""Personalization: a monogram or name lettered onto a pattern piece, embroidered or pen-marked.

Pipeline (each step usable on its own):
    lettering = plan_lettering(text, font=None, height_mm=8, method="embroidery")
    placement = place(lettering, piece, anchor="cuff_left")          # or offset=(x, y), rotation_deg=..
    new_piece = apply_to_piece(piece, placement)                     # outlines (layer 8), marks (layer 13)
    plan = stitch(lettering, colors=["navy"])                        # our own digitizing
    write_stitch_files(plan, out_dir, ["dst", "pes", "jef", "exp"], order_id="A1", date="2026-11-22")
    render_preview(plan, out_dir / "A1.png")
or all at once with `personalize(piece, text, ...)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from c2m_tailor.errors import BadInput
from c2m_tailor.pattern.model import Pattern, Piece
from c2m_tailor.personalize.fonts import available_fonts, load_font
from c2m_tailor.personalize.lettering import METHODS, Lettering, plan_lettering
from c2m_tailor.personalize.output import FORMATS, parse_formats, render_preview, write_stitch_files
from c2m_tailor.personalize.placement import DEFAULT_MARGIN_MM, Placement, apply_to_piece, place
from c2m_tailor.personalize.stitches import StitchPlan, StitchSettings, Thread, stitch

__all__ = [
    "FORMATS", "METHODS", "Lettering", "Placement", "PersonalizeResult", "StitchPlan", "StitchSettings", "Thread",
    "apply_to_piece", "available_fonts", "load_font", "parse_formats", "parse_length_mm", "parse_offset",
    "personalize", "personalize_pattern", "place", "plan_lettering", "render_preview", "stitch", "write_stitch_files",
]

_UNITS = {"mm": 1.0, "cm": 10.0, "in": 25.4, "": 1.0}


def parse_length_mm(text) -> float:
    """'8mm', '0.8cm', '0.25in' or a bare number (mm) -> millimetres."""
    if isinstance(text, (int, float)):
        return float(text)
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(mm|cm|in)?\s*", str(text).lower())
    if not match:
        raise BadInput(f"length {text!r} is not a number with an optional unit (mm, cm, in)")
    return float(match.group(1)) * _UNITS[match.group(2) or ""]


def parse_offset(text) -> tuple[float, float]:
    """'X,Y' in mm (piece coordinates) -> (x, y)."""
    parts = str(text).split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        return float(parts[0]), float(parts[1])
    except ValueError:
        raise BadInput(f"offset {text!r} is not X,Y in millimetres") from None


@dataclass
class PersonalizeResult:
    """Everything one personalization produced."""

    piece: Piece  # the new piece (lettering outlines, marks, annotation); the input piece is untouched
    lettering: Lettering
    placement: Placement
    plan: StitchPlan | None  # None for pen marking
    files: list[Path] = field(default_factory=list)
    preview: Path | None = None


def personalize(piece: Piece, text: str, *, anchor: str | None = None, offset: tuple[float, float] | None = None,
                rotation_deg: float = 0.0, method: str = "embroidery", font: str | None = None,
                height_mm: float = 8.0, colors: list[str] | None = None, formats=FORMATS,
                out_dir=None, order_id: str = "", date=None, margin_mm: float = DEFAULT_MARGIN_MM,
                settings: StitchSettings | None = None, stem: str | None = None) -> PersonalizeResult:
    """Letter `text` onto `piece`: returns the new piece and, for embroidery with `out_dir`, the stitch
    files and a preview PNG (named after the order id). `date` (the job's date) goes into JEF headers."""
    lettering = plan_lettering(text, font=font, height_mm=height_mm, method=method)
    placement = place(lettering, piece, anchor=anchor, offset=offset, rotation_deg=rotation_deg, margin_mm=margin_mm)
    plan = stitch(lettering, colors=colors, settings=settings) if method == "embroidery" else None
    note = ""
    if plan is not None:
        note = f"{plan.stitch_count} stitches, {len(plan.threads)} colour{'s' if len(plan.threads) > 1 else ''}"
    new_piece = apply_to_piece(piece, placement, method_note=note)
    result = PersonalizeResult(new_piece, lettering, placement, plan)
    if plan is not None and out_dir is not None:
        if not order_id:
            raise BadInput("an order id is needed to name the stitch files and label the DST header")
        if date is None:
            raise BadInput("the job date is needed for the JEF header (files must not depend on today's clock)")
        out = Path(out_dir)
        result.files = write_stitch_files(plan, out, formats, order_id=order_id, date=date, stem=stem)
        result.preview = render_preview(plan, out / f"{(stem or result.files[0].stem)}.png")
    return result



def personalize_pattern(pattern: Pattern, piece_name: str, text: str, **options) -> tuple[Pattern, PersonalizeResult]:
    """Personalize one piece of a made-to-measure pattern: returns a NEW pattern with that piece replaced
    (in `pieces` and in `graded` for the sample size) and the result; `options` as for personalize().

    A graded nest of several sizes is refused: every size must keep the same lines for the RUL file,
    and a monogram belongs to one customer's order, not to a size chart.
    """
    from dataclasses import replace

    if len(pattern.graded) > 1:
        raise BadInput(f"pattern {pattern.style} is graded in {len(pattern.graded)} sizes: personalize a "
                       f"made-to-measure pattern (one size)")
    try:
        piece = pattern.piece(piece_name)
    except KeyError:
        names = ", ".join(p.name for p in pattern.pieces)
        raise BadInput(f"pattern {pattern.style} has no piece {piece_name!r}; it has: {names}") from None
    result = personalize(piece, text, **options)
    pieces = [result.piece if p.name == piece_name else p for p in pattern.pieces]
    graded = {size: [result.piece if p.name == piece_name else p for p in size_pieces]
              for size, size_pieces in pattern.graded.items()}
    meta = dict(pattern.meta)
    entries = [e for e in meta.get("personalization", []) if e.get("piece") != piece_name]
    entry = {"piece": piece_name, "text": result.lettering.text, "method": result.lettering.method,
             "font": result.lettering.font_name, "height_mm": result.lettering.height_mm,
             "anchor": result.placement.anchor, "origin": list(result.placement.origin),
             "rotation_deg": result.placement.rotation_deg}
    if result.plan is not None:
        entry.update({"stitches": result.plan.stitch_count, "trims": result.plan.trim_count,
                      "colors": [t.hex for t in result.plan.threads], "stitch_type": result.plan.meta["kind"],
                      "files": [p.name for p in result.files]})
    meta["personalization"] = [*entries, entry]
    return replace(pattern, pieces=pieces, graded=graded, meta=meta), result
