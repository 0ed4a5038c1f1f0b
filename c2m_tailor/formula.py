"""Safe arithmetic for formulas in measurement files and pattern files, never Python's eval.

Supported: numbers, names, + - * / ** %, unary +/-, parentheses, and the functions below. Names are
resolved through a callback, so measurement files can refer to each other (`height*0.5`) and
pattern files to measurements and points.
"""

from __future__ import annotations

import ast
import math
import operator
from typing import Callable

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
FUNCTIONS: dict[str, Callable[..., float]] = {
    "sqrt": math.sqrt,
    "min": min,
    "max": max,
    "abs": abs,
    "sin": lambda deg: math.sin(math.radians(deg)),
    "cos": lambda deg: math.cos(math.radians(deg)),
    "tan": lambda deg: math.tan(math.radians(deg)),
    "asin": lambda x: math.degrees(math.asin(x)),
    "acos": lambda x: math.degrees(math.acos(x)),
    "atan": lambda x: math.degrees(math.atan(x)),
    "atan2": lambda y, x: math.degrees(math.atan2(y, x)),
    "hypot": math.hypot,
}
CONSTANTS = {"pi": math.pi}
MAX_LENGTH = 500


class FormulaError(ValueError):
    """A formula that cannot be evaluated; the message says why."""


def names_in(expression: str) -> set[str]:
    """Names a formula refers to (not the function names)."""
    tree = _parse(expression)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called
            and n.id not in CONSTANTS}


def evaluate(expression: str, lookup: Callable[[str], float]) -> float:
    """Evaluate EXPRESSION; LOOKUP(name) gives a name's value or raises KeyError."""
    tree = _parse(expression)
    value = _eval(tree.body, lookup, expression)
    if not math.isfinite(value):
        raise FormulaError(f"formula {expression!r} gives {value}")
    return float(value)


def _parse(expression: str) -> ast.Expression:
    text = str(expression).strip()
    if not text:
        raise FormulaError("empty formula")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula longer than {MAX_LENGTH} characters")
    try:
        return ast.parse(text, mode="eval")
    except SyntaxError:
        raise FormulaError(f"formula {text!r} is not valid arithmetic") from None


def _eval(node: ast.AST, lookup, source: str) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left = _eval(node.left, lookup, source)
        right = _eval(node.right, lookup, source)
        if isinstance(node.op, ast.Pow) and abs(right) > 16:
            raise FormulaError(f"exponent {right} too large in {source!r}")
        try:
            return _BINARY[type(node.op)](left, right)
        except ZeroDivisionError:
            raise FormulaError(f"division by zero in {source!r}") from None
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand, lookup, source))
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        try:
            return float(lookup(node.id))
        except KeyError:
            raise FormulaError(f"unknown name {node.id!r} in {source!r}") from None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS and not node.keywords:
        args = [_eval(a, lookup, source) for a in node.args]
        try:
            return float(FUNCTIONS[node.func.id](*args))
        except (TypeError, ValueError) as exc:
            raise FormulaError(f"{node.func.id}() failed in {source!r}: {exc}") from None
    raise FormulaError(f"{source!r} uses something that is not plain arithmetic")
