"""Turning pure IR expressions into Python closures over a register tuple.

The closures are built once per program from the IR's data, never from source
text: nothing here calls ``eval`` or ``exec``. A failing operation (a division by
zero, a read of an unassigned local) raises ``Fault``, which the machine turns
into an ``error`` outcome at the instruction's line.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from . import ir

Evaluator = Callable[[Any], Any]  # registers -> value


class Fault(Exception):
    """An exception the interpreted program raises, e.g. ``ZeroDivisionError: ...``.

    ``status`` is the outcome status it gives: ``error`` for run-time errors,
    ``assertion`` for a failed ``assert``.
    """

    def __init__(self, message: str, status: str = "error") -> None:
        super().__init__(message)
        self.status = status


class _Unbound:
    """The value of a local before its first assignment."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unbound>"


UNBOUND = _Unbound()
MAX_SHIFT = 256


def _floordiv(a: int, b: int) -> int:
    if b == 0:
        raise Fault("ZeroDivisionError: integer division or modulo by zero")
    return a // b


def _mod(a: int, b: int) -> int:
    if b == 0:
        raise Fault("ZeroDivisionError: integer modulo by zero")
    return a % b


def _lshift(a: int, b: int) -> int:
    if b > MAX_SHIFT:
        raise Fault(f"OverflowError: shift by {b} is larger than the explorer allows ({MAX_SHIFT})")
    return a << b


def _pow(a: int, b: int) -> int:
    if b < 0 or b > MAX_SHIFT:
        raise Fault(f"ValueError: exponent {b} is outside 0..{MAX_SHIFT}")
    return a ** b


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "//": _floordiv, "%": _mod, "**": _pow,
    "<<": _lshift, ">>": operator.rshift, "&": operator.and_, "|": operator.or_, "^": operator.xor,
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
UNARY: dict[str, Callable[[Any], Any]] = {"-": operator.neg, "+": operator.pos, "~": operator.invert,
                                          "not": operator.not_}
BUILTINS: dict[str, Callable[..., Any]] = {"abs": abs, "min": min, "max": max, "int": int, "bool": bool}


def compile_expr(expr: ir.Expr) -> Evaluator:
    """A closure computing ``expr`` from a register tuple."""
    if isinstance(expr, ir.Const):
        value = expr.value
        return lambda regs: value
    if isinstance(expr, ir.Reg):
        index, name = expr.index, expr.name

        def reg(regs: Any) -> Any:
            value = regs[index]
            if value is UNBOUND:
                raise Fault(f"UnboundLocalError: local variable {name!r} referenced before assignment")
            return value

        return reg
    if isinstance(expr, ir.Binary):
        fn, left, right = BINARY[expr.op], compile_expr(expr.left), compile_expr(expr.right)
        return lambda regs: fn(left(regs), right(regs))
    if isinstance(expr, ir.Unary):
        ufn, operand = UNARY[expr.op], compile_expr(expr.operand)
        return lambda regs: ufn(operand(regs))
    if isinstance(expr, ir.Logic):
        left, right = compile_expr(expr.left), compile_expr(expr.right)
        if expr.op == "and":
            return lambda regs: left(regs) and right(regs)
        return lambda regs: left(regs) or right(regs)
    if isinstance(expr, ir.IfExp):
        test, body, orelse = compile_expr(expr.test), compile_expr(expr.body), compile_expr(expr.orelse)
        return lambda regs: body(regs) if test(regs) else orelse(regs)
    if isinstance(expr, ir.Builtin):
        bfn, args = BUILTINS[expr.name], [compile_expr(a) for a in expr.args]
        return lambda regs: bfn(*[a(regs) for a in args])
    if isinstance(expr, ir.MakeTuple):
        items = [compile_expr(i) for i in expr.items]
        return lambda regs: tuple(i(regs) for i in items)
    if isinstance(expr, ir.Item):
        value, index = compile_expr(expr.value), compile_expr(expr.index)
        return lambda regs: _item(value(regs), index(regs))
    if isinstance(expr, ir.Format):
        return _compile_format(expr)
    raise TypeError(f"not an IR expression: {expr!r}")


def _item(value: Any, index: Any) -> Any:
    if not isinstance(value, tuple):
        raise Fault(f"TypeError: {type(value).__name__!r} object is not subscriptable")
    try:
        return value[index]
    except IndexError:
        raise Fault("IndexError: tuple index out of range") from None


def _compile_format(expr: ir.Format) -> Evaluator:
    parts: list[Callable[[Any], str]] = []
    for part in expr.parts:
        if isinstance(part, str):
            parts.append(lambda regs, text=part: text)
            continue
        value_expr, conversion, spec = part
        value = compile_expr(value_expr)
        convert = {"": lambda v: v, "s": str, "r": repr, "a": ascii}[conversion]
        parts.append(lambda regs, value=value, convert=convert, spec=spec: format(convert(value(regs)), spec))
    return lambda regs: "".join(p(regs) for p in parts)
