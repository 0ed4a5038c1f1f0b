"""The chain for one order: intake (tape, scan or package) -> grade -> validate -> cut -> personalize.

`run_chain` is what `c2m-tailor run` calls for one order and what each batch worker calls; each step
is the same library function the single-stage command uses, so a batch order and a typed command
give the same files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2m_tailor.errors import BadInput

KEY_MEASUREMENTS = ("stature", "chest_girth", "waist_girth", "hip_girth")


@dataclass
class ChainRequest:
    """What to make for one order once its body is measured."""

    style: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    monogram: str | None = None
    monogram_piece: str | None = None
    monogram_font: str | None = None
    monogram_height: str = "8mm"
    monogram_method: str = "embroidery"
    stitch_formats: str = "dst,pes,jef,exp"
    cut_format: str = "aama"
    target: str = "generic"
    plt: bool = False
    png: bool = False
    svg: bool = True
    pdf: bool = True


@dataclass
class ChainResult:
    job_dir: Path
    order_id: str
    stages: list[str]
    files: list[str]
    key_measurements: dict[str, float]
    warnings: list[str]
    validation_passed: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {"job": str(self.job_dir), "order_id": self.order_id, "stages": self.stages, "files": self.files,
                "key_measurements": self.key_measurements, "warnings": self.warnings,
                "validation_passed": self.validation_passed}


def intake_measurements(job, measurements: dict[str, str], unit: str | None, sex: str | None, where: str,
                        source_name: str) -> None:
    """Measurements given inline (a batch row), validated exactly as a tape file's, into an open job."""
    import hashlib
    import json

    from c2m_tailor.measure.measurements import from_tape
    from c2m_tailor.measure.stage import record_in_job
    from c2m_tailor.measure.tape import RawEntry, TapeFile

    entries = [RawEntry(name, value, None, f"column {name!r}") for name, value in measurements.items()]
    tape = TapeFile(Path(where), "orders-csv", entries, unit=None)
    measured = from_tape(tape, unit)
    digest = hashlib.sha256(json.dumps(sorted(measurements.items())).encode()).hexdigest()
    source = {"kind": "tape", "file": source_name, "sha256": digest, "format": "orders-csv", "unit": measured.unit}
    record_in_job(job, measured, source, sex=sex)


DEFAULT_MONOGRAM_PIECE = {"shirt": "cuff_left", "trousers": "waistband", "skirt": "waistband", "bodice": "back"}


def run_chain(job_dir: Path, request: ChainRequest) -> ChainResult:
    """grade -> validate -> personalize -> cut on a measured job; returns what was made.

    The job is opened (locked, read) once and written once. A pattern that fails validation is kept
    in the job with its failed checks, for a look, and then raises ValidationFailed.
    """
    from c2m_tailor.errors import ValidationFailed
    from c2m_tailor.job import open_job

    with open_job(Path(job_dir)) as job:
        result, failed = run_chain_in_job(job, request)
    if failed:
        raise ValidationFailed(failed)
    return result


def run_chain_in_job(job, request: ChainRequest) -> tuple[ChainResult, str | None]:
    """The chain on an open (locked) job: (what was made, the validation failure or None).

    The pattern passes from stage to stage in memory: the same stage code as the single commands,
    without re-reading the job's files. Personalization runs before cut (the issue orders them
    cut -> personalize) so that the DXF is written once, already carrying the lettering's
    position; the files are the same.
    """
    from c2m_tailor.cut.stage import check_choices, cut_in_job
    from c2m_tailor.pattern.stage import grade_in_job, validate_in_job
    from c2m_tailor.personalize.stage import personalize_in_job, request_for

    stages = ["measure"]
    validation_passed = None
    failed = None
    if request.monogram and not request.style:
        raise BadInput("a monogram needs a pattern to go on: give a style")
    check_choices(request.cut_format, request.target)
    if request.style:
        _, pattern = grade_in_job(job, request.style, request.options)
        stages.append("grade")
        report = validate_in_job(job, pattern)
        validation_passed = report.passed
        stages.append("validate")
        if not report.passed:
            first = report.failures[0]
            failed = (f"pattern validation failed: {len(report.failures)} of {len(report.checks)} checks, "
                      f"first {first.name}: {first.message or 'failed'}")
        else:
            if request.monogram:
                piece = request.monogram_piece or DEFAULT_MONOGRAM_PIECE.get(request.style)
                if not piece:
                    raise BadInput(f"style {request.style} has no default piece for a monogram: "
                                   "give --monogram-piece")
                add = request_for(request.monogram, piece, font=request.monogram_font,
                                  height=request.monogram_height, method=request.monogram_method,
                                  formats=request.stitch_formats)
                _, _, pattern = personalize_in_job(job, add, pattern)
                stages.append("personalize")
            cut_in_job(job, pattern, fmt=request.cut_format, target=request.target, plt=request.plt,
                       png=request.png, svg=request.svg, pdf=request.pdf)
            stages.append("cut")
    files = sorted(job.data["artifacts"])
    key = {name: round(job.measurements[name]["value_mm"], 1) for name in KEY_MEASUREMENTS if name in job.measurements}
    result = ChainResult(job.directory, job.order_id, stages, files, key, list(job.data["warnings"]),
                         validation_passed)
    return result, failed
