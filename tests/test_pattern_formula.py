"""The pattern-file formula evaluator: arithmetic works, anything beyond the grammar is refused."""

import math

import pytest

from c2m_tailor.errors import BadInput
from c2m_tailor.formula import compile_formula, evaluate


def test_arithmetic_names_and_functions():
    env = {"chest_girth": 1000.0, "ease_chest": 120.0, "p": [3.0, 4.0]}
    assert evaluate("(chest_girth + ease_chest) / 4", env) == 280.0
    assert evaluate("2 ** 3 - 1", env) == 7.0
    assert evaluate("sqrt(16) + max(1, 2, 3) - min(4, 5)", env) == 3.0
    assert evaluate("hypot(p.x, p.y)", env) == 5.0
    assert evaluate("clamp(50, 10, 30)", env) == 30.0
    assert evaluate("1 if chest_girth > 900 else 2", env) == 1.0
    assert math.isclose(evaluate("degrees(atan2(1, 1))", env), 45.0)
    assert evaluate("[1, p.y]", env) == [1.0, 4.0]


def test_names_read_are_reported():
    _, names = compile_formula("neck_girth / 6 + ease_collar")
    assert names == {"neck_girth", "ease_collar"}


@pytest.mark.parametrize("text", [
    "__import__('os').system('true')",
    "().__class__.__bases__",
    "open('/etc/passwd')",
    "lambda: 1",
    "[x for x in (1, 2)]",
    "chest_girth[0]",
    "exec('1')",
    "a.b",
])
def test_outside_the_grammar_is_refused(text):
    with pytest.raises(BadInput):
        evaluate(text, {"chest_girth": 1.0, "a": 1.0})


def test_unknown_name_and_division_by_zero_are_bad_input():
    with pytest.raises(BadInput, match="unknown name 'waist'"):
        evaluate("waist * 2", {})
    with pytest.raises(BadInput, match="cannot be evaluated"):
        evaluate("1 / (a - a)", {"a": 3.0})


def test_text_only_in_comparisons_and_arguments():
    assert evaluate("1 if collar == 'band' else 0", {"collar": "band"}) == 1.0
    with pytest.raises(BadInput, match="may only be compared"):
        evaluate("'a' * 1000000000", {})
    with pytest.raises(BadInput):
        evaluate("10 ** 10 ** 10", {})
