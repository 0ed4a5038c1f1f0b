"""The measure stage: read a tape file (or a scan), validate, and record it in the job."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2m_tailor.errors import BadInput
from c2m_tailor.fileio import sha256_file
from c2m_tailor.job import open_job
from c2m_tailor.measure.measurements import MeasurementSet, check_values, from_tape
from c2m_tailor.measure.tape import TAPE_SUFFIXES, is_tape_file, read_tape_file

SCAN_SUFFIXES = (".obj", ".ply", ".stl", ".off", ".glb", ".gltf", ".xyz", ".pts", ".asc")
SEXES = ("f", "m")


@dataclass
class MeasureOutcome:
    job_dir: Path
    order_id: str
    kind: str  # tape | scan
    input_unit: str
    measurements_mm: dict[str, float]
    warnings: list[str]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "job": str(self.job_dir),
            "order_id": self.order_id,
            "kind": self.kind,
            "unit": "mm",
            "input_unit": self.input_unit,
            "measurements": {k: round(v, 1) for k, v in sorted(self.measurements_mm.items())},
            "warnings": list(self.warnings),
            **self.extra,
        }


def measure(input_path: str | Path, job_dir: str | Path, unit: str | None = None, sex: str | None = None,
            order_id: str | None = None, qa_image: str | Path | None = None) -> MeasureOutcome:
    """Measure INPUT_PATH into the job at JOB_DIR (created if needed). Nothing is written on error."""
    input_path = Path(input_path)
    if sex is not None and sex not in SEXES:
        raise BadInput(f"--sex {sex!r} is not f or m")
    if not input_path.exists():
        raise BadInput(f"input {input_path} does not exist")
    if input_path.is_dir():
        raise BadInput(f"input {input_path} is a folder; give a tape file or a scan")
    suffix = input_path.suffix.lower()
    extra: dict[str, Any] = {}
    landmarks: dict[str, list[float]] = {}
    if is_tape_file(input_path):
        if qa_image is not None:
            raise BadInput("--qa-image needs a 3D scan; a tape file has nothing to draw")
        tape = read_tape_file(input_path)
        measured = from_tape(tape, unit)
        kind, fmt = "tape", tape.format
        sex = sex or tape.sex
    elif suffix in SCAN_SUFFIXES:
        if unit is not None:
            from c2m_tailor.units import normalize_unit

            unit = normalize_unit(unit, "--unit", allowed=("mm", "cm", "in", "m", "dm"))
        measured, landmarks, extra = _measure_scan(input_path, unit, qa_image)
        kind, fmt = "scan", suffix.lstrip(".")
    else:
        raise BadInput(f"{input_path.name}: unknown input type {suffix!r}; tape files: {', '.join(TAPE_SUFFIXES)}; "
                       f"scans: {', '.join(SCAN_SUFFIXES)}")
    source = {"kind": kind, "file": input_path.name, "sha256": sha256_file(input_path), "format": fmt,
              "unit": measured.unit}
    return record(job_dir, measured, source, sex=sex, order_id=order_id, landmarks=landmarks, extra=extra)


def record(job_dir: str | Path, measured: MeasurementSet, source: dict[str, Any], sex: str | None = None,
           order_id: str | None = None, landmarks: dict | None = None, extra: dict | None = None) -> MeasureOutcome:
    """Write a validated measurement set into the job (merged over what it held), under the job lock."""
    with open_job(job_dir, create=True, order_id=order_id) as job:
        return record_in_job(job, measured, source, sex=sex, landmarks=landmarks, extra=extra)


def record_in_job(job, measured: MeasurementSet, source: dict[str, Any], sex: str | None = None,
                  landmarks: dict | None = None, extra: dict | None = None) -> MeasureOutcome:
    """`record` on an open (locked) job, for a caller that goes on to other stages before saving."""
    if sex is not None and sex not in SEXES:
        raise BadInput(f"sex {sex!r} is not f or m")
    merged = dict(job.measurements)
    for name, value in measured.values.items():
        merged[name] = value.to_job()
    if len(merged) != len(measured.values):
        # Re-check the merged set: a new tape value must agree with what the job already held.
        from c2m_tailor.measure.measurements import MeasuredValue

        as_values = {n: MeasuredValue(n, e["value_mm"], e["source"], e.get("original_name", n),
                                      e.get("original_unit", "mm"), str(e.get("original_value", "")))
                     for n, e in merged.items()}
        check_values(as_values, f"job {job.directory}")
    warnings = list(measured.warnings)
    if merged != job.measurements:
        stale = _drop_downstream(job)
        if stale:
            warnings.append(f"measurements changed: removed the outputs of {', '.join(stale)} made from the old "
                            "ones; run those stages again")
    job.data["measurements"] = merged
    job.data["source"] = source
    if sex:
        job.data["customer"]["sex"] = sex
    job.data["warnings"] = warnings
    if landmarks:
        job.data["landmarks"] = landmarks
    job.log_stage("measure", {"kind": source["kind"], "file": source["file"], "count": len(measured.values),
                              "warnings": len(measured.warnings)})
    return MeasureOutcome(job.directory, job.order_id, source["kind"], measured.unit,
                          {n: float(e["value_mm"]) for n, e in merged.items()}, warnings,
                          dict(extra or {}))


DOWNSTREAM_STAGES = ("grade", "validate", "cut", "personalize")


def _drop_downstream(job) -> list[str]:
    """Outputs drafted from old measurements must not travel on: remove them when the body changes."""
    stale = []
    for stage in DOWNSTREAM_STAGES:
        had_files = any(meta.get("stage") == stage for meta in job.data["artifacts"].values())
        if had_files or stage in job.data["sections"]:
            stale.append(stage)
        job.drop_artifacts(stage)
        job.data["sections"].pop(stage, None)
    return stale


def _measure_scan(path: Path, unit: str | None, qa_image) -> tuple[MeasurementSet, dict, dict]:
    """Measure a 3D scan; validate its values like tape values; optionally draw the QA picture."""
    from c2m_tailor.measure.measurements import MeasuredValue
    from c2m_tailor.scan import measure_scan

    result = measure_scan(path, unit)
    values = {
        name: MeasuredValue(name, float(value), "scan", name, "mm", f"{value:.1f}",
                            confidence=float(result.confidence.get(name, 0.0)))
        for name, value in sorted(result.measurements_mm.items())
    }
    warnings = list(result.warnings)
    for name in list(values):
        # A scan value no body can have means a landmark went wrong, not that the customer is absurd:
        # drop that one value (the tailor measures it by tape) and keep the rest of the scan.
        try:
            check_values({name: values[name]}, path.name)
        except BadInput as exc:
            del values[name]
            warnings.append(f"{exc}: dropped from the scan; measure it by tape")
    if not values:
        raise BadInput(f"{path.name}: no measurement of the scan is plausible; check the scan's units and pose")
    warnings += check_values(values, path.name)
    measured = MeasurementSet(values, result.detected_unit, warnings)
    landmarks = {name: [round(float(c), 1) for c in xyz] for name, xyz in sorted(result.landmarks.items())}
    extra = {
        "detected_unit": result.detected_unit,
        "detected_up_axis": result.detected_up_axis,
        "detected_facing": result.detected_facing,
        "confidence": {k: round(float(v), 2) for k, v in sorted(result.confidence.items())},
        "landmarks": landmarks,
    }
    if qa_image is not None:
        from c2m_tailor.scan import render_qa_image

        render_qa_image(result, qa_image)
        extra["qa_image"] = str(qa_image)
    return measured, landmarks, extra
