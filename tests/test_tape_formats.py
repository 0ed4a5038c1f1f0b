"""Every tape format, alias family and unit reads to the same canonical millimetres."""

import json

import pytest

from c2m_tailor.job import Job
from helpers import SAMPLE_TAPE, cli, cli_json

EXPECTED_MM = {"stature": 1760.0, "chest_girth": 1000.0, "waist_girth": 880.0, "hip_girth": 1040.0,
               "back_neck_to_waist": 460.0}

VIT = """<?xml version="1.0" encoding="UTF-8"?>
<vit>
    <version>0.3.3</version>
    <read-only>false</read-only>
    <notes/>
    <unit>cm</unit>
    <pm_system>998</pm_system>
    <personal>
        <customer>Sample</customer>
        <birth-date>1990-01-01</birth-date>
        <gender>male</gender>
        <email/>
    </personal>
    <body-measurements>
        <m name="height" value=" 176 "/>
        <m name="bust_circ" value="100"/>
        <m name="waist_circ" value="height*0.5"/>
        <m name="hip_circ" value="(bust_circ + 4)"/>
        <m name="neck_back_to_waist_b" value="46"/>
        <m name="@sleeve_extra" value="2.5" full_name="sleeve extra"/>
    </body-measurements>
</vit>
"""

SMIS = VIT.replace("<vit>", "<smis>").replace("</vit>", "</smis>")


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CASES = {
    "long.csv": "name,value,unit\nheight,176,cm\nbust_circ,100,cm\nwaist,88,cm\nhip_circ,104,cm\nneck_back_to_waist_b,46,cm\n",
    "noheader.csv": "stature,1760\nchest_girth,1000\nwaist_girth,880\nhip_girth,1040\nback_neck_to_waist,460\n",
    "wide.csv": "unit,height,chest,waist,seat,hpsToWaistBack\ncm,176,100,88,104,46\n",
    "semicolon.csv": "name;value;unit\nheight;176,0;cm\nbust_circ;100;cm\nwaist_circ;88;cm\nhip_circ;104;cm\nneck_back_to_waist_b;46;cm\n",
    "flat.json": json.dumps({"unit": "cm", "height": 176, "bust_circ": "100", "waist_circ": " 88 ", "hip_circ": 104,
                             "neck_back_to_waist_b": 46}),
    "freesewing.json": json.dumps({"measurements": {"height": 1760, "chest": 1000, "waist": 880, "seat": 1040,
                                                     "hpsToWaistBack": 460}, "unit": "mm"}),
    "objects.json": json.dumps({"stature": {"value": 69.29134, "unit": "in"}, "chest_girth": {"value": 100, "unit": "cm"},
                                "waist_girth": {"value": 880, "unit": "mm"}, "hip_girth": {"value": 104, "unit": "cm"},
                                "back_neck_to_waist": {"value": 46, "unit": "cm"}}),
    "ansur.yaml": "unit: mm\nstature: 1760\nchestcircumference: 1000\nwaistcircumference: 880\nbuttockcircumference: 1040\n"
                  "waistbacklength: 460\n",
    "inches.yaml": "unit: inch\nstature: 69.29134\nchest_girth: 39.37008\nwaist_girth: 34.64567\nhip_girth: 40.94488\n"
                   "back_neck_to_waist: 18.11024\n",
    "formulas.vit": VIT.replace('"(bust_circ + 4)"', '"104"').replace('"height*0.5"', '"height*0.5"'),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_formats_read_to_canonical_mm(tmp_path, name):
    path = _write(tmp_path, name, CASES[name])
    result, out = cli_json("measure", path, "--job", tmp_path / "job")
    assert result.exit_code == 0, result.stderr
    measured = out["measurements"]
    expected = dict(EXPECTED_MM)
    if name == "formulas.vit":
        expected["waist_girth"] = 880.0  # height*0.5 in cm = 88 cm
    for key, value in expected.items():
        assert measured[key] == pytest.approx(value, abs=0.05), (name, key)
    assert out["unit"] == "mm"
    job = Job.load(tmp_path / "job")
    assert job.data["source"]["sha256"] and job.data["source"]["file"] == name


def test_valentina_formulas_custom_names_and_gender(tmp_path):
    path = _write(tmp_path, "customer.vit", VIT)
    result, out = cli_json("measure", path, "--job", tmp_path / "job")
    assert result.exit_code == 0, result.stderr
    assert out["measurements"]["waist_girth"] == pytest.approx(880.0)
    assert out["measurements"]["hip_girth"] == pytest.approx(1040.0)
    assert out["measurements"]["sleeve_extra"] == pytest.approx(25.0)
    job = Job.load(tmp_path / "job")
    assert job.sex == "m"
    entry = job.measurements["waist_girth"]
    assert entry["original_name"] == "waist_circ" and entry["original_unit"] == "cm" and entry["source"] == "tape"
    assert entry["original_value"] == "height*0.5"
    assert job.measurements["sleeve_extra"]["custom"] is True


def test_seamly2d_smis(tmp_path):
    path = _write(tmp_path, "customer.smis", SMIS)
    result, out = cli_json("measure", path, "--job", tmp_path / "job")
    assert result.exit_code == 0, result.stderr
    assert out["measurements"]["stature"] == pytest.approx(1760.0)


def test_unit_option_applies_and_conflicts_are_refused(tmp_path):
    path = _write(tmp_path, "plain.json", json.dumps({"stature": 176, "chest_girth": 100, "waist_girth": 88}))
    result, out = cli_json("measure", path, "--job", tmp_path / "a", "--unit", "cm")
    assert result.exit_code == 0 and out["measurements"]["stature"] == 1760.0 and out["input_unit"] == "cm"
    with_unit = _write(tmp_path, "withunit.json", json.dumps({"unit": "cm", "stature": 176}))
    result, out = cli_json("measure", with_unit, "--job", tmp_path / "b", "--unit", "mm")
    assert result.exit_code == 3 and "says its unit is cm but --unit says mm" in out["error"]


def test_unit_inferred_with_a_warning_when_the_file_says_none(tmp_path):
    path = _write(tmp_path, "plain.json", json.dumps({"stature": 176, "chest_girth": 100, "waist_girth": 88}))
    result, out = cli_json("measure", path, "--job", tmp_path / "a")
    assert result.exit_code == 0
    assert out["measurements"]["stature"] == 1760.0
    assert any("read as cm" in w for w in out["warnings"])
    assert any("read as cm" in w for w in Job.load(tmp_path / "a").data["warnings"])


def test_sample_tape_gives_all_30_canonical_measurements(tmp_path):
    result, out = cli_json("measure", SAMPLE_TAPE, "--job", tmp_path / "ORD-1", "--sex", "m")
    assert result.exit_code == 0, result.stderr
    assert len(out["measurements"]) == 30 and out["warnings"] == []
    assert out["order_id"] == "ORD-1"


def test_borderline_value_is_a_warning_recorded_in_the_job(tmp_path):
    path = _write(tmp_path, "child.csv", "stature,1100,mm\nchest_girth,600,mm\n")
    result, out = cli_json("measure", path, "--job", tmp_path / "kid")
    assert result.exit_code == 0
    assert any("stature" in w and "adult range" in w for w in out["warnings"])
    job = Job.load(tmp_path / "kid")
    assert any("stature" in w for w in job.data["warnings"])


def test_close_alias_and_unknown_name_warn(tmp_path):
    path = _write(tmp_path, "fs.json", json.dumps({"unit": "mm", "hpsToWaistBack": 470, "wiast_girth": 800}))
    result, out = cli_json("measure", path, "--job", tmp_path / "j")
    assert result.exit_code == 0
    assert any("HPS" in w for w in out["warnings"])
    assert any("did you mean" in w and "'waist_girth'" in w for w in out["warnings"])


def test_measuring_again_updates_the_job(tmp_path):
    job_dir = tmp_path / "j"
    assert cli("measure", SAMPLE_TAPE, "--job", job_dir).exit_code == 0
    fix = _write(tmp_path, "fix.csv", "waist_girth,90,cm\n")
    result, out = cli_json("measure", fix, "--job", job_dir)
    assert result.exit_code == 0
    job = Job.load(job_dir)
    assert job.measurements["waist_girth"]["value_mm"] == 900.0
    assert len(job.measurements) == 30
    assert [s["stage"] for s in job.data["stages"]] == ["measure", "measure"]
