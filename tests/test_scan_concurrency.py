"""Steps of a scan run side by side give what they give in turn; girth bounds hold."""

import threading
import time

import numpy as np
import pytest

from c2m_tailor.scan import concurrency, load_body, measure_body
from c2m_tailor.scan.sections import hull_perimeter, hull_perimeter_bounds


def test_run_together_keeps_order_and_raises_first_error_in_order():
    names = []

    def step(name, delay, fail=False):
        def run():
            time.sleep(delay)
            names.append((name, threading.get_ident()))
            if fail:
                raise ValueError(name)
            return name
        return run

    assert concurrency.run_together(step("a", 0.05), step("b", 0.0)) == ["a", "b"]
    # the second step fails first in time; the first step's error is the one raised
    with pytest.raises(ValueError, match="^a$"):
        concurrency.run_together(step("a", 0.05, fail=True), step("b", 0.0, fail=True))
    with pytest.raises(ValueError, match="^b$"):
        concurrency.run_together(step("a", 0.0), step("b", 0.02, fail=True))
    assert concurrency.run_together() == []


def test_environment_can_keep_steps_on_one_thread(monkeypatch):
    def thread_ids():
        return concurrency.run_together(threading.get_ident, threading.get_ident)

    monkeypatch.setattr(concurrency.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("C2M_SCAN_THREADS", "1")
    assert len(set(thread_ids())) == 1
    monkeypatch.setenv("C2M_SCAN_THREADS", "2")
    assert len(set(thread_ids())) == 2


def test_one_thread_and_two_threads_measure_the_same(shared_data, monkeypatch):
    body = load_body(shared_data / "bodies" / "female_curvy.obj")
    results = []
    for threads in (1, 2):
        monkeypatch.setattr(concurrency, "MAX_THREADS", threads)
        results.append(measure_body(body))
    one, two = results
    assert one.measurements_mm == two.measurements_mm
    assert list(one.lines) == list(two.lines) and one.lines == two.lines
    assert one.landmarks == two.landmarks and one.warnings == two.warnings
    assert one.measurements_mm["head_girth"] > 500.0


def test_girth_bounds_hold():
    rng = np.random.default_rng(7)
    for k in range(3000):
        n = int(rng.integers(1, 300))
        kind = k % 3
        if kind == 0:  # a ring, like a section
            a = rng.uniform(0, 2 * np.pi, n)
            points = np.column_stack([np.cos(a), np.sin(a)]) * rng.uniform(5, 400) + rng.normal(size=2) * 500
        elif kind == 1:  # (nearly) on a line: the hull may fail and give 0
            t = rng.normal(size=n)
            points = np.column_stack([t, rng.uniform(-3, 3) * t]) * 100 + rng.normal(size=(n, 2)) * 1e-9
        else:
            points = rng.normal(size=(n, 2)) * rng.uniform(0.1, 300, 2)
        girth = hull_perimeter(points)[0]
        lower, upper = hull_perimeter_bounds(points)
        assert lower <= girth <= upper
        if kind == 0 and n > 50:
            assert upper < 1.1 * girth and lower > 0.95 * girth  # tight enough to rule levels out
