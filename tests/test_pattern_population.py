"""Grade + validate real ANSUR II bodies for every style and option combination: zero failures.

Default run (a few minutes at most): for every style and fit, 250 bodies spread over the whole survey
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
def test_250_bodies_per_style_and_fit(shared_data, style, fit):
    bodies = sample(ansur_bodies(str(shared_data / "ansur")), 250)
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


def test_random_combinations_grade_cleanly_or_are_refused_clearly():
    """Each measurement drawn independently between ANSUR's 1st and 99th percentile (bodies that do
    not exist): the draft either validates fully or refuses with BadInput, never a broken piece."""
    import json
    import random
    from importlib import resources

    from c2m_tailor.errors import BadInput

    envelope = json.loads((resources.files("c2m_tailor") / "data" / "ansur_regressions.json")
                          .read_text(encoding="utf-8"))["envelope"]
    rng = random.Random(20261122)
    graded = refused = 0
    for _ in range(60):
        for style in sorted(STYLES):
            body = {m: rng.uniform(envelope[m]["p1"], envelope[m]["p99"])
                    for m in STYLES[style].required_measurements}
            options = {o.name: rng.choice(o.values) for o in STYLES[style].options}
            try:
                result = grade(body, style, options)
            except BadInput as exc:
                assert "mm" in str(exc) or "measurements" in str(exc)
                refused += 1
                continue
            report = validate(result.pattern, body)
            assert report.passed, (style, options, [c.message for c in report.failures])
            graded += 1
    assert graded > 180 and refused < 60
