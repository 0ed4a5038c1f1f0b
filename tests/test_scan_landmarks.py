"""Landmark rules on girth profiles, where the profile alone decides (no scan needed)."""

import numpy as np

from c2m_tailor.scan.measuring import ARM_STATION_MM, _CoarseToFine, _palm, _stylion_offset


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


# The girth profile (mm, 4 mm stations) from the slimmest wrist section to the palm, as measured
# on one body never fitted to (tests/unseen_bodies.py: man_tall_slim) as its mesh and as a 250k
# point cloud of it: the heel of the hand widens the girth by up to 10 mm a station, then the
# thumb joins it (16-38 mm a station).
WRIST_TO_PALM_MESH = [164.3, 164.5, 166.1, 169.0, 172.8, 177.8, 183.7, 190.9, 199.7, 209.4, 219.4, 229.3,
                      238.3, 246.3, 254.2, 262.9, 272.3, 288.0, 320.5]
WRIST_TO_PALM_CLOUD = [163.2, 164.5, 166.9, 170.2, 174.8, 180.8, 187.7, 195.7, 205.0, 214.7, 224.9, 234.0,
                       242.6, 250.2, 258.8, 268.0, 280.1, 307.6, 346.1]


def test_wrist_joint_is_where_the_heel_of_the_hand_levels_off_not_at_the_thumb():
    """The wrist joint was the first peak of the rise at least 30 % as steep as the steepest,
    which is the thumb's jump: on the cloud the heel's 10 mm fell short of 30 % of the thumb's
    38, and the joint went on to the thumb (station 18 against the mesh's 10: arm length +33.5
    mm)."""
    mesh, cloud = _stylion_offset(np.array(WRIST_TO_PALM_MESH)), _stylion_offset(np.array(WRIST_TO_PALM_CLOUD))
    assert abs(mesh - cloud) <= 1
    assert 7 <= mesh <= 10 and 7 <= cloud <= 10


def test_no_wrist_joint_on_a_profile_without_a_hand_rise():
    assert _stylion_offset(np.linspace(150.0, 160.0, 12)) is None  # (a rise under STYLION_MIN_RISE)
    assert _stylion_offset(np.array([150.0, 152.0, 0.0, 170.0, 190.0])) is None  # (a gap)
