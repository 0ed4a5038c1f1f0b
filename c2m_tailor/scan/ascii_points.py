"""ASCII point clouds (.xyz, .pts, .asc): one point a line, as scanners and CloudCompare write them.

x y z come first on each line; what follows (normals, colour, intensity) is ignored. Values are
apart by spaces, tabs, commas or semicolons; with semicolons, commas are decimal commas. Lines
before the first point (a column header such as CloudCompare's "//X,Y,Z", a .pts point count) and
comment lines (#) are skipped. trimesh reads only whitespace-separated .xyz, and no header: a comma-separated export
was refused as "not enough columns".
"""

from __future__ import annotations

import io

import numpy as np

from c2m_tailor.errors import BadInput

ASCII_CLOUD_SUFFIXES = (".xyz", ".pts", ".asc")
HEADER_LINES_MAX = 50  # lines searched for the first point
_SEPARATORS = bytes.maketrans(b",;\t", b"   ")
_DECIMAL_COMMAS = bytes.maketrans(b",;\t", b".  ")
_COMMENT = "#"  # (one comment string keeps numpy's parser in C: with two, 250k lines took 0.46 s, not 0.34)


def read_ascii_points(data: bytes, name: str) -> np.ndarray:
    """The points (N, 3) of the ASCII cloud DATA (the bytes of the file NAME); BadInput naming
    the first line that is not a point like the ones before it."""
    lines = data.split(b"\n", HEADER_LINES_MAX)
    for first, line in enumerate(lines[:HEADER_LINES_MAX]):
        stripped = line.strip()
        table = _DECIMAL_COMMAS if b";" in stripped and b"," in stripped else _SEPARATORS
        values = _numbers(stripped, table)
        if values is not None and len(values) >= 3:
            break
    else:
        raise BadInput(f"scan file {name} has no line of x y z numbers in its first {HEADER_LINES_MAX} lines")
    columns = len(values)
    points_text = data.split(b"\n", first)[-1] if first else data
    try:
        # (numpy's C parser: a million lines in about a second)
        points = np.loadtxt(io.BytesIO(points_text.translate(table)), dtype=np.float64, comments=_COMMENT,
                            ndmin=2)
    except ValueError:
        raise BadInput(_first_bad_line(points_text, table, columns, first, name)) from None
    if points.shape[1] != columns:
        raise BadInput(_first_bad_line(points_text, table, columns, first, name))
    return np.ascontiguousarray(points[:, :3])


def _numbers(line: bytes, table: bytes) -> list[float] | None:
    """The values of one LINE (None if one is not a number)."""
    try:
        return [float(token) for token in line.translate(table).split()]
    except ValueError:
        return None


def _first_bad_line(points_text: bytes, table: bytes, columns: int, first: int, name: str) -> str:
    """What is wrong, and on which line of the file (the points begin on line FIRST + 1)."""
    for number, line in enumerate(points_text.split(b"\n"), start=first + 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(_COMMENT.encode()):
            continue
        values = _numbers(stripped, table)
        if values is None or len(values) != columns:
            shown = stripped[:60].decode("utf-8", "replace")
            return f"scan file {name}, line {number}: expected {columns} numbers as on the lines before, found {shown!r}"
    return f"scan file {name} cannot be read as lines of x y z numbers"
