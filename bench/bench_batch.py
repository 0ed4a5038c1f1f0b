"""The whole ANSUR II population (6,068 adults) as tape orders for the shirt -> DXF, in one batch.

Goal (issue 7): the whole population in under 2 minutes on a 2-core machine, zero failures other than
explained rejections. Prints orders/second, wall time, peak memory (parent + workers) and the failures.

Run: python bench/bench_batch.py [--limit N] [--jobs N] [--previews svg|none]
Reads ../shared/data/ansur beside the checkout (or C2M_SHARED_DATA); ANSUR column names are aliases
of our canonical names, so the orders CSV carries them as they are.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ["stature", "neckcircumference", "chestcircumference", "waistcircumference", "buttockcircumference",
           "biacromialbreadth", "sleeveoutseam", "bicepscircumferenceflexed", "wristcircumference", "waistbacklength"]


def shared_ansur() -> Path:
    base = Path(os.environ["C2M_SHARED_DATA"]) if os.environ.get("C2M_SHARED_DATA") else REPO.parent / "shared" / "data"
    return base / "ansur"


def write_orders(path: Path, limit: int | None) -> int:
    rows = []
    for sex, name in (("m", "ANSUR_II_MALE_Public.csv"), ("f", "ANSUR_II_FEMALE_Public.csv")):
        with open(shared_ansur() / name, encoding="latin-1", newline="") as handle:
            for row in csv.DictReader(handle):
                row = {k.lower(): v for k, v in row.items()}
                rows.append([f"ANSUR-{sex}{row['subjectid']}", "shirt", sex, "mm", *[row[c] for c in COLUMNS]])
    if limit:
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["order_id", "style", "sex", "unit", *COLUMNS])
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="a sample of N bodies spread over the survey")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--previews", default="svg")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="c2m-bench-batch-"))
    try:
        orders = work / "orders.csv"
        count = write_orders(orders, args.limit)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "c2m_tailor", "batch", str(orders), "--out", str(work / "out"),
                              "--jobs", str(args.jobs), "--previews", args.previews, "--json"],
                             capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
        wall = time.perf_counter() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
        summary = lines[-1]
        failed = [line for line in lines[:-1] if line["status"] == "failed"]
        print(f"orders            : {count} ANSUR II bodies, shirt -> AAMA DXF + {args.previews} preview")
        print(f"jobs              : {args.jobs}")
        print(f"wall time         : {wall:.1f} s (goal for 6,068: < 120 s)")
        print(f"orders/second     : {count / wall:.1f}")
        cpu = children.ru_utime + children.ru_stime
        print(f"cpu time          : {cpu:.1f} s = {cpu / count * 1000:.1f} ms per order (parent + workers; "
              f"{cpu / wall:.2f} of the {args.jobs} cores busy)")
        print(f"peak memory       : {children.ru_maxrss / 1024:.0f} MiB (largest single process: parent or a worker)")
        print(f"ok / failed       : {summary['ok']} / {summary['failed']}")
        reasons: dict[str, int] = {}
        for line in failed:
            key = line["reason"].split(": ", 1)[-1][:120]
            reasons[key] = reasons.get(key, 0) + 1
        for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {n:5d} x {reason}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
