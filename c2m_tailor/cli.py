"""The c2m-tailor command line: a thin Typer layer over the library.

Each command parses its arguments, calls one library function, and prints: one JSON object on
stdout with --json, a rich summary on stderr otherwise. Errors the user can cause become one
sentence on stderr and the exit code of the contract (see c2m_tailor.errors); heavy libraries are
imported inside the commands, so `--help` stays quick.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from c2m_tailor import __version__
from c2m_tailor.errors import EXIT_INTERNAL, C2MError

app = typer.Typer(
    name="c2m-tailor",
    help="Made-to-measure garment production: measure -> transmit -> cut -> personalize.\n\n"
    "Every command works on a job directory and hands it to the next one.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonOption = typer.Option(False, "--json", help="Print one JSON object on stdout (human output goes to stderr).")


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _fail(message: str, code: int, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"ok": False, "error": message, "exit_code": code}))
    _console().print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(code)


def run_command(work: Callable[[], Any], as_json: bool, human: Callable[[Any, Any], None]) -> Any:
    """Run WORK, map user errors to exit codes, print the result as JSON or for a person."""
    try:
        result = work()
    except C2MError as exc:
        _fail(str(exc), exc.exit_code, as_json)
    except KeyboardInterrupt:
        _fail("interrupted; nothing half-written was left behind", 130, as_json)
    except Exception as exc:  # a bug of ours: say so plainly, with the traceback only on request
        if os.environ.get("C2M_DEBUG"):
            raise
        _fail(f"internal error ({type(exc).__name__}: {exc}); please report it, with C2M_DEBUG=1 for the traceback",
              EXIT_INTERNAL, as_json)
    if as_json:
        print(json.dumps(result.to_json() if hasattr(result, "to_json") else result, ensure_ascii=False))
    else:
        human(result, _console())
    return result


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _version_callback(value: bool) -> None:
    if value:
        print(f"c2m-tailor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True, help="Print the version."),
) -> None:
    """Made-to-measure garment production: measure -> transmit -> cut -> personalize."""


# --------------------------------------------------------------------------- measure
@app.command(epilog="Example: c2m-tailor measure sample_scans/sample_tape.csv --job jobs/ORD-1001 --unit cm --sex m")
def measure(
    input: Path = typer.Argument(..., help="Tape file (.csv .json .yaml .vit .smis) or 3D scan (.obj .ply .stl .off .glb .xyz)."),
    job: Path = typer.Option(..., "--job", help="Job directory to create or update."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Unit of the values: mm, cm or in (default: as the file says)."),
    sex: Optional[str] = typer.Option(None, "--sex", help="f or m (chooses the estimates later stages use)."),
    order_id: Optional[str] = typer.Option(None, "--order-id", help="Order id (default: the job folder's name)."),
    qa_image: Optional[Path] = typer.Option(None, "--qa-image", help="Scans: write a PNG of landmarks and measurement lines."),
    as_json: bool = JsonOption,
) -> None:
    """Measure a body (tape file or 3D scan) into a job."""
    from c2m_tailor.measure.stage import measure as do_measure

    def human(outcome, console):
        from rich.table import Table

        table = Table(title=f"order {outcome.order_id}: {len(outcome.measurements_mm)} measurements ({outcome.kind})")
        table.add_column("measurement")
        table.add_column("mm", justify="right")
        for name, value in sorted(outcome.measurements_mm.items()):
            table.add_row(name, f"{value:.1f}")
        console.print(table)
        for warning in outcome.warnings:
            console.print(f"[yellow]warning:[/] {warning}", soft_wrap=True)
        console.print(f"job written: {outcome.job_dir / 'job.json'}")

    run_command(lambda: do_measure(input, job, unit=unit, sex=sex, order_id=order_id, qa_image=qa_image), as_json, human)


# --------------------------------------------------------------------------- transmit / receive
@app.command(epilog="Example: c2m-tailor transmit jobs/ORD-1001 --to factory/inbox --key-file shop.key")
def transmit(
    job_dir: Path = typer.Argument(..., metavar="JOBDIR", help="Job directory to send."),
    to: Path = typer.Option(..., "--to", help="Inbox (hot folder) to write <order-id>.c2m into."),
    key_file: Optional[Path] = typer.Option(None, "--key-file", help="Shared secret: sign the manifest (HMAC-SHA256)."),
    as_json: bool = JsonOption,
) -> None:
    """Pack a job into one verifiable order package, written atomically."""
    from c2m_tailor.transmit.package import read_key, transmit as do_transmit

    def work():
        result = do_transmit(job_dir, to, read_key(key_file) if key_file else None)
        return {"package": str(result.package), "order_id": result.order_id, "signed": result.signed,
                "size": result.size, "members": result.members}

    def human(result, console):
        signed = "signed" if result["signed"] else "unsigned"
        console.print(f"order {result['order_id']}: {_count(len(result['members']), 'file')} -> {result['package']} "
                      f"({result['size']} bytes, {signed})")

    run_command(work, as_json, human)


@app.command(epilog="Example: c2m-tailor receive factory/inbox/ORD-1001.c2m --into jobs-received/ORD-1001 --key-file shop.key")
def receive(
    package: Path = typer.Argument(..., help="Order package (.c2m) to verify and unpack."),
    into: Path = typer.Option(..., "--into", help="New job directory to unpack into."),
    key_file: Optional[Path] = typer.Option(None, "--key-file", help="Shared secret: refuse unsigned or wrongly signed packages."),
    as_json: bool = JsonOption,
) -> None:
    """Verify an order package and unpack it into a job directory."""
    from c2m_tailor.transmit.package import read_key, receive as do_receive

    def work():
        result = do_receive(package, into, read_key(key_file) if key_file else None)
        return {"job": str(result.job_dir), "order_id": result.order_id, "signed": result.signed,
                "signature_verified": result.verified_signature, "members": result.members,
                "warnings": result.warnings}

    def human(result, console):
        check = "signature verified" if result["signature_verified"] else "hashes verified"
        console.print(f"order {result['order_id']}: {_count(len(result['members']), 'file')} verified ({check}) -> {result['job']}")
        for warning in result["warnings"]:
            console.print(f"[yellow]warning:[/] {warning}", soft_wrap=True)

    run_command(work, as_json, human)


# --------------------------------------------------------------------------- batch
@app.command(epilog="Example: c2m-tailor batch orders.csv --out factory/today --jobs 2 --resume --junit batch.xml")
def batch(
    orders: Path = typer.Argument(..., help="Orders CSV (one row per order) or a hot folder of .c2m packages."),
    out: Path = typer.Option(..., "--out", help="Output folder: orders/<order-id>/ and summary.json/.csv."),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="Worker processes (default: the number of cores)."),
    resume: bool = typer.Option(False, "--resume", help="Skip orders unchanged since their last successful run."),
    junit: Optional[Path] = typer.Option(None, "--junit", help="Also write a JUnit XML report (one case per order)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per order as it finishes, then a summary line."),
) -> None:
    """Run a day of orders through the chain, in parallel; failures stay isolated."""
    import signal

    from c2m_tailor.batch.orders import read_orders
    from c2m_tailor.batch.runner import dumps_line, junit_xml, run_batch
    from c2m_tailor.errors import EXIT_BATCH_PARTIAL
    from c2m_tailor.fileio import write_text_atomic

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)

    def work():
        specs = read_orders(orders)
        console = _console()
        if as_json:
            def on_result(result):
                print(dumps_line(result), flush=True)
            summary = run_batch(specs, out, jobs=jobs, resume=resume, on_result=on_result)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("failed {task.fields[failed]}"), TextColumn("{task.fields[rate]} orders/s"),
                       TimeRemainingColumn())
            with Progress(*columns, console=console, transient=False) as progress:
                task = progress.add_task("orders", total=len(specs), failed=0, rate="-")
                import time as _time

                started = _time.perf_counter()
                failed = 0

                def on_result(result):
                    nonlocal failed
                    failed += result.status == "failed"
                    rate = progress.tasks[0].completed + 1
                    progress.update(task, advance=1, failed=failed,
                                    rate=f"{rate / max(_time.perf_counter() - started, 1e-9):.1f}")
                summary = run_batch(specs, out, jobs=jobs, resume=resume, on_result=on_result)
        if junit:
            write_text_atomic(junit, junit_xml(summary))
        return summary

    try:
        summary = work()
    except C2MError as exc:
        _fail(str(exc), exc.exit_code, as_json)
    except Exception as exc:
        if os.environ.get("C2M_DEBUG"):
            raise
        _fail(f"internal error ({type(exc).__name__}: {exc}); please report it", EXIT_INTERNAL, as_json)
    counts = summary.counts
    if as_json:
        data = summary.to_json()
        data.pop("results")
        print(json.dumps(data), flush=True)
    console = _console()
    for result in summary.results:
        if result.status == "failed":
            console.print(f"[red]failed[/] {result.order_id}: {result.reason}", soft_wrap=True)
    console.print(f"{counts['ok']} ok, {counts['failed']} failed, {counts['skipped']} skipped in "
                  f"{summary.seconds:.1f} s -> {out / 'summary.json'}")
    if summary.interrupted:
        console.print("[yellow]interrupted:[/] finished orders are kept; run again with --resume for the rest")
        raise typer.Exit(130)
    if counts["failed"]:
        raise typer.Exit(EXIT_BATCH_PARTIAL)


def main() -> None:
    """Console entry point."""
    app(prog_name="c2m-tailor")


if __name__ == "__main__":
    main()
