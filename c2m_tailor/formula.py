"""Safe formulas, for pattern files and measurement files: an AST walker, never Python's eval.

Pattern files are data a CAD operator edits and measurement files come from customers' tools
(Valentina `height*0.5`), so their formulas must never reach Python's eval. A formula is parsed once
with `ast.parse(mode="eval")`, checked node by node against a small grammar, and compiled into
nested closures (cached by text), which keeps drafting fast. Numbers are floats, so `9**9**9`
overflows at once instead of computing a giant integer.

Grammar: numbers; names (measurements, ease, constants, params, points); `point.x` / `point.y`;
unary and binary + - * / ** %; comparisons and `a if cond else b`; `and`/`or`/`not`; string
literals (only as arguments, e.g. `length('front_left.armhole')`); calls to the functions in
FUNCTIONS or to functions the caller puts in the environment (length, dist, ...).
"""

from __future__ import annotations

import ast
import math
import operator
from typing import Any, Callable

from c2m_tailor.errors import BadInput


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sqrt": math.sqrt, "min": min, "max": max, "abs": abs, "hypot": math.hypot,
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "atan2": math.atan2, "asin": math.asin,
    "acos": math.acos, "radians": math.radians, "degrees": math.degrees, "clamp": _clamp,
    "round": round, "floor": math.floor, "ceil": math.ceil,
}
CONSTANTS = {"pi": math.pi}

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow, ast.Mod: operator.mod}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg, ast.Not: operator.not_}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge}

Compiled = Callable[[dict[str, Any]], Any]
_CACHE: dict[str, tuple[Compiled, frozenset[str]]] = {}


class FormulaError(BadInput):
    """A formula that is not in the grammar or cannot be evaluated."""


def compile_formula(text: str | int | float) -> tuple[Compiled, frozenset[str]]:
    """Compile a formula to a closure env -> value; also return the names it reads."""
    if type(text) is str:  # the common case first: drafting looks up ~700 formulas per body
        cached = _CACHE.get(text)
        if cached is not None:
            return cached
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        return (lambda env: value), frozenset()
    if not isinstance(text, str):
        raise FormulaError(f"formula {text!r} is neither a number nor text")
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula {text!r} is not valid: {exc.msg}") from None
    names: set[str] = set()
    compiled = _compile(tree.body, text, names)
    _CACHE[text] = (compiled, frozenset(names))
    return compiled, frozenset(names)


def evaluate(text: str | int | float, env: dict[str, Any]) -> Any:
    compiled, _ = compile_formula(text)
    return compiled(env)


def names_in(text: str | int | float) -> frozenset[str]:
    """The names (and caller-supplied function names) a formula reads."""
    return compile_formula(text)[1]


def _compile(node: ast.AST, text: str, names: set[str], allow_text: bool = False) -> Compiled:
    """allow_text: a string literal may stand here (a call argument or a comparison operand only)."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise FormulaError(f"formula {text!r}: constant {value!r} is not allowed")
        if isinstance(value, str) and not allow_text:
            raise FormulaError(f"formula {text!r}: text {value!r} may only be compared or passed to a function")
        value = float(value) if isinstance(value, (int, float)) else value
        return lambda env: value
    if isinstance(node, ast.Name):
        name = node.id
        if name in CONSTANTS:
            value = CONSTANTS[name]
            return lambda env: value
        names.add(name)

        def lookup(env: dict[str, Any]) -> Any:
            try:
                return env[name]
            except KeyError:
                raise FormulaError(f"formula {text!r}: unknown name {name!r}") from None
        return lookup
    if isinstance(node, ast.Attribute):
        if node.attr not in ("x", "y"):
            raise FormulaError(f"formula {text!r}: only .x and .y may follow a point name")
        base = _compile(node.value, text, names)
        index = 0 if node.attr == "x" else 1
        return lambda env: base(env)[index]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        op = _BINARY[type(node.op)]
        left, right = _compile(node.left, text, names), _compile(node.right, text, names)

        def binary(env: dict[str, Any]) -> Any:
            try:
                return op(left(env), right(env))
            except (ZeroDivisionError, OverflowError, TypeError) as exc:
                raise FormulaError(f"formula {text!r} cannot be evaluated: {exc}") from None
        return binary
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        op = _UNARY[type(node.op)]
        operand = _compile(node.operand, text, names)
        return lambda env: op(operand(env))
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, text, names) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda env: all(p(env) for p in parts)
        return lambda env: any(p(env) for p in parts)
    if isinstance(node, ast.Compare):
        left = _compile(node.left, text, names, True)
        ops = [(_COMPARE[type(o)], _compile(c, text, names, True)) for o, c in zip(node.ops, node.comparators)
               if type(o) in _COMPARE]
        if len(ops) != len(node.ops):
            raise FormulaError(f"formula {text!r}: comparison not allowed")

        def compare(env: dict[str, Any]) -> bool:
            current = left(env)
            for op, right in ops:
                value = right(env)
                if not op(current, value):
                    return False
                current = value
            return True
        return compare
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_compile(e, text, names) for e in node.elts]
        return lambda env: [item(env) for item in items]
    if isinstance(node, ast.IfExp):
        test, body, orelse = (_compile(n, text, names) for n in (node.test, node.body, node.orelse))
        return lambda env: body(env) if test(env) else orelse(env)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        fname = node.func.id
        args = [_compile(a, text, names, True) for a in node.args]
        if fname in FUNCTIONS:
            func = FUNCTIONS[fname]
        else:
            names.add(fname)
            func = None

        def call(env: dict[str, Any]) -> Any:
            target = func if func is not None else env.get(fname)
            if not callable(target):
                raise FormulaError(f"formula {text!r}: unknown function {fname!r}")
            try:
                return target(*[a(env) for a in args])
            except (ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
                raise FormulaError(f"formula {text!r} cannot be evaluated: {exc}") from None
        return call
    raise FormulaError(f"formula {text!r}: {type(node).__name__} is not allowed in formulas")
