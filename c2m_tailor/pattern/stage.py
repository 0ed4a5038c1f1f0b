"""The grade and validate stages: the job's body -> pattern pieces, and the pattern maker's checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2m_tailor.errors import BadInput

GRADE = "grade"
VALIDATE = "validate"
DOWNSTREAM_OF_GRADE = ("validate", "cut", "personalize")


def parse_option_args(values: list[str] | None) -> dict[str, str]:
    """`--option collar=button_down --option fit=slim` (or `a=b;c=d` in one) into a dict."""
    from c2m_tailor.batch.orders import parse_options

    options: dict[str, str] = {}
    for value in values or []:
        options.update(parse_options(value, "--option"))
    return options


@dataclass
class GradeOutcome:
    job_dir: Path
    order_id: str
    style: str
    options: dict[str, str]
    sizes: list[str]
    pieces: list[dict[str, Any]]
    estimated: dict[str, float]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"job": str(self.job_dir), "order_id": self.order_id, "style": self.style, "options": self.options,
                "sizes": self.sizes, "pieces": self.pieces,
                "estimated": {k: round(v, 1) for k, v in sorted(self.estimated.items())}, "warnings": self.warnings}


def grade_job(job_dir: str | Path, style: str, options: dict[str, str] | None = None,
              size_chart: str | Path | None = None) -> GradeOutcome:
    """Draft STYLE for the job's body (or a size chart's nest) and store it as pattern/pattern.json."""
    from c2m_tailor.job import open_job

    if size_chart is not None and not Path(size_chart).is_file():
        raise BadInput(f"size chart {size_chart} does not exist")
    with open_job(job_dir) as job:
        return grade_in_job(job, style, options, size_chart)[0]


def grade_in_job(job, style: str, options: dict[str, str] | None = None, size_chart: str | Path | None = None):
    """The grade stage on an open (locked) job; returns (outcome, pattern)."""
    from c2m_tailor.pattern import grade
    from c2m_tailor.pattern.model import save_pattern

    measurements = job.measurements_mm()
    if not measurements and size_chart is None:
        raise BadInput(f"job {job.directory} has no measurements: run 'c2m-tailor measure' first")
    result = grade(measurements, style, options or {}, sex=job.sex, size_chart=size_chart)
    for stage in (GRADE, *DOWNSTREAM_OF_GRADE):
        job.drop_artifacts(stage)
        job.data["sections"].pop(stage, None)
    save_pattern(job, result.pattern, stage=GRADE)
    pattern = result.pattern
    pieces = [{"name": p.name, "quantity": p.quantity_text, "material": p.material} for p in pattern.pieces]
    job.set_section(GRADE, {
        "style": pattern.style, "options": dict(pattern.options), "sizes": pattern.sizes,
        "sample_size": pattern.sample_size, "size_chart": str(size_chart) if size_chart else None,
        "estimated": {k: round(v, 3) for k, v in result.estimated.items()},
        "ease_mm": dict(pattern.ease_mm), "warnings": list(result.warnings), "pieces": pieces,
    })
    job.log_stage(GRADE, {"style": pattern.style, "pieces": len(pieces), "sizes": len(pattern.sizes),
                          "estimated": sorted(result.estimated)})
    outcome = GradeOutcome(job.directory, job.order_id, pattern.style, dict(pattern.options), pattern.sizes,
                           pieces, dict(result.estimated), list(result.warnings))
    return outcome, pattern


def body_for_validation(job) -> dict[str, float]:
    """The body the pattern was drafted for: the job's measurements plus the grade stage's estimates."""
    body = job.measurements_mm()
    estimated = (job.section(GRADE) or {}).get("estimated", {})
    for name, value in estimated.items():
        if "." not in name:  # "size.name" estimates belong to a size chart's sizes
            body.setdefault(name, float(value))
    return body


def validate_job(job_dir: str | Path, junit: str | Path | None = None):
    """Run the pattern maker's checks on the job's pattern; record the verdict; optional JUnit XML."""
    from c2m_tailor.fileio import write_text_atomic
    from c2m_tailor.job import open_job

    with open_job(job_dir) as job:
        report = validate_in_job(job)
    if junit is not None:
        write_text_atomic(junit, report.to_junit_xml())
    return report


def validate_in_job(job, pattern=None):
    """The validate stage on an open (locked) job; PATTERN, when the caller holds it, saves a read."""
    from c2m_tailor.pattern import validate
    from c2m_tailor.pattern.model import load_pattern

    if pattern is None:
        pattern = load_pattern(job)
    report = validate(pattern, body_for_validation(job))
    job.set_section(VALIDATE, {"passed": report.passed, "total": len(report.checks),
                               "failures": [c.to_dict() for c in report.failures]})
    job.log_stage(VALIDATE, {"passed": report.passed, "checks": len(report.checks),
                             "failures": len(report.failures)})
    return report
