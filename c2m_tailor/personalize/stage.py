"""The personalize stage: lettering on a piece of the job's pattern, and its embroidery files.

Each request (piece, text, font, height, ...) is kept in the job's `personalize` section; the stage
replays every request on the graded pattern (`pattern/pattern.json`, never changed here) and writes
`pattern/personalized.json`, which `cut` draws from, so the cutting room marks the lettering's
position. A second request for the same piece replaces the first. If the job was already cut, the
cut files are written again so the DXF carries the lettering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2m_tailor.errors import BadInput

STAGE = "personalize"
PERSONALIZED_FILE = "pattern/personalized.json"
EMBROIDERY_DIR = "embroidery"


@dataclass
class PersonalizeOutcome:
    job_dir: Path
    order_id: str
    items: list[dict[str, Any]]
    files: list[str]
    recut: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"job": str(self.job_dir), "order_id": self.order_id, "personalization": self.items,
                "files": self.files, "recut_files": self.recut}


def personalize_job(job_dir: str | Path, *, text: str, piece: str, anchor: str | None = None,
                    offset: str | None = None, rotation_deg: float = 0.0, method: str = "embroidery",
                    font: str | None = None, height: str = "8mm", colors: str | None = None,
                    formats: str = "dst,pes,jef,exp") -> PersonalizeOutcome:
    """Add (or replace) the lettering on PIECE and rewrite the job's personalization outputs."""
    request = request_for(text, piece, anchor=anchor, offset=offset, rotation_deg=rotation_deg, method=method,
                          font=font, height=height, colors=colors, formats=formats)
    return apply_requests(job_dir, add=request)


def personalize_in_job(job, add: dict[str, Any] | None = None, pattern=None):
    """Replay every request (plus ADD) on the graded pattern, on an open (locked) job.

    Returns (items, files, personalized pattern); PATTERN, when the caller holds the graded one,
    saves a read.
    """
    from c2m_tailor.fileio import write_json_atomic
    from c2m_tailor.pattern.model import load_pattern
    from c2m_tailor.personalize import personalize_pattern

    if pattern is None:
        pattern = load_pattern(job)
    section = job.section(STAGE) or {}
    requests = [r for r in section.get("requests", []) if not add or r["piece"] != add["piece"]]
    if add:
        requests.append(add)
    job.drop_artifacts(STAGE)
    files: list[str] = []
    for request in requests:
        options: dict[str, Any] = {
            "anchor": request["anchor"], "rotation_deg": request["rotation_deg"], "method": request["method"],
            "font": request["font"], "height_mm": request["height_mm"], "colors": request["colors"],
            "formats": request["formats"], "order_id": job.order_id, "date": job.created[:10],
            "stem": f"{job.order_id}-{request['piece']}",
        }
        if request["offset"] is not None:
            options["offset"] = tuple(request["offset"])
        elif request["anchor"] is None:
            options["anchor"] = default_anchor(pattern, request["piece"])
        if request["method"] == "embroidery":
            options["out_dir"] = job.directory / EMBROIDERY_DIR
        pattern, result = personalize_pattern(pattern, request["piece"], request["text"], **options)
        for path in [*result.files, *([result.preview] if result.preview else [])]:
            files.append(Path(path).relative_to(job.directory).as_posix())
    write_json_atomic(job.directory / PERSONALIZED_FILE, pattern.to_dict(), compact=True)
    files.append(PERSONALIZED_FILE)
    for rel in files:
        job.add_artifact(rel, STAGE)
    items = list(pattern.meta.get("personalization", []))
    job.set_section(STAGE, {"requests": requests, "items": items, "files": files})
    job.log_stage(STAGE, {"items": len(items), "files": len(files)})
    return items, files, pattern


def request_for(text: str, piece: str, *, anchor=None, offset=None, rotation_deg: float = 0.0,
                method: str = "embroidery", font=None, height="8mm", colors=None,
                formats="dst,pes,jef,exp") -> dict[str, Any]:
    """A personalization request as the job keeps it, from the command's words (validated)."""
    from c2m_tailor.personalize import parse_length_mm, parse_offset
    from c2m_tailor.personalize.output import parse_formats

    if not text or not text.strip():
        raise BadInput("--text is empty: give the letters to put on the piece")
    if method not in ("embroidery", "marking"):
        raise BadInput(f"--method must be embroidery or marking, not {method!r}")
    return {
        "piece": piece, "text": text, "anchor": anchor,
        "offset": list(parse_offset(offset)) if offset else None,
        "rotation_deg": float(rotation_deg), "method": method, "font": font,
        "height_mm": parse_length_mm(height),
        "colors": [c.strip() for c in colors.split(",") if c.strip()] if colors else None,
        "formats": parse_formats(formats),
    }


def apply_requests(job_dir: str | Path, add: dict[str, Any] | None = None) -> PersonalizeOutcome:
    from c2m_tailor.job import open_job

    with open_job(job_dir) as job:
        items, files, _ = personalize_in_job(job, add)
        cut_settings = job.section("cut")
        order_id = job.order_id
        directory = job.directory
    recut: list[str] = []
    if cut_settings:
        from c2m_tailor.cut.stage import cut

        outcome = cut(job_dir, fmt=cut_settings.get("format", "aama"), target=cut_settings.get("target", "generic"),
                      plt=any(f.endswith(".plt") for f in cut_settings.get("files", [])),
                      png=any(f.endswith(".png") for f in cut_settings.get("files", [])),
                      sizes=cut_settings.get("sizes", "sample"), page=cut_settings.get("page", "A4"),
                      svg=cut_settings.get("svg", True), pdf=cut_settings.get("pdf", True))
        recut = outcome.files
    return PersonalizeOutcome(directory, order_id, items, files, recut)


def default_anchor(pattern, piece_name: str) -> str | None:
    """The piece's one personalization anchor (pieces also carry a 'label' anchor for their own text)."""
    try:
        anchors = [name for name in pattern.piece(piece_name).anchors if name != "label"]
    except KeyError:
        return None  # personalize_pattern names the pieces there are
    return anchors[0] if len(anchors) == 1 else None


def load_cut_pattern(job):
    """The pattern the cut stage draws: the personalized one when the job has lettering."""
    import json

    from c2m_tailor.pattern.model import Pattern, load_pattern

    path = job.directory / PERSONALIZED_FILE
    if PERSONALIZED_FILE in job.data["artifacts"] and path.is_file():
        try:
            return Pattern.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadInput(f"{path} is not a valid pattern: {exc}") from None
    return load_pattern(job)
