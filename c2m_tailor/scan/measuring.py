"""Landmarks and ISO 8559-1 style measurements from a normalized body scan.

Frame (see loading.py): millimetres, +Z up, the person faces +Y, +X is the person's right,
feet at z = 0. Girths are convex-hull perimeters of planar sections (a tape bridges hollows):
horizontal for chest, underbust, waist, hip and head; perpendicular to the limb axis for arm
and leg girths; perpendicular to the neck axis for the neck.

Where a landmark is skeletal and cannot be seen on the skin (the natural waist lies between
the lowest rib and the iliac crest; mid-patella; the elbow on a straight arm; the suprasternal
notch) its level is placed by a population proportion between landmarks that ARE found on the
skin (crotch, armpit, stature, cervicale). The proportions are means of the public ANSUR II
survey (US Army 2012, 6,068 adults), not values fitted to any test body:
- natural waist = crotch + 0.52 x (armpit - crotch): ANSUR mean of
  ((tenth rib height + iliocristale height) / 2 - crotch height) / (axilla height - crotch height),
  0.507 men, 0.534 women, sexes averaged because a scan does not say which.
- knee (mid-patella) height = 0.277 x stature (ANSUR 0.278 men, 0.276 women).
- elbow on a straight arm = 0.56 of the way from acromion to wrist (ANSUR acromion-radiale /
  (acromion-radiale + radiale-stylion): 0.556 men, 0.563 women).
- front neck point (suprasternale) = cervicale height - 0.043 x stature (ANSUR 0.045 / 0.041).
Thigh girth is taken 50 mm below the crotch (the tailor's "two inches below the crotch",
just under the gluteal fold on adults).

Other landmarks and rules, all read off the skin:
- side neck point: on the front-view top outline, where the steep side of the neck turns into
  the shallow shoulder line (the outline's slope passes 45 degrees, the bisector of a vertical
  neck and a level shoulder); cervicale on the back midline at that height. The outlines are
  the surface's own silhouette, read on the mesh's edges every millimetre (_TopOutlines), so
  they do not move with the mesh's density. The side neck points, the slimmest neck level and
  the neck's axis are read off the surface above the armpits as loaded, or on a scan the loader
  found noisy off a copy of it Taubin-smoothed once more, so 1 mm of noise moves them little.
- neck base girth: a tape through cervicale, both side neck points and the front neck point,
  pulled tight from each to the next (_neck_base_girth). It reads 1.19-1.32 times the neck girth
  on the shared six (1.17-1.34 on 36 Anny draws), where ANSUR II's neck base circumference is
  1.094 (SD 0.026) times its neck circumference for men, 1.126 (0.031) for women: the side neck
  points (where the front-view outline turns) may lie further out than an anthropometrist's,
  or Anny's necks meet the trunk otherwise than its soldiers' (to be seen on real scans).
- chest / bust girth: the fullest horizontal girth from the bust points up to just below the
  armpits (EN 13402-1: maximum horizontal girth under the armpits, over the shoulder blades).
- across back / front: just above the armpits the arms join the trunk and the horizontal
  section has a notch front and back on each side (the axillary folds, ANSUR's scye points);
  the width is the tape over the back (front) between the two notches.
- arm length ends at the wrist joint (stylion): the first steep rise of the arm's girth profile
  from the slimmest wrist section into the hand. The wrist girth stays at the slimmest section.
  Wrist and upper arm girths are cut from a Taubin-smoothed copy of the surface near their
  station, as the neck is (the hull of a slim noisy ring rides its outward points).
- neck axis: through the area centroids of the neck's horizontal sections (hull polygons), so
  it does not lean towards the side a scanner sampled more densely.

Dense scans (over 400,000 faces) are searched for landmarks on a vertex-clustered copy (cells of
0.15 % of stature, about 2.5 mm); every reported girth, the neck levels and the shoulder and neck
base tapes are then cut from the full mesh. Midline lengths (back neck to waist, crotch length,
front neck to waist, outside leg) follow profiles of the copy, within a cell of the full surface.

Where we differ on purpose from the reference values shipped with the team's test bodies
(clad-body, which reads several landmarks off the Anny model: skeleton joints, skinning weights,
template vertices; a scan has none of these). Cut at the reference's own levels, our horizontal
girths give its bust, underbust and hip values to 0.001 mm, so what differs is the landmark:
- acromion: where the shoulder's top outline turns down into the arm (front view): where its
  slope passes the bisector of the shoulder line's slope (10-15 degrees) and the upper arm's
  (50-60), which holds still when the person leans (see _shoulder_turn). Our biacromial breadth
  is 0.227 and 0.232 of stature on the two men (ANSUR II bony biacromial breadth 0.237 +- 0.010)
  and 0.228-0.245 on the four women (ANSUR 0.224 +- 0.010: 0.4-2.1 SD wide; the A-pose lifts
  and turns the scapula). The reference's acromion is the highest vertex within 50 mm sideways
  of its upper-arm bone's end; on a shoulder rising to the neck that is the window's inner edge,
  22-34 mm more medial per side than ours, and its breadth comes to about 0.195-0.212 of stature
  (men 4 SD, women 1-2.4 SD below ANSUR). So shoulder width reads 45-71 mm wider than the
  reference, and arm length (the reference: straight lines to its elbow and wrist joints) 18-35
  mm shorter.
- neck girth: perpendicular sections averaged over the middle third of the neck (between the
  side neck points and the slimmest level), because the Adam's apple is not visible on a scan;
  the reference cuts once at its neck bone's upper end. Where that lies 8-10 mm above our side
  neck points we agree within 1.4 mm; on the plus-size bodies it lies at the neck base (1 and
  -2 mm from the side neck points), where the trapezius flares and the girth changes 2-3 mm per
  mm of height, and reads 10-22 mm more.
- back neck to waist: the reference's C7 (its neck bone's midpoint) lies at 0.843-0.847 of
  stature, 1.8-2.6 SD below ANSUR II cervicale height (0.857 women, 0.864 men, SD 0.007);
  ours at 0.853-0.859.
- underbust: just below the breasts (ISO 8559-1), so on the chest wall: where the breast's fall
  on the front profile meets the wall (the crossing of the two's lines, near the fall's foot),
  the girth of the chest wall there (the sections 4-14 mm below, carried up to that level: at the
  fold itself a section grazes the breast's underside, where the girth climbs 5-33 mm per mm of
  height). On a flat chest (no fall) the level is 0.02 of stature below the bust point, a
  convention with a low confidence; a shallow fall weighs the two. The reference takes the lowest
  vertex skinned to its breast bones, -1.1..+2.1 mm from our level on the four women, on the
  breast's underside (reading 1.5-15.8 mm more than ours), and 30 and 35 mm below our bust
  points on the two men.
- natural waist: the ANSUR proportion above. The reference's waist is the perimeter of a
  46-vertex loop of its template mesh, at the loop's mean height (0.50-0.55 of the way from
  crotch to armpit on the six bodies, where the slimmest girth lies at 0.59-0.67 on the five
  that narrow at all); the loop need not be level (our horizontal girth at its height is within
  2.5 mm of it on the women, 7-11 mm short on the men).
- crotch length: centre front at x = 0, centre back on a 5 cm tape that bridges the gluteal cleft,
  through the crotch point. From the reference's waist height our path reads +1.2..+6.8 mm of
  its value; the rest is the waist level (the length changes ~2 mm per mm of it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from c2m_tailor.errors import BadInput
from c2m_tailor.scan.concurrency import run_together
from c2m_tailor.scan.loading import _ROOM_HINT, Body, _room_hint, _weighted_samples, load_body
from c2m_tailor.scan.sections import (MeshParts, Sections, Surface, band_index, cluster_decimate,
                                      connected_labels, edge_table, horizontal_band_surface, hull_centroid,
                                      hull_centroid_and_perimeter,
                                      hull_perimeter, hull_perimeter_bounds, keyed_edges_length, local_surface,
                                      ring_across_hole, ring_hole,
                                      plane_segments, row_max, row_min, slice_planes, slice_surface)
from c2m_tailor.scan.smoothing import mean_of_neighbours, pairs_reaching, taubin

WAIST_FRACTION_CROTCH_TO_ARMPIT = 0.52
KNEE_FRACTION_OF_STATURE = 0.277
ELBOW_FRACTION_ACROMION_TO_WRIST = 0.56
ELBOW_BEND_FROM, ELBOW_BEND_RAMP = 0.04, 0.02  # of the chord: an arm bent less is straight, more is bent
PALM_SEARCH_FROM = 0.55  # of the arm chain (armpit to fingertip): past the elbow, before the palm
HAND_END_FRACTION = 0.5  # a section below this share of the palm's is a finger section
HAND_RISE = 1.15  # the hand: sections this much fuller than the slimmest of the forearm before them
STYLION_MIN_RISE = 0.0075  # wrist joint: the girth rising at least this share of the wrist girth per mm ...
STYLION_LEVEL_OFF = 1.05   # ... where the rise stops growing (the next station's under this many times it)
SUPRASTERNALE_BELOW_CERVICALE = 0.043
NECK_TAPE_TILT_DEGREES = 60.0  # the neck base tape's stretches are sought in planes tilted this far
CREST_ACROSS_MM = (-4.0, -2.0, 0.0, 2.0, 4.0)  # a crest's y is read in these sagittal planes about it
THIGH_BELOW_CROTCH_MM = 50.0
SWEEP_STEP_MM = 2.0
UNDERBUST_CONFIDENCE_WITHOUT_FOLD = 0.4
# of stature, below the bust point: a flat chest's underbust level (the median of where the profile's
# corner lay on 33 fold-less unseen bodies; folds, where found, lie 0.013-0.034 below)
UNDERBUST_DROP_WITHOUT_FOLD = 0.02
UNDERBUST_FOOT_DROP = 0.3  # the foot of a breast's fall: the front profile's drop per mm of height under this
# a breast's fall: its steepest step (mm per mm of height) and how far the front falls back (of stature)
# make it one from the first of each, fully from the second (between, its corner with the chest wall and
# the flat chest's level are weighed)
UNDERBUST_FALL = (0.6, 0.9)
UNDERBUST_FALLS_BACK = (0.008, 0.012)
UNDERBUST_WALL_MM = (4.0, 14.0)  # the chest wall's girth is read off the sections this far below the underbust level
UNDERBUST_WALL_OFF_MM = 3.0  # a wall section standing this far off the line of those below grazes the breast
UNDERBUST_CORNER_MM = 6.0  # the fall's corner with the wall is sought within this of its foot
MIDLINE_REACH_MM = 5.0  # a trunk's piece reaching this near the midline is a piece of its ring (_midline_parts)
HIP_BAND_FRACTION = 0.02  # the hip level is the centre of the levels within this of the fullest girth
HIP_BAND_BROKEN = 0.9  # a level of the hip band under this share of the band's median girth is a split ring
ARMSCYE_CREASE_FRACTION = 0.01  # of stature: the armhole section is kept from this far above the armpit
BUST_APEX_BAND_MM = 3.0  # the front within this of its top, across the bust, makes the apex
BUST_PROFILE_SMOOTHING_MM = 4.0  # (Gaussian sigma) the front profile's prominence is sought on it smoothed over this
ARM_STATION_MM = 4.0
MIN_ARM_LEVELS = 20  # sweep levels: a hanging arm followed down fewer than these is no arm
ARMPIT_GAP_FIT_MM = (4.0, 16.0)  # the gap under the arm, this wide, tells where it closes (_gap_closing)
ARM_CLEAR_MM = 6.0  # the upper arm is taken from where the gap under the arm is this wide (_arm_clear_height)
UPPER_ARM_BELOW_CLEAR_MM = 3.0  # ... this far below that height
ARM_CLEAR_SEARCH = 0.03  # of stature: how far below the armpit that height is searched for
# Limb girths whose ring is round all the way (sections.ring_across_hole bridges a hole in it);
# the wrist's and ankle's rings run flat over bones and tendons, where the hull's chord is the
# better guess (bridged, booth scans read the ankle 2-10 mm large).
ROUND_LIMB_GIRTHS = ("upper_arm_girth", "elbow_girth", "thigh_girth", "knee_girth", "calf_girth")
ARMPIT_HOLE_MIN_MM = 6.0  # an armpit this far above the other, its arm's ring open to the trunk: a hole (_find_armpits)
TRUNK_WARD_DEG = 60.0  # a hole in an arm's ring faces the trunk when its middle lies this near that way
ARM_HOLE_REACH = 0.1  # of stature: how far below the armpit an arm's ring is searched for such a hole (_arm_chain)
ARMPIT_BRIDGE_MM = 6.0  # the waist's armpit is at most this far above the last level the arm is apart
# Arms spread 45 degrees from the body give a fingertip span of 0.69-0.73 of stature (the shared
# bodies), 60 degrees about 0.86, a T-pose about 1.0 (span ~ stature): above this span the arms
# are followed as raised ones.
ARM_SPAN_LIMIT = 0.85
# Values read differently with the arms raised: arms of the six shared bodies raised 20 and 45
# degrees moved them up to 53 mm (arm length; the skin over the shoulder stretches and turns with
# the arm); the other values held within 4.4 mm.
POSE_DEPENDENT = ("shoulder_width", "shoulder_length", "arm_length", "armscye_girth", "across_back_width",
                  "across_front_width", "upper_arm_girth")
RAISED_ARMS_CONFIDENCE = 0.6  # their confidence is scaled by this
RAISED_ARM_MAX_DEPTH = 0.12  # of stature: a cut across a raised arm deeper than this has met the trunk
RAISED_ARM_ROUND = 1.1  # a raised arm's cut no deeper than this times its width is past the folds
RAISED_ARM_FOLDS_WITHIN = 0.12  # of stature from the armpit (beyond: the elbow and hand)
RAISED_SHOULDER_REACH = 0.08  # of stature: a raised arm's shoulder outline ends this far past the armpit
# Heights counted from the floor, and how far their confidence falls on a scan cut flat under the
# feet (see _cut_under_the_feet).
FLOOR_HEIGHTS = ("stature", "waist_height", "hip_height", "inside_leg_length", "outside_leg_length")
FLOOR_CUT_CONFIDENCE = 0.6
FLOOR_RIM_ZONE = 0.001  # of stature: rim edges this near the lowest point lie on the floor
FLOOR_RIM_MIN = 0.3     # of stature: this much rim on the floor is a cut through the feet ...
FLOOR_AREA_MAX = 0.015  # of stature squared: ... unless more surface than two soles lies flat there (a floor)
DENSE_FACES = 400_000  # above this, landmarks are searched on a coarse copy of the mesh
NECK_RESMOOTHED_BELOW_EDGE_MM = 3.0  # a noisy scan this fine has its neck girth cut from the neck band

CANONICAL_NAMES = (
    "stature", "neck_girth", "neck_base_girth", "chest_girth", "underbust_girth", "waist_girth",
    "hip_girth", "upper_arm_girth", "elbow_girth", "wrist_girth", "thigh_girth", "knee_girth",
    "calf_girth", "ankle_girth", "armscye_girth", "head_girth", "shoulder_width",
    "across_back_width", "across_front_width", "shoulder_length", "arm_length",
    "back_neck_to_waist", "front_neck_to_waist", "neck_to_bust_point", "bust_point_distance",
    "waist_height", "hip_height", "inside_leg_length", "outside_leg_length", "crotch_length",
)


@dataclass
class ScanResult:
    """What a scan measured; every length in mm, every point in the normalized frame."""

    measurements_mm: dict[str, float]
    landmarks: dict[str, tuple[float, float, float]]
    confidence: dict[str, float]
    warnings: list[str]
    detected_unit: str
    detected_up_axis: str
    detected_facing: str
    source: str
    # Polylines (lists of 3D points) showing where each measurement was taken, for the QA image.
    lines: dict[str, list[list[tuple[float, float, float]]]] = field(default_factory=dict)
    body: Body | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        """JSON-ready (rounded to 0.1 mm so repeated runs give identical files)."""
        r1 = lambda x: round(float(x), 1)  # noqa: E731
        return {
            "measurements_mm": {k: r1(v) for k, v in sorted(self.measurements_mm.items())},
            "landmarks_mm": {k: [r1(c) for c in v] for k, v in sorted(self.landmarks.items())},
            "confidence": {k: round(float(v), 2) for k, v in sorted(self.confidence.items())},
            "warnings": list(self.warnings),
            "detected_unit": self.detected_unit,
            "detected_up_axis": self.detected_up_axis,
            "detected_facing": self.detected_facing,
            "frame": "mm, +Z up, facing +Y, +X = person's right, feet at z=0",
        }


def _convex_contains_origin(ring: np.ndarray) -> bool:
    """Is the plane origin (the axis point) inside this convex hull ring (any orientation)?"""
    if len(ring) < 3:
        return False
    nxt = np.roll(ring, -1, axis=0)
    cross = ring[:, 0] * nxt[:, 1] - ring[:, 1] * nxt[:, 0]
    return bool((cross >= 0).all() or (cross <= 0).all())


def _fit_axis(points: np.ndarray) -> np.ndarray:
    centred = points - points.mean(axis=0)
    axis = np.linalg.svd(centred, full_matrices=False)[2][0]
    return axis / np.linalg.norm(axis)


def _column_front(points: np.ndarray, x: float, half: float) -> float | None:
    """The front (largest y) of a ring's POINTS within HALF of X across, its front strand taken
    between its points at the column's two sides (None where no point lies in the column).

    The foremost point alone jumps with the mesh: on a slanted front the foremost lies at the
    column's inner side, and which point the column takes in there changes from level to level
    (a 13k-face body's front below the bust jittered by 1.5 mm, which read as the breast's
    underside falling away, 72 mm below its fold; a denser mesh of it did not)."""
    inside = np.abs(points[:, 0] - x) < half
    if not inside.any():
        return None
    best = float(points[inside, 1].max())
    front = points[points[:, 1] > points[:, 1].mean()]
    for side in (x - half, x + half):
        left, right = front[front[:, 0] <= side], front[front[:, 0] > side]
        if len(left) and len(right):
            a, b = left[np.argmax(left[:, 0])], right[np.argmin(right[:, 0])]
            best = max(best, float(a[1] + (b[1] - a[1]) * (side - a[0]) / (b[0] - a[0])))
    return best


def _knee_below_chord(x: np.ndarray, y: np.ndarray) -> int:
    """Index of the point farthest below the chord from the first to the last point."""
    if len(x) < 3:
        return 0
    d = np.array([x[-1] - x[0], y[-1] - y[0]])
    d /= np.linalg.norm(d) or 1.0
    rel = np.column_stack([x - x[0], y - y[0]])
    cross = rel[:, 0] * d[1] - rel[:, 1] * d[0]
    return int(np.argmax(cross))


def _surface_samples(body: Body, count: int = 250_000) -> np.ndarray:
    """Evenly spread surface points (a lattice in each face) for pictures: the vertices, where the
    mesh is already denser than COUNT."""
    if len(body.vertices) > count:
        return body.vertices
    area = _weighted_samples(body.vertices, body.faces)[1]
    return np.vstack([body.vertices, _lattice_samples(body.vertices, body.faces, float(area.sum()) / count, area)])


class _Scan:
    """Working state: the surface, a fine horizontal sweep and helpers over it."""

    def __init__(self, body: Body):
        self.body = body
        self.v = body.vertices
        self.H = float(self.v[:, 2].max())
        # Taubin pairs of smoothed_ball (wrist, upper arm): none on a scan the loader has already
        # smoothed as a whole, where a second smoothing only rounds the arm further (1 mm noise,
        # 20 seeds, male_average: upper arm +1.9 mm on average with it, +1.5 without).
        self.limb_pairs = 0 if body.noise.pairs else SMOOTHING_PASSES
        # Taubin pairs of the neck band (_smoothed_band: the side neck points, the slimmest level
        # and the neck's axis are read off it). A scan the loader found noisy and smoothed is
        # smoothed again there, with as many more pairs on a denser scan as reach as far over its
        # finer edges (pairs_reaching): on four shared bodies subdivided to 0.44M faces with 1 mm
        # noise, 5 pairs left the neck +1.3..+2.0 mm, 43-44 pairs +0.4..+1.7 (when the girth was
        # cut from the band). A clean scan is read as loaded: Taubin pairs smooth over so many
        # edges, not millimetres, and 5 pairs placed the side neck points of 36 Anny draws and of
        # the same surfaces subdivided twice 0.9 mm apart in height on average (neck base girth
        # 5.8 mm apart, back neck to waist 1.5; unsmoothed 1.7 and 0.8; 60 pairs on the
        # subdivided ones, as far in millimetres, 6.6 and 1.7).
        self.neck_pairs = max(SMOOTHING_PASSES, pairs_reaching(body.noise.edge_mm, SMOOTHING_PASSES)) \
            if body.noise.pairs else 0
        self.full: MeshParts | None = None  # the dense mesh, when landmarks are found on a coarse copy
        if len(body.faces) > DENSE_FACES:
            # Landmarks are searched on a coarse copy (cells of 0.15 % of stature, about 2.5 mm);
            # every reported girth and surface length is then taken on the full mesh (its parts
            # index built beside the copy).
            cell = 0.0015 * self.H

            def coarse_copy() -> Surface:
                surface = Surface.from_mesh(*cluster_decimate(self.v, body.faces, cell))
                # merged cells can leave cracks a cell wide: let contours close across them
                surface.link_mm = max(surface.link_mm, 1.5 * cell)
                return surface

            self.surface, self.full = run_together(coarse_copy, lambda: MeshParts(self.v, body.faces))
        else:
            self.surface = Surface.from_mesh(self.v, body.faces)
        self.levels = np.arange(SWEEP_STEP_MM / 2, self.H, SWEEP_STEP_MM)
        # (the search surface's indexes for single sections are built beside the sweep)
        self.sweep = run_together(lambda: slice_surface(self.surface, [0, 0, 1], self.levels),
                                  lambda: (self.surface.spatial_index(), band_index(self.surface)))[0]
        self.st = self.sweep.stats()
        self._perimeter: dict[int, float] = {}
        self.warnings: list[str] = []
        self.lines: dict[str, list] = {}
        self.landmarks: dict[str, np.ndarray] = {}
        self.m: dict[str, float] = {}
        self.conf: dict[str, float] = {}
        self.arm_chains: dict[int, np.ndarray] = {}  # raised arms' section centres (_raised_arm)
        self.arm_fold_end: dict[int, float] = {}  # ... and how far along them the folds end (mm)
        self.upper_arm_top: dict[int, float] = {}  # hanging arms: the highest upper arm section's height (mm)

    # -- horizontal sweep helpers ------------------------------------------------------
    def level_of(self, z: float) -> int:
        return int(np.clip(np.round((z - self.levels[0]) / SWEEP_STEP_MM), 0, len(self.levels) - 1))

    def perimeter(self, cid: int) -> float:
        if cid not in self._perimeter:
            self._perimeter[cid] = hull_perimeter(self.sweep.contour_points(cid))[0]
        return self._perimeter[cid]

    def main_contour(self, level: int, sections: Sections | None = None, stats=None) -> int | None:
        """The contour that crosses the midline (torso, pelvis, neck, head); None between legs."""
        sec = sections or self.sweep
        st = stats if stats is not None else self.st
        cids = sec.contours_at(level)
        mids = [c for c in cids if st["u_min"][c] < 0 < st["u_max"][c] and st["count"][c] >= 6]
        if not mids:
            return None
        return max(mids, key=lambda c: st["count"][c])

    def torso_edge(self, level: int, side: int) -> float:
        """Outer x of the trunk on one side: over every contour crossing the midline (a crack
        or hole can split the trunk's ring into several)."""
        st = self.st
        mids = [c for c in self.sweep.contours_at(level) if st["u_min"][c] < 0 < st["u_max"][c] and st["count"][c] >= 6]
        if side > 0:
            return float(max(st["u_max"][c] for c in mids))
        return float(min(st["u_min"][c] for c in mids))

    def side_contours(self, level: int, side: int) -> list[int]:
        """Contours wholly on one side (+1 right, -1 left) of the midline."""
        cids = self.sweep.contours_at(level)
        st = self.st
        if side > 0:
            return [c for c in cids if st["u_min"][c] > 0 and st["count"][c] >= 4]
        return [c for c in cids if st["u_max"][c] < 0 and st["count"][c] >= 4]

    def horizontal_band(self, z: float, full: bool = False) -> Surface:
        """The faces that reach height Z: of the full mesh (FULL, on a dense scan), else of the
        search surface."""
        return self.full.levels([z]) if full and self.full is not None else horizontal_band_surface(self.surface, z)

    def horizontal(self, z: float, full: bool = False):
        sec = slice_surface(self.horizontal_band(z, full), [0, 0, 1], [z])
        return sec, sec.stats()

    def local(self, point, radius: float, normal, full: bool = False) -> Surface:
        """Surface near POINT that reaches the plane through it with NORMAL (what one section
        there needs): the full mesh for a reported value, else the search surface."""
        if full and self.full is not None:
            return self.full.ball(point, radius, normal)
        return local_surface(self.surface, point, radius, normal)

    def torso_section(self, z: float, full: bool = False) -> np.ndarray | None:
        """Points of the trunk at height z: the midline contour plus any fragment of it (a scan
        hole can split it), but not the arms beside it."""
        sec, st = self.horizontal(z, full)
        return self._torso_points(sec, st, np.arange(len(sec.contour_level)))

    def _torso_points(self, sec: Sections, st, cids: np.ndarray) -> np.ndarray | None:
        """torso_section's choice among the contours CIDS of one level of SEC."""
        if not any(st["u_min"][c] < 0 < st["u_max"][c] and st["count"][c] >= 6 for c in cids):
            return None  # (main_contour would find none)
        return np.vstack([sec.contour_points3d(c) for c in _midline_parts(st, cids)])

    def torso_girths(self, zs, final: bool = False) -> list[float]:
        """[torso_girth(z, final=final) for z in ZS], from one band and one multi-level cut: the
        same values (a level's points, face links and hole flags come only from the faces that
        reach it, and each level keeps its points' order), without a band and a cut per height.
        (On the full mesh only the faces that reach a level: between levels 2 mm apart lie
        about half of a dense band's faces.)"""
        zs = np.asarray(zs, dtype=float)
        if len(zs) == 0:
            return []
        if final and self.full is not None:
            band = self.full.levels(zs)
        else:
            band = horizontal_band_surface(self.surface, float(zs.min()), float(zs.max()))
        sec = slice_surface(band, [0, 0, 1], zs)  # (levels in ascending order)
        st = sec.stats()
        girths = np.zeros(len(zs))
        for level, i in enumerate(np.argsort(zs, kind="stable")):
            pts = self._torso_points(sec, st, sec.contours_at(level))
            if pts is None:
                raise BadInput(f"no torso section found at {zs[i]:.0f} mm; is this one standing person?")
            girths[i] = hull_perimeter(pts[:, :2])[0]
        return girths.tolist()

    def torso_girth(self, z: float, name: str | None = None, final: bool = False) -> float:
        pts = self.torso_section(z, full=name is not None or final)
        if pts is None:
            raise BadInput(f"no torso section found at {z:.0f} mm; is this one standing person?")
        perimeter, ring = hull_perimeter(pts[:, :2])
        if name:
            self.lines[name] = [[(float(x), float(y), z) for x, y in np.vstack([ring, ring[:1]])]]
        return perimeter

    # -- limb sections ------------------------------------------------------------------
    def perpendicular_girth(self, point, axis, radius, name: str | None = None,
                            max_reach: float | None = None, final: bool = False, smooth: bool = False) -> float:
        """Hull perimeter of the section perpendicular to AXIS nearest to POINT (0 if none).

        Only the surface within RADIUS of POINT is cut (SMOOTH: Taubin-smoothed first, see
        smoothed_ball). A smaller ball is tried first (most limb sections are slim); if the
        chosen contour reaches its rim, the cut is redone in full."""
        return self.perpendicular_girths([point], [axis], radius, name, max_reach, final, smooth)[0]

    def perpendicular_girths(self, points, axes, radius, name: str | None = None,
                             max_reach: float | None = None, final: bool = False, smooth: bool = False) -> list[float]:
        """[perpendicular_girth(p, a, ...) for p, a in zip(POINTS, AXES)], the sections of all
        stations grouped into contours in one pass (a profile's stations come in batches)."""
        points = [np.asarray(point, float) for point in points]
        small = 0.55 * radius
        full = name is not None or final
        found = self._nearest_sections(points, axes, small, full, smooth)
        redo = [k for k, (sec, best, _) in enumerate(found)
                if best is None or np.linalg.norm(sec.contour_points3d(best) - points[k], axis=1).max() > 0.8 * small]
        if redo:
            again = self._nearest_sections([points[k] for k in redo], [axes[k] for k in redo], radius, full, smooth)
            for k, section in zip(redo, again):
                found[k] = section
        return [self._girth_of(point, sec, best, hull, name, max_reach) for point, (sec, best, hull) in zip(points, found)]

    def _girth_of(self, point, sec: Sections, best: int | None, hull, name: str | None, max_reach) -> float:
        """The hull perimeter of contour BEST of SEC (0 if none, or if it reaches beyond MAX_REACH
        of POINT); with NAME its ring is kept as that measurement's line."""
        if best is None:
            return 0.0
        p3 = sec.contour_points3d(best)
        if max_reach is not None and np.linalg.norm(p3 - point, axis=1).max() > max_reach:
            return 0.0
        points2d = sec.contour_points(best)
        # (a reported girth of a round limb is taken across a hole in its ring; the searches read
        # the rings as they are: a hand's section between the fingers is no hole)
        bridged = ring_across_hole(points2d) if name in ROUND_LIMB_GIRTHS else points2d
        if bridged is not points2d:
            hull = hull_perimeter(bridged)
        perimeter, ring = hull if hull is not None else hull_perimeter(points2d)
        if name and len(ring) >= 3:
            self.lines.setdefault(name, []).append(_ring_line(sec.u, sec.w, point, ring))
        return perimeter

    def _nearest_section(self, point, axis, radius, full: bool = False):
        """Section of the surface near POINT and the id of the contour around (or nearest) it."""
        return self._nearest_sections([point], [axis], radius, full)[0]

    def _nearest_sections(self, points, axes, radius, full: bool = False, smooth: bool = False) -> list:
        """_nearest_section of each point and axis, cut in one batch."""
        smooth = smooth and self.limb_pairs > 0
        parts = [self.smoothed_ball(point, radius) if smooth else self.local(point, radius, axis, full)
                 for point, axis in zip(points, axes)]
        return [(sec, *_contour_around_origin(sec)) for sec in slice_planes(parts, points, axes)]

    def smoothed_ball(self, point, radius: float) -> Surface:
        """The surface within RADIUS of POINT (the full mesh's), Taubin-smoothed with its rim held
        still, as the neck is (see _smoothed_band): noise makes a slim limb's hull ride its
        outward points (1 mm noise: wrist, elbow and upper arm +2.1..+2.9 mm on every shared body
        with one seed). Not smoothed (limb_pairs 0) on a scan the loader smoothed as a whole."""
        part = self.full.ball(point, radius) if self.full is not None else local_surface(self.surface, point, radius)
        if len(part.edges) == 0:
            return part
        used, edges = np.unique(part.edges, return_inverse=True)
        edges = edges.reshape(-1, 2)
        points = part.vertices[used]
        rim = np.zeros(len(used), bool)  # edges of one face: the ball's rim, or a hole's
        rim[edges[np.bincount(part.face_edges.ravel(), minlength=len(edges)) == 1].ravel()] = True
        taubin(points, mean_of_neighbours(edges, len(points)), ~rim, self.limb_pairs)
        return Surface(points, edges, part.face_edges, part.link_mm, part.boundary)


def _midline_parts(st, cids: np.ndarray) -> list[int]:
    """Of the contours CIDS of one level, those crossing the midline (or reaching within
    MIDLINE_REACH_MM of it from a side) and the fragments beside them (a scan hole can split a
    trunk's or neck's ring), not the arms. At least one of CIDS must cross the midline.

    (A point cloud's mesh leaves the faces across the crotch's fold out, and just above the
    crotch its ring split into a left and a right half, one of them 2.5 mm short of the midline:
    that half was left out, and the hip band read 676-702 mm among levels of 1048-1058 on
    draw 2's woman 05.)"""
    straddle = (st["u_min"][cids] < 0) & (st["u_max"][cids] > 0)
    straddle |= (st["u_min"][cids] < MIDLINE_REACH_MM) & (st["u_max"][cids] > -MIDLINE_REACH_MM) & (st["count"][cids] >= 6)
    lo, hi = st["u_min"][cids][straddle].min() - 2.0, st["u_max"][cids][straddle].max() + 2.0
    return [c for c, across in zip(cids, straddle) if across or (lo <= st["u_mean"][c] <= hi and st["count"][c] >= 2)]


def _midline_points(sec: Sections, st, cids: np.ndarray) -> np.ndarray:
    """The in-plane points of _midline_parts(ST, CIDS) of SEC, together: one ring to hull."""
    return np.vstack([sec.contour_points(c) for c in _midline_parts(st, cids)])


def _contour_around_origin(sec: Sections) -> tuple[int | None, tuple | None]:
    """The contour of a section around its origin (else the one nearest it) and that contour's
    hull if one was taken."""
    best, best_d, best_hull = None, np.inf, None
    for cid in range(len(sec.contour_level)):
        p2 = sec.contour_points(cid)
        if len(p2) < 4:
            continue
        # a hull cannot hold the origin when the contour's box does not (with a margin for
        # the rounding of hull corners): no hull needed then
        lo, hi = p2.min(axis=0), p2.max(axis=0)
        hull = None
        if (lo < 1e-5).all() and (hi > -1e-5).all():
            hull = hull_perimeter(p2)
        inside = hull is not None and _convex_contains_origin(hull[1])
        d = np.linalg.norm(p2.mean(axis=0)) - (1e6 if inside else 0.0)
        if d < best_d:
            best, best_d, best_hull = cid, d, hull
    return best, best_hull


def _find_crotch(scan: _Scan) -> float:
    """Lowest level above the knees where the two legs have joined into one pelvis contour."""
    H = scan.H
    start = scan.level_of(0.2 * H)
    seen_two_legs = False
    for k in range(start, scan.level_of(0.65 * H)):
        main = scan.main_contour(k)
        if main is None:
            legs = [scan.side_contours(k, s) for s in (1, -1)]
            if all(any(abs(scan.st["u_mean"][c]) < 0.2 * H for c in side) for side in legs):
                seen_two_legs = True
            continue
        if seen_two_legs and scan.st["u_max"][main] - scan.st["u_min"][main] > 0.08 * H:
            lo, hi = scan.levels[k - 1], scan.levels[k]
            for _ in range(4):  # refine the merge level to 0.1 mm
                mid = 0.5 * (lo + hi)
                sec, st = scan.horizontal(mid)
                if scan.main_contour(0, sec, st) is None:
                    lo = mid
                else:
                    hi = mid
            return 0.5 * (lo + hi)
    raise BadInput("could not find two separate legs joining at the crotch; "
                   "scan one person standing with feet apart")


def _first_prominence(front: np.ndarray, drop: float) -> int:
    """Index of the first peak of a front profile (read downwards) that the profile falls below
    by more than DROP before it rises past the peak again: the bust or chest, not a belly further
    down. (Comparing with a fixed stretch below instead made a man's chest disappear whenever his
    belly came back within that stretch to the chest's height: a lean of 0.6 degrees moved his
    bust points 100 mm down onto the belly.) Without such a peak, the one the profile falls
    below the most, by more than half of DROP (a heavy man's chest dipped 1.0 mm before his belly
    as a mesh, 0.9 as a point cloud: the cloud's bust points went 55 mm down onto the belly, its
    underbust -88 mm); the last index if there is none."""
    best, best_drop = len(front) - 1, 0.5 * drop
    for i, y in enumerate(front):
        rest = front[i + 1:]
        higher = np.nonzero(rest > y)[0]
        valley = rest[: higher[0]] if len(higher) else rest
        if len(valley):
            fall = y - valley.min()
            if fall > drop:
                return i
            if fall > best_drop:
                best, best_drop = i, fall
    return best


def _crotch_point(scan: _Scan, crotch_z: float) -> np.ndarray:
    """The crotch point: midway between the two legs where they come closest, just below the
    level where they join. (The pelvis section's midline points would lean to whichever of the
    pubic front or the buttocks has more points: 30-55 mm forward on the two men.)"""
    from scipy.spatial import cKDTree

    sec, st = scan.horizontal(crotch_z - 0.5)
    legs = []
    for side in (1, -1):
        cids = [c for c in range(len(sec.contour_level)) if st["count"][c] >= 4 and side * st["u_mean"][c] > 0]
        if cids:
            legs.append(sec.contour_points3d(max(cids, key=lambda c: st["count"][c])))
    if len(legs) < 2:
        return np.array([0.0, 0.0, crotch_z])
    gaps, nearest = cKDTree(legs[1][:, :2]).query(legs[0][:, :2])
    i = int(np.argmin(gaps))
    return np.array([0.0, 0.5 * (legs[0][i, 1] + legs[1][nearest[i], 1]), crotch_z])


def _find_armpits(scan: _Scan, crotch_z: float) -> dict[int, tuple[float, np.ndarray]]:
    """Per side, the highest level where the arm is still a separate contour from the torso."""
    H = scan.H
    result = {}
    for side in (1, -1):
        top = None
        started = False
        for k in range(scan.level_of(crotch_z + 0.02 * H), scan.level_of(0.9 * H)):
            arms = _arm_contours(scan, k, side)
            if arms:
                started = True
                top = k
            elif started and top is not None and k - top >= 2:
                break
        if top is None or scan.levels[top] < 0.6 * H:
            raise BadInput("the arms touch the torso, so the armpits cannot be found; "
                           "scan again in the A-pose (arms 30-45 degrees away from the body)")
        result[side] = _armpit_at(scan, top, side)
    # A hole under one arm (a booth's cameras see nothing there) keeps that arm apart from the
    # trunk above its armpit, its ring open toward the trunk: such an armpit is taken at the
    # height of the other, closed one (female_plus_size in a booth of three towers read its left
    # armpit 20 mm high, its waist level 9 mm high and its armhole 16 mm small).
    high = 1 if result[1][0] > result[-1][0] else -1
    low_level = scan.level_of(result[-high][0])
    # (the arm must stand apart at that height too: the search above bridges a level without it)
    if (result[high][0] - result[-high][0] > ARMPIT_HOLE_MIN_MM
            and _open_toward_trunk(scan, scan.level_of(result[high][0]), high)
            and not _open_toward_trunk(scan, low_level, -high)
            and _arm_beside_trunk(scan, low_level, high) is not None):
        result[high] = _armpit_at(scan, low_level, high)
    return result


def _armpit_at(scan: _Scan, k: int, side: int) -> tuple[float, np.ndarray]:
    """The armpit on SIDE at sweep level K (where the arm stands apart): its height, and the
    point midway between the arm and the trunk, level with the arm's innermost points."""
    arm, inner_arm, torso_edge = _arm_beside_trunk(scan, k, side)
    arm_pts = scan.sweep.contour_points3d(arm)
    close = arm_pts[np.argsort(side * arm_pts[:, 0])[:5]]
    return float(scan.levels[k]), np.array([(inner_arm + torso_edge) / 2, close[:, 1].mean(), scan.levels[k]])


def _open_toward_trunk(scan: _Scan, k: int, side: int) -> bool:
    """Whether the arm's ring at sweep level K on SIDE has a hole (sections.ring_hole, seen from
    the ring's centre) whose middle faces the trunk, within TRUNK_WARD_DEG."""
    beside = _arm_beside_trunk(scan, k, side)
    if beside is None:
        return False
    ring = scan.sweep.contour_points(beside[0])
    return _faces_trunk(ring_hole(ring, hull_centroid(ring)), side)


def _faces_trunk(hole: tuple[float, float, float] | None, side: int) -> bool:
    """Whether a HOLE in an arm's ring on SIDE (sections.ring_hole) has its middle within
    TRUNK_WARD_DEG of the way to the trunk."""
    if hole is None:
        return False
    start, gap, _ = hole
    trunk_ward = np.pi if side > 0 else 0.0  # (the right arm's trunk lies toward -x)
    return abs(float(np.angle(np.exp(1j * (start + 0.5 * gap - trunk_ward))))) < np.radians(TRUNK_WARD_DEG)


def _arm_beside_trunk(scan: _Scan, k: int, side: int) -> tuple[int, float, float] | None:
    """At sweep level K on SIDE: the arm's contour, its inner edge and the trunk's outer edge
    (x, mm); None where no arm stands apart. The arm is the biggest contour beside the torso
    (not a piece of the trunk split off by a scan hole or a coarse copy's crack: on a
    million-face mesh with cracks such a piece of female_average's back, bigger than the arm's
    section, was taken for the arm)."""
    arms = _arm_contours(scan, k, side)
    if not arms:
        return None
    arm = max(arms, key=lambda c: scan.st["count"][c])
    inner_arm = scan.st["u_min"][arm] if side > 0 else scan.st["u_max"][arm]
    return arm, float(inner_arm), float(scan.torso_edge(k, side))


def _waist_armpit(scan: _Scan, side: int, armpit_z: float) -> float:
    """The armpit height the waist level is set from: where the gap under the arm closes
    (_gap_closing) if that lies above ARMPIT_Z, the last level where the arm stands apart, but
    at most ARMPIT_BRIDGE_MM above it."""
    top = scan.level_of(armpit_z)
    if _open_toward_trunk(scan, top, side):
        return armpit_z  # (a hole between arm and trunk: the gap read across it closes too high)
    closing = _gap_closing(scan, side, top)
    if closing is None or closing <= armpit_z:
        return armpit_z
    return min(closing, armpit_z + ARMPIT_BRIDGE_MM)


def _arm_clear_height(scan: _Scan, side: int, armpit_z: float) -> float | None:
    """The height below the armpit (ARMPIT_Z, the last level where the arm stands apart) at which
    the gap between the arm and the trunk (the nearest points of their horizontal rings) first
    reaches ARM_CLEAR_MM, interpolated between sweep levels (the level above the armpit's, where
    arm and trunk are one ring, counts as no gap); None if not within ARM_CLEAR_SEARCH of stature.

    Why: a point cloud's mesh joins arm and trunk where they stand closer than its points'
    spacing, so its last level apart lies a level or two below a mesh's; a gap a few points
    wide reads the same on both."""
    from scipy.spatial import cKDTree

    top = scan.level_of(armpit_z)
    above_z, above_gap = float(scan.levels[top]) + SWEEP_STEP_MM, 0.0
    for k in range(top, max(scan.level_of(armpit_z - ARM_CLEAR_SEARCH * scan.H), 1) - 1, -1):
        beside, trunk = _arm_beside_trunk(scan, k, side), scan.main_contour(k)
        gap = 0.0
        if beside is not None and trunk is not None:
            gap = float(cKDTree(scan.sweep.contour_points(trunk)).query(scan.sweep.contour_points(beside[0]))[0].min())
        z = float(scan.levels[k])
        if gap >= ARM_CLEAR_MM:
            return z + (above_z - z) * (gap - ARM_CLEAR_MM) / (gap - above_gap)
        above_z, above_gap = z, gap
    return None


def _chain_point_at_height(pts: np.ndarray, tangents: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """The point of a hanging arm's resampled chain (PTS, TANGENTS: down the arm) at height Z
    and the tangent there: between the stations around it, or on the line of the first station
    above the chain's start."""
    below = np.nonzero(pts[:, 2] <= z)[0]
    i = int(below[0]) if len(below) else len(pts) - 1
    if i == 0:
        return pts[0] + tangents[0] * (z - pts[0, 2]) / min(tangents[0, 2], -1e-6), tangents[0]
    f = (pts[i - 1, 2] - z) / max(pts[i - 1, 2] - pts[i, 2], 1e-9)
    tangent = (1 - f) * tangents[i - 1] + f * tangents[i]
    return (1 - f) * pts[i - 1] + f * pts[i], tangent / np.linalg.norm(tangent)


def _gap_closing(scan: _Scan, side: int, top: int) -> float | None:
    """The height at which the gap between the arm and the trunk (across the body: the arm's
    inner edge less the trunk's outer edge) closes, from a line fitted to it over the levels
    below TOP (the armpit's) where it is ARMPIT_GAP_FIT_MM wide; None where it does not narrow
    upwards so. The waist level is set from it where it lies above the armpit (_waist_armpit).

    Why: a point cloud's mesh joins arm and trunk where they stand less than about a point
    spacing apart (2.7 mm on a 250k cloud of a body). female_plus_size's arm hangs a few
    millimetres from its trunk, its gap widening 0.55 mm per mm down: as random 250k clouds its
    armpit read up to 8 mm low, and the waist level (a fraction of the way from the crotch to the
    armpits) with it: waist +4.9..+5.9 mm on three seeds of five. On the shared meshes the gap
    closes at the armpit, or above it by under a millimetre (female_curvy: 0.8 mm, waist -0.6
    mm), or, where the arm hangs in front of or behind the trunk's widest point (female_slim,
    male_average), below it. The searches that need the arms apart (bust, armpit folds) keep
    the last level where they are: above it a cloud's arm can be joined to the trunk (read with
    the gap's closing as their upper bound, female_curvy's seed-4 cloud put its bust point
    48 mm high).

    Two levels make the line: a gap opening 1.5 mm per mm down (man_tall_slim) spans that band
    in four 2 mm levels or in two, as the levels fall; with three asked for, 1 mm of scanner noise
    (the arm apart 2-4 mm lower, its gap 10 mm wide there) left no line, and the chest, searched
    up to the closing or the armpit, read 5.4-7.8 mm small on four seeds of four (now within
    3.7). On the twelve unseen bodies four women's clean gaps span two levels: their waist
    levels now rise 0.6-3.0 mm to where their gaps close."""
    heights, gaps = [], []
    for k in range(top, 0, -1):
        beside = _arm_beside_trunk(scan, k, side)
        if beside is None:
            continue
        _, inner_arm, torso_edge = beside
        gap = side * (inner_arm - torso_edge)
        if gap > ARMPIT_GAP_FIT_MM[1]:
            break
        if gap >= ARMPIT_GAP_FIT_MM[0]:
            heights.append(float(scan.levels[k]))
            gaps.append(gap)
    if len(heights) < 2:
        return None
    slope, intercept = np.polyfit(heights, gaps, 1)
    if slope > -0.2:  # (a gap narrowing upwards under 0.2 mm per mm closes nowhere near)
        return None
    return float(-intercept / slope)


def _arm_contours(scan: _Scan, k: int, side: int) -> list[int]:
    """The contours of sweep level K beside the torso on SIDE, outside its edge (a piece of the
    trunk's ring split off by a hole or a crack lies inside it; a crumb of a few points is no
    arm either)."""
    edge = None if scan.main_contour(k) is None else scan.torso_edge(k, side)
    return [c for c in scan.side_contours(k, side)
            if (edge is None or side * scan.st["u_mean"][c] > side * edge) and scan.st["count"][c] >= 6]


def _arm_chain(scan: _Scan, side: int, armpit_z: float) -> np.ndarray:
    """Centres of the arm's horizontal sections (of their hulls' areas: hull_centroid) from the
    armpit down to the fingertips.

    A level without the arm ends the chain, unless the chain is still shorter than an arm can be
    (MIN_ARM_LEVELS): just below the armpit, a point cloud's mesh can join arm and trunk again
    for a level or two (female_plus_size, random 250k cloud, seed 1: arm, nothing, arm pieces,
    nothing, then the arm for good), and the chain then starts again below the gap (it was
    refused: "could not follow an arm below the armpit")."""
    chain = []
    for k in range(scan.level_of(armpit_z) - 1, 0, -1):
        main = scan.main_contour(k)
        arms = [c for c in scan.side_contours(k, side)
                if main is None or side * scan.st["u_mean"][c] > side * scan.torso_edge(k, side)]
        if main is None:
            # below the crotch the legs are side contours too: arms are the far ones
            arms = [c for c in arms if abs(scan.st["u_mean"][c]) > 0.17 * scan.H]
        if not arms:
            if len(chain) >= MIN_ARM_LEVELS:
                break
            chain = []
            continue
        far = max(arms, key=lambda c: scan.st["count"][c])
        points = scan.sweep.contour_points3d(far)
        # (holes under the arm lie near the armpit; the rest of the arm's rings, the hand's among
        # them, are not searched for one)
        centre = _ring_centre(points[:, :2], side) if scan.levels[k] > armpit_z - ARM_HOLE_REACH * scan.H \
            else hull_centroid(points[:, :2])
        chain.append(np.append(centre, points[:, 2].mean()))
    if len(chain) < MIN_ARM_LEVELS:
        raise BadInput("could not follow an arm below the armpit; scan again in the A-pose")
    return np.array(chain)


def _ring_centre(ring: np.ndarray, side: int) -> np.ndarray:
    """The centre of an arm's ring on SIDE (hull_centroid), taken with a hole facing the trunk
    bridged (about its first centre: sections.ring_across_hole): a ring open toward the trunk,
    under an arm where a scanner sees nothing, has its hull's centre pushed outward, and the
    arm's axis through such centres tilted the upper arm's section (+7.2 mm on male_average
    with a hole under its arm). (A hand's section, between thumb and fingers, is left as it is.)"""
    centre = hull_centroid(ring)
    if not _faces_trunk(ring_hole(ring, centre), side):
        return centre
    return hull_centroid(ring_across_hole(ring - centre) + centre)


def _resample_chain(chain: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Smooth the centroid chain and resample it by arc length (points, unit tangents)."""
    from scipy.ndimage import uniform_filter1d

    smooth = uniform_filter1d(chain, size=9, axis=0, mode="nearest")
    seg = np.linalg.norm(np.diff(smooth, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    stations = np.arange(0.0, s[-1], step)
    pts = np.column_stack([np.interp(stations, s, smooth[:, i]) for i in range(3)])
    tangents = np.gradient(pts, axis=0)
    tangents = uniform_filter1d(tangents, size=7, axis=0, mode="nearest")
    tangents /= np.linalg.norm(tangents, axis=1, keepdims=True)
    return pts, tangents


# The front-view outlines are read every this many millimetres out from the midline.
OUTLINE_STEP_MM = 1.0


class _TopOutlines:
    """Front-view upper outlines of the shoulders on a surface (VERTICES, FACES; FACE_HEIGHTS,
    each face's lowest and highest corner z, if known), below Z_HIGH where above Z_LOW.

    The surface's own silhouette, read exactly: the part of a face below Z_HIGH is bounded by
    the parts of its edges below it and, where the face crosses it, a segment at Z_HIGH; the
    highest point of such a piece over a vertical line lies on its rim, so each rim segment is
    read where it crosses each step. (The highest of the surface samples per 4 mm bin, read
    before, moved with where the samples fell: counting the bins from the outline's inner end
    rather than from the midline moved the shoulder width of 36 Anny bodies by 1.6 mm on
    average, 8.1 at worst, and their neck base girth by 2.3, 8.1; the same bodies subdivided
    twice, the same surface, read 1.9 and 4.7 mm apart.) The rim segments are cut once for
    both sides."""

    def __init__(self, vertices: np.ndarray, faces: np.ndarray, z_low: float, z_high: float,
                 face_heights: tuple[np.ndarray, np.ndarray] | None = None):
        if face_heights is None:
            corner_z = vertices[faces, 2]
            face_heights = row_min(corner_z), row_max(corner_z)
        faces = faces[(face_heights[1] > z_low) & (face_heights[0] < z_high)]
        a, b = vertices[faces.ravel()], vertices[faces[:, [1, 2, 0]].ravel()]
        # each edge's part at or below Z_HIGH (faces keep their own copies: the clip is per edge)
        above_a, above_b = a[:, 2] > z_high, b[:, 2] > z_high
        crosses = above_a != above_b
        cut = a + ((z_high - a[:, 2]) / np.where(crosses, b[:, 2] - a[:, 2], 1.0))[:, None] * (b - a)
        a = np.where((above_a & crosses)[:, None], cut, a)
        b = np.where((above_b & crosses)[:, None], cut, b)
        # a face crossing Z_HIGH has two edges crossing it: the segment between them lies at Z_HIGH
        per_face = crosses.reshape(-1, 3)
        cut_faces = np.nonzero(per_face.sum(axis=1) == 2)[0]
        cut_points = cut.reshape(-1, 3, 3)[cut_faces][per_face[cut_faces]].reshape(-1, 2, 3)
        keep = ~(above_a & above_b) & (np.maximum(a[:, 2], b[:, 2]) > z_low)
        self.a = np.vstack([a[keep], cut_points[:, 0]])
        self.b = np.vstack([b[keep], cut_points[:, 1]])

    def side(self, side: int, z_low: float, x_from: float, x_to: float) -> np.ndarray | None:
        """The outline on SIDE (+1 right, -1 left) at every OUTLINE_STEP_MM from X_FROM out to
        X_TO (distances from the midline), where above Z_LOW: (x, y, z) rows running outward
        (None if under ten are found)."""
        outline = _upper_envelope(self.a, self.b, side, x_from, x_to, up=2)
        if outline is None:
            return None
        outline = outline[outline[:, 2] > z_low]
        return outline if len(outline) >= 10 else None


def _upper_envelope(a: np.ndarray, b: np.ndarray, side: int, x_from: float, x_to: float, up: int):
    """The highest point along axis UP (1: y, the front; 2: z) of the segments from A to B
    ((S, 3) each) over every OUTLINE_STEP_MM of x on SIDE (+1 right, -1 left), from X_FROM out
    to X_TO (distances from the midline): (x, y, z) rows running outward, None if no segment
    crosses a step. Exact for the segments: each is read where it crosses each step."""
    xa, xb = side * a[:, 0] - x_from, side * b[:, 0] - x_from  # (out from X_FROM)
    last_step = int(np.floor((x_to - x_from) / OUTLINE_STEP_MM))
    first = np.maximum(np.ceil(np.minimum(xa, xb) / OUTLINE_STEP_MM), 0).astype(np.int64)
    last = np.minimum(np.floor(np.maximum(xa, xb) / OUTLINE_STEP_MM), last_step).astype(np.int64)
    crossing = np.nonzero(last >= first)[0]
    counts = last[crossing] - first[crossing] + 1
    if last_step < 0 or counts.sum() == 0:
        return None
    segment = np.repeat(crossing, counts)
    step = first[segment] + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    span = xb[segment] - xa[segment]
    # (a segment running straight along UP in a step's line: its higher end)
    t = np.where(span != 0, (step * OUTLINE_STEP_MM - xa[segment]) / np.where(span == 0, 1.0, span),
                 (b[segment, up] > a[segment, up]).astype(float))
    t = np.clip(t, 0.0, 1.0)
    height = a[segment, up] + t * (b[segment, up] - a[segment, up])
    highest = np.full(last_step + 1, -np.inf)
    np.maximum.at(highest, step, height)
    # the first point reaching its step's highest
    top = np.nonzero(height == highest[step])[0]
    steps, first_top = np.unique(step[top], return_index=True)
    top = top[first_top]
    envelope = a[segment[top]] + t[top, None] * (b[segment[top]] - a[segment[top]])
    envelope[:, 0] = side * (x_from + steps * OUTLINE_STEP_MM)
    envelope[:, up] = height[top]
    return envelope


def _trunk_front(scan: _Scan, z: float, side: int, x_from: float, x_to: float) -> np.ndarray | None:
    """The front of the trunk's horizontal section at Z on SIDE, at every OUTLINE_STEP_MM from
    X_FROM out to X_TO (not past the trunk's ring, beside which the arms hang): (x, y, z) rows,
    from the section's pieces on the full mesh, so the same surface at any density gives the
    same front. (The foremost section point per 2 mm bin, read before, moved with where the
    section's points fell: 36 Anny draws and the same surfaces subdivided twice put their bust
    points 3.5 mm apart on average, up to 12.9 mm.)"""
    band = scan.horizontal_band(z, full=True)
    sec = slice_surface(band, [0, 0, 1], [z])
    ring = scan._torso_points(sec, sec.stats(), np.arange(len(sec.contour_level)))
    if ring is None:
        return None
    x_to = min(x_to, float((side * ring[:, 0]).max()))
    if x_to <= x_from:
        return None
    pieces = plane_segments(band, np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, z]))
    if len(pieces) == 0:
        return None
    return _upper_envelope(pieces[:, 0], pieces[:, 1], side, x_from, x_to, up=1)


def _profile(scan: _Scan, z_from: float, z_to: float, which: str, half_width: float,
             beyond: int = 0) -> np.ndarray:
    """Midline profile: per sweep level the front-most (which='front') or back-most point of
    the main contour within |x| < half_width (a tape that wide bridges a midline hollow); from
    the level nearest Z_FROM to the one nearest Z_TO, and BEYOND more past each (see
    _clipped_profile)."""
    pts = []
    k0, k1 = sorted((scan.level_of(z_from), scan.level_of(z_to)))
    k0, k1 = max(k0 - beyond, 0), min(k1 + beyond, len(scan.levels) - 1)
    st = scan.st
    for k in range(k0, k1 + 1):
        if scan.main_contour(k) is None:
            continue
        # every piece of the level near the midline (a hole can split the trunk's contour)
        near = [c for c in scan.sweep.contours_at(k) if st["u_min"][c] < half_width and st["u_max"][c] > -half_width]
        p = np.vstack([scan.sweep.contour_points3d(c) for c in near])
        band = p[np.abs(p[:, 0]) < half_width]
        if len(band) == 0:
            continue
        pick = band[np.argmax(band[:, 1])] if which == "front" else band[np.argmin(band[:, 1])]
        pts.append([0.0, pick[1], scan.levels[k]])
    return np.array(pts)


def _clipped_profile(profile: np.ndarray, z_low: float, z_high: float) -> np.ndarray:
    """PROFILE (rows in any order of height) from exactly Z_LOW to Z_HIGH, its ends read
    between the levels about them. (Profiles ending on the sweep level nearest the waist made
    the lengths to the waist jump as it crossed halfway between two levels: 0.2 mm of waist
    there added 4.1 mm to male_average's crotch length, a level to each of its two profiles,
    and took 2.0 mm off each neck-to-waist length.)"""
    if len(profile) == 0:
        return profile.reshape(0, 3)
    profile = profile[np.argsort(profile[:, 2])]
    z = profile[:, 2]

    def end(at: float) -> np.ndarray:
        """The profile's point at height AT; none past its levels."""
        if not z[0] <= at <= z[-1]:
            return np.empty((0, 3))
        return np.array([[np.interp(at, z, profile[:, 0]), np.interp(at, z, profile[:, 1]), at]])

    return np.vstack([end(z_low), profile[(z > z_low) & (z < z_high)], end(z_high)])


def _hull_side_path(profile: np.ndarray, which: str) -> np.ndarray:
    """Replace a vertical profile by its hull on the outer side: a tape bridges the hollows."""
    if len(profile) < 3:
        return profile
    z = profile[:, 2]
    y = profile[:, 1] if which == "front" else -profile[:, 1]
    order = np.argsort(z)
    z, y = z[order], y[order]
    hull = []
    for i in range(len(z)):  # upper hull of (z, y) by the monotone chain
        while len(hull) >= 2:
            o, a = hull[-2], hull[-1]
            if (z[a] - z[o]) * (y[i] - y[o]) - (y[a] - y[o]) * (z[i] - z[o]) >= 0:
                hull.pop()
            else:
                break
        hull.append(i)
    yy = np.interp(z, z[hull], y[hull])
    yy = yy if which == "front" else -yy
    return np.column_stack([np.zeros(len(z)), yy, z])


def _polyline_length(points: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(points, axis=0), axis=1).sum()) if len(points) > 1 else 0.0


def _as_line(points) -> list[tuple[float, float, float]]:
    return [tuple(map(float, p)) for p in np.asarray(points)]


def _ring_line(u: np.ndarray, w: np.ndarray, origin, ring: np.ndarray) -> list[tuple[float, float, float]]:
    """A closed hull RING in the plane coordinates of basis U, W (about ORIGIN) as a 3-D line."""
    closed = np.vstack([ring, ring[:1]])
    return _as_line(origin + np.outer(closed[:, 0], u) + np.outer(closed[:, 1], w))


def measure_body(body: Body) -> ScanResult:
    """Find the landmarks of one standing person and take the catalogue's measurements."""
    scan = _Scan(body)
    H = scan.H
    m, lm, conf = scan.m, scan.landmarks, scan.conf
    _check_one_person(scan)
    raised = _arms_raised(scan)
    m["stature"] = H
    conf["stature"] = 0.98
    lm["vertex"] = scan.v[np.argmax(scan.v[:, 2])]
    if _crown_open(scan):
        conf["stature"] = 0.3
        scan.warnings.append(f"the top of the head is missing from the scan (a hole reaches its highest point): "
                             f"stature is at least {H:.0f} mm; measure it by tape")
    cut_under_feet = _cut_under_the_feet(scan)
    if cut_under_feet:
        scan.warnings.append("the scan is cut flat under the feet, as removing a floor plate leaves it: heights count "
                             "from that cut and read short by as much of the soles as it took; check stature by tape")
    elif body.soles_open:
        scan.warnings.append("the soles are missing from the scan (as a booth's cameras miss them): heights count from "
                             "the lowest edge of the hole and may read a few millimetres short; check stature by tape")

    # Crotch, armpits
    crotch_z = _find_crotch(scan)
    m["inside_leg_length"] = crotch_z
    conf["inside_leg_length"] = 0.9
    lm["crotch"] = _crotch_point(scan, crotch_z)
    if raised:
        armpits = {}
        for side in (1, -1):
            armpit_z, armpit, scan.arm_chains[side] = _raised_arm(scan, side)
            armpits[side] = (armpit_z, armpit)
    else:
        armpits = _find_armpits(scan, crotch_z)
    lm["armpit_right"], lm["armpit_left"] = armpits[1][1], armpits[-1][1]
    armpit_z = 0.5 * (armpits[1][0] + armpits[-1][0])
    # (where the gap under each arm closes: the waist's armpit, and the top of the chest's search)
    closing = {side: armpits[side][0] if raised else _waist_armpit(scan, side, armpits[side][0]) for side in (1, -1)}
    # (and a hanging arm's upper arm is taken from a little below where it stands clear of the trunk)
    if not raised:
        for side in (1, -1):
            clear = _arm_clear_height(scan, side, armpits[side][0])
            if clear is not None:
                scan.upper_arm_top[side] = clear - UPPER_ARM_BELOW_CLEAR_MM
    waist_armpit_z = 0.5 * (closing[1] + closing[-1])
    asym = abs(armpits[1][0] - armpits[-1][0]) / H
    if asym > 0.02:
        scan.warnings.append(f"armpits differ in height by {abs(armpits[1][0] - armpits[-1][0]):.0f} mm; "
                             "the pose may be asymmetric")

    # The trunk, the legs and the arms' girth profiles need nothing of the neck and shoulders:
    # they are measured beside them; the rest of the arms needs the acromions.
    arms: list = []

    def arm_profiles(view: _Scan) -> None:
        try:
            arms.extend(_arm_profile(view, side, armpits) for side in (1, -1))
        except Exception as exc:  # (raised below, after the neck's own errors, as in turn)
            arms.append(exc)

    _measure_side_by_side(scan, lambda view: (_measure_torso(view, crotch_z, armpit_z, waist_armpit_z,
                                                             min(armpits[1][0], armpits[-1][0]),
                                                             min(closing.values())),
                                              _measure_legs(view, crotch_z), arm_profiles(view)),
                          lambda view: _measure_neck_and_shoulders(view, armpit_z, armpits))
    if arms and isinstance(arms[-1], Exception):
        raise arms[-1]
    _measure_arms(scan, armpits, arms)
    _measure_lengths(scan, crotch_z, armpit_z)
    if raised:
        scan.warnings.append("the arms are raised (T-pose): shoulder, armhole, across-back/front and arm "
                             "values differ from a tape's with the arms down; check them or scan in the A-pose")
        for name in POSE_DEPENDENT:
            if name in conf:
                conf[name] *= RAISED_ARMS_CONFIDENCE
    if cut_under_feet:
        for name in FLOOR_HEIGHTS:
            if name in conf:
                conf[name] *= FLOOR_CUT_CONFIDENCE

    for name in list(m):
        if not np.isfinite(m[name]) or m[name] <= 0:
            m.pop(name)
            conf.pop(name, None)
    # (a value a search found nothing for is said, not left out silently: a booth's point cloud
    # without the folds beside the armpits gave no across back or front width, and no warning)
    missing = [name for name in CANONICAL_NAMES if name not in m]
    if missing:
        scan.warnings.append(f"not measured, nothing to measure on the scan: {', '.join(missing)}; take "
                             f"{'it' if len(missing) == 1 else 'them'} by tape")
    return ScanResult(
        measurements_mm={k: float(m[k]) for k in CANONICAL_NAMES if k in m},
        landmarks={k: tuple(float(c) for c in v) for k, v in sorted(lm.items())},
        confidence={k: float(np.clip(conf.get(k, 0.7), 0.0, 1.0)) for k in CANONICAL_NAMES if k in m},
        warnings=list(body.warnings) + scan.warnings,
        detected_unit=body.detected_unit,
        detected_up_axis=body.detected_up_axis,
        detected_facing=body.detected_facing,
        source=body.source,
        lines=scan.lines,
        body=body,
    )


def _arms_raised(scan: _Scan) -> bool:
    """Whether the arms are raised towards a T-pose rather than hanging beside the torso.

    Hanging arms are followed down horizontal cuts, apart from the trunk up to the armpits;
    raised ones along cuts across them (see _raised_arm). A wide fingertip span tells them apart."""
    st, levels = scan.st, scan.sweep.contour_level
    trunk_and_arms = (levels >= scan.level_of(0.45 * scan.H)) & (levels <= scan.level_of(0.9 * scan.H))
    if not trunk_and_arms.any():
        return False
    lowest = np.full(len(scan.levels), np.inf)
    highest = np.full(len(scan.levels), -np.inf)
    np.minimum.at(lowest, levels[trunk_and_arms], st["u_min"][trunk_and_arms])
    np.maximum.at(highest, levels[trunk_and_arms], st["u_max"][trunk_and_arms])
    span = float(np.max(highest - lowest, initial=0.0, where=np.isfinite(lowest)))
    return span > ARM_SPAN_LIMIT * scan.H


def _raised_arm(scan: _Scan, side: int) -> tuple[float, np.ndarray, np.ndarray]:
    """A raised arm (towards a T-pose), followed like a hanging one but with cuts across it:
    planes across the body's width (x = const) from the fingertips inwards, the arm a separate
    contour until it joins the trunk at the armpit. Returns the armpit's height, the armpit
    point (under the arm where it meets the trunk) and the chain of the arm's section centres
    from the armpit out to the fingertips."""
    H = scan.H
    far = float(np.max(side * scan.v[:, 0]))
    offsets = np.arange(0.05 * H, far, SWEEP_STEP_MM)
    sec = slice_surface(scan.surface, [side, 0.0, 0.0], offsets)
    chain, depths, widths, undersides = [], [], [], []
    previous = last = None
    for k in range(len(offsets) - 1, -1, -1):
        contours = [c for c in sec.contours_at(k) if len(sec.contour_points3d(c)) >= 6]
        if not contours:
            if chain:
                break
            continue
        centres = {c: sec.contour_points3d(c).mean(axis=0) for c in contours}
        if previous is None:
            # the fingertips: the highest contour at the outermost cut (a hip or thigh reaching
            # out this far lies below the arm)
            arm = max(contours, key=lambda c: centres[c][2])
        else:
            arm = min(contours, key=lambda c: np.linalg.norm(centres[c] - previous))
        p = sec.contour_points3d(arm)
        depth = float(np.ptp(p[:, 2]))
        z_low = float(p[:, 2].min())
        # Joined the trunk: the underside of the arm, level or gently sloping out to here, turns
        # down the trunk's side (steeper than 45 degrees over three cuts; past the hand and
        # forearm, whose thumb hangs below the palm). The previous cut was the armpit's.
        past_forearm = len(chain) * SWEEP_STEP_MM > 0.25 * H
        turns_down = past_forearm and len(undersides) >= 3 and z_low < undersides[-3] - 3 * SWEEP_STEP_MM
        if depth > RAISED_ARM_MAX_DEPTH * H or turns_down:
            break
        undersides.append(z_low)
        depths.append(depth)
        chain.append(centres[arm])
        widths.append(float(np.ptp(p[:, 1])))
        previous, last = centres[arm], p
    if len(chain) < 20 or np.ptp(np.array(chain)[:, 0]) < 0.15 * H:
        raise BadInput("could not follow the raised arms to the armpits; scan again in the A-pose "
                       "(arms 30-45 degrees away from the body)")
    armpit = last[np.argsort(last[:, 2])[:5]].mean(axis=0)  # the lowest points of the last cut
    # Out from the armpit the cuts first pass the armpit's folds (deeper than wide); the upper
    # arm proper begins where its section is round.
    chain = np.array(chain[::-1])
    along = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(chain, axis=0), axis=1))])
    folds = np.nonzero((np.array(depths[::-1]) > RAISED_ARM_ROUND * np.array(widths[::-1]))
                       & (along < RAISED_ARM_FOLDS_WITHIN * H))[0]
    scan.arm_fold_end[side] = float(along[min(folds[-1] + 1, len(along) - 1)]) if len(folds) else 0.0
    return float(armpit[2]), armpit, chain


def _measure_side_by_side(scan: _Scan, *steps) -> None:
    """Run measuring STEPS that read nothing the others write (see concurrency.py), each on its
    own view of SCAN, and gather what they found into SCAN as if they had run in turn: the same
    values, keys in the same order, warnings in the same order."""
    import copy

    before = {name: dict(getattr(scan, name)) for name in _FOUND}

    def on_view(step):
        view = copy.copy(scan)
        for name in _FOUND:
            setattr(view, name, dict(getattr(scan, name)))
        view.warnings = []
        step(view)
        return view

    views = run_together(*(lambda step=step: on_view(step) for step in steps))
    for view in views:
        for name in _FOUND:
            found, old = getattr(scan, name), before[name]
            for key, value in getattr(view, name).items():
                if key not in old or old[key] is not value:
                    found[key] = value
        scan.warnings.extend(view.warnings)
        # (anything else a step leaves for later steps, such as the waist level)
        for name, value in vars(view).items():
            if name not in vars(scan):
                setattr(scan, name, value)


# what measuring steps find (dicts of the scan, filled in as they go)
_FOUND = ("m", "landmarks", "conf", "lines")


def _crown_open(scan: _Scan) -> bool:
    """Whether a hole reaches the top of the head: the rim (edges of one face) comes within 0.5 %
    of stature of the highest point, and the rim loop there is over 2 % of stature across (a
    meshed point cloud has holes a few millimetres wide at its top). Scanners often miss the
    crown (hair), and the highest point left is then the hole's rim: male_average with its top
    1-3 % cut off read stature 12-41 mm short (the others within 4.2 mm), with no word of it."""
    surface = scan.surface
    if surface.boundary is None or not surface.boundary.any():
        return False
    rim = surface.edges[surface.boundary]
    ids, ends = np.unique(rim, return_inverse=True)
    points = surface.vertices[ids]
    top = int(np.argmax(points[:, 2]))
    if points[top, 2] < scan.H - 0.005 * scan.H:
        return False
    ends = ends.reshape(-1, 2)
    labels = connected_labels(len(ids), ends[:, 0], ends[:, 1])
    loop = points[labels == labels[top]]
    return max(float(np.ptp(loop[:, 0])), float(np.ptp(loop[:, 1]))) > 0.02 * scan.H


def _cut_under_the_feet(scan: _Scan) -> bool:
    """Whether the scan is open at the floor along a cut through the feet: at least
    FLOOR_RIM_MIN of stature of rim (edges of one face of the scan as read) within FLOOR_RIM_ZONE
    of the lowest point, and no floor there (less surface lying flat in that zone than two
    soles, FLOOR_AREA_MAX).

    A scanner's floor plate is often cut away with a plane a few millimetres above the floor,
    taking the soles with it: the feet then end in flat open outlines, every height counts from
    the cut, and nothing said so (male_average cut 10 mm above its soles read stature, waist,
    hip and leg heights all 10 mm short). Measured: cuts 3-30 mm up, level or tilted 3 degrees,
    leave 0.55-1.04 of stature of rim there; a point cloud's mesh, whose small holes reach its
    soles, 0-0.12; soles missing up an uneven edge, 0.06; a closed mesh none. A floor left in a
    point cloud is meshed with the feet, holes and all (73 statures of rim), but lies flat over
    0.56 of stature squared, where soles and the faces beside a cut lie flat over 0.00003-0.0013,
    and there the heights are right. Only the faces with two corners that low can hold such an
    edge, so the full mesh's few are read."""
    v = scan.v
    low = v[:, 2] < FLOOR_RIM_ZONE * scan.H
    faces = scan.body.faces
    faces = faces[low[faces].sum(axis=1) >= 2]
    if len(faces) == 0:
        return False
    keys, faces_per_edge = edge_table(len(v), faces)
    n = np.int64(len(v))
    rim = keys[(faces_per_edge == 1) & low[keys // n] & low[keys % n]]
    if keyed_edges_length(v, rim) < FLOOR_RIM_MIN * scan.H:
        return False
    flat = faces[low[faces].all(axis=1)]
    return bool(_weighted_samples(v, flat)[1].sum() < FLOOR_AREA_MAX * scan.H ** 2)


def _check_one_person(scan: _Scan) -> None:
    """Two legs low down and one head on top, or this is not one standing person."""
    H = scan.H
    k_leg = scan.level_of(0.25 * H)
    legs = [c for c in scan.sweep.contours_at(k_leg) if scan.st["count"][c] >= 6
            and scan.perimeter(c) > 0.08 * H]
    heads = [(lo, hi) for lo, hi, girth in _head_pieces(scan, scan.level_of(0.94 * H)) if girth > 0.15 * H]
    head_width = max((hi - lo for lo, hi in heads), default=0.0)
    if len(legs) != 2 or len(heads) != 1 or head_width > 0.16 * H:
        # (a room's wall and floor in a raw cloud, joined to the feet through the floor, read
        # "3 leg sections", one the wall's: a large plane joined to the body says what to do)
        body = scan.body
        room = _ROOM_HINT if body.floor else _room_hint(body.vertices, body.faces)
        raise BadInput(f"the shape in {scan.body.source.split('/')[-1]} is not one standing person "
                       f"({len(legs)} leg sections, {len(heads)} head sections found){room}")


def _head_pieces(scan: _Scan, level: int) -> list[tuple[float, float, float]]:
    """The heads a sweep LEVEL cuts: its contours of 6 points or more, grouped where their spans
    across the body overlap, as (left, right, hull girth) of each group. A hole can split a head's
    ring: a scanner that does not see above the ears leaves them open, and the ring falls into a
    front and a back arc across the same span; two people's heads lie apart."""
    st = scan.st
    cids = sorted((c for c in scan.sweep.contours_at(level) if st["count"][c] >= 6), key=lambda c: st["u_min"][c])
    groups: list[list[int]] = []
    for c in cids:
        if groups and st["u_min"][c] <= max(st["u_max"][g] for g in groups[-1]):
            groups[-1].append(c)
        else:
            groups.append([c])
    return [(float(min(st["u_min"][c] for c in group)), float(max(st["u_max"][c] for c in group)),
             hull_perimeter(np.vstack([scan.sweep.contour_points(c) for c in group]))[0]) for group in groups]


def _measure_torso(scan: _Scan, crotch_z: float, armpit_z: float, waist_armpit_z: float,
                   lower_armpit_z: float, lower_closing_z: float) -> None:
    """Bust, underbust, waist and hip; ARMPIT_Z bounds the searches that need the arms apart,
    WAIST_ARMPIT_Z (_waist_armpit) sets the waist level, the chest is searched below
    LOWER_ARMPIT_Z (the lower armpit: above it that arm is part of the horizontal ring) and
    below LOWER_CLOSING_Z (the lower of the two sides' _waist_armpit: where the gap under the
    arm closes, if that lies above its last level apart)."""
    from scipy.ndimage import gaussian_filter1d, uniform_filter1d

    H, m, lm, conf = scan.H, scan.m, scan.landmarks, scan.conf
    # Bust points: the front-most torso point on each side below the armpit; where the apex
    # is a plateau, its middle (the tape lies across the whole apex).
    bust = {}
    for side in (1, -1):
        rows = []
        for k in range(scan.level_of(armpit_z), scan.level_of(armpit_z - 0.07 * H), -1):
            cid = scan.main_contour(k)
            if cid is None:
                continue
            p = scan.sweep.contour_points3d(cid)
            # (the ring's front half only: where a booth's cameras missed the breast's underside,
            # the column's foremost point was on the back, 270 mm behind, and read as a fall)
            col = p[(side * p[:, 0] > 0.02 * H) & (side * p[:, 0] < 0.09 * H) & (p[:, 1] > p[:, 1].mean())]
            if len(col):
                rows.append(col[np.argmax(col[:, 1])])
        rows = np.array(rows)  # from the armpit downwards
        # the prominence is sought on the profile smoothed over BUST_PROFILE_SMOOTHING_MM: a
        # scanner's noise, smoothed, leaves bumps of about 1 mm on a front that has no prominence
        # (man_older's front, rising from the armpit to his belly: 1 mm of noise put his bust
        # points 18-57 mm higher on 5 of 8 seeds, onto a bump beside the armpit)
        i_top = _first_prominence(gaussian_filter1d(rows[:, 1], BUST_PROFILE_SMOOTHING_MM / SWEEP_STEP_MM,
                                                    mode="nearest"), 1.0)
        top = rows[i_top, 1]
        window = rows[max(0, i_top - 15):i_top + 15]
        plateau = window[window[:, 1] >= top - 1.0]
        apex_z = float(np.median(plateau[:, 2]))
        # across the apex too the front can be flat for a few centimetres: take its centre,
        # weighting the front, read every millimetre across, by how far it stands within 3 mm
        # of the top (the middle of the points within 1 mm of the top moved 7-12 mm with 1 mm
        # of scanner noise)
        x_apex = plateau[np.argmax(plateau[:, 1]), 0]
        front = _trunk_front(scan, apex_z, side, 0.02 * H, 0.09 * H)
        if front is not None:
            weight = np.clip(front[:, 1] - (front[:, 1].max() - BUST_APEX_BAND_MM), 0.0, None)
            x_apex = float((front[:, 0] * weight).sum() / weight.sum())
        bust[side] = np.array([x_apex, top, apex_z])
    lm["bust_point_right"], lm["bust_point_left"] = bust[1], bust[-1]
    bust_z = 0.5 * (bust[1][2] + bust[-1][2])
    # Chest / bust girth: the fullest horizontal girth under the armpits (EN 13402-1, ISO 8559-1
    # "maximum horizontal girth"), searched from the bust points up to just below the armpits:
    # below the lower one (a hole under one arm, where a scanner sees nothing, can keep that arm
    # apart up to 26 mm above the other armpit: a ring above the lower armpit held the other
    # arm and read the chest 295 mm large).
    # The window's top is where the gap under the arm closes, less 0.3 % of stature, and the
    # top itself is cut: on most bodies the fullest ring is the highest one (the girth climbs
    # 1-1.5 mm per mm of height below the armpit). Its top was the last sweep level where the
    # arm stands apart, which a point cloud's mesh puts a level (2 mm) lower where the gap is
    # narrower than its points' spacing, and its highest level the last of a 4 mm grid from
    # the bust point: the chest of a cloud moved up to 5.6 mm against its mesh (30 bodies:
    # mean 1.10 mm apart, now 0.94; worst 5.6, now 3.9).
    top = min(lower_closing_z - 0.003 * H, lower_armpit_z)
    levels = np.arange(bust_z - 0.01 * H, top, 4.0)
    if len(levels):
        levels = np.append(levels, top)
    girths = scan.torso_girths(levels)
    chest_z = float(levels[int(np.argmax(girths))]) if len(girths) else bust_z
    m["chest_girth"] = scan.torso_girth(chest_z, "chest_girth")
    lm["chest_level_front"] = np.array([0.0, scan.torso_section(chest_z)[:, 1].max(), chest_z])
    conf["chest_girth"] = 0.9
    m["bust_point_distance"] = float(np.linalg.norm(bust[1] - bust[-1]))
    conf["bust_point_distance"] = 0.75
    scan.lines["bust_point_distance"] = [_as_line([bust[1], bust[-1]])]

    # Natural waist (see module docstring), hip at the fullest buttocks.
    waist_z = crotch_z + WAIST_FRACTION_CROTCH_TO_ARMPIT * (waist_armpit_z - crotch_z)
    # Underbust: just below the breasts, where the front profile below each bust point ends its
    # fall (_underbust_level), the chest wall's girth (_chest_wall_girth).
    folds, weights = [], []
    for side in (1, -1):
        x = bust[side][0]
        rows = []
        for k in range(scan.level_of(max(bust_z - 0.08 * H, waist_z)), scan.level_of(bust[side][2]) + 1):
            cid = scan.main_contour(k)
            if cid is None:
                continue
            front = _column_front(scan.sweep.contour_points3d(cid), x, 0.015 * H)
            if front is not None:
                rows.append((scan.levels[k], front))
        level, weight = _underbust_level(np.array(rows)[::-1], bust[side][2], H)
        folds.append(level)
        weights.append(weight)
    underbust_z = float(np.mean(folds))
    m["underbust_girth"], wall_z = _chest_wall_girth(scan, underbust_z)
    # A flat chest's level is a convention, where the girth changes ~1 mm per mm of height: say so.
    conf["underbust_girth"] = UNDERBUST_CONFIDENCE_WITHOUT_FOLD + min(weights) * (0.7 - UNDERBUST_CONFIDENCE_WITHOUT_FOLD)
    lm["underbust_front"] = np.array([0.0, scan.torso_section(wall_z)[:, 1].max(), underbust_z])

    m["waist_girth"] = scan.torso_girth(waist_z, "waist_girth")
    conf["waist_girth"] = 0.8
    waist_ring = scan.torso_section(waist_z)
    lm["waist_front"] = np.array([0.0, waist_ring[:, 1].max(), waist_z])
    lm["waist_back"] = np.array([0.0, waist_ring[:, 1].min(), waist_z])
    m["waist_height"] = waist_z
    conf["waist_height"] = 0.75

    back = _profile(scan, crotch_z + 0.01 * H, waist_z, "back", 0.1 * H)
    smooth_back = uniform_filter1d(back[:, 1], size=9, mode="nearest")
    buttock_z = float(back[np.argmin(smooth_back), 2])
    # Fullest buttocks: the girth is flat there (within 1-2 mm over 3-5 cm), so the level is the
    # centre of the band within 2 % of the fullest girth, each level weighted by how far it
    # stands into that band. (The middle of the levels within 0.4 % moved 7 mm with 1 mm of
    # scanner noise, the fullest level alone 24 mm; this moves at most 2.2 mm on the six shared
    # bodies, and the girth there is within 0.4 mm of the fullest.)
    band = []
    for k in range(scan.level_of(crotch_z + 0.005 * H), scan.level_of(buttock_z + 0.02 * H) + 1):
        cid = scan.main_contour(k)
        if cid is not None:
            z = float(scan.levels[k])
            band.append((scan.perimeter(cid) if scan.full is None else 0.0, z))
    band = np.array(band)
    if scan.full is not None:
        # the girth is flat here: on a coarse copy, settle it on the full mesh
        band[:, 0] = scan.torso_girths(band[:, 1], final=True)
    # A level whose ring a hole split (a booth's cameras miss the inner thighs) reads a piece of
    # it, hundreds of millimetres short: no trunk narrows so between levels 2 mm apart. Such a
    # level takes the girth of the levels about it (woman_tall_heavy's booth scan: five levels
    # near the crotch read 332-348 mm short, fell out of the band and raised the hip level 3.7 mm).
    broken = band[:, 0] < HIP_BAND_BROKEN * np.median(band[:, 0])
    if broken.any() and (~broken).sum() >= 2:
        band[broken, 0] = np.interp(band[broken, 1], band[~broken, 1], band[~broken, 0])
    excess = np.clip(band[:, 0] - (1.0 - HIP_BAND_FRACTION) * band[:, 0].max(), 0.0, None)
    best_z = float((band[:, 1] * excess).sum() / excess.sum())
    m["hip_girth"] = scan.torso_girth(best_z, "hip_girth")
    m["hip_height"] = best_z
    conf["hip_girth"] = 0.9
    conf["hip_height"] = 0.8
    lm["buttock"] = np.array([0.0, float(back[:, 1].min()), buttock_z])
    scan.waist_z = waist_z


def _leg_axis(scan: _Scan, side: int, z_lo: float, z_hi: float) -> tuple[np.ndarray, np.ndarray]:
    cents = []
    for k in range(scan.level_of(z_lo), scan.level_of(z_hi) + 1):
        cs = [c for c in scan.side_contours(k, side) if abs(scan.st["u_mean"][c]) < 0.17 * scan.H]
        if cs:
            c = max(cs, key=lambda c: scan.st["count"][c])
            cents.append(scan.sweep.contour_points3d(c).mean(axis=0))
    cents = np.array(cents)
    axis = _fit_axis(cents)
    if axis[2] < 0:
        axis = -axis
    return cents.mean(axis=0), axis


def _point_on_axis(centre, axis, z):
    return centre + axis * (z - centre[2]) / axis[2]


def _underbust_level(rows: np.ndarray, bust_point_z: float, H: float) -> tuple[float, float]:
    """The underbust's level on one side from the front profile ROWS (height, front) below the
    bust point, downwards, and how much of a breast it found (0-1).

    Under a breast the profile falls away (its underside) and then runs down the chest wall: the
    tape goes just below the breast, where the fall meets the wall (_fall_corner, near the fall's
    foot, where its drop per mm of height falls back under UNDERBUST_FOOT_DROP). A flat chest has
    no such corner that holds still (most men, small breasts): its level is a convention,
    UNDERBUST_DROP_WITHOUT_FOLD of stature below the bust point. Between, the two are weighed by the fall's steepest step
    (UNDERBUST_FALL) and by how far the front falls back (UNDERBUST_FALLS_BACK): a threshold
    made the level jump between them (woman_tall_heavy's steepest step, 1.04 mm per mm, passed
    the 1.0 asked for; with 1 mm of scanner noise one side or both fell short, 0.82-0.96 on seeds
    1 and 2, and the level fell 8-9 mm)."""
    convention = bust_point_z - UNDERBUST_DROP_WITHOUT_FOLD * H
    if len(rows) < 3:
        return convention, 0.0
    dz = -np.diff(rows[:, 0])
    drop = -np.diff(rows[:, 1]) / np.where(dz > 0, dz, 1.0)
    drop[rows[1:, 0] < bust_point_z - 0.06 * H] = 0.0
    steepest = int(np.argmax(drop))
    falls_back = (rows[0, 1] - rows[1:, 1].min()) / H
    weight = float(np.clip((drop[steepest] - UNDERBUST_FALL[0]) / (UNDERBUST_FALL[1] - UNDERBUST_FALL[0]), 0.0, 1.0)
                   * np.clip((falls_back - UNDERBUST_FALLS_BACK[0]) / (UNDERBUST_FALLS_BACK[1] - UNDERBUST_FALLS_BACK[0]),
                             0.0, 1.0))
    foot = steepest
    while foot + 1 < len(drop) and drop[foot + 1] > UNDERBUST_FOOT_DROP:
        foot += 1
    if weight == 0.0 or foot + 1 >= len(drop):
        return convention, 0.0
    # between the fall's last step and the next, where the drop passes UNDERBUST_FOOT_DROP
    t = (drop[foot] - UNDERBUST_FOOT_DROP) / (drop[foot] - drop[foot + 1])
    z_steps = 0.5 * (rows[:-1, 0] + rows[1:, 0])
    level = _fall_corner(rows, drop, steepest, float(z_steps[foot] + t * (z_steps[foot + 1] - z_steps[foot])))
    return weight * level + (1.0 - weight) * convention, weight


def _fall_corner(rows: np.ndarray, drop: np.ndarray, steepest: int, foot_z: float) -> float:
    """Where a breast's fall meets the chest wall on the front profile ROWS (height, front; DROP
    per step, STEEPEST its steepest step): the crossing of the line through the fall's steep part
    (its steps at least half as steep as the steepest) with the wall's line through the rows
    UNDERBUST_WALL_MM below FOOT_Z (where the drop falls back under UNDERBUST_FOOT_DROP), kept
    within UNDERBUST_CORNER_MM of it.

    The foot alone moved with a scanner's smoothed noise: a gradual breast's fall ends in steps of
    0.40 mm per mm, which the smoothing of a dense noisy mesh takes to 0.25-0.28, under the
    threshold 3 mm higher (woman_tall_heavy sub2noise1: underbust +8.6 mm). The lines, fitted away
    from the rounded corner, hold still: +1.9."""
    heights, fronts = rows[:, 0], rows[:, 1]
    below, above = UNDERBUST_WALL_MM
    wall = (heights >= foot_z - above) & (heights <= foot_z - below)
    first = last = steepest
    while first > 0 and drop[first - 1] >= 0.5 * drop[steepest]:
        first -= 1
    while last + 1 < len(drop) and drop[last + 1] >= 0.5 * drop[steepest]:
        last += 1
    fall = np.zeros(len(rows), bool)
    fall[first:last + 2] = True  # (the rows at both ends of those steps)
    if wall.sum() < 3:
        return foot_z
    wall_slope, wall_at_0 = np.polyfit(heights[wall], fronts[wall], 1)
    fall_slope, fall_at_0 = np.polyfit(heights[fall], fronts[fall], 1)
    if abs(fall_slope - wall_slope) < 1e-6:
        return foot_z
    corner = (wall_at_0 - fall_at_0) / (fall_slope - wall_slope)
    return float(np.clip(corner, foot_z - UNDERBUST_CORNER_MM, foot_z + UNDERBUST_CORNER_MM))


def _chest_wall_girth(scan: _Scan, underbust_z: float) -> tuple[float, float]:
    """The underbust girth at UNDERBUST_Z: the chest wall's, just below the breasts, and the
    height of the highest section it is read from (its ring is the underbust's line).

    The section at the foot of a breast's fall can still graze its underside, where the girth
    climbs 5-33 mm per mm of height (woman_large_cup: 689.5 mm there, 635-639 on the chest wall
    2-10 mm below), and a scanner's noise, smoothed, rounds that corner. So the girth is read off
    the sections UNDERBUST_WALL_MM below the level, a line through them carried up to it.

    A highest section that still grazes the breast stands off the line through those below it,
    by more than UNDERBUST_WALL_OFF_MM: it is left out, and so on down (a cloud's mesh put
    woman_large_cup's fold 1 mm lower, where her top wall section read 649.7 mm against 638.8
    a millimetre below: underbust +11.3)."""
    below, above = UNDERBUST_WALL_MM
    heights = np.arange(underbust_z - above, underbust_z - below + 0.5, 1.0)
    # (the highest section cut on its own, which keeps its ring for the picture; torso_girths
    # gives the same value there)
    girths = np.array(scan.torso_girths(heights[:-1], final=True)
                      + [scan.torso_girth(float(heights[-1]), "underbust_girth")])
    top = len(heights)
    while top > 4:
        slope, at_0 = np.polyfit(heights[:top - 1] - underbust_z, girths[:top - 1], 1)
        if girths[top - 1] - (at_0 + slope * (heights[top - 1] - underbust_z)) <= UNDERBUST_WALL_OFF_MM:
            break
        top -= 1
    _, at_level = np.polyfit(heights[:top] - underbust_z, girths[:top], 1)
    wall_z = float(heights[top - 1])
    if top < len(heights):
        scan.torso_girth(wall_z, "underbust_girth")  # (the ring of the highest section kept)
    return float(at_level), wall_z


def _measure_legs(scan: _Scan, crotch_z: float) -> None:
    H, m, lm, conf = scan.H, scan.m, scan.landmarks, scan.conf
    knee_z = KNEE_FRACTION_OF_STATURE * H
    thigh_z = crotch_z - THIGH_BELOW_CROTCH_MM
    values: dict[str, list[float]] = {k: [] for k in ("thigh_girth", "knee_girth", "calf_girth", "ankle_girth")}
    for side, tag in ((1, "right"), (-1, "left")):
        femur_c, femur = _leg_axis(scan, side, knee_z + 0.03 * H, crotch_z - 0.03 * H)
        tibia_c, tibia = _leg_axis(scan, side, 0.07 * H, knee_z - 0.03 * H)
        leg_c, leg = _leg_axis(scan, side, 0.07 * H, crotch_z - 0.03 * H)
        p = _point_on_axis(femur_c, femur, thigh_z)
        values["thigh_girth"].append(scan.perpendicular_girth(p, femur, 0.14 * H, "thigh_girth"))
        lm[f"thigh_{tag}"] = p
        # Knee: perpendicular to the local leg axis there, the bisector of thigh and shin axes.
        knee_axis = femur + tibia
        knee_axis /= np.linalg.norm(knee_axis)
        p = 0.5 * (_point_on_axis(femur_c, femur, knee_z) + _point_on_axis(tibia_c, tibia, knee_z))
        values["knee_girth"].append(scan.perpendicular_girth(p, knee_axis, 0.1 * H, "knee_girth"))
        lm[f"knee_{tag}"] = p
        # Calf: fullest, ankle: slimmest, both perpendicular to the shin.
        zs = np.arange(0.06 * H, knee_z - 0.04 * H, 3.0)
        shin = _CoarseToFine(lambda ids: scan.perpendicular_girths([_point_on_axis(tibia_c, tibia, zs[i]) for i in ids],
                                                                   [tibia] * len(ids), 0.07 * H), len(zs))
        i_calf = shin.best(np.ones(len(zs), bool), largest=True)
        if i_calf is None:  # (no section closes round the shin: the leg below the knee is not there)
            continue
        calf_p = _point_on_axis(tibia_c, tibia, zs[i_calf])
        values["calf_girth"].append(scan.perpendicular_girth(calf_p, tibia, 0.1 * H, "calf_girth"))
        lm[f"calf_{tag}"] = calf_p
        i_ankle = shin.best(zs < zs[i_calf], largest=False)
        if i_ankle is None:
            continue
        ankle_p = _point_on_axis(tibia_c, tibia, zs[i_ankle])
        values["ankle_girth"].append(scan.perpendicular_girth(ankle_p, tibia, 0.1 * H, "ankle_girth"))
        lm[f"ankle_{tag}"] = ankle_p
    for name, pair in values.items():
        pair = [g for g in pair if g > 0]
        if not pair:
            continue
        m[name] = float(np.mean(pair))
        conf[name] = _pair_confidence(pair, 0.9)


class _CoarseToFine:
    """Extremum of a costly profile: every STRIDE-th station first, then the neighbours of the
    best one, so a limb needs ~40 sections instead of ~150. FN gives the values of a list of
    stations (each batch of stations is cut in one pass)."""

    def __init__(self, fn, n, stride=4):
        self.fn, self.n, self.stride = fn, n, stride
        self.values: dict[int, float] = {}

    def value(self, i: int) -> float:
        return self.values_of([i])[0]

    def values_of(self, stations) -> list[float]:
        missing = list(dict.fromkeys(int(i) for i in stations if i not in self.values))
        if missing:
            self.values.update(zip(missing, map(float, self.fn(missing))))
        return [self.values[i] for i in stations]

    def best(self, mask, largest: bool) -> int | None:
        idx = np.nonzero(mask)[0]
        if len(idx) == 0:
            return None
        sign = 1.0 if largest else -1.0
        coarse = [int(i) for i in idx[:: self.stride]] + [int(idx[-1])]
        scored = [(sign * g, i) for g, i in zip(self.values_of(coarse), coarse) if g > 0]
        if not scored:
            return None
        return self._best_near(max(scored)[1], set(idx.tolist()), sign)

    def climb(self, start: int, allowed, largest: bool) -> int:
        """From station START, to the best station within a stride, and on from there while
        that moves (a local extremum, over bumps narrower than a stride), among ALLOWED."""
        allowed, sign = set(np.asarray(allowed).tolist()), 1.0 if largest else -1.0
        centre, moved = start, True
        while moved:
            best = self._best_near(centre, allowed, sign)
            moved, centre = best != centre, best
        return centre

    def _best_near(self, centre: int, allowed: set, sign: float) -> int:
        window = [i for i in range(centre - self.stride, centre + self.stride + 1) if i in allowed]
        scored = [(sign * g, i) for g, i in zip(self.values_of(window), window) if g > 0]
        return max(scored)[1] if scored else centre


def _palm(profile: _CoarseToFine, s: np.ndarray, length: float) -> int | None:
    """The palm's station: along the profile's coarse stations past the palm search start, the
    first that is HAND_RISE fuller than the slimmest before it (the hand widening from the
    wrist), moved on to the fullest station near it.

    Not the fullest section of the whole hand: past the palm, a section across the thumb and
    the fingers can be fuller, with one through the fingers alone, slimmer than the wrist, in
    between (a male_plus_size point cloud: the fingers 5 % fuller than the palm, and the wrist,
    the slimmest section before them, read in that dip: wrist girth -15 mm, arm length +42)."""
    idx = np.nonzero(s > PALM_SEARCH_FROM * length)[0]
    coarse = [int(i) for i in idx[:: profile.stride]]
    slimmest = fullest = 0.0
    for i, g in zip(coarse, profile.values_of(coarse)):
        if g <= 0:
            continue
        if g < HAND_END_FRACTION * fullest:  # the fingers from here on: no rise found
            break
        if slimmest and g >= HAND_RISE * slimmest:
            return profile.climb(i, idx, largest=True)
        slimmest = g if not slimmest else min(slimmest, g)
        fullest = max(fullest, g)
    return None


def _pair_confidence(pair, base):
    if len(pair) < 2:
        return base * 0.7
    spread = abs(pair[0] - pair[1]) / max(np.mean(pair), 1e-9)
    return float(np.clip(base - 3.0 * spread, 0.3, base))


def _measure_neck_and_shoulders(scan: _Scan, armpit_z: float, armpits) -> None:
    H, m, lm, conf = scan.H, scan.m, scan.landmarks, scan.conf
    # the slimmest sweep level between the shoulders and the head, and the fullest above it
    k_neck = _extreme_girth_level(scan, range(scan.level_of(armpit_z + 0.05 * H), scan.level_of(H - 0.06 * H)),
                                  largest=False)
    neck_z = float(scan.levels[k_neck])
    head_levels = range(k_neck, len(scan.levels))
    if scan.full is None:
        k_head = _extreme_girth_level(scan, head_levels, largest=True)
    else:
        # (the levels whose girth on the coarse copy lies within HEAD_LEVELS_WITHIN of the
        # fullest, read again on the full mesh: where the ears stand apart from the head, the
        # copy's merged cells can join them to its ring, and man_heavy subdivided twice read
        # 9.3 mm short, at the ears' level 14 mm below the fullest one of the full mesh)
        candidates = _extreme_girth_levels(scan, head_levels, HEAD_LEVELS_WITHIN)
        girths = scan.torso_girths(scan.levels[candidates], final=True)
        k_head = candidates[len(girths) - 1 - int(np.argmax(girths[::-1]))]  # (the last on a tie)
    m["head_girth"] = scan.torso_girth(float(scan.levels[k_head]), "head_girth")
    conf["head_girth"] = 0.75  # hair and scanner caps change it

    # The neck proper lies below its slimmest horizontal level (above it the chin joins in).
    # The neck is read off the surface above the armpits, smoothed again on a noisy scan (see
    # _Scan.neck_pairs; noise would otherwise move it by a sweep step), up to where it is read.
    smoothing = _SmoothedNeck(scan, min(armpits[1][0], armpits[-1][0]) - 0.04 * H)
    smooth = smoothing.up_to(neck_z + NECK_BAND_ABOVE_SLIMMEST * H)
    neck_z, neck_h_girth = _slimmest_level(smooth, neck_z)
    # (the outlines below are read up to 0.02 H above the neck level, and crests 6 mm around them)
    smoothing.up_to(neck_z + 0.02 * H + 6.0)
    # Neck axis through the area centroids of its horizontal sections (independent of how
    # densely the scanner sampled each side), up to its slimmest level: only the sections of the
    # neck itself (NECK_AXIS_GIRTH), not those of the shoulders and upper back it rises from,
    # whose centroids follow the trapezius and a rounded back (an older man's axis leant 5
    # degrees back through them, his neck 10-20 degrees forward: his neck girth read 436 mm, and
    # 446 on a subdivided mesh of the same surface; 393-394 mm through the neck's own sections).
    cents, girths = [], []
    for z in np.arange(neck_z - 0.045 * H, neck_z + 1e-6, SWEEP_STEP_MM * (2 if scan.full is not None else 1)):
        pts = scan.torso_section(float(z), full=True)
        if pts is not None and scan.arm_chains:
            # (raised arms join these sections: only the trunk within the armpits)
            pts = pts[(pts[:, 0] < armpits[1][1][0]) & (pts[:, 0] > armpits[-1][1][0])]
        if pts is not None and len(pts) >= 3:
            centroid, girth = hull_centroid_and_perimeter(pts[:, :2])
            cents.append(np.append(centroid, z))
            girths.append(girth)
    cents = np.array(cents)
    neck_levels = np.array(girths) <= NECK_AXIS_GIRTH * neck_h_girth
    if neck_levels.sum() >= NECK_AXIS_MIN_LEVELS:
        cents = cents[neck_levels]
    axis = _fit_axis(cents)
    axis = axis if axis[2] > 0 else -axis
    centre = cents.mean(axis=0)
    # Side neck points and acromions from the front-view outline of each shoulder.
    neck_pts = scan.torso_section(neck_z - 0.02 * H)
    neck_half = 0.5 * (neck_pts[:, 0].max() - neck_pts[:, 0].min())
    neck_top = scan.torso_section(neck_z)
    neck_top_half = 0.5 * (neck_top[:, 0].max() - neck_top[:, 0].min())
    acromions = {}
    outlines = _TopOutlines(scan.v, scan.body.faces, min(armpits[1][0], armpits[-1][0]) - 0.02 * H, neck_z,
                            scan.full.face_heights() if scan.full is not None else None)
    for side in (1, -1):
        raised = side in scan.arm_chains
        # (a raised arm's top runs on to the hand: the outline stops a little past the armpit)
        x_to = side * armpits[side][1][0] + RAISED_SHOULDER_REACH * H if raised else 0.35 * H
        outline = outlines.side(side, armpits[side][0] - 0.02 * H, neck_half * 0.6, x_to)
        if outline is None:
            continue
        # outer end: where the outline falls to the armpit level
        below = np.nonzero(outline[:, 2] <= armpits[side][0] + 0.005 * H)[0]
        end = int(below[0]) if len(below) and not raised else len(outline) - 1
        seg = outline[: end + 1]
        xs = side * seg[:, 0]
        x_acr = (_raised_shoulder_turn(xs, seg[:, 2], side * armpits[side][1][0], 0.01 * H, 0.05 * H) if raised
                 else _shoulder_turn(xs, seg[:, 2]))
        i_acr = int(np.argmin(np.abs(xs - x_acr)))
        acromion = np.array([side * x_acr, seg[i_acr, 1], float(np.interp(x_acr, xs, seg[:, 2]))])
        crest = _crest_y(scan.local(acromion, 0.04 * H, None, full=True), acromion, 6.0, 0.03 * H)
        acromion[1] = crest if crest is not None else acromion[1]
        acromions[side] = (acromion, seg[: i_acr + 1])
    if len(acromions) < 2:
        scan.warnings.append("shoulder points not found; shoulder measurements left out")
        return
    # Side neck points: where the steep side of the neck turns into the shallow shoulder line, on
    # the outline of the neck band (smoothed on a noisy scan) reaching higher than the slimmest
    # neck level (so the steep side is in it), from the neck out to the acromion (read from a
    # little below the lower acromion: the shoulder line between them runs above it).
    shoulder = {}
    tall_outlines = _TopOutlines(smoothing.surface.vertices, smoothing.faces,
                                 min(acromions[1][0][2], acromions[-1][0][2]) - 0.02 * H, neck_z + 0.02 * H)
    for side, tag in ((1, "right"), (-1, "left")):
        acromion, inside = acromions[side]
        tall = tall_outlines.side(side, armpits[side][0] - 0.02 * H, 0.5 * neck_top_half, side * acromion[0])
        inner = tall if tall is not None and len(tall) >= 3 else inside
        neck_x, neck_z_side = _neck_shoulder_point(side * inner[:, 0], inner[:, 2])
        neck_point = np.array([side * neck_x, inner[np.argmin(np.abs(side * inner[:, 0] - neck_x)), 1], neck_z_side])
        crest = _crest_y(local_surface(smoothing.surface, neck_point, 0.04 * H), neck_point, 6.0, 0.03 * H)
        neck_point[1] = crest if crest is not None else neck_point[1]
        lm[f"acromion_{tag}"] = acromion
        lm[f"side_neck_point_{tag}"] = neck_point
        shoulder[side] = (acromion, neck_point)
    # Neck girth: perpendicular to the neck axis just below the Adam's apple, i.e. in the middle
    # third of the neck between its base (side neck points) and the level where the chin joins;
    # averaged over that third so scanner noise cannot pick one lucky section.
    base_z = 0.5 * (shoulder[1][1][2] + shoulder[-1][1][2])
    points = [_point_on_axis(centre, axis, base_z + f * (neck_z - base_z)) for f in np.linspace(1 / 3, 2 / 3, 7)]
    resmoothed = scan.neck_pairs and scan.body.noise.edge_mm < NECK_RESMOOTHED_BELOW_EDGE_MM
    samples = []
    for p in points:
        # (each cut from the surface within 0.08 H of its point as loaded, smoothed only if the
        # loader found it noisy, as every other girth is; on a noisy scan with edges under
        # NECK_RESMOOTHED_BELOW_EDGE_MM, from the band smoothed again, which places the sections.
        # Taubin pairs smooth over so many edges, not millimetres: a clean neck's hull lost
        # 1.5-2.3 mm to them on an Anny draw's 6 mm edges, next to nothing on the same surface
        # subdivided twice. With 1 mm noise on the 13k-face bodies (4-5 mm edges) the band's
        # necks were no closer to the clean ones (six shared bodies x 8 seeds: mean |difference|
        # 0.85 mm, 0.84 as loaded) and the unseen women's read 2.0-3.4 mm small (12 bodies x 4
        # seeds: 11 misses of the bar, 9 as loaded); on fine meshes the tape as loaded rode the
        # noise the loader's smoothing leaves: the six Loop-subdivided twice (1.2 mm edges) read
        # +1.58 mm on average, 9 of 24 cases past the 2 mm bar (the band: +0.98, none); once
        # (2.4 mm edges) 0.98 and 1 (0.40, none); midpoint-subdivided twice 1.16 and 2 (0.68, none).
        # The bench's noisy point clouds are not smoothed by the loader: cut as loaded, as before.)
        part = (local_surface(smoothing.up_to(float(p[2])), p, 0.08 * H, axis) if resmoothed
                else scan.local(p, 0.08 * H, axis, full=True))
        g, ring3 = _neck_section(part, p, axis, max_reach=0.07 * H)
        if g > 0.6 * neck_h_girth:
            samples.append((g, p, ring3))
    if samples:
        mid_p = samples[len(samples) // 2][1]
        scan.lines.setdefault("neck_girth", []).append(samples[len(samples) // 2][2])
        m["neck_girth"] = float(np.mean([g for g, _, _ in samples]))
        lm["neck_girth_centre"] = mid_p
        conf["neck_girth"] = 0.8

    lengths = [float(np.linalg.norm(a - n)) for a, n in shoulder.values()]
    m["shoulder_length"] = float(np.mean(lengths))
    conf["shoulder_length"] = _pair_confidence(lengths, 0.7)
    scan.lines["shoulder_length"] = [_as_line([n, a]) for a, n in shoulder.values()]

    # Cervicale: back midline at the level of the side neck points; front neck point below it.
    neck_base_z = 0.5 * (shoulder[1][1][2] + shoulder[-1][1][2])
    # (on the neck's own midline, halfway between the side neck points: a person leaning half a
    # degree sideways carries the neck 6 mm off the pelvis's midline)
    neck_x = 0.5 * (shoulder[1][1][0] + shoulder[-1][1][0])
    cervicale = np.array([neck_x, -_midline_front(scan, neck_base_z, neck_x, -1), neck_base_z])
    lm["cervicale"] = cervicale
    front_z = neck_base_z - SUPRASTERNALE_BELOW_CERVICALE * H
    lm["front_neck_point"] = np.array([neck_x, _midline_front(scan, front_z, neck_x, 1), front_z])

    # Neck base girth: a tape through cervicale, both side neck points and the front neck point
    # (the plane nearest all four and its centre say which way is out from the neck).
    ring_pts = np.array([cervicale, shoulder[1][1], shoulder[-1][1], lm["front_neck_point"]])
    centre = ring_pts.mean(axis=0)
    normal = np.linalg.svd(ring_pts - centre)[2][2]
    normal = normal if normal[2] > 0 else -normal
    g = _neck_base_girth(scan, ring_pts, centre, normal)
    if g > 0:
        m["neck_base_girth"] = g
        conf["neck_base_girth"] = 0.7

    # Shoulder width: acromion to acromion over the back through the cervicale, tape bridging.
    a_r, a_l = shoulder[1][0], shoulder[-1][0]
    normal = np.cross(a_r - cervicale, a_l - cervicale)
    normal /= np.linalg.norm(normal)
    centre = (a_r + a_l + cervicale) / 3
    sec = slice_surface(scan.local(centre, 0.2 * H, normal, full=True), normal, [0.0], origin=centre)
    if len(sec.contour_level):
        # all points of the plane on the back of the line between the acromions
        pts3 = sec.points3d
        span = a_l - a_r
        t = (pts3 - a_r) @ span / (span @ span)
        keep = (t > 0) & (t < 1) & (pts3[:, 1] < 0.5 * (a_r[1] + a_l[1]) + 0.02 * H)
        path = np.vstack([a_r, pts3[keep], a_l])
        path2 = np.column_stack([(path - centre) @ sec.u, (path - centre) @ sec.w])
        _, ring = hull_perimeter(path2)
        # hull arc between the two acromions on the back side
        arc = _hull_arc(ring, path2[0], path2[-1], sec, centre, prefer_low_y=True)
        if arc is not None:
            m["shoulder_width"] = _polyline_length(arc)
            conf["shoulder_width"] = 0.75
            scan.lines["shoulder_width"] = [_as_line(arc)]


def _level_rings(scan: _Scan, ks) -> tuple[list[int], list[np.ndarray], list[tuple[float, float]]]:
    """The sweep levels among KS with a main contour, their trunk rings' points (the main
    contour and the pieces beside it, _midline_parts) and the rings' hull girth bounds
    (hull_perimeter_bounds)."""
    found = [k for k in ks if scan.main_contour(k) is not None]
    points = [_midline_points(scan.sweep, scan.st, scan.sweep.contours_at(k)) for k in found]
    return found, points, [hull_perimeter_bounds(p) for p in points]


def _extreme_girth_levels(scan: _Scan, ks, within: float) -> list[int]:
    """The sweep levels among KS whose trunk ring's hull girth (as _extreme_girth_level reads
    it) lies within the fraction WITHIN of the largest one, in ascending order; their girths
    are taken only where the bounds leave it open."""
    found, points, bounds = _level_rings(scan, ks)
    if not found:
        raise ValueError("no main contour to take the largest girth of")
    girths: dict[int, float] = {}
    for i in sorted(range(len(found)), key=lambda i: -bounds[i][1]):
        if girths and bounds[i][1] < (1.0 - within) * max(girths.values()):
            break  # (this bound and every later one falls short)
        girths[i] = hull_perimeter(points[i])[0]
    best = max(girths.values())
    return sorted(found[i] for i, girth in girths.items() if girth >= (1.0 - within) * best)


def _extreme_girth_level(scan: _Scan, ks, largest: bool) -> int:
    """The sweep level among KS whose trunk ring (the main contour and the pieces beside it,
    _midline_parts) has the smallest hull girth (LARGEST: the largest), the first such level on
    a tie (LARGEST: the last); levels without a main contour do not count (none at all: the
    first level). A hole can split a head's ring (a point cloud's mesh leaves its eyes and ears
    open): its largest piece alone once read smaller than the neck.

    The same level as taking every girth, but hulls are taken only where cheap bounds leave the
    answer open (hull_perimeter_bounds): levels in the order of their bound, until the next
    bound cannot reach the best girth found (the head alone has some hundred levels)."""
    ks = list(ks)
    found, points, bounds = _level_rings(scan, ks)
    if not found:
        if largest:
            raise ValueError("no main contour to take the largest girth of")
        return ks[0]  # (as np.argmin over no girths at all)
    sign = 1.0 if largest else -1.0
    best = None  # (sign x girth, sign x level): the larger the better, on either search
    for i in sorted(range(len(found)), key=lambda i: -sign * bounds[i][1 if largest else 0]):
        if best is not None and sign * bounds[i][1 if largest else 0] < best[0]:
            break  # (this bound and every later one falls short of the best girth)
        candidate = (sign * hull_perimeter(points[i])[0], sign * found[i])
        best = candidate if best is None else max(best, candidate)
    return int(sign * best[1])


SMOOTHING_PASSES = 5
# On a dense scan the head's fullest level is searched on the coarse copy and read again on the
# full mesh among the levels within this fraction of the copy's fullest girth.
HEAD_LEVELS_WITHIN = 0.01
# The neck's axis is fitted through its horizontal sections up to this times the slimmest one's
# girth (0.02 of stature below the slimmest level, where the neck flares into the shoulders, 1.6
# times on female_average, 2.0 on an older man), when at least NECK_AXIS_MIN_LEVELS of them are
# found; else through every section up to the slimmest.
NECK_AXIS_GIRTH = 1.3
NECK_AXIS_MIN_LEVELS = 4
# The smoothed band reaches this far (fraction of stature) above the sweep's slimmest neck level:
# the front-view outline is read up to 0.02 H above it. (It was sized for the neck's girth
# sections of a neck leaning up to 35 degrees, which were cut from it then; the shared bodies'
# necks lean 27-30 degrees along the axis through their own sections.)
NECK_BAND_ABOVE_SLIMMEST = 0.046
# What the smoothed surface is read at lies this far (fraction of stature) below where the band
# is exact: a face's height and how far smoothing moves a vertex (about a millimetre) fit in it.
NECK_BAND_ALLOWANCE = 0.01


class _SmoothedNeck:
    """The surface above the armpits, Taubin-smoothed by the scan's neck_pairs (none on a clean
    scan; see _smoothed_band), smoothed only as high as its readers need: the head holds most
    of a dense scan's vertices."""

    def __init__(self, scan: _Scan, z_from: float):
        self.scan, self.z_from = scan, z_from
        self.exact_to = -np.inf  # (nothing smoothed yet)

    def up_to(self, z: float) -> Surface:
        """The smoothed surface, as a smoothing of everything above the armpits gives it wherever
        it is read below Z."""
        needed = z + NECK_BAND_ALLOWANCE * self.scan.H
        if needed > self.exact_to:
            self.surface, self.faces = _smoothed_band(self.scan, self.z_from, needed)
            self.exact_to = needed
        return self.surface


def _smoothed_band(scan: _Scan, z_from: float, exact_to: float) -> tuple[Surface, np.ndarray]:
    """The surface above Z_FROM after SCAN.neck_pairs pairs of Taubin smoothing (lambda 0.5,
    mu -0.53), and its faces (ids of the surface's vertices).

    A scanner's surface noise (0.5-2 mm) pushes some points out of the skin and some in: the
    convex hull of a noisy neck section rides on the outward ones (+2-3 mm of girth at 1 mm
    noise), and the outline's slope wavers at the side neck point. Taubin's pairs of shrinking
    and inflating passes remove that high-frequency noise without shrinking the body as plain
    averaging would (a clean neck girth moves by <1 mm).
    The region's lower rim, whose vertices lack neighbours below it, and the rims of holes and
    cracks (which would open wider) are held still.

    Only a band is smoothed: the faces below EXACT_TO and every face within one ring per
    smoothing step of them, its top rim held still too. A step moves a vertex towards its
    neighbours, so a difference at the top rim spreads one ring per step and never reaches
    the vertices below EXACT_TO: there the band is the smoothing of everything above Z_FROM,
    bit for bit (the same neighbours in the same order)."""
    body = scan.body
    link = scan.full.link_mm if scan.full is not None else scan.surface.link_mm
    z = scan.v[:, 2]
    if scan.full is not None:
        lowest, highest = scan.full.face_heights()
    else:
        corner_z = z[body.faces]
        lowest, highest = row_min(corner_z), row_max(corner_z)
    above = lowest >= z_from
    faces = body.faces[above]
    rising = np.nonzero(highest[above] > exact_to)[0]  # faces the band may leave out
    rising_faces = faces[rising]
    in_band = z <= exact_to
    # A step adds the corners of faces touching the band, so after k steps the band reaches at
    # most k face heights above EXACT_TO: higher faces are left out of the growing.
    rising_low = lowest[above][rising]
    reach = float((highest[above][rising] - rising_low).max()) if len(rising) else 0.0
    growing = rising_faces[rising_low <= exact_to + 2 * scan.neck_pairs * reach]
    for _ in range(2 * scan.neck_pairs):
        in_band[growing[in_band[growing].any(axis=1)]] = True
    keep = np.ones(len(faces), bool)
    keep[rising] = in_band[rising_faces].all(axis=1)
    faces = faces[keep]
    # vertex ids of the band, in their order in the scan (np.unique's, without its sort)
    used_mask = np.zeros(len(z), bool)
    used_mask[faces] = True
    used = np.nonzero(used_mask)[0]
    band_id = np.cumsum(used_mask) - 1
    faces = band_id[faces]
    surface = Surface.from_mesh(scan.v[used], faces, link)
    points = surface.vertices  # smoothed in place
    # the rim of a hole or crack, or of the band (edges of one face), has neighbours on one side only
    rim = np.zeros(len(used), bool)
    rim[surface.edges[surface.boundary].ravel()] = True
    taubin(points, mean_of_neighbours(surface.edges, len(points)), (points[:, 2] > z_from + 0.01 * scan.H) & ~rim,
           scan.neck_pairs)
    return surface, faces


def _lattice_samples(points: np.ndarray, faces: np.ndarray, area_per_point: float,
                     area: np.ndarray | None = None) -> np.ndarray:
    """Points on a triangular lattice in the faces, one to two per AREA_PER_POINT (AREA: each
    face's, if known). Unlike random samples they move only where the surface moves: a small
    change anywhere does not redraw every sample (and jitter the outline by ~1 mm), and the
    order of the faces in the file does not matter (random ones drawn face by face moved
    shoulder width 1.4 mm when the faces were reordered)."""
    if area is None:
        area = _weighted_samples(points, faces)[1]
    # a face gets a lattice of n + 1 points a side ((n + 1)(n + 2) / 2, up to about twice its
    # share: the outlines read the highest sample per bin); a face too small for one point
    # keeps its centre with a chance of its share, drawn from where it is, so in any file order
    # (a lattice in every face made a meshed cloud's samples ten times too dense)
    share = area / area_per_point
    steps = np.ceil(np.sqrt(2.0 * share)).astype(np.int64)
    small = np.nonzero(share < 1.0)[0]
    if len(small):
        centre_um = np.round(sum(points[faces[small, k]] for k in range(3)) * (1000.0 / 3.0)).astype(np.int64)
        steps[small] = np.where(_unit_hash(centre_um) < share[small], 0, -1)
    out = [np.zeros((0, 3))]
    for n in np.unique(steps[steps >= 0]):
        sel = faces[steps == n]
        i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
        keep = (i + j) <= n
        wa, wb = (i[keep] + 1 / 3) / (n + 1), (j[keep] + 1 / 3) / (n + 1)  # inside, off the edges
        a, b, c = (points[sel[:, k]] for k in range(3))
        inside = a[:, None] + wa[None, :, None] * (b - a)[:, None] + wb[None, :, None] * (c - a)[:, None]
        out.append(inside.reshape(-1, 3))
    return np.vstack(out)


def _unit_hash(keys: np.ndarray) -> np.ndarray:
    """A number in [0, 1) per row of integer KEYS (N, k), the same on every machine (integer
    mixing, splitmix64's finalizer), scattered as if at random."""
    h = np.zeros(len(keys), np.uint64)
    with np.errstate(over="ignore"):
        for column, odd in zip(keys.T, (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)):
            h ^= column.astype(np.uint64) * np.uint64(odd)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return (h >> np.uint64(11)).astype(np.float64) / float(2 ** 53)


def _slimmest_level(surface: Surface, z: float) -> tuple[float, float]:
    """Height and hull girth of the slimmest horizontal neck section near Z (a sweep level),
    between sweep steps: a parabola through the slimmest of five levels 2 mm apart and its two
    neighbours (the slimmest level itself jumps a whole step when noise lifts one girth)."""
    zs = z + SWEEP_STEP_MM * np.arange(-2, 3)
    # (one cut for the five levels: each level's contours are those of a cut of its own)
    sec = slice_surface(surface, [0.0, 0.0, 1.0], zs)
    st = sec.stats()
    girths = []
    for level in range(len(zs)):
        cids = sec.contours_at(level)
        if not ((st["u_min"][cids] < 0) & (st["u_max"][cids] > 0)).any():
            girths.append(np.inf)
            continue
        # the contour around the midline and its fragments (as _Scan.torso_section)
        girths.append(hull_perimeter(_midline_points(sec, st, cids))[0])
    girths = np.array(girths)
    i = int(np.argmin(girths))
    if not np.isfinite(girths).all() or i in (0, len(zs) - 1):
        return float(zs[i]), float(girths[i])
    g0, g1, g2 = girths[i - 1: i + 2]
    curvature = g0 - 2 * g1 + g2
    shift = 0.5 * (g0 - g2) / curvature if curvature > 0 else 0.0
    return float(zs[i] + SWEEP_STEP_MM * np.clip(shift, -0.5, 0.5)), float(g1)


def _neck_section(surface: Surface, point: np.ndarray, axis: np.ndarray, max_reach: float):
    """Hull perimeter of the section of SURFACE perpendicular to AXIS around POINT, and its
    ring in 3D (0 and an empty ring if no contour there holds the axis or it reaches too far)."""
    sec = slice_surface(surface, axis, [0.0], origin=point)
    cid, hull = _contour_around_origin(sec)
    if cid is None:
        return 0.0, []
    perimeter, ring = hull if hull is not None else hull_perimeter(sec.contour_points(cid))
    if np.linalg.norm(sec.contour_points3d(cid) - point, axis=1).max() > max_reach or len(ring) < 3:
        return 0.0, []
    return perimeter, _ring_line(sec.u, sec.w, point, ring)


def _neck_shoulder_point(x: np.ndarray, z: np.ndarray) -> tuple[float, float]:
    """The side neck point (distance out from the midline, height) on a front-view top outline
    running outward from the neck, between its bins (see _neck_shoulder_corner for the rule).

    Read bin by bin the point jumps a whole bin (4 mm out and down) when noise tips one slope
    across 45 degrees, and where the slope passes 45 degrees slowly (on a sloping shoulder) a
    clean scan sits on such a tie too. So the outline is followed continuously (interpolated
    between the bins' points and smoothed with a Gaussian one bin wide, about the spread of the
    three-bin mean used there): the point is where its slope over the preceding bin's width
    first falls to 45 degrees after having been steeper. A slope over the preceding bin is the
    slope half a bin further in, which keeps the point where the bin-wise rule put it on
    average (the first outline point at or past the crossing: half a bin out)."""
    j = _neck_shoulder_corner(x, z)
    if len(x) < 5 or np.any(np.diff(x) <= 0):
        return float(x[j]), float(z[j])
    from scipy.ndimage import gaussian_filter1d

    step = 0.25
    grid = np.arange(x[0], x[-1] + 1e-9, step)
    zg = gaussian_filter1d(np.interp(grid, x, z), 4.0 / step, mode="nearest")
    angle = np.degrees(np.arctan2(np.interp(grid - 4.0, grid, zg) - zg, 4.0))[int(round(4.0 / step)):]
    grid = grid[int(round(4.0 / step)):]
    steep = np.nonzero(angle > 45.0)[0]
    if len(steep) == 0:
        return float(x[j]), float(z[j])
    after = np.nonzero(angle[steep[0]:] <= 45.0)[0]
    if len(after) == 0:
        return float(x[j]), float(z[j])
    k = int(steep[0] + after[0])
    t = (angle[k - 1] - 45.0) / (angle[k - 1] - angle[k]) if k > 0 and angle[k - 1] > angle[k] else 1.0
    at = float(grid[k - 1] + t * (grid[k] - grid[k - 1])) if k > 0 else float(grid[k])
    return at, float(np.interp(at, x, z))


def _neck_shoulder_corner(x: np.ndarray, z: np.ndarray) -> int:
    """Index of the side neck point on a front-view top outline running outward from the neck.

    The outline falls steeply down the side of the neck and then runs out along the shoulder
    at 10-30 degrees; the corner is where its slope first passes 45 degrees (the bisector of a
    vertical neck and a level shoulder) after having been steeper. Without a steep part (no
    neck seen in the outline) the deepest point below the chord is taken instead."""
    if len(x) < 5:
        return _knee_below_chord(x, z) if len(x) >= 3 else 0
    from scipy.ndimage import uniform_filter1d

    zs = uniform_filter1d(z, size=3, mode="nearest")
    angle = np.degrees(np.arctan2(zs[:-2] - zs[2:], np.maximum(x[2:] - x[:-2], 1e-6)))
    steep = np.nonzero(angle > 45.0)[0]
    if len(steep) == 0:
        return _knee_below_chord(x, z)
    after = np.nonzero(angle[steep[0]:] <= 45.0)[0]
    if len(after) == 0:
        return _knee_below_chord(x, z)
    return int(steep[0] + after[0] + 1)


def _neck_base_girth(scan: _Scan, ring_pts: np.ndarray, centre: np.ndarray, normal: np.ndarray) -> float:
    """A tape around the base of the neck through its four landmarks (RING_PTS: cervicale, the
    right and left side neck points, the front neck point), pulled tight from each to the next.

    Each stretch is the shortest of the tapes between its two landmarks in planes about their
    chord, from leaning NECK_TAPE_TILT_DEGREES down to as far up, level with the outward
    direction from the neck base's CENTRE across its plane's NORMAL: in each plane the tape
    goes around the outside of the section, bridging hollows (_tape_around). A tape pulled
    tight takes the shortest way; in the level plane alone it ran out over the shoulder between
    a side neck point and the front neck point (draw3_10_man: 173 mm where the shortest is 147).
    One plane through all four, used before, runs under the top of the shoulders beside the
    side neck points: its section had to be cut at their x and closed there by straight runs as
    long as the plane's cut through the trapezius, which it grazes (on 36 Anny draws it read
    17-74 mm more, and moved up to 1.9 mm on the same surface subdivided twice; the tape 1.2)."""
    H = scan.H
    normal = normal / np.linalg.norm(normal)
    order = [0, 1, 3, 2, 0]  # cervicale, right side neck point, front neck point, left side, back
    tilts = np.radians(np.arange(-NECK_TAPE_TILT_DEGREES, NECK_TAPE_TILT_DEGREES + 1e-9, 10.0))
    length, lines = 0.0, []
    for start, end in zip(order[:-1], order[1:]):
        p, q = ring_pts[start], ring_pts[end]
        span = float(np.linalg.norm(q - p))
        if span < 1e-6:
            continue
        along = (q - p) / span
        level = 0.5 * (p + q) - centre
        level -= (level @ normal) * normal
        level -= (level @ along) * along
        level /= np.linalg.norm(level)
        up = np.cross(along, level)

        def tape(tilt: float, part: Surface | None = None):
            out = np.cos(tilt) * level + np.sin(tilt) * up
            if part is None:
                part = scan.local(0.5 * (p + q), 0.5 * span + 0.03 * H, np.cross(along, out), full=True)
            return _tape_around(part, p, along, span, out)

        # (the plane is sought on the search surface near the chord, a dense scan's coarse copy,
        # and the tape read on the full mesh there and 5 degrees either side: near its shortest
        # its length changes little with the plane)
        near = scan.local(0.5 * (p + q), 0.5 * span + 0.03 * H, None)
        searched = [(found[0], tilt) for tilt in tilts if (found := tape(tilt, near)) is not None]
        if not searched:
            return 0.0
        best = min(searched)[1]
        tapes = [found for tilt in best + np.radians([-5.0, 0.0, 5.0]) if (found := tape(tilt)) is not None]
        if not tapes:
            return 0.0
        stretch, path = min(tapes, key=lambda found: found[0])
        length += stretch
        lines.append(_as_line(path))
    scan.lines["neck_base_girth"] = lines
    return length


def _tape_around(part: Surface, p: np.ndarray, along: np.ndarray, span: float, out: np.ndarray):
    """A tape from P to P + SPAN * ALONG over the outside (OUT's side of their chord) of the
    section of PART in the plane of ALONG and OUT, bridging hollows: its length and path, the
    convex hull of the section's part on that side, wherever it reaches (a section that runs
    out beyond a landmark and back makes the tape go around it too), or None if no section."""
    from scipy.spatial import ConvexHull, QhullError

    segments = plane_segments(part, np.cross(along, out), p)
    flat = segments.reshape(-1, 3) - p
    points = np.column_stack([flat @ along, flat @ out])
    points = np.vstack([points[points[:, 1] > 0], [[0.0, 0.0], [span, 0.0]]])
    if len(points) < 3:
        return (span, np.array([p, p + span * along])) if len(segments) else None
    try:
        ring = ConvexHull(points).vertices[::-1]  # (clockwise: from P, the outside comes first)
    except QhullError:
        return None
    ends = len(points) - 2, len(points) - 1
    if ends[0] not in ring or ends[1] not in ring:
        return None
    ring = np.roll(ring, -int(np.nonzero(ring == ends[0])[0][0]))
    path = points[ring[: int(np.nonzero(ring == ends[1])[0][0]) + 1]]
    stretch = float(np.linalg.norm(np.diff(path, axis=0), axis=1).sum())
    return stretch, p + np.outer(path[:, 0], along) + np.outer(path[:, 1], out)


def _clipped_to_box(segments: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The ends of the parts of SEGMENTS ((S, 2, 3) points) within LOW <= (x, y) <= HIGH."""
    start, delta = segments[:, 0], segments[:, 1] - segments[:, 0]
    # (each segment's parameter interval inside the box: Liang-Barsky, per axis)
    enter, leave = np.zeros(len(start)), np.ones(len(start))
    for axis in (0, 1):
        d, p = delta[:, axis], start[:, axis]
        flat = np.abs(d) < 1e-12
        safe = np.where(flat, 1.0, d)
        t_low, t_high = (low[axis] - p) / safe, (high[axis] - p) / safe
        enter = np.where(flat, enter, np.maximum(enter, np.minimum(t_low, t_high)))
        leave = np.where(flat, leave, np.minimum(leave, np.maximum(t_low, t_high)))
        leave = np.where(flat & ((p < low[axis]) | (p > high[axis])), -1.0, leave)
    ok = enter <= leave
    return np.vstack([start[ok] + enter[ok, None] * delta[ok], start[ok] + leave[ok, None] * delta[ok]])


def _midline_front(scan: _Scan, z: float, x: float, facing: int) -> float:
    """How far the body reaches towards FACING (1: the front, -1: the back; in y times FACING) at
    height Z within 1 % of stature of the midline at X: the extreme of the section's pieces cut
    at the column's sides, not of its points (which stop where the mesh's edges cross)."""
    segments = plane_segments(scan.horizontal_band(z, full=True), [0.0, 0.0, 1.0], [0.0, 0.0, z])
    half = 0.01 * scan.H
    ends = _clipped_to_box(segments, np.array([x - half, -np.inf]), np.array([x + half, np.inf]))
    if not len(ends):  # (nothing on the midline there: the whole section's extreme)
        ends = segments.reshape(-1, 3)
    return float((facing * ends[:, 1]).max())


def _crest_y(part: Surface, point: np.ndarray, half_height: float, reach: float) -> float | None:
    """Where across the body (y) the top of the surface PART lies at POINT's x (a shoulder's or
    the neck base's crest, seen from the front at POINT): the centre by length of its sagittal
    section within HALF_HEIGHT of POINT's height and REACH of its y (None if none lies there).

    The mean of the surface samples in such a box, used before, moved with the mesh: where a
    coarse mesh's faces run over the crest, its samples lie elsewhere than a denser mesh's of
    the same surface (36 Anny draws subdivided twice: side neck points 1.3 mm apart across the
    body on average, up to 4.8, against the cervicale; now 0.02, up to 0.2). A section's pieces
    are the surface itself, read in sagittal planes CREST_ACROSS_MM about POINT (as wide as the
    box was)."""
    low = np.array([point[1] - reach, point[2] - half_height])
    high = np.array([point[1] + reach, point[2] + half_height])
    weight = moment = 0.0
    for dx in CREST_ACROSS_MM:
        segments = plane_segments(part, [1.0, 0.0, 0.0], point + [dx, 0.0, 0.0])
        ends = _clipped_to_box(segments[:, :, 1:], low, high)  # (y, z) per end, first ends then last
        half = len(ends) // 2
        lengths = np.linalg.norm(ends[half:] - ends[:half], axis=1)
        weight += lengths.sum()
        moment += (lengths * 0.5 * (ends[:half, 0] + ends[half:, 0])).sum()
    return float(moment / weight) if weight > 0 else None


def _shoulder_turn(x: np.ndarray, z: np.ndarray) -> float:
    """Distance from the midline of the acromion on a front-view top outline of the shoulder
    (running out from the neck to the arm at armpit level): where the outline turns from the
    shoulder line down into the arm, i.e. where its slope passes the bisector of the shoulder
    line's slope (the flattest 10 % of the outline) and the upper arm's (the steepest slope
    over its outer 40 %).

    The point of the outline farthest from the chord joining its ends, used before, sits on a
    gentle curve: a lean of 0.3 degrees turned the chord enough to move it 12-16 mm (shoulder
    width -31 mm). A slope crossing moves only as far as the slopes do: a lean tilts the
    shoulder line, the arm and the bisector alike."""
    if len(x) < 8 or np.any(np.diff(x) <= 0):
        return float(x[int(np.argmax(z - np.interp(x, [x[0], x[-1]], [z[0], z[-1]])))])
    grid, slope, step = _outline_slope(x, z)
    outer = int(0.6 * len(grid))
    i_arm = outer + int(np.argmax(slope[outer:]))
    shoulder_line = max(float(np.percentile(slope[:i_arm + 1], 10)), 0.0)
    bisector = 0.5 * (shoulder_line + slope[i_arm])
    flatter = np.nonzero(slope[:i_arm + 1] < bisector)[0]
    if len(flatter) == 0:
        return float(grid[i_arm])
    j = int(flatter[-1])
    t = (bisector - slope[j]) / (slope[j + 1] - slope[j])
    return float(grid[j] + t * step)


def _outline_slope(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """A front-view outline (heights Z at distances X out, increasing) on a 1 mm grid, and its
    downward slope in degrees there, smoothed over a few millimetres (the grid step too)."""
    from scipy.ndimage import gaussian_filter1d

    step = 1.0
    grid = np.arange(x[0], x[-1] + 1e-9, step)
    slope = np.degrees(np.arctan(-np.gradient(gaussian_filter1d(np.interp(grid, x, z), 6.0), step)))
    return grid, slope, step


def _raised_shoulder_turn(x: np.ndarray, z: np.ndarray, armpit_x: float, inside: float, outside: float) -> float:
    """_shoulder_turn for a raised arm: the outline runs down the shoulder line, then turns up
    over the shoulder's bump onto the arm's top, flatter than the shoulder line. The acromion
    is that turn: where the slope falls fastest, from INSIDE before the armpit's distance out
    to OUTSIDE past it (further in, the neck turns into the shoulder line).
    (The bisector crossing of a hanging arm lands anywhere on an arm top whose slope hovers
    near it: the two sides of one body differed by 53 mm.)"""
    if len(x) < 8 or np.any(np.diff(x) <= 0):
        return float(armpit_x)
    grid, slope, step = _outline_slope(x, z)
    change = np.gradient(slope, step)
    near = np.nonzero((grid >= armpit_x - inside) & (grid <= armpit_x + outside))[0]
    if len(near) == 0:
        return float(armpit_x)
    return float(grid[near[int(np.argmin(change[near]))]])


def _hull_arc(ring, start2, end2, sec, centre, prefer_low_y):
    """The part of a closed hull ring between two of its points, on the back (low y) side."""
    if len(ring) < 3:
        return None
    i0 = int(np.argmin(np.linalg.norm(ring - start2, axis=1)))
    i1 = int(np.argmin(np.linalg.norm(ring - end2, axis=1)))
    n = len(ring)
    a = [ring[(i0 + k) % n] for k in range(((i1 - i0) % n) + 1)]
    b = [ring[(i0 - k) % n] for k in range(((i0 - i1) % n) + 1)]
    to3 = lambda r: centre + np.outer(np.array(r)[:, 0], sec.u) + np.outer(np.array(r)[:, 1], sec.w)  # noqa: E731
    a3, b3 = to3(a), to3(b)
    if prefer_low_y:
        return a3 if a3[:, 1].mean() < b3[:, 1].mean() else b3
    return a3 if a3[:, 1].mean() > b3[:, 1].mean() else b3


def _measure_arms(scan: _Scan, armpits, profiles: list | None = None) -> None:
    """Arm girths, the wrist joint and arm length, and the armhole. PROFILES: _arm_profile of
    each side (right, left) if found already (beside the neck: they need no acromion)."""
    m, lm, conf = scan.m, scan.landmarks, scan.conf
    vals: dict[str, list[float]] = {k: [] for k in ("upper_arm_girth", "elbow_girth", "wrist_girth",
                                                     "arm_length", "armscye_girth")}
    if profiles is None:
        profiles = [_arm_profile(scan, side, armpits) for side in (1, -1)]
    sides = ((1, "right"), (-1, "left"))

    def straight_arm_elbow(arm: _Arm, tag: str) -> None:
        """A straight arm's elbow, by the population proportion from the acromion (a slightly
        bent one's moved that far towards its bend, see _arm_profile)."""
        acromion = lm.get(f"acromion_{tag}")
        pts, wrist_p = arm.pts, arm.pts[arm.i_wrist]
        start = acromion if acromion is not None else pts[0]
        target = start + ELBOW_FRACTION_ACROMION_TO_WRIST * (wrist_p - start)
        i_elbow = int(np.argmin(np.linalg.norm(pts[: arm.i_wrist + 1] - target, axis=1)))
        i_bend, weight = arm.bend
        _arm_elbow(scan, arm, int(round(i_elbow + weight * (i_bend - i_elbow))))

    # (each arm keeps what it finds to itself: the two are taken side by side)
    run_together(*(lambda arm=arm, tag=tag: straight_arm_elbow(arm, tag)
                   for (_, tag), arm in zip(sides, profiles) if arm is not None and arm.elbow is None))
    for (side, tag), arm in zip(sides, profiles):
        if arm is None:
            continue
        acromion = lm.get(f"acromion_{tag}")
        # (in the order the sections were taken one side at a time)
        for name in ("wrist_girth", "elbow_girth", "upper_arm_girth"):
            if name in arm.girths:
                vals[name].append(arm.girths[name])
            for line in arm.lines.get(name, []):
                scan.lines.setdefault(name, []).append(line)
        for name, point in arm.landmarks.items():
            lm[f"{name}_{tag}"] = point
        elbow_p, stylion = arm.landmarks["elbow"], arm.landmarks["stylion"]
        if acromion is not None:
            vals["arm_length"].append(float(np.linalg.norm(elbow_p - acromion) + np.linalg.norm(stylion - elbow_p)))
            scan.lines.setdefault("arm_length", []).append(_as_line([acromion, elbow_p, stylion]))
            # Armscye: the plane through the acromion and the armpit, edge-on from the front.
            armpit = armpits[side][1]
            normal = np.cross(acromion - armpit, [0.0, 1.0, 0.0])
            normal /= np.linalg.norm(normal)
            centre = 0.5 * (acromion + armpit)
            # Keep to the arm hole itself: the plane also grazes the torso side below the armpit.
            reach = 0.75 * float(np.linalg.norm(acromion - armpit))
            g = _armscye_girth(scan, centre, normal, reach, armpit)
            if g > 0:
                vals["armscye_girth"].append(g)
    for name, pair in vals.items():
        pair = [g for g in pair if g > 0]
        if pair:
            m[name] = float(np.mean(pair))
            conf[name] = _pair_confidence(pair, 0.85 if name != "armscye_girth" else 0.6)


@dataclass
class _Arm:
    """One arm's stations along its centre line, their girth profile and what was read off it:
    named girths, the lines they were taken on (kept apart, in the order they were taken, until
    they are reported) and landmarks by name (wrist, elbow, upper_arm, stylion)."""

    side: int
    pts: np.ndarray
    tangents: np.ndarray
    profile: "_CoarseToFine"
    i_wrist: int = 0
    elbow: int | None = None  # the elbow's station, once found
    bend: tuple = (0, 0.0)  # a slight bend's station and how far it moves a straight arm's elbow
    girths: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    landmarks: dict = field(default_factory=dict)


def _arm_profile(scan: _Scan, side: int, armpits) -> _Arm | None:
    """The arm's stations and girth profile, its wrist, wrist joint and, on a bent arm, its
    elbow and upper arm: what needs no acromion (None if no wrist is found)."""
    import copy

    H = scan.H
    chain = scan.arm_chains[side] if side in scan.arm_chains else _arm_chain(scan, side, armpits[side][0])
    pts, tangents = _resample_chain(chain, ARM_STATION_MM)
    n = len(pts)
    # (a view of the scan whose named sections keep their lines to themselves)
    own = copy.copy(scan)
    own.lines = {}
    profile = _CoarseToFine(lambda ids: _arm_profile_girths(own, pts[ids], tangents[ids]), n)
    arm = _Arm(side, pts, tangents, profile, lines=own.lines)
    s = np.arange(n) * ARM_STATION_MM
    length = s[-1]
    # Wrist: the slimmest section of the lower arm before the hand widens. (The palm's
    # fullest section can lie before 0.7 of the chain: 0.65-0.68 on female_plus_size, where
    # a search from 0.7 took a noisy finger section for the palm and the wrist 75 mm down.)
    # (and only on the hand: past it, a section through the fingers that grazes the thigh
    # can be fuller than the palm; a forward lean of 0.8 degrees put the wrist on the hand)
    i_palm = _palm(profile, s, length)
    if i_palm is None:
        return None
    i_wrist = profile.best((s > 0.45 * length) & (np.arange(n) < i_palm), largest=False)
    if i_wrist is None:
        return None
    arm.i_wrist = i_wrist
    wrist_p = pts[i_wrist]
    arm.girths["wrist_girth"] = _arm_girth(own, wrist_p, tangents[i_wrist], "wrist_girth")
    arm.landmarks["wrist"] = wrist_p
    # Arm length ends at the wrist joint (stylion), where the hand begins (_stylion_offset).
    past = _stylion_offset(np.array(profile.values_of(range(i_wrist, i_palm + 1))))
    stylion = wrist_p if past is None else pts[i_wrist + past]
    arm.landmarks["stylion"] = stylion
    # Elbow: the bend of the arm, or on a straight arm the population proportion (from the
    # acromion: see _measure_arms). (A raised arm's chain from past the armpit's folds, which
    # bend it at its start.)
    i_start = min(int(np.searchsorted(s, scan.arm_fold_end.get(side, 0.0))), i_wrist)
    chord = wrist_p - pts[i_start]
    rel = pts[i_start: i_wrist + 1] - pts[i_start]
    dev = np.linalg.norm(rel - np.outer(rel @ chord / (chord @ chord), chord), axis=1)
    # A clear bend is the elbow; a slight one (4-6 % of the chord) moves the straight arm's
    # elbow towards it in proportion: at one threshold the elbow jumped between the two
    # (female_plus_size as a random point cloud: elbow girth +27 mm).
    weight = float(np.clip((dev.max() / np.linalg.norm(chord) - ELBOW_BEND_FROM) / ELBOW_BEND_RAMP, 0.0, 1.0))
    arm.bend = (i_start + int(np.argmax(dev)), weight)
    if weight == 1.0:
        _arm_elbow(own, arm, arm.bend[0])
    return arm


def _arm_profile_girths(scan: _Scan, points, tangents) -> list[float]:
    """An arm's girth profile at POINTS across TANGENTS (the surface as scanned): what its
    stations are chosen by, and what a section off the stations is compared with."""
    return scan.perpendicular_girths(points, tangents, 0.07 * scan.H, max_reach=0.06 * scan.H)


def _stylion_offset(girths: np.ndarray) -> int | None:
    """How many stations past the slimmest wrist section (GIRTHS: the arm's girth profile from
    there to the palm) the wrist joint lies: where the girth's rise across the heel of the hand
    stops growing. The slimmest section itself lies a little up the forearm, above the styloid
    processes; further on the thumb joins the hand with a second, steeper jump. None where the
    profile is too short or has a gap.

    (The steepest station's rise, taken as the first peak at least 30 % as steep as the
    steepest up to the palm, depended on that jump: where the heel's rise fell just short of
    30 % of it, the stylion went on to the thumb, 30 mm further. Six of 30 bodies read arm
    lengths 15-34 mm apart between a mesh and a point cloud of it; now at most 5.2 mm.)"""
    if len(girths) < 4 or not (girths > 0).all():
        return None
    from scipy.ndimage import uniform_filter1d

    rise = uniform_filter1d(np.diff(girths), size=3, mode="nearest")
    # only up to where the hand stops widening (beyond, finger sections can swell the hull past
    # the palm's), and only a rise as steep as a hand's (STYLION_MIN_RISE: the heel's reads 4-7 %
    # of the wrist girth per 4 mm station on 30 bodies): a scanner's noise makes small early ones
    falling = np.nonzero(rise[2:] <= 0)[0]
    if len(falling):
        rise = rise[: falling[0] + 2]
    steep = STYLION_MIN_RISE * ARM_STATION_MM * girths[0]
    level = [j for j in range(len(rise)) if rise[j] >= steep
             and (j + 1 == len(rise) or rise[j + 1] <= STYLION_LEVEL_OFF * rise[j])]
    return level[0] + 1 if level else None


def _arm_elbow(scan: _Scan, arm: _Arm, i_elbow: int) -> None:
    """The elbow girth at station I_ELBOW and the upper arm girth above it."""
    side, pts, tangents, profile = arm.side, arm.pts, arm.tangents, arm.profile
    own = scan
    if own.lines is not arm.lines:
        import copy

        own = copy.copy(scan)
        own.lines = arm.lines
    n = len(pts)
    arm.elbow = i_elbow
    elbow_p = pts[i_elbow]
    arm.landmarks["elbow"] = elbow_p
    arm.girths["elbow_girth"] = _arm_girth(own, elbow_p, tangents[i_elbow], "elbow_girth")
    # Upper arm: fullest section between the armpit and the elbow (on a raised arm, past the
    # armpit's folds: a cut across them is no arm girth; on a hanging one, from its top, a height
    # both a mesh and a point cloud see alike (_arm_clear_height), that height itself cut: it is
    # the fullest wherever the arm narrows from the armpit down).
    past_folds = np.arange(n) * ARM_STATION_MM >= scan.arm_fold_end.get(side, 0.0)
    top = scan.upper_arm_top.get(side)
    if top is not None:
        past_folds &= pts[:, 2] <= top
    i_up = profile.best((np.arange(n) < i_elbow) & past_folds, largest=True)
    point = tangent = None
    if i_up is not None:
        point, tangent = pts[i_up], tangents[i_up]
    if top is not None:
        top_point, top_tangent = _chain_point_at_height(pts, tangents, top)
        at_top = _arm_profile_girths(own, [top_point], [top_tangent])[0]
        if at_top > 0 and (i_up is None or at_top >= profile.value(i_up)):
            point, tangent = top_point, top_tangent
    if point is not None:
        arm.girths["upper_arm_girth"] = _arm_girth(own, point, tangent, "upper_arm_girth")
        arm.landmarks["upper_arm"] = point


def _arm_girth(scan: _Scan, point, axis, name: str) -> float:
    """The reported girth NAME of an arm at POINT, across AXIS: the wrist's and upper arm's on
    the smoothed surface (see _Scan.smoothed_ball; the stations were chosen on the surface as
    scanned). Not the elbow's: its error under noise is mostly its station's, which follows the
    acromion, and smoothing a 13k-face body moved it 0.4-1.5 mm against the same body
    subdivided, which smoothing leaves as it is (six bodies x noise seeds 1-2, subdivided to
    0.43M faces, two point clouds: 7 cases past the 2 mm bar smoothed, 5 not)."""
    return scan.perpendicular_girth(point, axis, 0.09 * scan.H, name, max_reach=0.06 * scan.H,
                                    smooth=name != "elbow_girth")


def _armscye_girth(scan: _Scan, centre, normal, reach: float, armpit: np.ndarray) -> float:
    """Tape round the arm root in the plane through the acromion and the armpit: the hull of the
    section around CENTRE, closed under the arm by the armpit itself.

    The plane passes through the crease where the arm meets the trunk, so below the armpit its
    section can run on down the side of the trunk or not, depending on a fraction of a degree of
    stance (a lean of 0.3 degrees added 62 mm); and just above the armpit it slices the chest and
    the back beside the crease, where a scanner's noise bulged the hull by up to 20 mm. The tape
    goes from the armpit folds straight under the armpit: the section is kept from 1 % of stature
    above the armpit (0.5 % and 1.5 % held worse under noise or leans), and the armpit closes it."""
    part = scan.local(centre, reach, normal, full=True)
    sec = slice_planes([part], [centre], [normal])[0]  # (as _nearest_section cuts it)
    best = _contour_around_origin(sec)[0]
    if best is None:
        return 0.0
    # The contour's pieces (one per face it crosses), cut at the height it is kept from: the
    # section's own points stop where the mesh's edges cross the plane, up to an edge short of
    # it (36 Anny draws and the same surfaces subdivided twice: armscye 1.5 mm apart on average,
    # up to 4.7).
    low = armpit[2] + ARMSCYE_CREASE_FRACTION * scan.H
    pieces = plane_segments(part, normal, centre)
    contour = {tuple(point) for point in sec.contour_points3d(best)}
    pieces = pieces[[tuple(a) in contour and tuple(b) in contour for a, b in pieces]]
    if len(pieces) == 0:  # (the same crossings, as computed for the contour: never seen apart)
        ends = sec.contour_points3d(best)
        pieces = np.stack([ends, ends], axis=1)
    # (z first: _clipped_to_box keeps what lies within bounds on the first two columns)
    kept = _clipped_to_box(pieces[:, :, ::-1], np.array([low, -np.inf]), np.array([np.inf, np.inf]))[:, ::-1]
    p3 = np.vstack([kept, armpit[None]])
    if len(p3) < 4:
        return 0.0
    flat = np.column_stack([(p3 - centre) @ sec.u, (p3 - centre) @ sec.w])
    perimeter, ring = hull_perimeter(flat)
    scan.lines.setdefault("armscye_girth", []).append(_ring_line(sec.u, sec.w, centre, ring))
    return perimeter


def _measure_lengths(scan: _Scan, crotch_z: float, armpit_z: float) -> None:
    from scipy.ndimage import uniform_filter1d

    H, m, lm, conf = scan.H, scan.m, scan.landmarks, scan.conf
    waist_z = scan.waist_z
    # Crotch length: front waist down the centre front, under the crotch, up the centre back.
    # Like the back neck to waist below, each profile gets a 1 cm running mean: picking the
    # front- or back-most point on 2 mm levels makes stair-steps a tape does not follow
    # (they added 4-16 mm on the six test bodies).
    # (each read a level past the waist and cut there; from the first level 1 mm above the
    # crotch, below which a level's midline contour can be a scrap of the crotch's own surface)
    front, back = (_profile(scan, crotch_z + 1.0, waist_z, which, half_width * H, beyond=1)
                   for which, half_width in (("front", 0.006), ("back", 0.015)))
    front, back = (rows[rows[:, 2] >= crotch_z + 1.0] if len(rows) else rows for rows in (front, back))
    if len(front) > 5 and len(back) > 5:
        crotch = lm["crotch"]
        front, back = front[np.argsort(front[:, 2])], back[np.argsort(back[:, 2])]
        front[:, 1] = uniform_filter1d(front[:, 1], size=5, mode="nearest")
        back[:, 1] = uniform_filter1d(back[:, 1], size=5, mode="nearest")
        front = _clipped_profile(front, crotch_z + 1.0, waist_z)[::-1]
        back = _clipped_profile(back, crotch_z + 1.0, waist_z)
        front_path = np.vstack([front, crotch])
        back_path = np.vstack([crotch, back])
        m["crotch_length"] = _polyline_length(front_path) + _polyline_length(back_path)
        conf["crotch_length"] = 0.75
        scan.lines["crotch_length"] = [_as_line(front_path), _as_line(back_path)]
    # Back neck to waist and front neck to waist along the centre lines, tape bridging hollows.
    if "cervicale" in lm:
        c7 = lm["cervicale"]
        prof = _profile(scan, waist_z, c7[2], "back", 0.015 * H, beyond=1)
        # The tape follows the curve of the spine (no bridging); a 1 cm running mean removes
        # the stair-steps of sampling the profile on 2 mm levels.
        prof = prof[np.argsort(prof[:, 2])]
        if len(prof) > 5:
            prof[:, 1] = uniform_filter1d(prof[:, 1], size=5, mode="nearest")
        path = np.vstack([_clipped_profile(prof, waist_z, c7[2]), c7])
        path = path[np.argsort(-path[:, 2])]
        path[:, 0] = _midline_x(path[:, 2], waist_z, c7)
        m["back_neck_to_waist"] = _polyline_length(path)
        conf["back_neck_to_waist"] = 0.75
        scan.lines["back_neck_to_waist"] = [_as_line(path)]
    if "front_neck_point" in lm:
        fnp = lm["front_neck_point"]
        prof = _profile(scan, waist_z, fnp[2], "front", 0.015 * H, beyond=1)
        path = _hull_side_path(np.vstack([_clipped_profile(prof, waist_z, fnp[2]), fnp]), "front")
        path = path[np.argsort(-path[:, 2])]
        path[:, 0] = _midline_x(path[:, 2], waist_z, fnp)
        m["front_neck_to_waist"] = _polyline_length(path)
        conf["front_neck_to_waist"] = 0.65
        scan.lines["front_neck_to_waist"] = [_as_line(path)]
    # Neck to bust point: side neck point straight to the bust point (the tape spans the chest).
    pairs = [(lm.get(f"side_neck_point_{t}"), lm.get(f"bust_point_{t}")) for t in ("right", "left")]
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    if pairs:
        d = [float(np.linalg.norm(a - b)) for a, b in pairs]
        m["neck_to_bust_point"] = float(np.mean(d))
        conf["neck_to_bust_point"] = _pair_confidence(d, 0.7)
        scan.lines["neck_to_bust_point"] = [_as_line([a, b]) for a, b in pairs]
    # Across back / front: between the armpit folds (posterior / anterior scye points).
    widths = _across_widths(scan, armpit_z)
    for name, (length, line) in widths.items():
        m[name] = length
        conf[name] = 0.6
        scan.lines[name] = [_as_line(line)]
    # Outside leg: waist at the side down the outside of the hip and leg to the floor.
    rows = []
    for k in range(0, scan.level_of(waist_z) + 1):
        cid = scan.main_contour(k)
        if cid is None:
            cs = [c for c in scan.side_contours(k, 1) if abs(scan.st["u_mean"][c]) < 0.17 * H]
            if not cs:
                continue
            cid = max(cs, key=lambda c: scan.st["count"][c])
        rows.append([scan.st["u_max"][cid], 0.0, scan.levels[k]])
    if rows:
        rows = np.array(rows)
        side = _hull_side_path(rows[:, [1, 0, 2]], "front")[:, [1, 0, 2]]
        side = np.vstack([side, [side[-1][0], 0.0, waist_z]])
        side[:, 1] = 0.0
        # The tape hangs from the outermost point of the foot straight down to the floor; the
        # sole's rounded edge below that point is not on its way (it added ~40-55 mm of run
        # along the floor, and a tilt of a third of a degree changed that by 17 mm).
        foot = np.nonzero(side[:, 2] < 0.03 * H)[0]
        if len(foot):
            side = side[foot[np.argmax(side[foot, 0])]:]
        start = np.array([[side[0][0], 0.0, 0.0]])
        path = np.vstack([start, side])
        m["outside_leg_length"] = _polyline_length(path)
        conf["outside_leg_length"] = 0.7
        scan.lines["outside_leg_length"] = [_as_line(path)]
    scan.lines["inside_leg_length"] = [_as_line([lm["crotch"], [lm["crotch"][0], lm["crotch"][1], 0.0]])]
    scan.lines["stature"] = [_as_line([[lm["vertex"][0], lm["vertex"][1], 0.0], lm["vertex"]])]


def _midline_x(z: np.ndarray, waist_z: float, neck_point: np.ndarray) -> np.ndarray:
    """x of the body's midline at heights Z between the waist (on the pelvis's midline, x = 0)
    and a neck point on the neck's own midline: a leaning trunk's centre line is slanted."""
    return np.interp(z, [waist_z, neck_point[2]], [0.0, neck_point[0]])


def _nearest_on_polyline(line: np.ndarray, point: np.ndarray) -> np.ndarray:
    """The point of the open polyline LINE (n, 2) nearest to POINT (on a segment, not only at a
    vertex, so it moves smoothly as POINT does)."""
    if len(line) == 1:
        return line[0]
    a, ab = line[:-1], np.diff(line, axis=0)
    t = np.clip(((point - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-12), 0.0, 1.0)
    foot = a + t[:, None] * ab
    return foot[int(np.argmin(np.linalg.norm(foot - point, axis=1)))]


def _across_widths(scan: _Scan, armpit_z: float) -> dict[str, tuple[float, np.ndarray]]:
    """Across back and across front: the tape over the back (front) between the armpit folds.

    Just above the armpits the arms join the trunk and the horizontal section has a notch on
    the back and on the front of each side where the arm meets the trunk (the posterior and
    anterior axillary folds, ANSUR's scye points). The width is the hull arc between the two
    notches of one face. A notch is the contour point lying deepest inside the section's hull
    near the armpit's x."""
    H = scan.H
    out: dict[str, tuple[float, np.ndarray]] = {}
    z = armpit_z + 0.015 * H
    sec, st = scan.horizontal(z, full=True)
    cid = scan.main_contour(0, sec, st)
    if cid is None:
        return out
    pts = sec.contour_points3d(cid)
    perimeter, ring = hull_perimeter(pts[:, :2])
    if len(ring) < 3:
        return out
    # distance of each contour point inside the hull (hull edges as lines)
    a, b = ring, np.roll(ring, -1, axis=0)
    edge = b - a
    lengths = np.linalg.norm(edge, axis=1)
    ok = lengths > 1e-9
    a, edge, lengths = a[ok], edge[ok], lengths[ok]
    rel = pts[:, None, :2] - a[None]
    dist = np.abs(rel[..., 0] * edge[None, :, 1] - rel[..., 1] * edge[None, :, 0]) / lengths[None]
    depth = dist.min(axis=1)
    under = dist.argmin(axis=1)  # the hull edge bridging the hollow each point lies in
    y_mid = 0.5 * (pts[:, 1].max() + pts[:, 1].min())
    armpit_x = 0.5 * (abs(scan.landmarks["armpit_right"][0]) + abs(scan.landmarks["armpit_left"][0]))
    # (where the scan has no surface, there is no width to read: a booth whose towers stood at
    # 30/150/270 degrees missed 117 degrees of a plus-size chest, and the arc ran straight across
    # it, 53-62 mm short; such a width is left out, and said so)
    ring_centre = hull_centroid(ring)
    hole = ring_hole(pts[:, :2], ring_centre)
    for name, face in (("across_back_width", -1), ("across_front_width", 1)):
        notches = []
        for side in (1, -1):
            band = ((side * pts[:, 0] > 0.6 * armpit_x) & (side * pts[:, 0] < 1.4 * armpit_x)
                    & (face * (pts[:, 1] - y_mid) > 0))
            if not band.any() or depth[band].max() < 0.002 * H:
                break
            # The fold: the hollow under one hull edge, its points in order along that edge. (A
            # section's points come grouped, not in order round it: read as a polyline in the
            # mesh's edge order, which sorting a file's vertices ties to its orientation, a
            # male_plus_size rotated 37 degrees read across front 17 mm less.)
            e = under[np.nonzero(band)[0][int(np.argmax(depth[band]))]]
            idx = np.nonzero(band & (under == e))[0]
            idx = idx[np.argsort((pts[idx, :2] - a[e]) @ edge[e], kind="stable")]
            line = pts[idx, :2]
            # A fold can be broad and flat-bottomed: its centre, weighted by how far each bit
            # of contour lies below half the fold's depth, not whichever point is a hair deepest
            # (that moved 15 mm across a back when the body leaned 0.6 degrees).
            centre = _centre_below(line, depth[idx], 0.5 * depth[idx].max())
            notches.append(np.append(_nearest_on_polyline(line, centre), z))
        if len(notches) < 2:
            continue
        n_r, n_l = notches
        inside = ((pts[:, 0] < n_r[0]) & (pts[:, 0] > n_l[0])
                  & (face * (pts[:, 1] - 0.5 * (n_r[1] + n_l[1])) > 0))
        arc_pts = np.vstack([n_r, pts[inside], n_l])
        _, arc_ring = hull_perimeter(arc_pts[:, :2])
        # the hull of the face points plus both notches: its arc on the outer (face) side
        i0 = int(np.argmin(np.linalg.norm(arc_ring - n_r[:2], axis=1)))
        i1 = int(np.argmin(np.linalg.norm(arc_ring - n_l[:2], axis=1)))
        k = len(arc_ring)
        one = np.array([arc_ring[(i0 + j) % k] for j in range(((i1 - i0) % k) + 1)])
        two = np.array([arc_ring[(i0 - j) % k] for j in range(((i0 - i1) % k) + 1)])
        arc = one if face * one[:, 1].mean() > face * two[:, 1].mean() else two
        if _arc_over_hole(arc, hole, ring_centre):
            continue
        line = np.column_stack([arc, np.full(len(arc), z)])
        out[name] = (_polyline_length(line), line)
        scan.landmarks[f"{'posterior' if face < 0 else 'anterior'}_armpit_fold_right"] = n_r
        scan.landmarks[f"{'posterior' if face < 0 else 'anterior'}_armpit_fold_left"] = n_l
    return out


def _arc_over_hole(arc: np.ndarray, hole, centre) -> bool:
    """Whether the polyline ARC ((N, 2) points) passes a HOLE of its ring (sections.ring_hole
    about CENTRE: where the gap starts and how wide it is, in angle): a vertex of it or the middle
    of a piece seen from CENTRE within the gap."""
    if hole is None or len(arc) < 2:
        return False
    start, gap, _ = hole
    samples = np.vstack([arc, 0.5 * (arc[1:] + arc[:-1])])
    angle = np.arctan2(samples[:, 1] - centre[1], samples[:, 0] - centre[0])
    inside = np.mod(angle - start, 2.0 * np.pi)
    return bool(((inside > 0.0) & (inside < gap)).any())


def _centre_below(line: np.ndarray, depth: np.ndarray, level: float) -> np.ndarray:
    """The centre of the polyline LINE ((N, 2) points) weighted by how far each bit of it lies
    deeper than LEVEL (DEPTH: each point's; linear between them, as along a straight piece of
    a section it is), integrated exactly piece by piece: the same on any mesh of one surface.
    (Point weights times the contour each point stands for gave a fold's centre by the points:
    36 Anny draws and the same surfaces subdivided twice read across front 1.3 mm apart on
    average, up to 7.7 mm, the notches 3.9 mm apart per side.) The deepest point if no bit lies
    deeper than LEVEL."""
    d0, d1 = depth[:-1] - level, depth[1:] - level
    a, b = line[:-1], line[1:]
    lengths = np.linalg.norm(b - a, axis=1)
    # the part of each piece deeper than LEVEL: t from t0 to t1 along it
    slope = np.where(d1 != d0, d1 - d0, 1.0)
    cross = np.clip(-d0 / slope, 0.0, 1.0)
    t0 = np.where(d0 >= 0, 0.0, np.where(d1 > d0, cross, 1.0))
    t1 = np.where(d1 >= 0, 1.0, np.where(d0 > d1, cross, 0.0))
    t1 = np.maximum(t1, t0)
    # Simpson's rule is exact for the weight (linear) and weight x position (quadratic) in t
    weight_sum, moment = 0.0, np.zeros(2)
    for t, factor in ((t0, 1.0), (0.5 * (t0 + t1), 4.0), (t1, 1.0)):
        w = np.maximum(d0 + (d1 - d0) * t, 0.0) * factor * (t1 - t0) * lengths / 6.0
        weight_sum += w.sum()
        moment += (w[:, None] * (a + t[:, None] * (b - a))).sum(axis=0)
    if weight_sum <= 0:
        return line[int(np.argmax(depth))]
    return moment / weight_sum


def measure_scan(path, unit: str | None = None) -> ScanResult:
    """Load a scan file and measure it (the whole `measure SCAN` step, minus writing)."""
    return measure_body(load_body(path, unit=unit))
