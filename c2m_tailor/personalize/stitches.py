"""Stitch generation: lettering -> a machine stitch sequence (our own digitizing, no third-party digitizer).

What a digitizer would do for small lettering, with its usual defaults:
- outline glyphs, strokes up to 7 mm wide: satin columns along the stroke centre lines (the medial
  axis, see skeleton.py), each over a centre-walk underlay, as long as the columns cover the outline
  (93 %) without spilling over it (8 %);
- outline glyphs otherwise (or on request): tatami fill (rows 0.25 mm apart at 45 degrees, stitches up to 3 mm, penetrations
  staggered by a third row to row so no lines form), over a sparse fill underlay at right angles to
  it, inset 0.35 mm so it never shows at the edge; the rows are split into cells a row crosses only
  once and joined by running-stitch travel inside the glyph;
- single-stroke glyphs: satin columns along the stroke centre lines (0.4 mm spacing on each side,
  square ends), each over a centre-walk underlay; a column's underlay runs out and the satin comes back,
  so a connected glyph is sewn in one go; columns are sewn 0.2 mm wider (pull compensation);
- every separate shape is tied in and tied off and the thread is trimmed before the jump to the next;
  threads change at colour stops; stitches are kept between 0.3 mm and 7 mm (long ones split here,
  never left to a writer: the PES writer does not split).

The plan is kept in the units every stitch file uses (integer 0.1 mm, y down, design centred on the
origin), so what the tests read back from a file is exactly what was planned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from c2m_tailor.errors import BadInput
from c2m_tailor.personalize.lettering import Glyph, Lettering

# Command codes; the same values as pyembroidery's STITCH, JUMP, TRIM, END, COLOR_CHANGE.
STITCH, JUMP, TRIM, END, COLOR_CHANGE = 0, 1, 2, 4, 5
UNITS_PER_MM = 10
DST_MAX_STITCH_MM = 12.1


@dataclass(frozen=True)
class StitchSettings:
    """Digitizing parameters in millimetres (defaults as a digitizer would set them for small lettering)."""

    satin_spacing_mm: float = 0.4
    fill_spacing_mm: float = 0.25
    fill_angle_deg: float = 45.0
    fill_stitch_mm: float = 3.0
    underlay_spacing_mm: float = 1.2
    underlay_inset_mm: float = 0.35
    underlay_stitch_mm: float = 2.5
    running_stitch_mm: float = 2.0
    min_stitch_mm: float = 0.3
    max_stitch_mm: float = 7.0
    tie_stitch_mm: float = 0.7
    pull_compensation_mm: float = 0.2  # satin columns sewn this much wider than drawn
    outline_stitch: str = "auto"  # outline glyphs: "auto" (satin where strokes allow, else tatami) | "satin" | "tatami"
    max_satin_width_mm: float = 7.0

    def __post_init__(self):
        if not (0.3 <= self.min_stitch_mm < self.max_stitch_mm <= DST_MAX_STITCH_MM):
            raise BadInput("stitch lengths must satisfy 0.3 mm <= min < max <= 12.1 mm")
        if self.outline_stitch not in ("auto", "satin", "tatami"):
            raise BadInput(f"outline stitch {self.outline_stitch!r} is not one of auto, satin, tatami")
        if not (0.0 <= self.pull_compensation_mm <= 1.0):
            raise BadInput("pull compensation must be between 0 and 1 mm")
        if self.satin_spacing_mm <= 0.1 or self.fill_spacing_mm <= 0.1:
            raise BadInput("satin and fill spacing must be above 0.1 mm")


@dataclass(frozen=True)
class Thread:
    name: str
    rgb: tuple[int, int, int]

    @property
    def hex(self) -> str:
        return "#%02x%02x%02x" % self.rgb


@dataclass
class StitchPlan:
    """A stitch sequence ready to write: `commands` rows are (x, y, command) in 0.1 mm, y down, centred.

    `center_mm` is the lettering-frame point at the design origin, so a file point (X, Y) is the
    lettering point (X / 10 + cx, -Y / 10 + cy).
    """

    text: str
    commands: np.ndarray  # (N, 3) int64
    threads: list[Thread]
    center_mm: tuple[float, float]
    settings: StitchSettings
    blocks: int  # separately tied shapes (each ends in a trim)
    meta: dict = field(default_factory=dict)

    @property
    def stitch_count(self) -> int:
        return int(np.count_nonzero(self.commands[:, 2] == STITCH))

    @property
    def trim_count(self) -> int:
        return int(np.count_nonzero(self.commands[:, 2] == TRIM))

    @property
    def color_change_count(self) -> int:
        return int(np.count_nonzero(self.commands[:, 2] == COLOR_CHANGE))

    def stitch_points_mm(self) -> np.ndarray:
        """Needle penetrations in the lettering frame (mm, y up)."""
        pts = self.commands[self.commands[:, 2] == STITCH, :2].astype(float) / UNITS_PER_MM
        return np.column_stack([pts[:, 0] + self.center_mm[0], -pts[:, 1] + self.center_mm[1]])

    def extents_mm(self) -> tuple[float, float]:
        pts = self.commands[self.commands[:, 2] == STITCH, :2]
        span = (pts.max(axis=0) - pts.min(axis=0)) / UNITS_PER_MM
        return float(span[0]), float(span[1])

    def stitch_lengths_mm(self) -> np.ndarray:
        """Lengths of needle moves from one penetration to the next within a thread run."""
        lengths = []
        previous = None
        for x, y, command in self.commands:
            if command == STITCH:
                if previous is not None:
                    lengths.append(math.hypot(x - previous[0], y - previous[1]) / UNITS_PER_MM)
                previous = (x, y)
            elif command in (TRIM, COLOR_CHANGE, END):
                previous = None
            elif command == JUMP:
                previous = (x, y)
        return np.asarray(lengths)


# --- geometry helpers -----------------------------------------------------------------------------

def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.hypot(v[0], v[1]))
    return v / n if n > 1e-12 else np.zeros(2)


def _corner_breaks(points: np.ndarray, corner_deg: float) -> list[int]:
    """Indices that split a polyline: both ends and every vertex turning more than corner_deg."""
    breaks = [0]
    for i in range(1, len(points) - 1):
        a, b = _unit(points[i] - points[i - 1]), _unit(points[i + 1] - points[i])
        if math.degrees(math.acos(float(np.clip(np.dot(a, b), -1, 1)))) > corner_deg:
            breaks.append(i)
    breaks.append(len(points) - 1)
    return breaks


def resample(line: np.ndarray, step: float, corner_deg: float = 30.0) -> np.ndarray:
    """Running stitch along a polyline: points about `step` apart, keeping corners sharper than corner_deg."""
    line = np.asarray(line, dtype=float)
    if len(line) < 2:
        return line.copy()
    keep = _corner_breaks(line, corner_deg)
    out = [line[0]]
    for start, end in zip(keep[:-1], keep[1:]):
        part = line[start:end + 1]
        seg = np.linalg.norm(np.diff(part, axis=0), axis=1)
        total = float(seg.sum())
        if total < 1e-9:
            continue
        count = max(1, math.ceil(total / step))
        targets = np.linspace(0.0, total, count + 1)[1:]
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        xs = np.interp(targets, cum, part[:, 0])
        ys = np.interp(targets, cum, part[:, 1])
        out.extend(np.column_stack([xs, ys]))
    return np.asarray(out)


def _rotate(points: np.ndarray, angle_deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    return points @ np.array([[c, s], [-s, c]])


# --- tatami fill ----------------------------------------------------------------------------------

@dataclass
class _Cell:
    rows: list[tuple[int, float, float, float]]  # (row index, y, x0, x1) in the rotated frame


def _row_segments(polygon, angle_deg: float, spacing: float, min_len: float) -> list[tuple[int, float, list]]:
    """Horizontal rows (in a frame turned by -angle) through the polygon: [(row index, y, [(x0, x1), ...])]."""
    import shapely
    from shapely import affinity

    turned = affinity.rotate(polygon, -angle_deg, origin=(0, 0), use_radians=False)
    minx, miny, maxx, maxy = turned.bounds
    first, last = math.floor(miny / spacing), math.ceil(maxy / spacing)
    indices = np.arange(first, last + 1)
    ys = (indices + 0.5) * spacing
    lines = shapely.linestrings([[[minx - 1, y], [maxx + 1, y]] for y in ys])
    hits = shapely.intersection(lines, turned)
    rows = []
    for index, y, hit in zip(indices, ys, hits):
        segments = []
        for part in getattr(hit, "geoms", [hit]):
            if part.geom_type != "LineString" or part.is_empty:
                continue
            xs = np.asarray(part.coords)[:, 0]
            if xs.max() - xs.min() >= min_len:
                segments.append((float(xs.min()), float(xs.max())))
        if segments:
            rows.append((int(index), float(y), sorted(segments)))
    return rows


def _cells(rows) -> list[_Cell]:
    """Split rows into cells in which every row crosses the shape once (boustrophedon decomposition)."""
    cells: list[_Cell] = []
    open_cells: list[_Cell] = []
    for index, y, segments in rows:
        links_of_segment = {k: [] for k in range(len(segments))}
        links_of_cell = {id(c): [] for c in open_cells}
        for cell in open_cells:
            last_index, _, a0, a1 = cell.rows[-1]
            if last_index != index - 1:
                continue
            for k, (b0, b1) in enumerate(segments):
                if min(a1, b1) - max(a0, b0) > 0.0:
                    links_of_segment[k].append(cell)
                    links_of_cell[id(cell)].append(k)
        next_open = []
        for k, (b0, b1) in enumerate(segments):
            linked = links_of_segment[k]
            if len(linked) == 1 and len(links_of_cell[id(linked[0])]) == 1:
                linked[0].rows.append((index, y, b0, b1))
                next_open.append(linked[0])
            else:
                cell = _Cell([(index, y, b0, b1)])
                cells.append(cell)
                next_open.append(cell)
        open_cells = next_open
    return cells


def _cell_path(cell: _Cell, from_top: bool, from_right: bool, stitch_len: float, min_len: float) -> np.ndarray:
    """Back-and-forth rows of one cell in the rotated frame, penetrations staggered row to row."""
    rows = cell.rows[::-1] if from_top else cell.rows
    points = []
    rightward = not from_right
    for index, y, x0, x1 in rows:
        phase = (index % 3) / 3.0
        grid = (np.arange(math.floor(x0 / stitch_len) - 1, math.ceil(x1 / stitch_len) + 2) + phase) * stitch_len
        inner = grid[(grid > x0 + min_len) & (grid < x1 - min_len)]
        xs = np.concatenate([[x0], inner, [x1]])
        if not rightward:
            xs = xs[::-1]
        points.extend((x, y) for x in xs)
        rightward = not rightward
    return np.asarray(points)


class _Router:
    """Running-stitch travel inside a shape: straight when the straight line stays inside, else along
    the outline ring both ends lie on (the shorter way round)."""

    def __init__(self, shape):
        from shapely.prepared import prep

        self.shape = shape
        self.inside = prep(shape.buffer(0.02))
        self.rings = []
        for polygon in getattr(shape, "geoms", [shape]):
            for ring in [polygon.exterior, *polygon.interiors]:
                from shapely.geometry import LineString

                self.rings.append(LineString(ring.coords))

    def path(self, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
        """The shortest of the routes (None when the thread must be trimmed)."""
        routes = self.routes(a, b)
        return min(routes, key=_path_length) if routes else None

    def routes(self, a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
        """Ways from a to b inside the shape: straight, and along the nearest outline ring."""
        from shapely.geometry import LineString, Point

        if _close(a, b):
            return [np.array([a])]
        found = []
        if self.inside.contains(LineString([a, b])):
            found.append(np.array([a, b]))
        pa, pb = Point(a), Point(b)
        ring = min(self.rings, key=lambda r: r.distance(pa) + r.distance(pb), default=None)
        if ring is None:
            return found
        a2 = np.asarray(ring.interpolate(ring.project(pa)).coords[0])
        b2 = np.asarray(ring.interpolate(ring.project(pb)).coords[0])
        if not (_close(a, a2) or self.inside.contains(LineString([a, a2]))):
            return found
        if not (_close(b, b2) or self.inside.contains(LineString([b2, b]))):
            return found
        arc = _ring_arc(ring, ring.project(pa), ring.project(pb))
        found.append(np.vstack([[a], arc, [b]]))
        return found


def _close(a: np.ndarray, b: np.ndarray, tolerance: float = 1e-6) -> bool:
    return abs(float(a[0]) - float(b[0])) <= tolerance and abs(float(a[1]) - float(b[1])) <= tolerance


def _path_length(path: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(path, axis=0), axis=1).sum()) if len(path) > 1 else 0.0


def _ring_arc(ring, da: float, db: float) -> np.ndarray:
    """The shorter way along a closed ring from distance da to distance db."""
    from shapely.ops import substring

    total = ring.length

    def forward(s0, s1):
        if s1 >= s0:
            return np.asarray(substring(ring, s0, s1).coords)
        return np.vstack([np.asarray(substring(ring, s0, total).coords), np.asarray(substring(ring, 0, s1).coords)])

    ahead = (db - da) % total
    if ahead <= total - ahead:
        return forward(da, db)
    return forward(db, da)[::-1]


def tatami(shape, router: _Router, start: np.ndarray, *, angle_deg: float, spacing: float, stitch_len: float,
           travel_len: float, min_len: float) -> list[np.ndarray]:
    """Fill a shape with tatami rows; returns runs of needle points (a new run wherever travel inside the
    shape is impossible and the thread must be trimmed)."""
    rows = _row_segments(shape, angle_deg, spacing, min_len)
    cells = _cells(rows)
    paths = []
    for cell in cells:
        options = [_rotate(_cell_path(cell, top, right, stitch_len, min_len), angle_deg)
                   for top in (False, True) for right in (False, True)]
        paths.append(options)
    # where a sewn cell's rows would show travel on top (its edge band excluded: travel there hardly shows)
    inner = [_cell_outline(cell, angle_deg).buffer(-0.3) for cell in cells]
    runs: list[list[np.ndarray]] = [[]]
    position = np.asarray(start, dtype=float)
    remaining = list(range(len(paths)))
    covered: list = []
    while remaining:
        # nearest starts first; among the closest few, prefer travel that later fill will cover
        near = sorted((float(np.hypot(*(paths[i][k][0] - position))), i, k) for i in remaining for k in range(4))[:6]
        best = None
        for distance, i, k in near:
            target = paths[i][k][0]
            options = router.routes(position, target) if runs[-1] else [None]
            for route in options or [None]:
                if route is None:
                    cost = distance + (50.0 if runs[-1] else 0.0)  # a trim costs more than any travel
                else:
                    cost = _path_length(route)
                    if covered and len(route) > 1:
                        cost += 4.0 * _travel_over(route, covered)
                if best is None or cost < best[0] - 1e-9:
                    best = (cost, i, k, route)
        _, i, k, route = best
        chosen = paths[i][k]
        if runs[-1] and route is None:
            runs.append([])
        if route is not None and len(route) > 1:
            runs[-1].append(resample(route, travel_len)[1:-1])
        runs[-1].append(chosen)
        position = chosen[-1]
        remaining.remove(i)
        if not inner[i].is_empty:
            covered.append(inner[i])
    return [np.vstack(run) for run in runs if run]


def _cell_outline(cell: _Cell, angle_deg: float):
    """The area a cell covers (its row ends joined), in the unrotated frame."""
    from shapely.geometry import LineString, Polygon

    left = [(x0, y) for _, y, x0, _ in cell.rows]
    right = [(x1, y) for _, y, _, x1 in cell.rows][::-1]
    ring = _rotate(np.asarray(left + right), angle_deg)
    if len(ring) < 3:
        return LineString(ring).buffer(0.05)
    return Polygon(ring).buffer(0.05)


def _travel_over(route: np.ndarray, covered: list) -> float:
    """Length of a travel path lying on top of stitches already sewn (cells do not overlap)."""
    from shapely.geometry import LineString

    line = LineString(route)
    lx0, ly0, lx1, ly1 = line.bounds
    total = 0.0
    for polygon in covered:
        px0, py0, px1, py1 = polygon.bounds
        if px0 <= lx1 and lx0 <= px1 and py0 <= ly1 and ly0 <= py1:
            total += line.intersection(polygon).length
    return float(total)


# --- satin ----------------------------------------------------------------------------------------

def _stroke_edges(strokes: list[np.ndarray], corner_deg: float = 50.0) -> list[np.ndarray]:
    """Centre lines noded where strokes meet or cross, merged through plain joints, split at sharp corners."""
    from shapely import line_merge, union_all
    from shapely.geometry import LineString

    lines = [LineString(s) for s in strokes if len(s) >= 2 and LineString(s).length > 1e-6]
    if not lines:
        return []
    merged = line_merge(union_all(lines))
    edges = []
    for part in getattr(merged, "geoms", [merged]):
        pts = np.asarray(part.coords)
        cut = _corner_breaks(pts, corner_deg)
        for s, e in zip(cut[:-1], cut[1:]):
            edges.append(pts[s:e + 1])
    return edges


@dataclass
class Column:
    """A satin column: centre line, half width at each point, and how far to run on past each end."""

    points: np.ndarray
    half_widths: np.ndarray
    extend_start: float = 0.0
    extend_end: float = 0.0

    def reversed(self) -> "Column":
        return Column(self.points[::-1], self.half_widths[::-1], self.extend_end, self.extend_start)

    def extended(self) -> tuple[np.ndarray, np.ndarray]:
        """Centre line and half widths with the end extensions applied (duplicate points removed)."""
        pts = np.asarray(self.points, dtype=float)
        hw = np.asarray(self.half_widths, dtype=float)
        keep = np.concatenate([[True], np.linalg.norm(np.diff(pts, axis=0), axis=1) > 1e-9])
        pts, hw = pts[keep].copy(), hw[keep]
        if len(pts) >= 2:
            pts[0] = pts[0] - _unit(pts[1] - pts[0]) * self.extend_start
            pts[-1] = pts[-1] + _unit(pts[-1] - pts[-2]) * self.extend_end
        return pts, hw

    def rails(self, widen: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Left and right rails (mitred offsets, mitre limited to 2), each moved out by `widen`."""
        line, hw = self.extended()
        hw = hw + widen
        seg_dirs = np.array([_unit(b - a) for a, b in zip(line[:-1], line[1:])])
        normals = np.column_stack([-seg_dirs[:, 1], seg_dirs[:, 0]])
        vertex_normals = np.empty_like(line)
        vertex_normals[0], vertex_normals[-1] = normals[0], normals[-1]
        for i in range(1, len(line) - 1):
            n = _unit(normals[i - 1] + normals[i])
            cos_half = max(float(np.dot(n, normals[i])), 0.5)
            vertex_normals[i] = n / cos_half
        return line + vertex_normals * hw[:, None], line - vertex_normals * hw[:, None]

    def outline(self):
        """The area the column covers (for checking a satin against its glyph)."""
        from shapely.geometry import Polygon

        left, right = self.rails()
        return Polygon(np.vstack([left, right[::-1]])).buffer(0)


def satin_column(column: Column, spacing: float, pull_compensation: float = 0.0) -> np.ndarray:
    """Zigzag between the rails of a column, `spacing` apart on each rail; the column is sewn wider by
    `pull_compensation` because the thread pulls the fabric in across the stitches."""
    line, _ = column.extended()
    if len(line) < 2:
        return np.empty((0, 2))
    left, right = column.rails(pull_compensation / 2.0)
    seg = np.linalg.norm(np.diff(line, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    total = float(cum[-1])
    count = max(2, math.ceil(total / (spacing / 2.0)) + 1)
    s = np.linspace(0.0, total, count)
    index = np.clip(np.searchsorted(cum, s, side="right") - 1, 0, len(seg) - 1)
    frac = ((s - cum[index]) / np.where(seg[index] > 0, seg[index], 1.0))[:, None]
    lp = left[index] + (left[index + 1] - left[index]) * frac
    rp = right[index] + (right[index + 1] - right[index]) * frac
    return np.where((np.arange(count) % 2 == 0)[:, None], lp, rp)


def stroke_columns(strokes: list[np.ndarray], width: float) -> list[Column]:
    """Satin columns of constant width along single-stroke centre lines, square ends."""
    return [Column(e, np.full(len(e), width / 2.0), width / 2.0, width / 2.0) for e in _stroke_edges(strokes)]


def satin_tour(columns: list[Column], start: np.ndarray, spacing: float, underlay_len: float,
               pull_compensation: float = 0.0) -> list[np.ndarray]:
    """Sew connected columns in one run each group: depth first from a joint, a centre-walk underlay out
    along each column and its satin back, so every underlay lies under its satin and no thread is cut."""
    if not columns:
        return []

    def key(p):
        return (round(float(p[0]), 5), round(float(p[1]), 5))

    incident: dict[tuple, list[int]] = {}
    for i, c in enumerate(columns):
        incident.setdefault(key(c.points[0]), []).append(i)
        incident.setdefault(key(c.points[-1]), []).append(i)
    used = [False] * len(columns)
    runs = []
    position = np.asarray(start, dtype=float)

    def walk(node: tuple, out: list):
        node_point = np.array(node)

        def heading(i):
            c = columns[i]
            far = c.points[-1] if key(c.points[0]) == node else c.points[0]
            return math.atan2(float(far[1] - node_point[1]), float(far[0] - node_point[0]))

        for i in sorted(incident[node], key=heading):
            if used[i]:
                continue
            used[i] = True
            column = columns[i] if key(columns[i].points[0]) == node else columns[i].reversed()
            out.append(resample(column.points, underlay_len)[1:])
            walk(key(column.points[-1]), out)
            out.append(satin_column(column.reversed(), spacing, pull_compensation))

    while not all(used):
        free = [n for n, ids in incident.items() if any(not used[i] for i in ids)]
        # start a group at its end nearest the needle (prefer stroke ends, where nothing else passes)
        node = min(free, key=lambda n: (len(incident[n]) != 1, math.hypot(n[0] - position[0], n[1] - position[1])))
        out = [np.array([node])]
        walk(node, out)
        run = np.vstack([p for p in out if len(p)])
        runs.append(run)
        position = run[-1]
    return runs


def _groups(columns: list[Column]) -> int:
    """How many connected groups the columns form (joined where their ends meet)."""
    parent: dict[tuple, tuple] = {}

    def find(k):
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    def key(p):
        return (round(float(p[0]), 5), round(float(p[1]), 5))

    for column in columns:
        a, b = find(key(column.points[0])), find(key(column.points[-1]))
        parent[a] = b
    return len({find(k) for k in list(parent)})


def satin_glyph(strokes: list[np.ndarray], start: np.ndarray, width: float, spacing: float,
                underlay_len: float, pull_compensation: float = 0.0) -> list[np.ndarray]:
    """Satin lettering from a single-stroke glyph."""
    return satin_tour(stroke_columns(strokes, width), start, spacing, underlay_len, pull_compensation)


def outline_columns(shape, *, max_width: float, min_width: float = 0.6, min_cover: float = 0.93,
                    max_spill: float = 0.08) -> list[Column] | None:
    """Satin columns along the centre lines of an outline glyph's strokes, or None where satin does not
    suit the shape (a stroke wider than max_width, or columns that miss or spill over the outline)."""
    from shapely import union_all

    from c2m_tailor.personalize.skeleton import medial_axis

    chains = medial_axis(shape)
    if not chains:
        return None
    if max(float(c.radius.max()) for c in chains) * 2.0 > max_width:
        return None
    columns = []
    for chain in chains:
        if len(chain.points) < 2:
            continue
        hw = np.maximum(chain.radius, min_width / 2.0)
        columns.append(Column(chain.points, hw, float(hw[0]) if chain.start_is_end else 0.0,
                              float(hw[-1]) if chain.end_is_end else 0.0))
    if not columns or _groups(columns) != len(getattr(shape, "geoms", [shape])):
        return None  # a centre line broken at a hairline would cost a trim: fill instead
    covered = union_all([c.outline() for c in columns])
    area = shape.area
    if shape.intersection(covered).area < min_cover * area or covered.difference(shape).area > max_spill * area:
        return None
    return columns


# --- assembling -----------------------------------------------------------------------------------

def parse_colors(colors, count: int) -> list[Thread]:
    """Threads from colour names or #rrggbb: one for all letters, or one per letter (colour stops)."""
    from PIL import ImageColor

    names = [c.strip() for c in (colors or ["navy"]) if c and c.strip()] or ["navy"]
    threads = []
    for name in names:
        try:
            rgb = ImageColor.getrgb(name)[:3]
        except ValueError:
            raise BadInput(f"colour {name!r} is neither a colour name nor #rrggbb") from None
        threads.append(Thread(name, tuple(int(v) for v in rgb)))
    if len(threads) not in (1, count):
        raise BadInput(f"give one colour or one per letter ({count}), not {len(threads)}")
    return threads


def _shape_components(glyph: Glyph):
    return sorted(getattr(glyph.shape, "geoms", [glyph.shape]), key=lambda p: (p.bounds[0], p.bounds[1]))


def fill_component(component, position: np.ndarray, s: StitchSettings) -> tuple[list[np.ndarray], np.ndarray]:
    """Tatami for one connected shape: a sparse underlay across the fill direction (inset from the edge),
    then the fill; travel inside the shape between cells. Returns the runs (trim after each) and the
    needle position at the end."""
    router = _Router(component)
    runs: list[np.ndarray] = []
    current: list[np.ndarray] = []
    inset = component.buffer(-s.underlay_inset_mm, join_style="mitre")
    layers = [(part, s.fill_angle_deg + 90.0, s.underlay_spacing_mm, s.underlay_stitch_mm)
              for part in sorted(getattr(inset, "geoms", [inset]), key=lambda p: (p.bounds[0], p.bounds[1]))
              if not part.is_empty and part.area >= 0.05]
    layers.append((component, s.fill_angle_deg, s.fill_spacing_mm, s.fill_stitch_mm))
    for shape, angle, spacing, stitch_len in layers:
        for run in tatami(shape, router, position, angle_deg=angle, spacing=spacing, stitch_len=stitch_len,
                          travel_len=s.running_stitch_mm, min_len=s.min_stitch_mm):
            if current:
                route = router.path(position, run[0])
                if route is None:
                    runs.append(np.vstack(current))
                    current = []
                elif len(route) > 2:
                    current.append(resample(route, s.running_stitch_mm)[1:-1])
            current.append(run)
            position = run[-1]
    if current:
        runs.append(np.vstack([r for r in current if len(r)]))
    return runs, position


def stitch(lettering: Lettering, *, colors: list[str] | None = None,
           settings: StitchSettings | None = None) -> StitchPlan:
    """The stitch plan for embroidering the lettering (in its own frame, centred for the hoop)."""
    settings = settings or StitchSettings()
    if lettering.method != "embroidery":
        raise BadInput("lettering planned for pen marking has no stitches: plan it with method 'embroidery'")
    glyphs = lettering.glyphs
    threads = parse_colors(colors, len(glyphs))
    order = sorted(range(len(glyphs)), key=lambda g: (threads.index(threads[g % len(threads)]) if len(threads) > 1 else 0, g))
    color_of = [threads[g % len(threads)] if len(threads) > 1 else threads[0] for g in range(len(glyphs))]
    used_threads: list[Thread] = []
    blocks: list[tuple[Thread, np.ndarray]] = []
    position = np.array(lettering.bounds()[:2])
    s = settings
    kinds: set[str] = set()
    # satin columns for outline glyphs; in "auto" one glyph that does not suit satin makes the whole
    # lettering tatami, so a monogram never mixes the two looks
    satin_columns: dict[tuple[int, int], list[Column]] = {}
    if s.outline_stitch != "tatami":
        for g, glyph in enumerate(glyphs):
            if glyph.shape is None:
                continue
            for c, component in enumerate(_shape_components(glyph)):
                columns = outline_columns(component, max_width=min(s.max_satin_width_mm, s.max_stitch_mm))
                if columns is None:
                    if s.outline_stitch == "satin":
                        raise BadInput(f"the strokes of {glyph.char!r} in {lettering.font_name} at "
                                       f"{lettering.height_mm:g} mm do not suit satin: use tatami")
                    satin_columns = {}
                    break
                satin_columns[(g, c)] = columns
            else:
                continue
            break
    for g in order:
        glyph = glyphs[g]
        if glyph.shape is not None:
            for c, component in enumerate(_shape_components(glyph)):
                columns = satin_columns.get((g, c))
                if columns is not None:
                    for run in satin_tour(columns, position, s.satin_spacing_mm, s.running_stitch_mm,
                                          s.pull_compensation_mm):
                        blocks.append((color_of[g], run))
                        position = run[-1]
                        kinds.add("satin")
                    continue
                kinds.add("tatami")
                runs, position = fill_component(component, position, s)
                blocks.extend((color_of[g], run) for run in runs)
        else:
            for run in satin_glyph(glyph.strokes, position, lettering.stroke_width_mm, s.satin_spacing_mm,
                                   s.running_stitch_mm, s.pull_compensation_mm):
                blocks.append((color_of[g], run))
                position = run[-1]
                kinds.add("satin")
        if color_of[g] not in used_threads:
            used_threads.append(color_of[g])
    return _assemble(lettering, blocks, used_threads, settings, "+".join(sorted(kinds)))


def _tie(points: np.ndarray, length: float, at_start: bool) -> np.ndarray:
    """Lock stitches: short back-and-forth stitches along the path at its start (tie-in) or end (tie-off)."""
    if at_start:
        anchor, toward = points[0], next((p for p in points[1:] if np.hypot(*(p - points[0])) > 1e-6), None)
    else:
        anchor, toward = points[-1], next((p for p in points[-2::-1] if np.hypot(*(p - points[-1])) > 1e-6), None)
    if toward is None:
        return np.array([anchor])
    step = _unit(toward - anchor) * length
    return np.array([anchor + step, anchor, anchor + step, anchor])


def _assemble(lettering: Lettering, blocks: list[tuple[Thread, np.ndarray]], threads: list[Thread],
              settings: StitchSettings, kind: str) -> StitchPlan:
    xmin, ymin, xmax, ymax = lettering.bounds()
    center = (0.5 * (xmin + xmax), 0.5 * (ymin + ymax))
    min_units = settings.min_stitch_mm * UNITS_PER_MM
    max_units = settings.max_stitch_mm * UNITS_PER_MM
    rows: list[tuple[int, int, int]] = []
    current_thread = None
    block_count = 0
    for thread, points in blocks:
        if len(points) < 2:
            continue
        if current_thread is not None and thread != current_thread:
            rows.append((rows[-1][0], rows[-1][1], COLOR_CHANGE))
        current_thread = thread
        path = np.vstack([_tie(points, settings.tie_stitch_mm, True)[:-1], points,
                          _tie(points, settings.tie_stitch_mm, False)[1:]])
        units = np.column_stack([np.rint((path[:, 0] - center[0]) * UNITS_PER_MM),
                                 np.rint(-(path[:, 1] - center[1]) * UNITS_PER_MM)]).astype(np.int64)
        kept = _clean(units, min_units, max_units)
        if len(kept) < 2:
            continue
        rows.append((int(kept[0][0]), int(kept[0][1]), JUMP))
        rows.extend((int(x), int(y), STITCH) for x, y in kept[1:])  # the jump ends at the first point
        rows.append((int(kept[-1][0]), int(kept[-1][1]), TRIM))
        block_count += 1
    if not rows:
        raise BadInput(f"{lettering.text!r} at {lettering.height_mm:g} mm gives no stitches: it is too small to sew")
    rows.append((rows[-1][0], rows[-1][1], END))
    return StitchPlan(lettering.text, np.asarray(rows, dtype=np.int64), threads, center, settings, block_count,
                      {"font": lettering.font_name, "height_mm": lettering.height_mm,
                       "kind": kind})


def _clean(units: np.ndarray, min_units: float, max_units: float) -> np.ndarray:
    """Drop penetrations closer than the minimum to the previous one, split moves above the maximum."""
    kept = [units[0]]
    for point in units[1:]:
        if math.hypot(*(point - kept[-1])) >= min_units:
            kept.append(point)
    out = [kept[0]]
    for point in kept[1:]:
        previous = out[-1]
        distance = math.hypot(*(point - previous))
        if distance > max_units:
            parts = math.ceil(distance / (max_units - 1.0))
            for k in range(1, parts):
                out.append(np.rint(previous + (point - previous) * k / parts).astype(np.int64))
        out.append(point)
    return np.asarray(out, dtype=np.int64)
