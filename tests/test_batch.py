"""`c2m-tailor batch`: a mixed day of orders, isolation, resume after a kill, determinism."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

from helpers import REPO, SAMPLE_TAPE, cli, cli_json, tree

SAMPLE_SCAN = REPO / "sample_scans" / "male_average.obj"
HEADER = ["order_id", "style", "options", "monogram", "unit", "sex", "scan", "stature", "chest_girth", "waist_girth",
          "hip_girth", "neck_girth", "shoulder_width", "arm_length", "upper_arm_girth", "wrist_girth",
          "back_neck_to_waist", "inside_leg_length", "waist_height"]
MAN = ["176", "101", "87", "102", "38.5", "45.5", "62.5", "31", "17", "46", "81", "107"]


def _orders(path, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _tape_row(order_id, style="shirt", options="", monogram="", scale=1.0):
    values = [f"{float(v) * scale:.1f}" for v in MAN]
    return [order_id, style, options, monogram, "cm", "m", "", *values]


def test_mixed_batch_statuses_summary_and_junit(tmp_path):
    broken = tmp_path / "broken.ply"
    broken.write_bytes(SAMPLE_SCAN.read_bytes()[:2000].replace(b"v ", b"ply\n", 1))
    truncated = tmp_path / "truncated.stl"
    truncated.write_bytes(b"\0" * 80 + (50000).to_bytes(4, "little") + b"\0" * 100)
    rows = [
        _tape_row("SHIRT-1", options="collar=band;cuff=french", monogram="JRS"),
        _tape_row("TROUSERS-1", style="trousers", options="pleats=single"),
        ["SCAN-1", "shirt", "", "", "mm", "m", str(SAMPLE_SCAN), *[""] * len(MAN)],
        ["CORRUPT-1", "shirt", "", "", "mm", "m", str(truncated), *[""] * len(MAN)],
        ["ABSURD-1", "shirt", "", "", "cm", "m", "", "176", "101", "300", *MAN[3:]],
        _tape_row("BADOPT-1", options="collar=mandarin"),
    ]
    orders = _orders(tmp_path / "orders.csv", rows)
    out = tmp_path / "out"
    result = cli("batch", orders, "--out", out, "--jobs", "2", "--junit", tmp_path / "batch.xml", "--json")
    assert result.exit_code == 5, result.stderr
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    per_order = {line["order_id"]: line for line in lines if "summary" not in line}
    summary = lines[-1]
    assert summary["summary"] and summary["ok"] == 3 and summary["failed"] == 3
    status = {k: v["status"] for k, v in per_order.items()}
    assert status == {"SHIRT-1": "ok", "TROUSERS-1": "ok", "SCAN-1": "ok", "CORRUPT-1": "failed",
                      "ABSURD-1": "failed", "BADOPT-1": "failed"}
    assert "truncated" in per_order["CORRUPT-1"]["reason"] or "corrupt" in per_order["CORRUPT-1"]["reason"]
    assert "waist_girth" in per_order["ABSURD-1"]["reason"] and "line 6" in per_order["ABSURD-1"]["reason"]
    assert "mandarin" in per_order["BADOPT-1"]["reason"]
    assert "cut/SHIRT-1.dxf" in per_order["SHIRT-1"]["files"]
    assert "embroidery/SHIRT-1-cuff_left.dst" in per_order["SHIRT-1"]["files"]
    assert per_order["SHIRT-1"]["key_measurements"]["chest_girth"] == 1010.0
    # only finished orders have folders; nothing half-written
    assert sorted(p.name for p in (out / "orders").iterdir()) == ["SCAN-1", "SHIRT-1", "TROUSERS-1"]
    saved = json.loads((out / "summary.json").read_text())
    assert [r["order_id"] for r in saved["results"]] == [r[0] for r in rows]  # in the orders' order
    with open(out / "summary.csv") as handle:
        table = list(csv.DictReader(handle))
    assert {r["order_id"]: r["status"] for r in table} == status
    junit = (tmp_path / "batch.xml").read_text()
    assert 'tests="6" failures="3"' in junit and "ABSURD-1" in junit


def _tape_orders(tmp_path, count):
    rows = [_tape_row(f"ORD-{i:03d}", scale=0.94 + 0.01 * (i % 12)) for i in range(count)]
    return _orders(tmp_path / "orders.csv", rows)


def test_jobs_1_and_jobs_2_give_identical_files(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    orders = _tape_orders(tmp_path, 6)
    for jobs in ("1", "2"):
        result = cli("batch", orders, "--out", tmp_path / f"out{jobs}", "--jobs", jobs)
        assert result.exit_code == 0, result.stderr
    files1 = tree(tmp_path / "out1" / "orders")
    assert files1 == tree(tmp_path / "out2" / "orders") and len(files1) > 6 * 4
    for rel in files1:
        path = tmp_path / "out1" / "orders" / rel
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "out2" / "orders" / rel).read_bytes(), rel


def test_resume_after_a_kill_finishes_the_rest_without_redoing(tmp_path):
    orders = _tape_orders(tmp_path, 16)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    argv = [sys.executable, "-m", "c2m_tailor", "batch", str(orders), "--out", str(out), "--jobs", "1", "--json"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = [p for p in (out / "orders").glob("ORD-*")] if (out / "orders").exists() else []
        if len(done) >= 4:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)  # the worst case: no chance to clean up
    process.wait()
    finished = sorted(p.name for p in (out / "orders").glob("ORD-*"))
    assert 4 <= len(finished) < 16
    result = subprocess.run([*argv, "--resume"], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    status = {line["order_id"]: line["status"] for line in lines if "summary" not in line}
    assert sorted(k for k, v in status.items() if v == "skipped") == finished
    assert all(v == "ok" for k, v in status.items() if k not in finished)
    assert len(status) == 16
    assert sorted(p.name for p in (out / "orders").iterdir()) == [f"ORD-{i:03d}" for i in range(16)]  # no .partial


def test_resume_redoes_an_order_whose_inputs_changed(tmp_path):
    orders = _tape_orders(tmp_path, 2)
    out = tmp_path / "out"
    assert cli("batch", orders, "--out", out, "--jobs", "1").exit_code == 0
    rows = list(csv.reader(open(orders)))
    rows[2][3] = "collar=band"  # ORD-001 changes its option
    _orders(orders, rows[1:])
    result = cli("batch", orders, "--out", out, "--jobs", "1", "--resume", "--json")
    status = {json.loads(l)["order_id"]: json.loads(l)["status"] for l in result.stdout.strip().splitlines()[:-1]}
    assert status == {"ORD-000": "skipped", "ORD-001": "ok"}


def test_hot_folder_of_received_packages(tmp_path):
    inbox = tmp_path / "inbox"
    for order_id, style in (("HOT-1", "shirt"), ("HOT-2", "skirt")):
        job = tmp_path / "shop" / order_id
        assert cli("measure", SAMPLE_TAPE, "--job", job, "--sex", "f" if style == "skirt" else "m").exit_code == 0
        assert cli("grade", job, "--style", style).exit_code == 0
        if style == "shirt":
            assert cli("personalize", job, "--text", "AB", "--piece", "cuff_left").exit_code == 0
        assert cli("transmit", job, "--to", inbox).exit_code == 0
    measured_only = tmp_path / "shop" / "HOT-3"
    assert cli("measure", SAMPLE_TAPE, "--job", measured_only).exit_code == 0
    assert cli("transmit", measured_only, "--to", inbox).exit_code == 0
    result = cli("batch", inbox, "--out", tmp_path / "factory", "--jobs", "2", "--json")
    lines = {json.loads(l)["order_id"]: json.loads(l) for l in result.stdout.strip().splitlines()[:-1]}
    assert result.exit_code == 5
    assert lines["HOT-1"]["status"] == "ok" and "embroidery/HOT-1-cuff_left.dst" in lines["HOT-1"]["files"]
    assert lines["HOT-2"]["status"] == "ok" and "cut/HOT-2.dxf" in lines["HOT-2"]["files"]
    assert lines["HOT-3"]["status"] == "failed" and "carries no style" in lines["HOT-3"]["reason"]


def test_bad_orders_file(tmp_path):
    bad = tmp_path / "orders.csv"
    bad.write_text("id,style\n1,shirt\n")
    result, out = cli_json("batch", bad, "--out", tmp_path / "out")
    assert result.exit_code == 3 and "order_id" in out["error"]


def test_an_order_that_cannot_take_its_place_fails_alone(tmp_path):
    """A file squatting on an order's final folder name: that order fails with the reason, the others
    (built in the same worker task, their disk sync overlapping) are complete and in place."""
    rows = [_tape_row(f"ORDER-{k}") for k in range(8)]
    orders = _orders(tmp_path / "orders.csv", rows)
    out = tmp_path / "out"
    (out / "orders").mkdir(parents=True)
    (out / "orders" / "ORDER-3").write_text("not an order folder")
    result = cli("batch", orders, "--out", out, "--jobs", "1", "--previews", "none", "--json")
    assert result.exit_code == 5, result.stderr
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    status = {line["order_id"]: line for line in lines if "summary" not in line}
    assert [k for k, v in status.items() if v["status"] != "ok"] == ["ORDER-3"]
    assert "could not be written to disk" in status["ORDER-3"]["reason"]
    for k in range(8):
        if k != 3:
            assert (out / "orders" / f"ORDER-{k}" / "cut" / f"ORDER-{k}.dxf").is_file()
    assert not [p for p in (out / "orders").iterdir() if p.name.endswith(".partial")]
