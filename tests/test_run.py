"""`c2m-tailor run` and the stage commands chained through the job directory, end to end."""

import pyembroidery
import pytest
from ezdxf import recover

from c2m_tailor.job import Job
from helpers import REPO, SAMPLE_TAPE, cli, cli_json, tree

SAMPLE_SCAN = REPO / "sample_scans" / "male_average.obj"


def _dxf_blocks(path):
    doc, auditor = recover.readfile(str(path))
    assert not auditor.has_errors, [str(e) for e in auditor.errors]
    return {b.name: b for b in doc.blocks if not b.name.startswith("*")}


@pytest.fixture(scope="module")
def shirt_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("run")
    result, out = cli_json("run", SAMPLE_TAPE, "--job", base / "jobs" / "ORD-1001", "--style", "shirt",
                           "--option", "collar=button_down", "--monogram", "JRS", "--plt", "--png",
                           "--to", base / "inbox")
    assert result.exit_code == 0, result.stderr
    return base, out


def test_run_makes_every_file_of_the_chain(shirt_run):
    base, out = shirt_run
    assert out["stages"] == ["measure", "grade", "validate", "personalize", "cut", "package"]
    assert out["validation_passed"] is True
    for rel in ("cut/ORD-1001.dxf", "cut/ORD-1001.plt", "cut/ORD-1001.pdf", "cut/ORD-1001.svg", "cut/ORD-1001.png",
                "embroidery/ORD-1001-cuff_left.dst", "embroidery/ORD-1001-cuff_left.pes",
                "embroidery/ORD-1001-cuff_left.jef", "embroidery/ORD-1001-cuff_left.exp", "pattern/pattern.json"):
        assert rel in out["files"], rel
        assert (base / "jobs" / "ORD-1001" / rel).stat().st_size > 0
    assert out["package"] == str(base / "inbox" / "ORD-1001.c2m")


def test_the_dxf_carries_the_monogram_on_the_cuff_not_on_the_cut_line(shirt_run):
    base, _ = shirt_run
    blocks = _dxf_blocks(base / "jobs" / "ORD-1001" / "cut" / "ORD-1001.dxf")
    cuff = next(b for name, b in blocks.items() if name.upper().startswith("CUFF_LEFT"))
    layers = {}
    for entity in cuff:
        layers.setdefault(entity.dxf.layer, []).append(entity)
    texts = " ".join(e.dxf.text for e in cuff if e.dxftype() == "TEXT")
    assert "JRS" in texts
    assert len(layers.get("8", [])) >= 3  # lettering outlines (J, R, S) on the internal layer
    assert len(layers.get("13", [])) >= 1  # placement marks on the drill layer
    cut_lines = [e for e in layers["1"] if e.dxftype() == "POLYLINE"]
    assert len(cut_lines) == 1  # the cut line stays one closed polyline
    other_cuff = next(b for name, b in blocks.items() if name.upper().startswith("CUFF_RIGHT"))
    assert "JRS" not in " ".join(e.dxf.text for e in other_cuff if e.dxftype() == "TEXT")


def test_stitch_files_read_back(shirt_run):
    base, _ = shirt_run
    pattern = pyembroidery.read(str(base / "jobs" / "ORD-1001" / "embroidery" / "ORD-1001-cuff_left.dst"))
    assert pattern.count_stitches() > 100
    min_x, min_y, max_x, max_y = pattern.bounds()
    assert 4 <= (max_y - min_y) / 10 <= 12  # 8 mm letters (with J's descender), in 0.1 mm units


def test_the_package_is_received_as_the_same_job(shirt_run, tmp_path):
    base, _ = shirt_run
    result, out = cli_json("receive", base / "inbox" / "ORD-1001.c2m", "--into", tmp_path / "factory")
    assert result.exit_code == 0, result.stderr
    for rel in ("job.json", "cut/ORD-1001.dxf", "embroidery/ORD-1001-cuff_left.pes"):
        assert (tmp_path / "factory" / rel).read_bytes() == (base / "jobs" / "ORD-1001" / rel).read_bytes()


def test_run_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    for name in ("a", "b"):
        result = cli("run", SAMPLE_TAPE, "--job", tmp_path / name / "ORD-7", "--style", "trousers", "--monogram", "AB",
                     "--previews", "svg", "--plt")
        assert result.exit_code == 0, result.stderr
    for rel in ("cut/ORD-7.dxf", "cut/ORD-7.svg", "cut/ORD-7.plt", "embroidery/ORD-7-waistband.dst",
                "embroidery/ORD-7-waistband.jef", "job.json"):
        assert (tmp_path / "a" / "ORD-7" / rel).read_bytes() == (tmp_path / "b" / "ORD-7" / rel).read_bytes(), rel
    assert (tmp_path / "a" / "outbox" / "ORD-7.c2m").read_bytes() == (tmp_path / "b" / "outbox" / "ORD-7.c2m").read_bytes()


def test_run_refuses_an_absurd_body_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("stature,1760,mm\nwaist_girth,3000,mm\n")
    result, out = cli_json("run", bad, "--job", tmp_path / "jobs" / "X", "--style", "shirt")
    assert result.exit_code == 3 and "waist_girth" in out["error"]
    assert tree(tmp_path / "jobs") == []


def test_run_on_the_bundled_scan(tmp_path):
    result, out = cli_json("run", SAMPLE_SCAN, "--job", tmp_path / "ORD-2", "--style", "shirt", "--previews", "svg",
                           "--qa-image", tmp_path / "qa.png")
    assert result.exit_code == 0, result.stderr
    assert out["stages"][-1] == "package" and "cut/ORD-2.dxf" in out["files"]
    assert len(out["measurements"]) >= 24
    job = Job.load(tmp_path / "ORD-2")
    assert job.data["source"]["kind"] == "scan" and job.data["landmarks"]
    assert (tmp_path / "qa.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_stage_commands_chain_through_the_job(tmp_path):
    job = tmp_path / "ORD-3"
    assert cli("measure", SAMPLE_TAPE, "--job", job).exit_code == 0
    result, out = cli_json("grade", job, "--style", "shirt", "--option", "cuff=french", "--option", "chest_pocket=yes")
    assert result.exit_code == 0, result.stderr
    names = [p["name"] for p in out["pieces"]]
    assert "pocket" in names and out["options"]["cuff"] == "french"
    result, report = cli_json("validate", job, "--junit", tmp_path / "validate.xml")
    assert result.exit_code == 0 and report["passed"] and report["total"] > 20
    assert "<testsuite" in (tmp_path / "validate.xml").read_text()
    result, out = cli_json("cut", job, "--format", "astm", "--target", "gerber", "--previews", "none")
    assert result.exit_code == 0 and out["files"] == ["cut/ORD-3.dxf"]
    before = (job / "cut" / "ORD-3.dxf").read_bytes()
    result, out = cli_json("personalize", job, "--text", "JRS", "--piece", "cuff_left", "--height", "6mm")
    assert result.exit_code == 0, result.stderr
    assert out["recut_files"] == ["cut/ORD-3.dxf"]  # the DXF is written again, now with the lettering
    assert (job / "cut" / "ORD-3.dxf").read_bytes() != before
    assert [s["stage"] for s in Job.load(job).data["stages"]] == ["measure", "grade", "validate", "cut", "personalize", "cut"]


def test_too_long_a_name_for_the_cuff_is_refused_and_the_job_kept(tmp_path):
    job = tmp_path / "ORD-4"
    assert cli("run", SAMPLE_TAPE, "--job", job, "--style", "shirt", "--previews", "none").exit_code == 0
    before = (job / "job.json").read_bytes()
    result, out = cli_json("personalize", job, "--text", "MAXIMILIAN ALEXANDER", "--piece", "cuff_left")
    assert result.exit_code == 3
    assert "MAXIMILIAN ALEXANDER" in out["error"] and "too long" in out["error"]
    assert (job / "job.json").read_bytes() == before


def test_grading_needs_measurements_it_cannot_estimate(tmp_path):
    thin = tmp_path / "thin.csv"
    thin.write_text("chest_girth,1000,mm\n")
    job = tmp_path / "j"
    assert cli("measure", thin, "--job", job).exit_code == 0
    result, out = cli_json("grade", job, "--style", "shirt")
    assert result.exit_code == 3 and out["error"]


def test_styles_lists_the_four_styles():
    result, out = cli_json("styles")
    assert result.exit_code == 0
    assert {s["id"] for s in out["styles"]} == {"shirt", "trousers", "bodice", "skirt"}


def test_an_implausible_scan_value_is_dropped_not_the_scan(tmp_path, monkeypatch):
    import c2m_tailor.scan as scan

    real = scan.measure_scan

    def with_a_wild_landmark(path, unit=None):
        result = real(path, unit)
        result.measurements_mm["neck_base_girth"] = 2500.0  # as a landmark gone astray would give
        return result

    monkeypatch.setattr(scan, "measure_scan", with_a_wild_landmark)
    result, out = cli_json("measure", SAMPLE_SCAN, "--job", tmp_path / "j")
    assert result.exit_code == 0, result.stderr
    assert "neck_base_girth" not in out["measurements"] and len(out["measurements"]) >= 24
    assert any("neck_base_girth" in w and "measure it by tape" in w for w in out["warnings"])


@pytest.mark.parametrize("words, fragment", [
    (["--style", "kilt"], "unknown style 'kilt'"),
    (["--style", "shirt", "--option", "collar=mandarin"], "collar='mandarin' is not allowed"),
    (["--style", "shirt", "--format", "dwg"], "--format must be one of aama, astm"),
    (["--style", "shirt", "--previews", "gif"], "--previews takes"),
])
def test_run_checks_the_order_before_measuring(tmp_path, words, fragment):
    result, out = cli_json("run", SAMPLE_TAPE, "--job", tmp_path / "jobs" / "X", *words)
    assert result.exit_code == 3 and fragment in out["error"], out
    assert tree(tmp_path / "jobs") == []
