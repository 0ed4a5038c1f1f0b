"""The cut stage: the job's graded pattern -> cutting-room files and previews inside the job.

Writes cut/<order>.dxf (AAMA or ASTM for a target), cut/<order>.rul when the pattern is graded,
cut/<order>.svg and cut/<order>.pdf (1:1 previews), and on request cut/<order>.plt (HPGL) and
cut/<order>.png. The DXF "Style Name" is the order id and its "Creation Date" the job's creation
day, so the same job always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2m_tailor.cut.common import FORMATS, TARGETS
from c2m_tailor.errors import BadInput

STAGE = "cut"
AUTHOR = "c2m-tailor"


@dataclass
class CutOutcome:
    job_dir: Path
    order_id: str
    fmt: str
    target: str
    files: list[str]
    blocks: list[str]
    rules: int = 0
    pdf_pages: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"job": str(self.job_dir), "order_id": self.order_id, "format": self.fmt, "target": self.target,
                "files": list(self.files), "pieces": list(self.blocks), "grade_rules": self.rules,
                "pdf_pages": self.pdf_pages, **self.extra}


def parse_previews(text: str) -> tuple[bool, bool]:
    """'svg,pdf' | 'svg' | 'pdf' | 'none' -> (svg, pdf)."""
    items = {item.strip().lower() for item in str(text).split(",") if item.strip()}
    unknown = items - {"svg", "pdf", "none"}
    if unknown or ("none" in items and len(items) > 1):
        raise BadInput(f"--previews takes svg, pdf, svg,pdf or none, not {text!r}")
    return "svg" in items, "pdf" in items


def cut(job_dir: str | Path, *, fmt: str = "aama", target: str = "generic", plt: bool = False, png: bool = False,
        sizes: str = "sample", page: str = "A4", svg: bool = True, pdf: bool = True) -> CutOutcome:
    """Write the cut files of the job at job_dir (which must hold pattern/pattern.json)."""
    from c2m_tailor.job import open_job

    check_choices(fmt, target)
    with open_job(job_dir) as job:
        return cut_in_job(job, fmt=fmt, target=target, plt=plt, png=png, sizes=sizes, page=page, svg=svg, pdf=pdf)


def check_choices(fmt: str, target: str) -> None:
    if fmt not in FORMATS:
        raise BadInput(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if target not in TARGETS:
        raise BadInput(f"--target must be one of {', '.join(TARGETS)}, not {target!r}")


def cut_in_job(job, pattern=None, *, fmt: str = "aama", target: str = "generic", plt: bool = False, png: bool = False,
               sizes: str = "sample", page: str = "A4", svg: bool = True, pdf: bool = True) -> CutOutcome:
    """The cut stage on an open (locked) job; PATTERN, when the caller holds it already, saves a read."""
    from c2m_tailor.cut.dxf_write import write_dxf
    from c2m_tailor.cut.plt import write_plt
    from c2m_tailor.cut.preview import write_pdf, write_png, write_svg
    from c2m_tailor.cut.rul import write_rul
    from c2m_tailor.personalize.stage import load_cut_pattern

    check_choices(fmt, target)
    if pattern is None:
        pattern = load_cut_pattern(job)
    order = job.order_id
    day = job.created[:10]
    job.drop_artifacts(STAGE)
    base = f"{STAGE}/{order}"
    files: list[str] = []
    blocks = write_dxf(pattern, job.directory / f"{base}.dxf", fmt=fmt, target=target, style_name=order,
                       author=AUTHOR, creation_date=day, sizes=sizes)
    files.append(f"{base}.dxf")
    rules = 0
    if pattern.graded and sizes == "sample":
        rules = write_rul(pattern, job.directory / f"{base}.rul", fmt=fmt, author=AUTHOR, creation_date=day)
        files.append(f"{base}.rul")
    if svg:
        write_svg(pattern, job.directory / f"{base}.svg")
        files.append(f"{base}.svg")
    pages = 0
    if pdf:
        pages = write_pdf(pattern, job.directory / f"{base}.pdf", page=page)
        files.append(f"{base}.pdf")
    if plt:
        write_plt(pattern, job.directory / f"{base}.plt", sizes=sizes)
        files.append(f"{base}.plt")
    if png:
        write_png(pattern, job.directory / f"{base}.png")
        files.append(f"{base}.png")
    for rel in files:
        job.add_artifact(rel, STAGE)
    job.set_section(STAGE, {"format": fmt, "target": target, "sizes": sizes, "files": files, "svg": svg, "pdf": pdf,
                            "pieces": blocks, "grade_rules": rules, "pdf_pages": pages, "page": page})
    job.log_stage(STAGE, {"format": fmt, "target": target, "pieces": len(blocks), "files": len(files)})
    return CutOutcome(job.directory, order, fmt, target, files, blocks, rules, pages)
