"""Bad tape input: one clear sentence naming field, value and range; exit 3; nothing written."""

import json

import pytest

from helpers import SAMPLE_TAPE, cli_json, tree

REJECTIONS = {
    "absurd waist": ("m.csv", "stature,1760,mm\nwaist_girth,3000,mm\n", ["waist_girth", "3000", "275-2206 mm"]),
    "negative": ("m.csv", "stature,1760,mm\nchest_girth,-100,mm\n", ["chest_girth", "not a positive length"]),
    "zero": ("m.json", json.dumps({"unit": "cm", "stature": 0}), ["stature", "not a positive length"]),
    "nan": ("m.csv", "stature,nan,mm\n", ["stature", "not a number"]),
    "text": ("m.csv", "stature,tall,mm\n", ["stature = 'tall' is not a number"]),
    "far outside range": ("m.csv", "neck_girth,1200,mm\n", ["neck_girth", "1200.0 mm", "plausible range 124-822 mm"]),
    "wrong unit": ("m.csv", "stature,176,mm\n", ["stature", "is the file in cm? pass --unit cm"]),
    "inside leg longer than stature": ("m.csv", "stature,1200,mm\ninside_leg_length,1250,mm\n",
                                       ["inside_leg_length = 1250.0 mm is not smaller than stature = 1200.0 mm"]),
    "two names disagree": ("m.csv", "bust_circ,100,cm\nchest_girth,900,mm\n", ["both give chest_girth"]),
    "given twice": ("m.csv", "stature,1760,mm\nstature,1770,mm\n", ["'stature' is given twice"]),
    "formula circle": ("m.vit", '<vit><unit>cm</unit><body-measurements><m name="height" value="waist_circ*2"/>'
                       '<m name="waist_circ" value="height/2"/></body-measurements></vit>', ["refer to each other in a circle"]),
    "formula unknown name": ("m.vit", '<vit><unit>cm</unit><body-measurements><m name="height" value="foo*2"/>'
                             '</body-measurements></vit>', ["refers to 'foo'"]),
    "formula code": ("m.vit", '<vit><unit>cm</unit><body-measurements><m name="height" value="__import__(\'os\').system(\'true\')"/>'
                     '</body-measurements></vit>', ["neither a number nor a formula", "not allowed in formulas"]),
    "unknown unit": ("m.csv", "stature,1760,furlong\n", ["unknown unit 'furlong'", "line 1"]),
    "broken json": ("m.json", '{"stature": 1760,', ["not valid JSON", "line 1"]),
    "json list": ("m.json", "[1, 2]", ["expected an object"]),
    "broken xml": ("m.vit", "<vit><unit>cm</unit>", ["not well-formed XML"]),
    "xml entity bomb": ("m.vit", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                        '<vit><unit>cm</unit><body-measurements><m name="height" value="&lol2;"/></body-measurements></vit>',
                        ["refused unsafe XML"]),
    "empty file": ("m.csv", "", ["is empty"]),
    "unknown type": ("m.txt", "stature 1760", ["unknown input type '.txt'"]),
    "no unit and no clue": ("m.json", json.dumps({"sleeve_extra": 5}), ["does not say its unit"]),
}


@pytest.mark.parametrize("case", sorted(REJECTIONS))
def test_rejected_with_one_clear_sentence_and_nothing_written(tmp_path, case):
    name, text, fragments = REJECTIONS[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    job_dir = tmp_path / "job"
    result, out = cli_json("measure", path, "--job", job_dir)
    assert result.exit_code == 3, (case, result.stdout, result.stderr)
    for fragment in fragments:
        assert fragment in out["error"], (case, out["error"])
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 2
    assert tree(job_dir) == []


def test_bad_value_leaves_an_existing_job_untouched(tmp_path):
    job_dir = tmp_path / "job"
    assert cli_json("measure", SAMPLE_TAPE, "--job", job_dir)[0].exit_code == 0
    before = (job_dir / "job.json").read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("inside_leg_length,1900,mm\n")  # longer than the job's stature of 1760 mm
    result, out = cli_json("measure", bad, "--job", job_dir)
    assert result.exit_code == 3 and "inside_leg_length" in out["error"]
    assert (job_dir / "job.json").read_bytes() == before
    assert sorted(p.name for p in job_dir.iterdir()) == [".job.lock", "job.json"]


def test_missing_input_and_bad_sex(tmp_path):
    result, out = cli_json("measure", tmp_path / "none.csv", "--job", tmp_path / "j")
    assert result.exit_code == 3 and "does not exist" in out["error"]
    result, out = cli_json("measure", SAMPLE_TAPE, "--job", tmp_path / "j", "--sex", "x")
    assert result.exit_code == 3 and "not f or m" in out["error"]
    assert tree(tmp_path / "j") == []
