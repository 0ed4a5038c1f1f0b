"""Orders per second: tape measurements -> graded shirt pattern (no DXF, no validation).

Prints our figure beside FreeSewing's, about 40-50 shirts/s for its shirt on this kind of machine
(the goal is to be faster). Bodies are synthetic but realistic: the ANSUR II regression means with
a deterministic spread, so the bench needs no shared data.

    python bench/bench_grade.py [seconds]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from c2m_tailor.pattern import grade  # noqa: E402

FREESEWING_SHIRTS_PER_S = (40, 50)
BASE = {"neck_girth": 398, "chest_girth": 1059, "waist_girth": 941, "hip_girth": 1020, "shoulder_width": 416,
        "arm_length": 593, "upper_arm_girth": 358, "wrist_girth": 176, "back_neck_to_waist": 477, "stature": 1756}


def bodies(n: int) -> list[dict[str, float]]:
    out = []
    for i in range(n):
        f = 0.9 + 0.2 * ((i * 37) % 101) / 100.0  # 0.9 .. 1.1, deterministic
        out.append({k: round(v * (f if "girth" in k else 0.5 + 0.5 * f), 1) for k, v in BASE.items()})
    return out


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    population = bodies(200)
    options = [{"collar": c, "cuff": k, "chest_pocket": p}
               for c in ("spread", "button_down", "band") for k in ("barrel", "french") for p in ("no", "yes")]
    grade(population[0], "shirt", options[0], sex="male")  # warm the pattern-file cache
    count = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        grade(population[count % len(population)], "shirt", options[count % len(options)], sex="male")
        count += 1
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rate = count / cpu  # CPU time: the figure a busy shared machine does not distort
    print(f"c2m-tailor: {rate:.1f} shirts/s on one core ({1000 / rate:.1f} ms CPU per order, {count} orders; "
          f"wall clock {count / elapsed:.1f}/s)")
    print(f"FreeSewing: about {FREESEWING_SHIRTS_PER_S[0]}-{FREESEWING_SHIRTS_PER_S[1]} shirts/s "
          f"-> {'faster' if rate > FREESEWING_SHIRTS_PER_S[1] else 'not yet faster'}")


if __name__ == "__main__":
    main()
