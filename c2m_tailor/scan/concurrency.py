"""Independent steps of one scan side by side on a multi-core machine.

A dense scan's heavy steps are numpy sorts, gathers and ufuncs over big arrays, which release
the GIL, so two threads on two cores overlap much of two independent steps (not all: the many
small numpy calls of the section searches hold it). Threads never share a result: each step
returns its own, and the results are read in the order the steps are given, so the output is
the same as running them one after another (and on a one-core machine they do run in turn).

Where other work keeps every core busy (scans measured in parallel processes, a shared CI
runner) the threads only take turns; C2M_SCAN_THREADS=1 in the environment runs the steps in
turn on one thread.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

# more threads than this buy nothing on the 2-core machines the CLI and CI run on
MAX_THREADS = 2


def run_together(*steps: Callable[[], Any]) -> list[Any]:
    """[step() for step in STEPS], the first on this thread and the rest beside it.

    Every step runs to its end; if any failed, the error of the first failing step (in the
    order given) is raised, as it would be when running them in turn."""
    threads = thread_count()
    if threads < 2 or len(steps) < 2:
        return [step() for step in steps]
    with ThreadPoolExecutor(max_workers=min(threads - 1, len(steps) - 1)) as pool:
        later = [pool.submit(step) for step in steps[1:]]
        first = steps[0]()  # (on an error here the pool still waits for the others)
        return [first] + [future.result() for future in later]


def run_in_batches(count: int, size: int, step: Callable[[int, int], Any]) -> list[Any]:
    """[step(start, stop) for each batch of SIZE of range(COUNT)], in order, the first half of
    the batches on this thread and the second beside it (run_together): for work whose batches
    read nothing of each other's, kept small enough for the processor's cache."""
    bounds = [(start, min(start + size, count)) for start in range(0, count, size)]
    half = (len(bounds) + 1) // 2
    first, second = run_together(lambda: [step(*b) for b in bounds[:half]], lambda: [step(*b) for b in bounds[half:]])
    return first + second


def thread_count() -> int:
    """How many threads a step may use (MAX_THREADS, the cores, C2M_SCAN_THREADS): also for
    scipy's own workers (a k-d tree's queries), whose results do not depend on the count."""
    return min(MAX_THREADS, _threads_allowed(), os.cpu_count() or 1)


def _threads_allowed() -> int:
    """C2M_SCAN_THREADS from the environment (a whole number of at least 1), else MAX_THREADS."""
    value = os.environ.get("C2M_SCAN_THREADS", "").strip()
    return max(int(value), 1) if value.isdigit() else MAX_THREADS
