"""Time to personalize one order: a monogram on a cuff, 4 stitch formats and a preview PNG.

Run: /work/venv/bin/python bench/bench_personalize.py  (prints one line per case, best of N runs)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from personalize_helpers import barrel_cuff, collar_stand  # noqa: E402

from c2m_tailor.personalize import StitchSettings, personalize  # noqa: E402

TATAMI = StitchSettings(outline_stitch="tatami")
CASES = [
    ("monogram JRS 8 mm, satin (DejaVu Sans Bold)", barrel_cuff, "JRS", {}),
    ("monogram JRS 8 mm, tatami + underlay (DejaVu Sans Bold)", barrel_cuff, "JRS", {"settings": TATAMI}),
    ("monogram JRS 8 mm, satin (Hershey futural)", barrel_cuff, "JRS", {"font": "futural"}),
    ("name 'J. SMITH' 6 mm, satin", barrel_cuff, "J. SMITH", {"height_mm": 6.0}),
    ("Chinese name 张伟 12 mm (CJK font)", collar_stand, "张伟", {"height_mm": 12.0}),
    ("Chinese name 王芳 12 mm (CJK font)", collar_stand, "王芳", {"height_mm": 12.0}),
]


def main(repeats: int = 5) -> None:
    for label, make_piece, text, options in CASES:
        piece = make_piece()
        best = float("inf")
        result = None
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as out:
                start = time.perf_counter()
                try:
                    result = personalize(piece, text, out_dir=out, order_id="BENCH-1", date="2026-11-22",
                                         formats="dst,pes,jef,exp", **{"height_mm": 8.0, **options})
                except Exception as exc:  # a missing CJK font on this machine
                    print(f"{label}: skipped ({exc})")
                    break
                best = min(best, time.perf_counter() - start)
        else:
            plan = result.plan
            width, height = plan.extents_mm()
            print(f"{label}: {best * 1000:.0f} ms (best of {repeats}), {plan.meta['kind']}, {plan.stitch_count} stitches, "
                  f"{plan.trim_count} trims, {width:.1f} x {height:.1f} mm")
    # the first call in a fresh process also pays for imports and font loading
    print("(first call in a process adds the import and font-loading time)")


if __name__ == "__main__":
    main()
