"""The measurement catalogue: canonical names, ISO 8559-1 style definitions, kinds and ranges.

Ranges, all in millimetres:
- `typical` is the observed minimum..maximum of the 6,068 adults of ANSUR II (US Army 2012, both
  sexes) for the column named in `ansur`. Where ANSUR has no such column the range comes from the
  ANSUR column named in `proxy` scaled by the factors given, documented per entry. A value outside
  `typical` is accepted with a warning (a child, an extreme body, or a typing slip worth a look).
- `plausible` widens `typical` for children and extreme bodies: girths and breadths x0.45 .. x1.6,
  heights and lengths x0.5 .. x1.25 (a one-metre child to a 2.5 m giant). A value outside it is
  rejected: no human body has it, so it is a unit or typing error.

`tools/derive_ranges.py` recomputes the typical ranges from ../shared/data/ansur and checks them
against this table (tests/test_catalogue.py runs it).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("height", "length", "girth", "breadth")
GIRTH_WIDEN = (0.45, 1.6)
LENGTH_WIDEN = (0.5, 1.25)


@dataclass(frozen=True)
class MeasurementDef:
    name: str
    kind: str
    definition: str
    typical_mm: tuple[float, float]
    ansur: str | None = None  # ANSUR II column the typical range (and the alias) come from
    proxy: str | None = None  # how typical_mm was derived when ANSUR has no such column
    note: str = ""  # where our definition or an alias differs on purpose
    scan_note: str = ""  # how a scan finds the landmark, where that departs on purpose from others

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "definition": self.definition,
                "typical_mm": list(self.typical_mm), "plausible_mm": list(self.plausible_mm),
                "ansur": self.ansur, "proxy": self.proxy, "note": self.note, "scan_note": self.scan_note}

    @property
    def plausible_mm(self) -> tuple[float, float]:
        low, high = GIRTH_WIDEN if self.kind in ("girth", "breadth") else LENGTH_WIDEN
        return (round(self.typical_mm[0] * low), round(self.typical_mm[1] * high))


def _m(name, kind, definition, typical, ansur=None, proxy=None, note=""):
    return MeasurementDef(name, kind, definition, (float(typical[0]), float(typical[1])), ansur, proxy, note,
                          SCAN_NOTES.get(name, ""))


# Scan landmarks that a scan cannot see directly, or that the team's reference implementation
# (clad-body, on the shared Anny test bodies) reads from its model's skeleton, skinning weights or
# template vertices instead of the skin. A scan has none of those, so we find them on the skin.
SCAN_NOTES = {
    "neck_girth": "The Adam's apple is not visible on a scan: perpendicular sections are averaged over the "
                  "middle third of the neck, between the side neck points and its slimmest level. The neck axis "
                  "runs through the centres of the neck's own horizontal sections, not the shoulders'. "
                  "(clad-body cuts once at its neck bone's upper end.)",
    "neck_base_girth": "A tape pulled tight through the cervicale, the side neck points and the front neck point, "
                       "the shortest way over the skin from each to the next. On the Anny bodies it reads 1.17-1.34 "
                       "times the neck girth, where ANSUR II's neck base is 1.09 (men) and 1.13 (women) times its "
                       "neck: to be checked on real scans.",
    "underbust_girth": "Just below the breasts: the chest wall's girth where the breast's fall on the front "
                       "profile meets the wall (read off the sections 4-14 mm below and carried up to it), not the "
                       "section at the fold itself, which grazes the breast's underside (on a large cup 50 mm "
                       "more). A flat chest has no fall: the level is then 0.02 of stature below the bust point "
                       "(a convention: where the profile's corner lay on average on such chests) and the value "
                       "gets a low confidence (0.4); a shallow fall weighs the two. "
                       "(clad-body: the lowest vertex skinned to its breast bones, on the breast's underside.)",
    "waist_girth": "The natural waist lies between the lowest rib and the iliac crest, neither visible on the "
                   "skin: its level is crotch + 0.52 x (armpit - crotch), the ANSUR II mean of that "
                   "proportion, and the girth is horizontal. (clad-body: the perimeter of a 46-vertex "
                   "waist loop of its template mesh, which need not be level.)",
    "shoulder_width": "Acromion: where the top outline of the shoulder turns down into the arm (its slope "
                      "passes midway between the shoulder line's and the arm's). (clad-body: the highest "
                      "vertex within 50 mm sideways of its upper-arm bone's end, which on a shoulder rising "
                      "to the neck is the inner edge of that window, 22-34 mm further in.)",
    "upper_arm_girth": "The fullest section perpendicular to the arm's axis from just under the armpit to the "
                       "elbow; it starts 3 mm below the height where the gap between the arm and the trunk is "
                       "6 mm wide (a point cloud joins the two where they stand closer than its points' "
                       "spacing), and on a hanging arm that highest section is the fullest. (ISO 8559-1 takes "
                       "it midway between the shoulder point and the elbow; clad-body takes the fullest arm "
                       "ring apart from the trunk, as we do.)",
    "arm_length": "From the acromion above, along the arm over the elbow to the wrist. (clad-body: straight "
                  "lines from its acromion to the elbow and wrist joints inside the arm.)",
    "back_neck_to_waist": "From the cervicale (the back midline at the height of the side neck points), "
                          "down the spine to the waist level above. (clad-body starts at the middle of its "
                          "neck bone, carried straight back to the skin, and ends at its waist loop's mean "
                          "height.)",
    "crotch_length": "From the waist level above, centre front at the midline, under the crotch, centre back "
                     "on a 5 cm tape that bridges the gluteal cleft.",
}


CATALOGUE: dict[str, MeasurementDef] = {m.name: m for m in [
    _m("stature", "height", "Vertical distance between the crown of the head and the floor, standing erect, feet together.",
       (1409, 1993), "stature"),
    _m("neck_girth", "girth", "Girth of the neck just below the laryngeal prominence (Adam's apple), perpendicular to the neck axis.",
       (275, 514), "neckcircumference"),
    _m("neck_base_girth", "girth", "Girth of the neck at its base, through the cervicale, the side neck points and the front neck point (jugular notch).",
       (302, 545), "neckcircumferencebase"),
    _m("chest_girth", "girth", "Maximum horizontal girth of the trunk under the armpits, over the shoulder blades and, for women, across the bust prominence (bust girth).",
       (695, 1469), "chestcircumference"),
    _m("underbust_girth", "girth", "Horizontal girth of the trunk just below the breasts, at the inframammary fold.",
       (556, 1322), proxy="chestcircumference x0.80 .. x0.90 (ANSUR has no underbust)"),
    _m("waist_girth", "girth", "Horizontal girth of the natural waist, between the lowest ribs and the iliac crests (the narrowest part of the trunk).",
       (611, 1379), "waistcircumference",
       note="ANSUR II takes its waist at the navel (omphalion), which on most bodies lies a little below the natural waist."),
    _m("hip_girth", "girth", "Horizontal girth of the trunk at the level of the greatest prominence of the buttocks.",
       (737, 1341), "buttockcircumference"),
    _m("upper_arm_girth", "girth", "Girth of the upper arm at its thickest, midway between shoulder and elbow, perpendicular to the arm axis, arm hanging relaxed.",
       (216, 490), "bicepscircumferenceflexed",
       note="ANSUR measures the biceps flexed, which reads larger than the relaxed girth a tailor takes."),
    _m("elbow_girth", "girth", "Girth of the arm over the point of the elbow, arm bent at a right angle.",
       (180, 362), proxy="forearmcircumferenceflexed x0.90 (ANSUR has no elbow girth)"),
    _m("wrist_girth", "girth", "Girth of the wrist over the ulnar styloid, perpendicular to the forearm axis.",
       (124, 216), "wristcircumference"),
    _m("thigh_girth", "girth", "Horizontal girth of the thigh at its highest part, just below the gluteal fold.",
       (412, 870), "thighcircumference"),
    _m("knee_girth", "girth", "Girth of the knee at mid-patella, perpendicular to the leg axis.",
       (261, 540), proxy="lowerthighcircumference x0.90 (ANSUR has no knee girth)"),
    _m("calf_girth", "girth", "Maximum horizontal girth of the calf.",
       (266, 523), "calfcircumference"),
    _m("ankle_girth", "girth", "Minimum girth of the leg just above the ankle bones (malleoli).",
       (156, 293), "anklecircumference"),
    _m("armscye_girth", "girth", "Girth of the armhole: around the arm root through the acromion and the armpit.",
       (281, 637), proxy="bicepscircumferenceflexed x1.30 (ANSUR has no armscye girth)"),
    _m("head_girth", "girth", "Maximum horizontal girth of the head, above the eyebrows and the ears.",
       (500, 635), "headcircumference"),
    _m("shoulder_width", "breadth", "Distance between the left and right acromion points, measured over the back through the cervicale.",
       (283, 489), "biacromialbreadth",
       note="ANSUR's biacromial breadth is a straight caliper reading; the tape over the back reads longer."),
    _m("across_back_width", "breadth", "Horizontal distance across the back between the posterior armpit folds.",
       (270, 562), "interscyei"),
    _m("across_front_width", "breadth", "Horizontal distance across the chest between the anterior armpit folds.",
       (243, 506), proxy="interscyei x0.90 (ANSUR has no across-front width)"),
    _m("shoulder_length", "length", "Distance from the side neck point to the acromion along the shoulder.",
       (107, 185), "shoulderlength"),
    _m("arm_length", "length", "Distance from the acromion over the bent elbow to the wrist (ulnar styloid), along the arm.",
       (410, 709), "sleeveoutseam"),
    _m("back_neck_to_waist", "length", "Distance from the cervicale down the spine to the waist level, along the back.",
       (345, 598), "waistbacklength"),
    _m("front_neck_to_waist", "length", "Distance from the front neck point (jugular notch) to the waist level, along the front.",
       (289, 494), "waistfrontlengthsitting", note="ANSUR takes it sitting."),
    _m("neck_to_bust_point", "length", "Distance from the side neck point to the bust point (nipple), along the body.",
       (180, 400), proxy="textbook range, no ANSUR column: 180 .. 400 mm"),
    _m("bust_point_distance", "breadth", "Horizontal distance between the two bust points.",
       (140, 280), proxy="textbook range, no ANSUR column: 140 .. 280 mm"),
    _m("waist_height", "height", "Vertical distance between the waist level and the floor.",
       (805, 1245), "waistheightomphalion", note="ANSUR's waist height is the navel height."),
    _m("hip_height", "height", "Vertical distance between the hip girth level (buttock prominence) and the floor.",
       (656, 1080), "buttockheight"),
    _m("inside_leg_length", "height", "Vertical distance between the crotch and the floor.",
       (610, 1031), "crotchheight"),
    _m("outside_leg_length", "length", "Distance from the waist level at the side over the hip to the floor.",
       (805, 1245), proxy="waistheightomphalion x1.00 (ANSUR has no outside leg)"),
    _m("crotch_length", "length", "Distance from the centre front waist through the crotch to the centre back waist, along the body.",
       (473, 799), "crotchlengthomphalion", note="ANSUR takes it from navel to the navel level at the back."),
]}

CANONICAL_NAMES = tuple(CATALOGUE)
