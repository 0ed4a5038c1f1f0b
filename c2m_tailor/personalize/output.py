"""Stitch files (DST, PES, JEF, EXP through pyembroidery) and a preview PNG drawn at thread width.

Deterministic: files are encoded in memory and written atomically; the JEF header date comes from the
job (never today's clock); the DST label is the ASCII order id.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import numpy as np

from c2m_tailor.errors import BadInput
from c2m_tailor.fileio import write_bytes_atomic
from c2m_tailor.personalize.stitches import COLOR_CHANGE, END, JUMP, STITCH, TRIM, UNITS_PER_MM, StitchPlan

FORMATS = ("dst", "pes", "jef", "exp")
THREAD_WIDTH_MM = 0.4  # a 40 wt polyester embroidery thread


def _ascii_label(order_id: str, limit: int = 16) -> str:
    label = re.sub(r"[^A-Za-z0-9_.\-]", "_", order_id.encode("ascii", "replace").decode("ascii"))
    if not label:
        raise BadInput(f"order id {order_id!r} has no ASCII characters for the DST label")
    return label[:limit]


def _date_string(when) -> str:
    if isinstance(when, datetime):
        return when.strftime("%Y%m%d%H%M%S")
    if isinstance(when, date):
        return when.strftime("%Y%m%d") + "000000"
    text = str(when)
    digits = re.sub(r"\D", "", text)
    if len(digits) < 8:
        raise BadInput(f"date {when!r} is not a date (YYYY-MM-DD)")
    return (digits + "000000")[:14]


def to_pyembroidery(plan: StitchPlan, order_id: str):
    """The plan as an EmbPattern (same coordinates, same commands, its threads)."""
    import pyembroidery

    pattern = pyembroidery.EmbPattern()
    for thread in plan.threads:
        emb = pyembroidery.EmbThread()
        emb.set_color(*thread.rgb)
        emb.description = thread.name
        pattern.add_thread(emb)
    mapping = {STITCH: pyembroidery.STITCH, JUMP: pyembroidery.JUMP, TRIM: pyembroidery.TRIM,
               COLOR_CHANGE: pyembroidery.COLOR_CHANGE, END: pyembroidery.END}
    for x, y, command in plan.commands:
        pattern.add_stitch_absolute(mapping[int(command)], int(x), int(y))
    pattern.metadata("name", _ascii_label(order_id))
    return pattern


def encode(plan: StitchPlan, fmt: str, *, order_id: str, date) -> bytes:
    """One stitch file's bytes."""
    import pyembroidery

    pattern = to_pyembroidery(plan, order_id)
    buffer = io.BytesIO()
    if fmt == "dst":
        pyembroidery.write_dst(pattern, buffer, {"extended header": False})
    elif fmt == "pes":
        pyembroidery.write_pes(pattern, buffer, {"version": 6})
    elif fmt == "jef":
        pyembroidery.write_jef(pattern, buffer, {"date": _date_string(date), "trims": True})
    elif fmt == "exp":
        pyembroidery.write_exp(pattern, buffer)
    else:
        raise BadInput(f"stitch format {fmt!r} is not one of {', '.join(FORMATS)}")
    return buffer.getvalue()


def parse_formats(formats) -> list[str]:
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out = []
    for item in items:
        fmt = item.strip().lower().lstrip(".")
        if not fmt:
            continue
        if fmt not in FORMATS:
            raise BadInput(f"stitch format {fmt!r} is not one of {', '.join(FORMATS)}")
        if fmt not in out:
            out.append(fmt)
    if not out:
        raise BadInput("no stitch format given")
    return out


def write_stitch_files(plan: StitchPlan, out_dir, formats=FORMATS, *, order_id: str, date, stem: str | None = None) -> list[Path]:
    """Write the plan in each format into out_dir as STEM.FMT (default stem: the order id); returns the paths."""
    out = Path(out_dir)
    stem = stem or _ascii_label(order_id, 64)
    paths = []
    for fmt in parse_formats(formats):
        path = out / f"{stem}.{fmt}"
        write_bytes_atomic(path, encode(plan, fmt, order_id=order_id, date=date))
        paths.append(path)
    return paths


def render_preview(plan: StitchPlan, path, *, pixels_per_mm: float = 20.0, fabric: str = "#f4f1ea",
                   thread_width_mm: float = THREAD_WIDTH_MM) -> Path:
    """A PNG of the stitches at thread width (each stitch a shaded line with round ends), deterministic."""
    from PIL import Image, ImageDraw

    pts = plan.commands
    stitched = pts[pts[:, 2] == STITCH, :2]
    margin = 2.0 * UNITS_PER_MM
    lo = stitched.min(axis=0) - margin
    hi = stitched.max(axis=0) + margin
    scale = pixels_per_mm / UNITS_PER_MM
    size = tuple(int(v) for v in np.ceil((hi - lo) * scale) + 1)
    image = Image.new("RGB", size, fabric)
    draw = ImageDraw.Draw(image)
    width = max(1, int(round(thread_width_mm * pixels_per_mm)))
    highlight = max(1, width // 3)
    thread_index = 0
    runs: list[tuple[int, list]] = []
    current: list = []
    for x, y, command in pts:
        if command == STITCH:
            current.append(((x - lo[0]) * scale, (y - lo[1]) * scale))
            continue
        if current:
            runs.append((thread_index, current))
        current = [((x - lo[0]) * scale, (y - lo[1]) * scale)] if command == JUMP else []
        if command == COLOR_CHANGE:
            thread_index += 1
    if current:
        runs.append((thread_index, current))
    for index, run in runs:
        rgb = plan.threads[min(index, len(plan.threads) - 1)].rgb
        shade = tuple(int(v * 0.6) for v in rgb)
        light = tuple(int(v + (255 - v) * 0.45) for v in rgb)
        r = width / 2.0
        for a, b in zip(run[:-1], run[1:]):  # stitch by stitch, so a later stitch lies over an earlier one
            draw.line([a, b], fill=shade, width=width)
            for end in (a, b):
                draw.ellipse([end[0] - r, end[1] - r, end[0] + r, end[1] + r], fill=shade)
            draw.line([a, b], fill=rgb, width=max(1, width - 2))
            draw.line([a, b], fill=light, width=highlight)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    target = Path(path)
    write_bytes_atomic(target, buffer.getvalue())
    return target
