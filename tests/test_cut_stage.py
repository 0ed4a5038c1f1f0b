"""The cut stage on a job: files written and recorded as artifacts, same job -> same bytes."""

import json

import pytest

from c2m_tailor.cut import read_dxf
from c2m_tailor.cut.stage import cut
from c2m_tailor.errors import BadInput
from c2m_tailor.job import open_job
from c2m_tailor.pattern.model import save_pattern
from cut_pieces import graded_pattern


def make_job(directory, pattern):
    with open_job(directory, create=True, order_id="ORDER-42") as job:
        save_pattern(job, pattern)


def test_cut_stage_writes_and_records_files(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")  # 2026-11-22
    job_dir = tmp_path / "job"
    make_job(job_dir, graded_pattern())
    outcome = cut(job_dir, fmt="astm", target="gerber", plt=True, png=True)
    assert outcome.files == ["cut/ORDER-42.dxf", "cut/ORDER-42.rul", "cut/ORDER-42.svg", "cut/ORDER-42.pdf",
                             "cut/ORDER-42.plt", "cut/ORDER-42.png"]
    assert outcome.rules > 0 and outcome.pdf_pages >= 1 and len(outcome.blocks) == 3
    data = json.loads((job_dir / "job.json").read_text())
    assert set(outcome.files) <= set(data["artifacts"])
    assert data["sections"]["cut"]["target"] == "gerber"
    back = read_dxf(job_dir / "cut/ORDER-42.dxf")
    assert back.style == "ORDER-42" and back.meta["creation_date"] == "2026-11-22"
    # (pattern.json is written with sorted keys, so the size order comes back alphabetical)
    assert sorted(back.graded) == ["L", "M", "S"] and back.sample_size == "M"
    first = (job_dir / "cut/ORDER-42.dxf").read_bytes()
    cut(job_dir, fmt="astm", target="gerber")  # again, without plt/png: those are dropped
    assert (job_dir / "cut/ORDER-42.dxf").read_bytes() == first
    assert not (job_dir / "cut/ORDER-42.plt").exists()


def test_cut_stage_needs_a_pattern_and_known_options(tmp_path):
    job_dir = tmp_path / "job"
    with open_job(job_dir, create=True, order_id="X1"):
        pass
    with pytest.raises(BadInput):
        cut(job_dir)
    make_job(job_dir, graded_pattern())
    with pytest.raises(BadInput):
        cut(job_dir, target="accumark")
