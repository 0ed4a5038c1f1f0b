"""Landmark rules on girth profiles, where the profile alone decides (no scan needed)."""

import numpy as np

from c2m_tailor.scan.measuring import ARM_STATION_MM, _CoarseToFine, _palm


def _arm(values):
    values = np.asarray(values, dtype=float)
    s = np.arange(len(values)) * ARM_STATION_MM
    return _CoarseToFine(lambda ids: values[ids], len(values)), s, float(s[-1])


def _hand(fingers_and_thumb):
    """A hanging arm's girth profile (mm) at 4 mm stations, shaped as measured on a
    male_plus_size point cloud: the forearm tapering to the wrist (172 at station 94), the hand
    widening to the palm (266 at 110), sections through the fingers alone (205, and 140 where
    they part), then one across the thumb and fingers, then fingertips."""
    forearm = np.linspace(346.0, 172.0, 95)
    hand = np.interp(np.arange(95, 111), [94, 110], [172.0, 266.0])
    past = [205.0] * 12 + [160.0, 140.0, 160.0, 240.0, 260.0, fingers_and_thumb, 100.0] + [60.0] * 21
    return np.concatenate([forearm, hand, past])


def test_palm_is_the_hand_not_a_fuller_section_across_thumb_and_fingers():
    # (the fullest section past the search start was taken for the palm: the wrist, the
    # slimmest section before it, then fell in the dip at 140 mm)
    profile, s, length = _arm(_hand(fingers_and_thumb=280.0))
    assert _palm(profile, s, length) == 110


def test_palm_when_the_palm_is_the_fullest_section():
    profile, s, length = _arm(_hand(fingers_and_thumb=230.0))
    assert _palm(profile, s, length) == 110


def test_no_palm_on_a_profile_with_no_hand():
    profile, s, length = _arm(np.linspace(346.0, 172.0, 160))
    assert _palm(profile, s, length) is None
