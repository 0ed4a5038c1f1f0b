"""Grade + validate real ANSUR II bodies for every style and option combination: zero failures.

Default run (a few minutes at most): for every style and fit, 150 bodies spread over the whole survey
(men and women alike); for every full option combination, 15 further bodies. The marked slow test
runs all 6,068 adults through every style and fit.
"""

import itertools

import pytest

from c2m_tailor.pattern import grade, list_styles, validate
from pattern_bodies import ansur_bodies, sample

STYLES = {s.id: s for s in list_styles()}


def combinations(style):
    options = STYLES[style].options
    for values in itertools.product(*[o.values for o in options]):
        yield dict(zip([o.name for o in options], values))


def run(bodies, style, options):
    failures = []
    for sex, body in bodies:
        result = grade(body, style, options, sex=sex)
        report = validate(result.pattern, body)
        failures.extend(f"{options} {c.name}: {c.message}" for c in report.failures)
    return failures


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("fit", ["slim", "regular", "relaxed"])
def test_two_hundred_bodies_per_style_and_fit(shared_data, style, fit):
    bodies = sample(ansur_bodies(str(shared_data / "ansur")), 150)
    failures = run(bodies, style, {"fit": fit})
    assert not failures, failures[:5]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_every_option_combination(shared_data, style):
    everyone = ansur_bodies(str(shared_data / "ansur"))
    failures = []
    for k, options in enumerate(combinations(style)):
        failures += run(sample(everyone, 15, offset=7 * k + 3), style, options)
    assert not failures, failures[:5]


@pytest.mark.slow
@pytest.mark.parametrize("style", sorted(STYLES))
def test_all_ansur_bodies(shared_data, style):
    everyone = ansur_bodies(str(shared_data / "ansur"))
    failures = []
    for fit in ("slim", "regular", "relaxed"):
        failures += run(everyone, style, {"fit": fit})
    assert not failures, f"{len(failures)} failures over {3 * len(everyone)} runs: {failures[:5]}"
