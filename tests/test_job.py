"""The job document: schema versioning, validation, atomic writes, and the lock."""

import json
import multiprocessing
import time

import pytest

from c2m_tailor.errors import BadInput
from c2m_tailor.job import SCHEMA_VERSION, Job, job_lock, open_job
from helpers import SAMPLE_TAPE, cli, cli_json


def _measured(tmp_path):
    job_dir = tmp_path / "ORD-7"
    assert cli("measure", SAMPLE_TAPE, "--job", job_dir).exit_code == 0
    return job_dir


def test_job_document_has_the_promised_fields(tmp_path):
    job = Job.load(_measured(tmp_path))
    data = job.data
    assert data["schema"] == "c2m-tailor/job" and data["schema_version"] == SCHEMA_VERSION
    assert data["order_id"] == "ORD-7"
    assert data["created"].endswith("Z") and data["updated"].endswith("Z")
    assert data["source"]["file"] == "sample_tape.csv" and len(data["source"]["sha256"]) == 64
    assert data["stages"][0]["stage"] == "measure"
    chest = data["measurements"]["chest_girth"]
    assert chest == {"value_mm": 1010.0, "source": "tape", "original_name": "chest_girth", "original_unit": "cm",
                     "original_value": "101.0"}


def test_newer_schema_is_refused_clearly(tmp_path):
    job_dir = _measured(tmp_path)
    data = json.loads((job_dir / "job.json").read_text())
    data["schema_version"] = SCHEMA_VERSION + 1
    (job_dir / "job.json").write_text(json.dumps(data))
    result, out = cli_json("transmit", job_dir, "--to", tmp_path / "inbox")
    assert result.exit_code == 3
    assert f"schema version {SCHEMA_VERSION + 1}, newer than the {SCHEMA_VERSION}" in out["error"]


@pytest.mark.parametrize("damage, fragment", [
    (lambda d: d.pop("measurements"), "field 'measurements' is missing"),
    (lambda d: d["measurements"]["waist_girth"].update(value_mm="wide"), "measurement 'waist_girth' has an invalid value_mm"),
    (lambda d: d.update(order_id="../../etc"), "order id '../../etc' is not valid"),
    (lambda d: d.update(schema="something-else"), "is not a c2m-tailor job"),
    (lambda d: d["artifacts"].update({"../x": {"sha256": "0" * 64, "size": 1, "stage": "cut"}}), "leaves the job directory"),
])
def test_malformed_job_is_refused(tmp_path, damage, fragment):
    job_dir = _measured(tmp_path)
    data = json.loads((job_dir / "job.json").read_text())
    damage(data)
    (job_dir / "job.json").write_text(json.dumps(data))
    with pytest.raises(BadInput) as info:
        Job.load(job_dir)
    assert fragment in str(info.value)


def test_not_json_names_line_and_column(tmp_path):
    job_dir = _measured(tmp_path)
    (job_dir / "job.json").write_text('{"schema": \n oops')
    with pytest.raises(BadInput, match=r"not valid JSON \(line 2, column 2"):
        Job.load(job_dir)


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    job_dir = _measured(tmp_path)
    for _ in range(3):
        with open_job(job_dir) as job:
            job.log_stage("touch")
    assert sorted(p.name for p in job_dir.iterdir()) == [".job.lock", "job.json"]
    assert [s["stage"] for s in Job.load(job_dir).data["stages"]] == ["measure", "touch", "touch", "touch"]


def test_failed_block_does_not_save(tmp_path):
    job_dir = _measured(tmp_path)
    before = (job_dir / "job.json").read_bytes()
    with pytest.raises(RuntimeError):
        with open_job(job_dir) as job:
            job.log_stage("half")
            raise RuntimeError("stage failed")
    assert (job_dir / "job.json").read_bytes() == before


def _hold_lock(job_dir, seconds, ready):
    with job_lock(job_dir):
        ready.set()
        time.sleep(seconds)


def test_second_command_waits_then_fails_clearly(tmp_path):
    job_dir = _measured(tmp_path)
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(job_dir, 3, ready))
    holder.start()
    try:
        assert ready.wait(10)
        started = time.monotonic()
        with pytest.raises(BadInput, match="is in use by another c2m-tailor command"):
            with open_job(job_dir, timeout_s=0.5):
                pass
        assert time.monotonic() - started >= 0.5
        # a patient second command gets its turn once the first is done
        with open_job(job_dir, timeout_s=10) as job:
            job.log_stage("after")
    finally:
        holder.join()
    assert Job.load(job_dir).data["stages"][-1]["stage"] == "after"


def test_source_date_epoch_fixes_timestamps(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    job = Job.load(_measured(tmp_path))
    assert job.created == "2023-11-14T22:13:20Z" and job.data["updated"] == job.created


def test_order_id_option(tmp_path):
    result, out = cli_json("measure", SAMPLE_TAPE, "--job", tmp_path / "x", "--order-id", "SHOP-42.a")
    assert result.exit_code == 0 and out["order_id"] == "SHOP-42.a"
    result, out = cli_json("measure", SAMPLE_TAPE, "--job", tmp_path / "y", "--order-id", "bad id/")
    assert result.exit_code == 3 and "is not valid" in out["error"]


def test_new_measurements_remove_outputs_drafted_from_the_old_ones(tmp_path):
    job_dir = _measured(tmp_path)
    (job_dir / "cut").mkdir()
    (job_dir / "cut" / "a.dxf").write_text("old")
    with open_job(job_dir) as job:
        job.add_artifact("cut/a.dxf", "cut")
        job.set_section("cut", {"format": "aama"})
    same = cli_json("measure", SAMPLE_TAPE, "--job", job_dir)[1]
    assert not any("removed" in w for w in same["warnings"])  # unchanged body: outputs stay
    assert (job_dir / "cut" / "a.dxf").exists()
    fix = tmp_path / "fix.csv"
    fix.write_text("waist_girth,91,cm\n")
    out = cli_json("measure", fix, "--job", job_dir)[1]
    assert any("removed the outputs of cut" in w for w in out["warnings"])
    assert not (job_dir / "cut" / "a.dxf").exists()
    job = Job.load(job_dir)
    assert job.data["artifacts"] == {} and "cut" not in job.data["sections"]
