"""The job: the only thing that passes between stages.

A job is a directory holding `job.json` (this module is the one place that reads and writes it)
and the artifacts the stages wrote (DXF, stitch files, previews). Each stage opens the job under a
lock, adds its part and writes it back atomically.

`job.json` layout (schema_version 1)::

    schema          "c2m-tailor/job"
    schema_version  1
    order_id        ASCII [A-Za-z0-9._-]{1,64}; names the package and the DXF style
    created/updated ISO-8601 UTC (SOURCE_DATE_EPOCH is honoured, for reproducible builds)
    customer        {"sex": "f"|"m"|null}
    source          {"kind": "tape"|"scan", "file": name, "sha256": hex, "format": ...}
    measurements    {canonical_name: {"value_mm", "source", "original_name", "original_unit",
                                      "original_value", "confidence", "estimated"}}
    warnings        [sentence, ...]
    landmarks       {name: [x, y, z] in mm}          (scan stage)
    sections        {stage_name: stage-owned JSON}   (grade, cut, personalize, ...)
    artifacts       {relative_path: {"sha256", "size", "stage"}}
    stages          [{"stage", "at", "tool_version", "summary"}]
"""

from __future__ import annotations

import copy
import datetime as _dt
import errno
import fcntl
import json
import math
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from c2m_tailor import __version__
from c2m_tailor.errors import BadInput
from c2m_tailor.fileio import sha256_file, write_json_atomic

SCHEMA_NAME = "c2m-tailor/job"
SCHEMA_VERSION = 1
JOB_FILE = "job.json"
LOCK_FILE = ".job.lock"
ORDER_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MEASUREMENT_SOURCES = ("tape", "scan", "estimated", "user")


def now_iso() -> str:
    """UTC now, or SOURCE_DATE_EPOCH when set, so that builds can be made reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    else:
        moment = _dt.datetime.now(tz=_dt.timezone.utc).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def sanitize_order_id(text: str) -> str:
    """Turn a free text (a folder name, a file stem) into a valid ASCII order id."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")[:64]
    return cleaned or "order"


def check_order_id(order_id: str) -> str:
    if not isinstance(order_id, str) or not ORDER_ID_PATTERN.match(order_id):
        raise BadInput(
            f"order id {order_id!r} is not valid: use 1-64 ASCII letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return order_id


class Job:
    """A job directory and its `job.json` document."""

    def __init__(self, directory: Path, data: dict[str, Any]):
        self.directory = Path(directory)
        self.data = data

    # ----------------------------------------------------------------- construction / io
    @classmethod
    def new(cls, directory: str | os.PathLike, order_id: str | None = None) -> "Job":
        directory = Path(directory)
        order_id = check_order_id(order_id) if order_id else sanitize_order_id(directory.resolve().name)
        stamp = now_iso()
        data = {
            "schema": SCHEMA_NAME,
            "schema_version": SCHEMA_VERSION,
            "tool_version": __version__,
            "order_id": order_id,
            "created": stamp,
            "updated": stamp,
            "customer": {"sex": None},
            "source": None,
            "measurements": {},
            "warnings": [],
            "landmarks": {},
            "sections": {},
            "artifacts": {},
            "stages": [],
        }
        return cls(directory, data)

    @classmethod
    def load(cls, directory: str | os.PathLike) -> "Job":
        directory = Path(directory)
        path = directory / JOB_FILE
        if not directory.is_dir():
            raise BadInput(f"job directory {directory} does not exist")
        if not path.is_file():
            raise BadInput(f"{path} does not exist: run 'c2m-tailor measure' first to create the job")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise BadInput(f"{path} is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise BadInput(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        validate_document(data, where=str(path))
        return cls(directory, data)

    @classmethod
    def exists(cls, directory: str | os.PathLike) -> bool:
        return (Path(directory) / JOB_FILE).is_file()

    def save(self) -> None:
        self.data["updated"] = now_iso()
        self.data["tool_version"] = __version__
        validate_document(self.data, where=str(self.directory / JOB_FILE))
        write_json_atomic(self.directory / JOB_FILE, self.data)

    # ----------------------------------------------------------------- accessors
    @property
    def order_id(self) -> str:
        return self.data["order_id"]

    @property
    def created(self) -> str:
        return self.data["created"]

    @property
    def sex(self) -> str | None:
        return self.data["customer"].get("sex")

    @property
    def measurements(self) -> dict[str, dict[str, Any]]:
        return self.data["measurements"]

    def measurements_mm(self) -> dict[str, float]:
        """Plain {canonical_name: value_mm}, what pattern drafting consumes."""
        return {name: float(entry["value_mm"]) for name, entry in self.data["measurements"].items()}

    def section(self, stage: str) -> dict[str, Any] | None:
        return self.data["sections"].get(stage)

    def set_section(self, stage: str, content: dict[str, Any]) -> None:
        self.data["sections"][stage] = content

    def add_artifact(self, relative_path: str, stage: str) -> None:
        """Record a file the stage wrote inside the job directory (hash and size, for the package)."""
        rel = Path(relative_path).as_posix()
        full = self.directory / rel
        if not full.is_file():
            raise BadInput(f"artifact {rel} was not written to {self.directory}")
        self.data["artifacts"][rel] = {"sha256": sha256_file(full), "size": full.stat().st_size, "stage": stage}

    def drop_artifacts(self, stage: str) -> None:
        """Forget (and delete) the artifacts a stage wrote before, when the stage runs again."""
        for rel, meta in list(self.data["artifacts"].items()):
            if meta.get("stage") == stage:
                try:
                    (self.directory / rel).unlink()
                except FileNotFoundError:
                    pass
                del self.data["artifacts"][rel]

    def log_stage(self, stage: str, summary: dict[str, Any] | None = None) -> None:
        self.data["stages"].append(
            {"stage": stage, "at": now_iso(), "tool_version": __version__, "summary": summary or {}}
        )

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)


def validate_document(data: Any, where: str) -> None:
    """Check the structure of a job document; refuse newer schema versions we cannot read."""
    if not isinstance(data, dict):
        raise BadInput(f"{where} is not a job: expected a JSON object")
    if data.get("schema") != SCHEMA_NAME:
        raise BadInput(f"{where} is not a c2m-tailor job (schema is {data.get('schema')!r}, expected {SCHEMA_NAME!r})")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadInput(f"{where} has an invalid schema_version {version!r}")
    if version > SCHEMA_VERSION:
        raise BadInput(
            f"{where} uses job schema version {version}, newer than the {SCHEMA_VERSION} this c2m-tailor "
            f"{__version__} reads: upgrade c2m-tailor"
        )
    check_order_id(data.get("order_id"))
    for key, kind in (("customer", dict), ("measurements", dict), ("warnings", list), ("landmarks", dict),
                      ("sections", dict), ("artifacts", dict), ("stages", list)):
        if not isinstance(data.get(key), kind):
            raise BadInput(f"{where}: field '{key}' is missing or not a JSON {kind.__name__}")
    for name, entry in data["measurements"].items():
        if not isinstance(entry, dict):
            raise BadInput(f"{where}: measurement '{name}' is not an object")
        value = entry.get("value_mm")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
            raise BadInput(f"{where}: measurement '{name}' has an invalid value_mm {value!r}")
        if entry.get("source") not in MEASUREMENT_SOURCES:
            raise BadInput(f"{where}: measurement '{name}' has an unknown source {entry.get('source')!r}")
    for rel in data["artifacts"]:
        parts = Path(rel).parts
        if Path(rel).is_absolute() or ".." in parts or not parts:
            raise BadInput(f"{where}: artifact path {rel!r} leaves the job directory")


@contextmanager
def job_lock(directory: str | os.PathLike, timeout_s: float = 30.0) -> Iterator[None]:
    """Exclusive lock on a job directory: a second command waits up to TIMEOUT_S, then fails clearly."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    lock_path = directory / LOCK_FILE
    handle = open(lock_path, "a+")
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise BadInput(
                        f"job {directory} is in use by another c2m-tailor command (waited {timeout_s:.0f} s); "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            handle.close()


@contextmanager
def open_job(directory: str | os.PathLike, create: bool = False, order_id: str | None = None,
             timeout_s: float = 30.0) -> Iterator[Job]:
    """Lock, load (or create), yield the job, and save it only if the block succeeds."""
    directory = Path(directory)
    if not create and not Job.exists(directory):
        Job.load(directory)  # raises the clear "does not exist" error
    made_directory = not directory.exists()
    try:
        with job_lock(directory, timeout_s=timeout_s):
            existed = Job.exists(directory)
            job = Job.load(directory) if existed else Job.new(directory, order_id)
            if order_id and existed and order_id != job.order_id:
                job.data["order_id"] = check_order_id(order_id)
            yield job
            job.save()
    except BaseException:
        if made_directory and not Job.exists(directory):
            # We created the folder for this job and failed before writing it: leave nothing behind.
            try:
                (directory / LOCK_FILE).unlink()
                directory.rmdir()
            except OSError:
                pass
        raise
