"""The c2m-tailor command line: a thin Typer layer over the library.

Each command parses its arguments, calls one library function, and prints: one JSON object on
stdout with --json, a rich summary on stderr otherwise. Errors the user can cause become one
sentence on stderr and the exit code of the contract (see c2m_tailor.errors); heavy libraries are
imported inside the commands, so `--help` stays quick.
"""

from __future__ import annotations

import json
import os
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
        payload = result.to_json() if hasattr(result, "to_json") else result.to_dict() if hasattr(result, "to_dict") else result
        print(json.dumps(payload, ensure_ascii=False))
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
    input: Path = typer.Argument(..., help="Tape file (.csv .json .yaml .vit .smis) or 3D scan (.obj .ply .stl .off .glb .xyz .pts .asc)."),
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


# --------------------------------------------------------------------------- grade / styles / validate
@app.command(epilog="Example: c2m-tailor grade jobs/ORD-1001 --style shirt --option collar=button_down --option fit=slim")
def grade(
    job_dir: Path = typer.Argument(..., metavar="JOBDIR", help="Measured job directory."),
    style: str = typer.Option(..., "--style", help="Style id (see 'c2m-tailor styles'): shirt, trousers, bodice, skirt."),
    option: Optional[List[str]] = typer.Option(None, "--option", help="Style option key=value; repeat for more."),
    size_chart: Optional[Path] = typer.Option(None, "--size-chart", help="CSV of sizes x measurements: grade a nest of sizes."),
    as_json: bool = JsonOption,
) -> None:
    """Draft a style's pattern pieces for the job's body (or a size chart's nest of sizes)."""
    from c2m_tailor.pattern.stage import grade_job, parse_option_args

    def human(outcome, console):
        options = ", ".join(f"{k}={v}" for k, v in outcome.options.items())
        console.print(f"order {outcome.order_id}: {outcome.style} ({options}), {_count(len(outcome.pieces), 'piece')}, "
                      f"sizes {', '.join(outcome.sizes)}")
        for piece in outcome.pieces:
            console.print(f"  {piece['name']:<16} x{piece['quantity']:<4} {piece['material']}")
        for name, value in sorted(outcome.estimated.items()):
            console.print(f"[yellow]estimated:[/] {name} = {value:.1f} mm (not measured; from ANSUR II regressions)")
        for warning in outcome.warnings:
            console.print(f"[yellow]warning:[/] {warning}", soft_wrap=True)

    run_command(lambda: grade_job(job_dir, style, parse_option_args(option), size_chart), as_json, human)


@app.command(epilog="Example: c2m-tailor styles --json")
def styles(as_json: bool = JsonOption) -> None:
    """List the styles, their options and the measurements they need."""
    from c2m_tailor.pattern import list_styles

    def human(result, console):
        for style in result["styles"]:
            console.print(f"[bold]{style['id']}[/]: {style['title']}")
            for opt in style["options"]:
                console.print(f"  --option {opt['name']}={'|'.join(opt['values'])}  (default {opt['default']})")
            console.print(f"  needs: {', '.join(style['required_measurements'])}", soft_wrap=True)

    run_command(lambda: {"styles": [s.to_dict() for s in list_styles()]}, as_json, human)


@app.command(epilog="Example: c2m-tailor catalogue --json")
def catalogue(as_json: bool = JsonOption) -> None:
    """List the canonical measurements: definition, adult range, and how a scan takes each one."""
    from c2m_tailor.measure.catalogue import CATALOGUE

    def human(result, console):
        for entry in result["measurements"]:
            low, high = entry["typical_mm"]
            console.print(f"[bold]{entry['name']}[/] ({entry['kind']}, adults {low:.0f}-{high:.0f} mm): "
                          f"{entry['definition']}", soft_wrap=True)
            for key in ("note", "scan_note"):
                if entry[key]:
                    console.print(f"  {'scan' if key == 'scan_note' else 'note'}: {entry[key]}", soft_wrap=True)

    run_command(lambda: {"measurements": [m.to_dict() for m in CATALOGUE.values()]}, as_json, human)


@app.command(epilog="Example: c2m-tailor validate jobs/ORD-1001 --junit validate.xml")
def validate(
    job_dir: Path = typer.Argument(..., metavar="JOBDIR", help="Job directory holding a graded pattern."),
    junit: Optional[Path] = typer.Option(None, "--junit", help="Also write the checks as JUnit XML (for CI)."),
    as_json: bool = JsonOption,
) -> None:
    """Check the pattern as a pattern maker would: seams, fit, geometry. Exit 4 on any failure."""
    from c2m_tailor.errors import EXIT_VALIDATION
    from c2m_tailor.pattern.stage import validate_job

    def human(report, console):
        from rich.table import Table

        table = Table(title=f"{report.style}: {len(report.checks) - len(report.failures)}/{len(report.checks)} checks passed")
        for column in ("check", "measured", "expected", "tolerance", ""):
            table.add_column(column)
        shown = report.failures or report.checks
        for check in shown[:60]:
            table.add_row(check.name, _fmt(check.measured), _fmt(check.expected), _fmt(check.tolerance),
                          "[green]ok[/]" if check.passed else f"[red]{check.message or 'failed'}[/]")
        console.print(table)

    report = run_command(lambda: validate_job(job_dir, junit), as_json, human)
    if not report.passed:
        raise typer.Exit(EXIT_VALIDATION)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


# --------------------------------------------------------------------------- cut
@app.command(epilog="Example: c2m-tailor cut jobs/ORD-1001 --format aama --target gerber --plt --png")
def cut(
    job_dir: Path = typer.Argument(..., metavar="JOBDIR", help="Job directory holding a graded pattern."),
    fmt: str = typer.Option("aama", "--format", help="DXF convention: aama or astm (ASTM D6673)."),
    target: str = typer.Option("generic", "--target", help="CAD system: generic, gerber, lectra or optitex."),
    plt: bool = typer.Option(False, "--plt", help="Also write HPGL for pen plotters and cutters (40 units/mm)."),
    png: bool = typer.Option(False, "--png", help="Also write a PNG preview for a quick look."),
    sizes: str = typer.Option("sample", "--sizes", help="Graded nest: 'sample' (DXF + RUL grade rules) or 'all' (every size's blocks)."),
    page: str = typer.Option("A4", "--page", help="Paper of the 1:1 PDF preview: A4 or Letter."),
    previews: str = typer.Option("svg,pdf", "--previews", help="Previews to write: svg, pdf (1:1, tiled), both, or none."),
    as_json: bool = JsonOption,
) -> None:
    """Write cutting-ready DXF (+ RUL), previews (SVG, PDF at 1:1) and optionally PLT/PNG."""
    from c2m_tailor.cut.stage import cut as do_cut, parse_previews

    def human(outcome, console):
        console.print(f"order {outcome.order_id}: {_count(len(outcome.blocks), 'piece')} as {outcome.fmt.upper()} "
                      f"DXF for {outcome.target}")
        for rel in outcome.files:
            console.print(f"  {outcome.job_dir / rel}")

    def work():
        svg, pdf = parse_previews(previews)
        return do_cut(job_dir, fmt=fmt, target=target, plt=plt, png=png, sizes=sizes, page=page, svg=svg, pdf=pdf)

    run_command(work, as_json, human)


# --------------------------------------------------------------------------- personalize
@app.command(epilog='Example: c2m-tailor personalize jobs/ORD-1001 --text "JRS" --piece cuff_left --height 8mm --format dst,pes')
def personalize(
    job_dir: Path = typer.Argument(..., metavar="JOBDIR", help="Job directory holding a graded pattern."),
    text: str = typer.Option(..., "--text", help="Letters to put on the piece (Latin or CJK)."),
    piece: str = typer.Option(..., "--piece", help="Piece to personalize, e.g. cuff_left, front_left, collar_stand."),
    anchor: Optional[str] = typer.Option(None, "--anchor", help="Named anchor of the piece (default: the piece's own)."),
    offset: Optional[str] = typer.Option(None, "--offset", help="Explicit baseline start X,Y in mm, piece coordinates."),
    rotation: float = typer.Option(0.0, "--rotation", help="Baseline rotation in degrees (with --offset)."),
    method: str = typer.Option("embroidery", "--method", help="embroidery (stitch files) or marking (pen lines only)."),
    font: Optional[str] = typer.Option(None, "--font", help="Font name (default DejaVu Sans Bold; CJK found automatically)."),
    height: str = typer.Option("8mm", "--height", help="Letter height: 8mm, 0.8cm, 0.3in."),
    color: Optional[str] = typer.Option(None, "--color", help="Thread colour(s): navy or #1a2b3c; one per letter with commas."),
    formats: str = typer.Option("dst,pes,jef,exp", "--format", help="Stitch file formats, comma-separated."),
    as_json: bool = JsonOption,
) -> None:
    """Place a monogram or name on a piece: lettering in the pattern, embroidery files in the job."""
    from c2m_tailor.personalize.stage import personalize_job

    def human(outcome, console):
        for item in outcome.items:
            extra = f", {item['stitches']} stitches" if "stitches" in item else ""
            console.print(f"order {outcome.order_id}: {item['text']!r} on {item['piece']} ({item['font']}, "
                          f"{item['height_mm']:g} mm{extra})")
        for rel in outcome.files + outcome.recut:
            console.print(f"  {outcome.job_dir / rel}")

    run_command(lambda: personalize_job(job_dir, text=text, piece=piece, anchor=anchor, offset=offset,
                                        rotation_deg=rotation, method=method, font=font, height=height,
                                        colors=color, formats=formats), as_json, human)


# --------------------------------------------------------------------------- run
@app.command(epilog="Example: c2m-tailor run sample_scans/male_average.obj --job jobs/ORD-1001 --style shirt "
             "--option collar=button_down --monogram JRS --plt --png")
def run(
    input: Path = typer.Argument(..., help="Tape file or 3D scan of the customer."),
    job: Path = typer.Option(..., "--job", help="Job directory to create."),
    style: str = typer.Option(..., "--style", help="Style id (see 'c2m-tailor styles')."),
    option: Optional[List[str]] = typer.Option(None, "--option", help="Style option key=value; repeat for more."),
    monogram: Optional[str] = typer.Option(None, "--monogram", help="Letters to embroider (default piece: the style's)."),
    monogram_piece: Optional[str] = typer.Option(None, "--monogram-piece", help="Piece for the monogram, e.g. cuff_left."),
    monogram_height: str = typer.Option("8mm", "--monogram-height", help="Letter height of the monogram."),
    font: Optional[str] = typer.Option(None, "--font", help="Font of the monogram."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Unit of the input (tape: mm, cm, in; scan: m, cm, mm, ...)."),
    sex: Optional[str] = typer.Option(None, "--sex", help="f or m."),
    order_id: Optional[str] = typer.Option(None, "--order-id", help="Order id (default: the job folder's name)."),
    fmt: str = typer.Option("aama", "--format", help="DXF convention: aama or astm."),
    target: str = typer.Option("generic", "--target", help="CAD system: generic, gerber, lectra or optitex."),
    plt: bool = typer.Option(False, "--plt", help="Also write HPGL for plotters."),
    png: bool = typer.Option(False, "--png", help="Also write a PNG preview."),
    previews: str = typer.Option("svg,pdf", "--previews", help="Previews: svg, pdf, both or none."),
    to: Optional[Path] = typer.Option(None, "--to", help="Where to write the order package (default: JOBDIR/../outbox)."),
    key_file: Optional[Path] = typer.Option(None, "--key-file", help="Sign the package with this shared secret."),
    qa_image: Optional[Path] = typer.Option(None, "--qa-image", help="Scans: landmark picture to check the measuring."),
    as_json: bool = JsonOption,
) -> None:
    """The whole chain for one order: measure -> grade -> validate -> personalize -> cut -> package."""
    from c2m_tailor.batch.pipeline import ChainRequest, run_chain
    from c2m_tailor.cut.stage import parse_previews
    from c2m_tailor.measure.stage import measure as do_measure
    from c2m_tailor.pattern.stage import parse_option_args
    from c2m_tailor.transmit.package import read_key, transmit as do_transmit

    def work():
        from c2m_tailor.cut.stage import check_choices
        from c2m_tailor.pattern.grading import check_style

        # Every word of the order is checked before the body is measured: a typo leaves no job behind.
        svg, pdf = parse_previews(previews)
        check_choices(fmt, target)
        options = parse_option_args(option)
        check_style(style, options)
        key = read_key(key_file) if key_file else None
        measured = do_measure(input, job, unit=unit, sex=sex, order_id=order_id, qa_image=qa_image)
        request = ChainRequest(style=style, options=options, monogram=monogram,
                               monogram_piece=monogram_piece, monogram_font=font, monogram_height=monogram_height,
                               cut_format=fmt, target=target, plt=plt, png=png, svg=svg, pdf=pdf)
        chain = run_chain(job, request)
        package = do_transmit(job, to or (job.absolute().parent / "outbox"), key)
        result = chain.to_json()
        result["stages"] = chain.stages + ["package"]
        result["package"] = str(package.package)
        result["measurements"] = {k: round(v, 1) for k, v in sorted(measured.measurements_mm.items())}
        return result

    def human(result, console):
        console.print(f"order {result['order_id']}: {' -> '.join(result['stages'])}")
        for rel in result["files"]:
            console.print(f"  {Path(result['job']) / rel}")
        console.print(f"  package: {result['package']}")
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
    fmt: str = typer.Option("aama", "--format", help="DXF convention: aama or astm."),
    target: str = typer.Option("generic", "--target", help="CAD system: generic, gerber, lectra or optitex."),
    plt: bool = typer.Option(False, "--plt", help="Also write HPGL for plotters."),
    previews: str = typer.Option("svg", "--previews", help="Previews per order: svg, pdf, both or none (pdf is slow)."),
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
        from c2m_tailor.batch.pipeline import ChainRequest
        from c2m_tailor.cut.stage import parse_previews

        from c2m_tailor.cut.stage import check_choices

        svg, pdf = parse_previews(previews)
        check_choices(fmt, target)  # a batch-wide typo is one error, not one failure per order
        settings = ChainRequest(cut_format=fmt, target=target, plt=plt, svg=svg, pdf=pdf)
        specs = read_orders(orders)
        console = _console()
        if as_json:
            def on_result(result):
                print(dumps_line(result), flush=True)
            summary = run_batch(specs, out, jobs=jobs, resume=resume, on_result=on_result, settings=settings)
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
                summary = run_batch(specs, out, jobs=jobs, resume=resume, on_result=on_result, settings=settings)
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
