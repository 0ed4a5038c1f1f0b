"""The catalogue: 30 canonical measurements, defined, typed, and ranged from ANSUR II."""

import csv

import pytest
from helpers import cli_json

from c2m_tailor.measure import aliases
from c2m_tailor.measure.catalogue import CATALOGUE, KINDS

REQUIRED = """stature neck_girth neck_base_girth chest_girth underbust_girth waist_girth hip_girth
upper_arm_girth elbow_girth wrist_girth thigh_girth knee_girth calf_girth ankle_girth armscye_girth
head_girth shoulder_width across_back_width across_front_width shoulder_length arm_length
back_neck_to_waist front_neck_to_waist neck_to_bust_point bust_point_distance waist_height
hip_height inside_leg_length outside_leg_length crotch_length""".split()


def test_every_required_name_is_defined():
    assert set(REQUIRED) <= set(CATALOGUE)
    for name, definition in CATALOGUE.items():
        assert definition.kind in KINDS
        assert len(definition.definition.split()) >= 6, name
        low, high = definition.plausible_mm
        assert 0 < low < definition.typical_mm[0] < definition.typical_mm[1] < high
        assert definition.ansur or definition.proxy, f"{name}: say where its range comes from"


def test_typical_ranges_are_the_ansur_extremes(shared_data):
    rows = []
    for name in ("ANSUR_II_MALE_Public.csv", "ANSUR_II_FEMALE_Public.csv"):
        with open(shared_data / "ansur" / name, encoding="latin-1") as handle:
            rows += list(csv.DictReader(handle))
    assert len(rows) == 6068
    for definition in CATALOGUE.values():
        if definition.ansur:
            values = [float(r[definition.ansur]) for r in rows]
            assert definition.typical_mm == (min(values), max(values)), definition.name


def test_waist_of_3000_mm_is_implausible_but_a_child_is_not():
    assert not (CATALOGUE["waist_girth"].plausible_mm[0] <= 3000 <= CATALOGUE["waist_girth"].plausible_mm[1])
    assert CATALOGUE["stature"].plausible_mm[0] <= 1000  # a child of one metre is measured, with a warning


@pytest.mark.parametrize("table", [aliases.VALENTINA, aliases.FREESEWING, aliases.ANSUR, aliases.COMMON])
def test_every_alias_resolves_to_a_canonical_name(table):
    for alias, canonical in table.items():
        assert canonical in CATALOGUE
        assert aliases.resolve(alias)[0] == canonical, alias


def test_alias_lookup_folds_case_and_spacing():
    assert aliases.resolve("Bust Circ")[0] == "chest_girth"
    assert aliases.resolve("neck-back-to-waist-b")[0] == "back_neck_to_waist"
    assert aliases.resolve("HPSTOWAISTBACK")[1]  # a close alias says how it differs
    assert aliases.resolve("no_such_thing") == (None, None)


def test_catalogue_command_lists_every_definition_and_the_scan_departures():

    result, data = cli_json("catalogue")
    assert result.exit_code == 0
    entries = data["measurements"]
    assert [e["name"] for e in entries] == list(CATALOGUE)
    waist = next(e for e in entries if e["name"] == "waist_girth")
    assert waist["definition"] == CATALOGUE["waist_girth"].definition
    assert waist["typical_mm"] == list(CATALOGUE["waist_girth"].typical_mm)
    # where a scan cannot see the landmark, or the reference reads it off its model, the catalogue says so
    for name in ("neck_girth", "underbust_girth", "waist_girth", "shoulder_width", "arm_length",
                 "back_neck_to_waist", "crotch_length"):
        assert CATALOGUE[name].scan_note, name
