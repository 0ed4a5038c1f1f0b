"""How long `c2m-tailor --help` takes to start, against a bare `python -c pass`.

Goal (issue 2): under 3x the bare interpreter. Prints the median of N runs of each and the ratio.
Run: python bench/bench_startup.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def median_seconds(argv: list[str], runs: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run(argv, capture_output=True, env=env, check=True)  # warm the page cache and .pyc files
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    bare = median_seconds([sys.executable, "-c", "pass"], runs)
    help_ = median_seconds([sys.executable, "-m", "c2m_tailor", "--help"], runs)
    sub_help = median_seconds([sys.executable, "-m", "c2m_tailor", "measure", "--help"], runs)
    print(f"python -c pass             : {bare * 1000:7.1f} ms (median of {runs})")
    print(f"c2m-tailor --help          : {help_ * 1000:7.1f} ms  = {help_ / bare:4.1f}x bare (goal < 3x)")
    print(f"c2m-tailor measure --help  : {sub_help * 1000:7.1f} ms  = {sub_help / bare:4.1f}x bare")


if __name__ == "__main__":
    main()
