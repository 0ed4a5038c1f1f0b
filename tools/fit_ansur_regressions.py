"""Fit the measurement-estimation regressions on ANSUR II and write c2m_tailor/data/ansur_regressions.json.

Run offline (the product never reads shared/ at run time):
    python tools/fit_ansur_regressions.py [/path/to/shared/data/ansur]

For every canonical measurement we can take from ANSUR II and every subset (1 to 3) of the predictor
set {stature, chest_girth, waist_girth, hip_girth, neck_girth}, an ordinary least-squares line is
fitted per group (male, female, all), with its R^2, residual SD and sample size. At run time the
estimator uses the best-R^2 model whose predictors were all given. The file also carries, per
measurement, the ANSUR II envelope (min, 1st and 99th percentile, max over both sexes) that bounds
what the drafts accept.
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "c2m_tailor" / "data" / "ansur_regressions.json"

# ANSUR II column -> canonical name. ANSUR takes the waist at the navel (omphalion), and the hip as
# the buttock circumference; interscye I/II are both across the back (I at the scye folds, II at the
# mid-scye level) so only II is used for across_back_width; buttock height stands in for hip height.
MAPPING = {
    "stature": "stature",
    "neckcircumference": "neck_girth",
    "neckcircumferencebase": "neck_base_girth",
    "chestcircumference": "chest_girth",
    "waistcircumference": "waist_girth",
    "buttockcircumference": "hip_girth",
    "bicepscircumferenceflexed": "upper_arm_girth",
    "wristcircumference": "wrist_girth",
    "thighcircumference": "thigh_girth",
    "calfcircumference": "calf_girth",
    "anklecircumference": "ankle_girth",
    "headcircumference": "head_girth",
    "biacromialbreadth": "shoulder_width",
    "shoulderlength": "shoulder_length",
    "sleeveoutseam": "arm_length",
    "waistbacklength": "back_neck_to_waist",
    "crotchheight": "inside_leg_length",
    "waistheightomphalion": "waist_height",
    "crotchlengthomphalion": "crotch_length",
    "interscyei": "across_back_width",
    "buttockheight": "hip_height",
}
MIN_R2 = 0.35
PREDICTORS = ["stature", "chest_girth", "waist_girth", "hip_girth", "neck_girth"]


def load(folder: Path) -> dict[str, dict[str, np.ndarray]]:
    groups = {}
    for sex, name in (("male", "ANSUR_II_MALE_Public.csv"), ("female", "ANSUR_II_FEMALE_Public.csv")):
        with open(folder / name, encoding="latin-1", newline="") as handle:
            rows = list(csv.DictReader(handle))
        cols = {k.lower(): k for k in rows[0]}
        groups[sex] = {canon: np.array([float(r[cols[col]]) for r in rows]) for col, canon in MAPPING.items()}
    groups["all"] = {k: np.concatenate([groups["male"][k], groups["female"][k]]) for k in MAPPING.values()}
    return groups


def fit(x: np.ndarray, y: np.ndarray) -> tuple[list[float], float, float, float]:
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    r2 = 1.0 - resid.var() / y.var()
    return [float(c) for c in coef[1:]], float(coef[0]), float(r2), float(resid.std(ddof=design.shape[1]))


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "ansur"
    groups = load(folder)
    models: dict[str, dict[str, list]] = {}
    for group, data in groups.items():
        models[group] = {}
        for target in MAPPING.values():
            entries = []
            pool = [p for p in PREDICTORS if p != target]
            for k in (1, 2, 3):
                for subset in itertools.combinations(pool, k):
                    x = np.column_stack([data[p] for p in subset])
                    coef, intercept, r2, sd = fit(x, data[target])
                    entries.append({"predictors": list(subset), "coef": [round(c, 5) for c in coef],
                                    "intercept": round(intercept, 2), "r2": round(r2, 4),
                                    "residual_sd_mm": round(sd, 2)})
            entries = [e for e in entries if e["r2"] >= MIN_R2]  # the rest are no sound estimate
            entries.sort(key=lambda e: -e["r2"])
            models[group][target] = entries
    envelope = {}
    for name in MAPPING.values():
        v = groups["all"][name]
        envelope[name] = {"min": float(v.min()), "p1": float(np.percentile(v, 1)),
                          "p99": float(np.percentile(v, 99)), "max": float(v.max())}
    doc = {
        "source": "ANSUR II public data (6,068 US Army personnel, 2012; 4,082 men, 1,986 women), millimetres",
        "method": "ordinary least squares per group (male/female/all), every 1-3 predictor subset of "
                  + ", ".join(PREDICTORS) + "; models sorted by R^2; made by tools/fit_ansur_regressions.py",
        "mapping": MAPPING,
        "notes": {"waist_girth": "ANSUR measures the waist at the navel (omphalion)",
                  "hip_girth": "ANSUR buttock circumference",
                  "upper_arm_girth": "ANSUR measures the biceps flexed",
                  "hip_height": "ANSUR buttock height"},
        "sample_size": {g: int(len(next(iter(d.values())))) for g, d in groups.items()},
        "envelope": envelope,
        "models": models,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
