"""Turning pure IR expressions into Python closures over a register tuple.

The closures are built once per program from the IR's data, never from source
text: nothing here calls ``eval`` or ``exec``. Every operation on the program's
values is the operation CPython performs, so whatever CPython would raise
(``TypeError``, ``ValueError``, ``OverflowError``, ``ZeroDivisionError``,
``IndexError``, ...) is raised here too, with CPython's own message, and
becomes a ``Fault``: an ``error`` outcome at the instruction's line, never a
crash of the tool. A value that would be too big to hold (``2 ** 10**9``, a
format width of a billion) is not computed: ``BoundExceeded`` makes the search
partial instead.
"""

from __future__ import annotations

import operator
import re
from typing import Any, Callable

from . import ir
from .bounds import BoundExceeded

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
#: The largest value the explorer computes: ints of this many bits, strings and tuples of this
#: many items. Beyond it a step gives up (the search becomes partial) instead of filling memory.
MAX_BITS = 1_000_000
MAX_ITEMS = 1_000_000
TOO_BIG = "value size"  # the bound such a step reports
#: Python exceptions an operation on the program's values can raise, as CPython would.
PROGRAM_ERRORS = (ArithmeticError, TypeError, ValueError, LookupError, RuntimeError, AttributeError)


def printable(text: str) -> str:
    """``text`` with what no terminal or JSON can carry (lone surrogates) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def cpython_error(error: BaseException) -> Fault:
    """``ZeroDivisionError: integer division or modulo by zero``, as CPython's excepthook says it."""
    return Fault(printable(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__))


def _bits(value: Any) -> int:
    return value.bit_length() if type(value) in (int, bool) else 0


def _pow(a: Any, b: Any) -> Any:
    if type(a) in (int, bool) and type(b) in (int, bool) and b > 0 and abs(a) > 1 and _bits(a) * b > MAX_BITS:
        raise BoundExceeded(TOO_BIG)
    return a ** b


def _lshift(a: Any, b: Any) -> Any:
    if type(a) in (int, bool) and type(b) in (int, bool) and a and b > 0 and _bits(a) + b > MAX_BITS:
        raise BoundExceeded(TOO_BIG)
    return a << b


def _mul(a: Any, b: Any) -> Any:
    if type(a) in (str, tuple) and type(b) in (int, bool) and len(a) * b > MAX_ITEMS:
        raise BoundExceeded(TOO_BIG)
    if type(b) in (str, tuple) and type(a) in (int, bool) and len(b) * a > MAX_ITEMS:
        raise BoundExceeded(TOO_BIG)
    if _bits(a) + _bits(b) > MAX_BITS:
        raise BoundExceeded(TOO_BIG)
    return a * b


def _add(a: Any, b: Any) -> Any:
    if type(a) in (str, tuple) and type(b) is type(a) and len(a) + len(b) > MAX_ITEMS:
        raise BoundExceeded(TOO_BIG)
    return a + b


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": _add, "-": operator.sub, "*": _mul, "//": operator.floordiv, "%": operator.mod, "**": _pow,
    "<<": _lshift, ">>": operator.rshift, "&": operator.and_, "|": operator.or_, "^": operator.xor,
    "is": operator.is_, "is not": operator.is_not,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
UNARY: dict[str, Callable[[Any], Any]] = {"-": operator.neg, "+": operator.pos, "~": operator.invert,
                                          "not": operator.not_}
class PyList(tuple):
    """A list value in a register (a shared array read whole, ``sorted(...)``, ``[a, b]``).

    States must be hashable, so it is a tuple underneath; it prints, compares and
    hashes as a list of its own kind (``[1, 2] != (1, 2)``), as CPython's does."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "[" + ", ".join(repr(item) for item in self) + "]"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return type(other) is PyList and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((PyList, tuple(self)))

    def __add__(self, other: Any) -> "PyList":
        if type(other) is not PyList:
            raise TypeError(f'can only concatenate list (not "{type(other).__name__}") to list')
        return PyList(tuple(self) + tuple(other))


class Instance:
    """An object made while the program runs (or at module level), as a value: which object it is
    (its memory is the locations of its attributes) and its class."""

    __slots__ = ("name", "cls")

    def __init__(self, name: str, cls: str) -> None:
        self.name, self.cls = name, cls

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Instance) and other.name == self.name

    def __hash__(self) -> int:
        return hash((Instance, self.name))

    def __repr__(self) -> str:
        return f"<__main__.{self.cls} object>"  # CPython adds the address, which varies from run to run


def class_of(value: Any) -> str:
    return value.cls if isinstance(value, Instance) else type(value).__name__


def _no_method(obj: Any, name: str) -> Any:
    raise AttributeError(f"'{class_of(obj)}' object has no attribute '{name}'")


def _only_once(made: Any, site: str) -> bool:
    """A creation site runs once per thread here: a second object from it would need memory the
    explorer did not lay out, so the search stops there, partial."""
    if made is True:
        raise BoundExceeded(f"objects made at {site} (each thread makes one there)")
    return True


class _Missing:
    """The value of a dict key's location while the key is not in the dict."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


class PyDict:
    """A dict value in a register (a shared dict read whole): its items in insertion order.

    Hashable, since states are; it prints, compares, iterates (over keys) and answers
    ``in``, ``len``, ``keys()``, ``values()`` and ``items()`` as CPython's dict does."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: Any = ()) -> None:
        self.pairs: tuple = tuple(pairs)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {v!r}" for k, v in self.pairs) + "}"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PyDict) and dict(self.pairs) == dict(other.pairs)

    def __hash__(self) -> int:
        return hash((PyDict, frozenset(self.pairs)))

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self) -> Any:
        return iter(k for k, _ in self.pairs)

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _ in self.pairs)

    def __getitem__(self, key: object) -> Any:
        return dict(self.pairs)[key]

    def keys(self) -> PyList:
        return PyList(k for k, _ in self.pairs)

    def values(self) -> PyList:
        return PyList(v for _, v in self.pairs)

    def items(self) -> PyList:
        return PyList(self.pairs)

    def as_dict(self) -> dict:
        return dict(self.pairs)


def _same_size(d: PyDict, size: int) -> bool:
    if len(d) != size:
        raise RuntimeError("dictionary changed size during iteration")
    return True


def _dict_value(value: Any, key: Any) -> Any:
    if value is MISSING:
        raise KeyError(key)
    return value


def _iterate(value: Any) -> tuple:
    """What ``for v in value`` goes through (keys for a dict), or CPython's TypeError."""
    return tuple(iter(value))


def _local(method: str) -> Callable[..., tuple[Any, Any]]:
    """A list or dict method on a local's value: CPython's method on a copy, giving (the changed
    value, what the method returns)."""
    def call(value: Any, *args: Any) -> tuple[Any, Any]:
        if isinstance(value, PyList):
            items: Any = list(value)
            result = getattr(items, method)(*args)
            return PyList(items), (PyList(result) if method in ("keys", "values", "items") else result)
        if isinstance(value, PyDict):
            mapping = value.as_dict()
            result = getattr(mapping, method)(*args)
            if method in ("keys", "values", "items"):
                result = PyList(result)
            return PyDict(mapping.items()), result
        getattr(value, method)  # CPython's AttributeError for anything else
        raise TypeError(f"'{type(value).__name__}' object does not support {method}() here")
    return call


def _setitem(value: Any, key: Any, item: Any) -> Any:
    if isinstance(value, PyList):
        items = list(value)
        items[key] = item
        return PyList(items)
    if isinstance(value, PyDict):
        mapping = value.as_dict()
        hash(key)
        mapping[key] = item
        return PyDict(mapping.items())
    raise TypeError(f"'{type(value).__name__}' object does not support item assignment")


def _dict_of(*flat: Any) -> PyDict:
    mapping: dict = {}
    for key, value in zip(flat[::2], flat[1::2]):
        hash(key)
        mapping[key] = value
    return PyDict(mapping.items())


def _sorted(items: Any) -> PyList:
    return PyList(sorted(items))


BUILTINS: dict[str, Callable[..., Any]] = {"abs": abs, "min": min, "max": max, "int": int, "bool": bool,
                                           "sum": sum, "len": len, "sorted": _sorted,
                                           "list": lambda items: PyList(iter(items)), "tuple": lambda items: tuple(iter(items)),
                                           "range": range,
                                           "iterate": _iterate, "class_of": class_of, "no_method": _no_method,
                                           "local.setitem": _setitem, "dict.of": _dict_of,
                                           **{f"local.{m}": _local(m) for m in (
                                               "append", "extend", "insert", "pop", "remove", "clear", "index",
                                               "count", "get", "setdefault", "keys", "values", "items", "update")}, "only_once": _only_once,
                                           "dict.value": _dict_value,
                                           "dict.get": lambda value, default: default if value is MISSING else value,
                                           "dict.has": lambda value: value is not MISSING,
                                           "dict.same_size": _same_size,
                                           "dict.keys": lambda d: d.keys(), "dict.values": lambda d: d.values(),
                                           "dict.items": lambda d: d.items(),
                                           "list.index": lambda items, v: list(items).index(v),
                                           "list.count": lambda items, v: list(items).count(v)}


def checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with the exceptions CPython would raise turned into the program's ``Fault``."""
    def call(*args: Any) -> Any:
        try:
            return fn(*args)
        except PROGRAM_ERRORS as error:
            raise cpython_error(error) from None
    return call


def compile_expr(expr: ir.Expr) -> Evaluator:
    """A closure computing ``expr`` from a register tuple."""
    if isinstance(expr, ir.Const):
        value = expr.value
        return lambda regs: value
    if isinstance(expr, ir.RawReg):
        raw = expr.index
        return lambda regs: regs[raw]
    if isinstance(expr, ir.Reg):
        index, name = expr.index, expr.name

        def reg(regs: Any) -> Any:
            value = regs[index]
            if value is UNBOUND:
                raise Fault(f"UnboundLocalError: local variable {name!r} referenced before assignment")
            return value

        return reg
    if isinstance(expr, ir.Binary):
        fn, left, right = checked(BINARY[expr.op]), compile_expr(expr.left), compile_expr(expr.right)
        return lambda regs: fn(left(regs), right(regs))
    if isinstance(expr, ir.Unary):
        ufn, operand = checked(UNARY[expr.op]), compile_expr(expr.operand)
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
        bfn, args = checked(BUILTINS[expr.name]), [compile_expr(a) for a in expr.args]
        return lambda regs: bfn(*[a(regs) for a in args])
    if isinstance(expr, ir.MakeTuple):
        items = [compile_expr(i) for i in expr.items]
        if expr.list:
            return lambda regs: PyList(i(regs) for i in items)
        return lambda regs: tuple(i(regs) for i in items)
    if isinstance(expr, ir.Item):
        value, index = compile_expr(expr.value), compile_expr(expr.index)
        return lambda regs: _item(value(regs), index(regs))
    if isinstance(expr, ir.Format):
        return _compile_format(expr)
    raise TypeError(f"not an IR expression: {expr!r}")


def _getitem(value: Any, index: Any) -> Any:
    return list(value)[index] if type(value) is PyList else value[index]  # a list's own messages


_item = checked(_getitem)
#: ``str`` of a printed value or an assert message (``str`` of a 5,000-digit int raises, as in CPython).
text_of = checked(lambda value: printable(str(value)))


def _compile_format(expr: ir.Format) -> Evaluator:
    parts: list[Callable[[Any], str]] = []
    for part in expr.parts:
        if isinstance(part, str):
            parts.append(lambda regs, text=part: text)
            continue
        value_expr, conversion, spec = part
        value = compile_expr(value_expr)
        convert = {"": lambda v: v, "s": str, "r": repr, "a": ascii}[conversion]
        if any(len(digits) > 5 for digits in re.findall(r"\d+", spec)):  # a width or precision of 100,000+
            parts.append(lambda regs: _raise(BoundExceeded(TOO_BIG)))
            continue
        formatted = checked(lambda v, convert=convert, spec=spec: format(convert(v), spec))
        parts.append(lambda regs, value=value, formatted=formatted: formatted(value(regs)))
    return lambda regs: "".join(p(regs) for p in parts)


def _raise(error: Exception) -> Any:
    raise error
