"""Run a batch of orders in worker processes: isolated, resumable, deterministic.

- Each order is built in a hidden staging folder `OUT/orders/.<id>.partial` and renamed to
  `OUT/orders/<id>` only when its whole chain succeeded: a crash or Ctrl-C never leaves a
  half-written order, and what finished stays finished.
- `--resume` skips an order whose finished folder records the same fingerprint (hash of its inputs'
  bytes, options and tool version); anything else is redone.
- One bad order fails alone: its reason goes to the summary, the rest go on.
- Orders are submitted through a bounded window, so memory stays flat in the number of orders.
- A summary (`summary.json` and `summary.csv`) is written atomically at the end, and after an
  interruption for what had finished.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from c2m_tailor.batch.orders import OrderSpec
from c2m_tailor.errors import C2MError
from c2m_tailor.fileio import deferred_sync, sync_dir, sync_tree, write_json_atomic, write_text_atomic

ORDERS_DIR = "orders"
PARTIAL_SUFFIX = ".partial"
BATCH_SECTION = "batch"
ORDERS_PER_TASK = 4  # orders a worker builds per task: one's disk sync overlaps the next one's work


@dataclass
class OrderResult:
    order_id: str
    status: str  # ok | failed | skipped
    reason: str = ""
    files: list[str] = field(default_factory=list)
    key_measurements: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    where: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "status": self.status, "reason": self.reason, "files": self.files,
                "key_measurements": self.key_measurements, "seconds": round(self.seconds, 3), "where": self.where}


@dataclass
class BatchSummary:
    out_dir: Path
    results: list[OrderResult]
    seconds: float
    interrupted: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = {"ok": 0, "failed": 0, "skipped": 0}
        for result in self.results:
            counts[result.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        done = self.counts["ok"]
        return {"summary": True, "out": str(self.out_dir), "orders": len(self.results), **self.counts,
                "interrupted": self.interrupted, "seconds": round(self.seconds, 3),
                "orders_per_second": round(done / self.seconds, 2) if self.seconds > 0 else None,
                "results": [r.to_json() for r in self.results]}


def process_orders(specs: list[OrderSpec], out_dir: str, resume: bool, settings=None) -> list[OrderResult]:
    """Worker: a few orders in turn, each start to finish in its staging folder; never raises for a
    bad order (its result carries the reason).

    Each finished order is synced to disk and renamed into place on a thread while the next order
    is built (fsync waits for the disk without holding the GIL), so the worker's core does not sit
    idle on the disk; an order still counts as done only once it is on disk under its final name.
    """
    from concurrent.futures import ThreadPoolExecutor

    results = []
    finishing = []
    with ThreadPoolExecutor(max_workers=1) as disk:
        for spec in specs:
            started = time.perf_counter()
            result = OrderResult(spec.order_id, "failed", where=spec.where)
            staging = _build_order(spec, Path(out_dir), resume, settings, result)
            if staging is None:
                result.seconds = time.perf_counter() - started
            else:
                finishing.append((result, started, staging, disk.submit(_finish_order, staging, spec.order_id)))
            results.append(result)
        for result, started, staging, future in finishing:
            try:
                result.seconds = future.result() - started
                result.status = "ok"
            except Exception as exc:  # a full disk, a folder in the way: this order fails, the batch goes on
                shutil.rmtree(staging, ignore_errors=True)
                result.reason = f"the finished order could not be written to disk: {exc}"
                result.files, result.key_measurements = [], {}
                result.seconds = time.perf_counter() - started
    return results


def _build_order(spec: OrderSpec, out_dir: Path, resume: bool, settings, result: OrderResult) -> Path | None:
    """Make the order in its staging folder and return the folder; None when the order is skipped
    (RESULT says so) or failed (RESULT carries the reason, and nothing of it is left on disk)."""
    from dataclasses import replace

    from c2m_tailor.batch.pipeline import ChainRequest, intake_measurements, run_chain_in_job
    from c2m_tailor.errors import ValidationFailed
    from c2m_tailor.job import Job, open_job

    orders = out_dir / ORDERS_DIR
    final = orders / spec.order_id
    staging = orders / f".{spec.order_id}{PARTIAL_SUFFIX}"
    try:
        if spec.error:
            raise C2MError(spec.error)
        fingerprint = spec.fingerprint(settings_key(settings))
        if resume and Job.exists(final):
            done = (Job.load(final).section(BATCH_SECTION) or {})
            if done.get("fingerprint") == fingerprint and done.get("status") == "ok":
                result.status = "skipped"
                result.reason = "unchanged since its last successful run"
                result.files = list(done.get("files", []))
                result.key_measurements = dict(done.get("key_measurements", {}))
                return None
        with deferred_sync():
            shutil.rmtree(staging, ignore_errors=True)
            if spec.package:
                from c2m_tailor.transmit.package import receive

                receive(spec.package, staging)
            elif spec.scan:
                from c2m_tailor.measure.stage import measure

                measure(spec.scan, staging, unit=spec.unit if spec.unit != "mm" else None, sex=spec.sex,
                        order_id=spec.order_id)
            request = replace(settings or ChainRequest(), style=spec.style, options=spec.options, monogram=spec.monogram,
                              monogram_piece=spec.monogram_piece)
            tape = not (spec.package or spec.scan)
            # One open (lock, read, write) of the job for the whole order.
            with open_job(staging, create=tape, order_id=spec.order_id if tape else None) as job:
                if spec.package:
                    request = replace(request, **order_from_job(job, spec.where))
                elif tape:
                    intake_measurements(job, spec.measurements, spec.unit, spec.sex, spec.where, spec.source_name)
                chain, failed = run_chain_in_job(job, request)
                if failed:
                    raise ValidationFailed(failed)
                job.set_section(BATCH_SECTION, {"fingerprint": fingerprint, "status": "ok", "files": chain.files,
                                                "key_measurements": chain.key_measurements})
        result.files = chain.files
        result.key_measurements = chain.key_measurements
        return staging
    except C2MError as exc:
        result.reason = str(exc)
    except Exception as exc:  # a bug of ours: this order fails, the batch goes on
        result.reason = f"internal error ({type(exc).__name__}: {exc})"
    shutil.rmtree(staging, ignore_errors=True)
    return None


def _finish_order(staging: Path, order_id: str) -> float:
    """Every write of the order reaches the disk, then the order takes its final name; returns when."""
    orders = staging.parent
    final = orders / order_id
    sync_tree(staging)
    if final.exists():
        shutil.rmtree(final)
    os.replace(staging, final)
    sync_dir(orders)
    return time.perf_counter()


def order_from_job(job, where: str) -> dict[str, Any]:
    """What a received package asks for: the style and options it was graded with, its monogram."""
    graded = job.section("grade")
    if not graded or not graded.get("style"):
        raise C2MError(f"{where}: the order carries no style; grade it ('c2m-tailor grade') before transmitting")
    ordered: dict[str, Any] = {"style": graded["style"], "options": dict(graded.get("options", {}))}
    requests = (job.section("personalize") or {}).get("requests", [])
    if requests:
        first = requests[0]
        ordered.update(monogram=first["text"], monogram_piece=first["piece"], monogram_font=first.get("font"),
                       monogram_height=f"{first.get('height_mm', 8.0)}mm", monogram_method=first.get("method", "embroidery"))
    return ordered


def settings_key(settings) -> str:
    """The batch-wide settings that change an order's files (format, target, previews), for --resume."""
    if settings is None:
        return ""
    return json.dumps({k: getattr(settings, k) for k in ("cut_format", "target", "plt", "png", "svg", "pdf",
                                                          "monogram_height", "monogram_font", "stitch_formats")},
                      sort_keys=True)


def clean_partials(out_dir: Path) -> int:
    """Remove staging folders a killed batch left behind; returns how many."""
    orders = out_dir / ORDERS_DIR
    removed = 0
    if orders.is_dir():
        for path in orders.iterdir():
            if path.name.startswith(".") and path.name.endswith(PARTIAL_SUFFIX):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
    return removed


def run_batch(specs: list[OrderSpec], out_dir: str | Path, jobs: int | None = None, resume: bool = False,
              on_result: Callable[[OrderResult], None] | None = None, settings=None) -> BatchSummary:
    """Run every order; ON_RESULT is called in the parent as each finishes (progress, JSON lines)."""
    out_dir = Path(out_dir)
    (out_dir / ORDERS_DIR).mkdir(parents=True, exist_ok=True)
    clean_partials(out_dir)
    jobs = max(1, jobs or os.cpu_count() or 1)
    started = time.perf_counter()
    results: dict[str, OrderResult] = {}
    interrupted = False
    try:
        chunk = max(1, min(ORDERS_PER_TASK, len(specs) // (4 * jobs)))
        chunks = [specs[i:i + chunk] for i in range(0, len(specs), chunk)]
        if jobs == 1:
            finished = (process_orders(part, str(out_dir), resume, settings) for part in chunks)
            for part in finished:
                for result in part:
                    results[result.order_id] = result
                    if on_result:
                        on_result(result)
        else:
            _preload()
            with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
                for part in _bounded_map(pool, chunks, str(out_dir), resume, settings, window=4 * jobs):
                    for result in part:
                        results[result.order_id] = result
                        if on_result:
                            on_result(result)
    except KeyboardInterrupt:
        interrupted = True
    ordered = [results[s.order_id] for s in specs if s.order_id in results]
    summary = BatchSummary(out_dir, ordered, time.perf_counter() - started, interrupted)
    write_summary(summary)
    if interrupted:
        clean_partials(out_dir)
    return summary


def _preload() -> None:
    """Import the chain's modules and read the style files once, in the parent: the forked workers
    share them instead of each paying the imports (about a second per worker), and frozen objects
    are skipped by the workers' garbage collector."""
    import gc

    from c2m_tailor.batch import pipeline  # noqa: F401
    from c2m_tailor.cut import dxf_write, stage  # noqa: F401
    from c2m_tailor.pattern import validation  # noqa: F401
    from c2m_tailor.pattern.draft import load_styles

    load_styles()
    gc.freeze()


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent, which lets running orders finish and stops the rest.

    The disk thread (process_orders) needs the GIL back after each fsync; a short switch interval
    hands it over within half a millisecond instead of 5 ms, so an order's sync keeps pace with the
    building of the next one instead of piling up for the end of the task."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.setswitchinterval(0.0005)
    # The workers fill the cores already: a scan's steps run in turn, not on threads beside
    # each other (scan/concurrency.py), which would only contend with the other workers.
    os.environ["C2M_SCAN_THREADS"] = "1"


def _bounded_map(pool, chunks, out_dir, resume, settings, window) -> Iterator[list[OrderResult]]:
    pending = set()
    for chunk in chunks:
        pending.add(pool.submit(process_orders, chunk, out_dir, resume, settings))
        if len(pending) >= window:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield future.result()


def write_summary(summary: BatchSummary) -> None:
    data = summary.to_json()
    write_json_atomic(summary.out_dir / "summary.json", data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = ("stature", "chest_girth", "waist_girth", "hip_girth")
    writer.writerow(["order_id", "status", "reason", "files", *keys, "seconds"])
    for result in summary.results:
        writer.writerow([result.order_id, result.status, result.reason, ";".join(result.files),
                         *[result.key_measurements.get(k, "") for k in keys], f"{result.seconds:.3f}"])
    write_text_atomic(summary.out_dir / "summary.csv", buffer.getvalue())


def junit_xml(summary: BatchSummary) -> str:
    """JUnit XML for CI: one test case per order."""
    from xml.sax.saxutils import quoteattr

    counts = summary.counts
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuite name="c2m-tailor batch" tests="{len(summary.results)}" failures="{counts["failed"]}" '
             f'skipped="{counts["skipped"]}" time="{summary.seconds:.3f}">']
    for result in summary.results:
        head = f'  <testcase classname="orders" name={quoteattr(result.order_id)} time="{result.seconds:.3f}"'
        if result.status == "failed":
            lines.append(f'{head}><failure message={quoteattr(result.reason)}/></testcase>')
        elif result.status == "skipped":
            lines.append(f'{head}><skipped message={quoteattr(result.reason)}/></testcase>')
        else:
            lines.append(f"{head}/>")
    lines.append("</testsuite>")
    return "\n".join(lines) + "\n"


def dumps_line(result: OrderResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False)
