"""Section geometry helpers: the cheap girth bounds that spare most hulls must hold."""

import numpy as np

from c2m_tailor.scan.sections import hull_perimeter, hull_perimeter_bounds


def test_girth_bounds_hold():
    rng = np.random.default_rng(7)
    for k in range(3000):
        n = int(rng.integers(1, 300))
        kind = k % 3
        if kind == 0:  # a ring, like a section
            a = rng.uniform(0, 2 * np.pi, n)
            points = np.column_stack([np.cos(a), np.sin(a)]) * rng.uniform(5, 400) + rng.normal(size=2) * 500
        elif kind == 1:  # (nearly) on a line: the hull may fail and give 0
            t = rng.normal(size=n)
            points = np.column_stack([t, rng.uniform(-3, 3) * t]) * 100 + rng.normal(size=(n, 2)) * 1e-9
        else:
            points = rng.normal(size=(n, 2)) * rng.uniform(0.1, 300, 2)
        girth = hull_perimeter(points)[0]
        lower, upper = hull_perimeter_bounds(points)
        assert lower <= girth <= upper
        if kind == 0 and n > 50:
            assert upper < 1.1 * girth and lower > 0.95 * girth  # tight enough to rule levels out
