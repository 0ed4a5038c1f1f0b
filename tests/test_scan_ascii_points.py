"""ASCII point clouds (scan/ascii_points.py), laid out the ways scanners and CloudCompare write them."""

import json

import numpy as np
import pytest

from c2m_tailor.errors import BadInput
from c2m_tailor.scan.ascii_points import read_ascii_points
from helpers import cli_json, tree

POINTS = np.array([[0.123456, -1.5, 1700.25], [2.0, 3.0, 4.0], [-0.5, 0.001, 12.0]])


@pytest.mark.parametrize("text", [
    "0.123456 -1.5 1700.25\n2 3 4\n-0.5 0.001 12\n",
    "0.123456\t-1.5\t1700.25\n2\t3\t4\n-0.5\t0.001\t12",  # (no newline at the end)
    "//X,Y,Z\n0.123456,-1.5,1700.25\n2,3,4\n-0.5,0.001,12\n",  # CloudCompare's comma export
    "X;Y;Z\n0,123456;-1,5;1700,25\n2;3;4\n-0,5;0,001;12\n",  # semicolons and decimal commas
    "3\n0.123456 -1.5 1700.25 17 200 10 10\n2 3 4 18 201 11 11\n-0.5 0.001 12 19 202 12 12\n",  # .pts
    "# scanner v2\r\nX Y Z Nx Ny Nz\r\n0.123456 -1.5 1700.25 0 0 1\r\n2 3 4 0 1 0\r\n"
    "# second view\r\n-0.5 0.001 12 1 0 0\r\n",
])
def test_each_layout_reads_the_same_points(text):
    assert np.array_equal(read_ascii_points(text.encode(), "cloud.xyz"), POINTS)


@pytest.mark.parametrize("text,match", [
    ("x y z\n1 2 3\n4 5 6\n7 8\n9 10 11\n", r"cloud\.xyz, line 4: expected 3 numbers .* found '7 8'"),
    ("1,2,3\n4,5,6\n7,8,nine\n", r"line 3: expected 3 numbers .* found '7,8,nine'"),
    ("1 2 3 4 5 6\n1 2 3\n", r"line 2: expected 6 numbers"),
    ("name,chest,waist\nalex,980,840\n", r"no line of x y z numbers in its first 50 lines"),
])
def test_a_broken_line_is_named(text, match):
    with pytest.raises(BadInput, match=match):
        read_ascii_points(text.encode(), "cloud.xyz")


def test_measure_refuses_a_broken_cloud_with_its_line_and_writes_nothing(tmp_path):
    lines = [f"{0.001 * i},{0.002 * i},{0.003 * i}" for i in range(500)]
    lines[321] = "0.5,0.25"
    path = tmp_path / "scan.xyz"
    path.write_text("\n".join(lines) + "\n")
    result, payload = cli_json("measure", path, "--job", tmp_path / "job")
    assert result.exit_code == 3
    assert "scan.xyz, line 322: expected 3 numbers" in json.dumps(payload)
    assert tree(tmp_path) == ["scan.xyz"]
