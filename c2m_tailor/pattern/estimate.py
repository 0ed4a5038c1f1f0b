"""Estimate missing body measurements from the given ones with regressions fitted on ANSUR II.

The coefficients ship in c2m_tailor/data/ansur_regressions.json (made offline by
tools/fit_ansur_regressions.py); nothing here reads the survey itself. For each missing measurement
the best model (highest R^2) whose predictors were all *given* is used, so an estimate never rests
on another estimate. No model, or none good enough, means no sound estimate: BadInput names it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from c2m_tailor.errors import BadInput

# Accept bodies up to this far beyond the ANSUR II envelope (min..max over both sexes); further out
# the drafts are not proven and grading refuses with a clear error.
ENVELOPE_MARGIN = 0.05


@lru_cache(maxsize=1)
def regressions() -> dict[str, Any]:
    text = (resources.files("c2m_tailor") / "data" / "ansur_regressions.json").read_text(encoding="utf-8")
    return json.loads(text)


def _group(sex: str | None) -> str:
    if sex is None:
        return "all"
    s = str(sex).strip().lower()
    if s in ("m", "male", "man", "men"):
        return "male"
    if s in ("f", "female", "woman", "women"):
        return "female"
    return "all"


def estimate_missing(given: dict[str, float], needed: list[str], sex: str | None = None
                     ) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """Return (estimates for the needed names not given, how each was made)."""
    data = regressions()["models"]
    group = _group(sex)
    estimates: dict[str, float] = {}
    how: dict[str, dict[str, Any]] = {}
    for name in needed:
        if name in given:
            continue
        models = data.get(group, {}).get(name)
        if models is None:
            raise BadInput(f"measurement {name!r} is missing and cannot be estimated: please measure it")
        for model in models:
            if all(p in given for p in model["predictors"]):
                value = model["intercept"] + sum(c * given[p] for c, p in zip(model["coef"], model["predictors"]))
                estimates[name] = round(float(value), 1)
                how[name] = {"from": list(model["predictors"]), "r2": model["r2"],
                             "residual_sd_mm": model["residual_sd_mm"], "group": group}
                break
        else:
            raise BadInput(f"measurement {name!r} is missing and cannot be estimated soundly from the ones "
                           "given (it needs stature or a body girth): please measure it")
    return estimates, how


def check_envelope(measurements: dict[str, float], names: list[str]) -> None:
    """Refuse a body outside the ANSUR II envelope (plus margin) the drafts are proven on."""
    envelope = regressions()["envelope"]
    for name in names:
        if name not in measurements or name not in envelope:
            continue
        value = measurements[name]
        low = envelope[name]["min"] * (1 - ENVELOPE_MARGIN)
        high = envelope[name]["max"] * (1 + ENVELOPE_MARGIN)
        if not (low <= value <= high):
            raise BadInput(f"measurement {name} = {value:.0f} mm is outside the range this pattern supports "
                           f"({low:.0f} to {high:.0f} mm, the ANSUR II adult range plus {ENVELOPE_MARGIN:.0%})")
