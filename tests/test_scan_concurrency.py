"""Steps of a scan run side by side give what they give in turn."""

import threading
import time

import pytest

from c2m_tailor.scan import concurrency, load_body, measure_body


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
