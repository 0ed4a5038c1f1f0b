"""Cut-stage speed: orders per second for tape -> graded shirt -> AAMA DXF + SVG preview, beside Valentina.

Valentina 0.7.52 needs 0.26-0.5 s per exported pattern on this kind of machine; the goal is at least
10x faster. The headline figure is the whole order as the issue states it: the sample tape file
read and validated, the shirt drafted for that body (each order's body scaled a little so that no
two orders are alike), written as AAMA DXF and an SVG preview. Then the writers alone, on the
hand-built twelve-piece test set, and the other outputs.
Prints figures; not a test.  Run: python bench/bench_cut.py [orders]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from c2m_tailor.cut import (dxf_text, svg_text, write_dxf, write_pdf, write_plt, write_png, write_rul,  # noqa: E402
                            write_svg)
from c2m_tailor.pattern.model import Pattern  # noqa: E402
from cut_pieces import curved_piece, graded_pattern, rectangle_piece, sleeve_piece  # noqa: E402

VALENTINA_S = (0.26, 0.5)


def shirt_pattern(order: int) -> Pattern:
    """Twelve pieces (fronts, back, yokes, sleeves, collar, stand, cuffs, placket, pocket), 1 mm
    different per order so no order is a copy of another."""
    grow = 1.0 + order * 1e-3
    pieces = []
    makers = [curved_piece, curved_piece, curved_piece, rectangle_piece, rectangle_piece, sleeve_piece,
              sleeve_piece, rectangle_piece, rectangle_piece, rectangle_piece, rectangle_piece, rectangle_piece]
    for k, make in enumerate(makers):
        piece = make(name=f"P{k:02d}_{make.__name__[:-6].upper()}")
        pieces.append(replace(piece, sew_line=piece.sew_line * grow, cut_line=piece.cut_line * grow))
    return Pattern(style=f"Shirt order {order}", options={}, pieces=pieces, sample_size="MTM")


def tape_to_files(order: int, out: Path) -> None:
    """One order: tape file -> validated measurements -> graded shirt -> AAMA DXF + SVG."""
    from c2m_tailor.measure.measurements import from_tape
    from c2m_tailor.measure.tape import read_tape_file
    from c2m_tailor.pattern import grade

    body = from_tape(read_tape_file(ROOT / "sample_scans" / "sample_tape.csv")).mm()
    scale = 0.95 + 0.1 * ((order * 37) % 100) / 100
    body = {name: value * scale for name, value in body.items()}
    pattern = grade(body, "shirt", {}, sex="m").pattern
    write_dxf(pattern, out / f"{order}.dxf", style_name=f"ORD-{order}", creation_date="2026-11-22")
    write_svg(pattern, out / f"{order}.svg")


def timed(fn, repeat: int) -> list[float]:
    out = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    patterns = [shirt_pattern(i) for i in range(orders)]
    vertices = sum(len(p.cut_line) + len(p.sew_line) for p in patterns[0].pieces)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_dxf(patterns[0], out / "warm.dxf")  # imports, first-call costs
        write_svg(patterns[0], out / "warm.svg")

        tape_to_files(0, out)  # warm: imports, pattern files, fonts
        start = time.perf_counter()
        full = timed(lambda i: tape_to_files(i, out), orders)
        full_wall = time.perf_counter() - start

        def order(i: int) -> None:
            write_dxf(patterns[i], out / f"{i}.dxf", creation_date="2026-11-22")
            write_svg(patterns[i], out / f"{i}.svg")

        start = time.perf_counter()
        per_order = timed(order, orders)
        wall = time.perf_counter() - start
        in_memory = timed(lambda i: (dxf_text(patterns[i]), svg_text(patterns[i])), min(orders, 100))
        dxf = timed(lambda i: write_dxf(patterns[i], out / "d.dxf"), min(orders, 100))
        svg = timed(lambda i: write_svg(patterns[i], out / "s.svg"), min(orders, 100))
        plt = timed(lambda i: write_plt(patterns[i], out / "p.plt"), min(orders, 100))
        graded = graded_pattern()
        rul = timed(lambda i: write_rul(graded, out / "g.rul"), 20)
        png = timed(lambda i: write_png(patterns[i], out / "q.png"), 3)
        pdf = timed(lambda i: write_pdf(patterns[i], out / "q.pdf"), 2)

    median = statistics.median(per_order)
    import os

    lo, hi = VALENTINA_S
    full_median = statistics.median(full)
    print(f"tape -> graded shirt -> AAMA DXF + SVG: {orders / full_wall:.1f} orders/s on one core, median "
          f"{full_median * 1e3:.1f} ms/order -> {lo / full_median:.0f}x-{hi / full_median:.0f}x faster than Valentina "
          f"0.7.52 ({lo * 1e3:.0f}-{hi * 1e3:.0f} ms; goal >= 10x: {'met' if lo / full_median >= 10 else 'NOT met'})")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"pattern: {len(patterns[0].pieces)} pieces, {vertices} cut+sew vertices; {orders} orders; "
          f"{os.cpu_count()} CPUs, load average {load:.2f} (other work on the machine slows every figure)")
    print(f"writers alone, hand-built pieces: AAMA DXF + SVG preview: {orders / wall:.1f} orders/s, median {median * 1e3:.2f} ms/order "
          f"(best {min(per_order) * 1e3:.2f} ms, p95 {sorted(per_order)[int(0.95 * (orders - 1))] * 1e3:.2f} ms)")
    print(f"Valentina 0.7.52: {lo * 1e3:.0f}-{hi * 1e3:.0f} ms/pattern -> {lo / median:.0f}x-{hi / median:.0f}x "
          f"faster (goal >= 10x: {'met' if lo / median >= 10 else 'NOT met'})")
    print(f"  (of which building the two files in memory: median {statistics.median(in_memory) * 1e3:.2f} ms; the "
          "rest is the atomic write: temp file, fsync, rename)")
    for name, t in (("DXF", dxf), ("SVG", svg), ("PLT", plt), ("RUL (graded, 3 sizes)", rul),
                    ("PNG quick look", png), ("PDF tiled A4", pdf)):
        print(f"  {name:<22} median {statistics.median(t) * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
