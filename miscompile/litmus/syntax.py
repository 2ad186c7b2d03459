"""herd7's litmus format: the parts every architecture shares, and the final condition.

A litmus file is a header (``X86 SB``), optional metadata lines, the initial
state in braces (``{ x=0; 0:EAX=1; }``), a table of threads (one column per
thread, ``|`` between columns, ``;`` ending each row), an optional
``locations [x; 0:EAX;]`` line, and a condition: ``exists``, ``~exists`` or
``forall`` over atoms ``x=1`` (a location's final value) and ``0:EAX=1`` (thread
0's register), with ``/\\``, ``\\/``, ``~`` and parentheses. The instructions
themselves are the architecture's (``x86.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from ..errors import SourceError

QUANTIFIERS = ("exists", "~exists", "forall")


@dataclass(frozen=True)
class Atom:
    """``x=1`` (``thread`` None) or ``0:EAX=1``."""

    thread: int | None
    name: str
    value: int

    def text(self) -> str:
        where = self.name if self.thread is None else f"{self.thread}:{self.name}"
        return f"{where}={self.value}"


@dataclass(frozen=True)
class Not:
    operand: "Prop"


@dataclass(frozen=True)
class And:
    left: "Prop"
    right: "Prop"


@dataclass(frozen=True)
class Or:
    left: "Prop"
    right: "Prop"


@dataclass(frozen=True)
class Truth:
    value: bool


Prop = Union[Atom, Not, And, Or, Truth]


def holds(prop: Prop, values: dict[tuple[int | None, str], int]) -> bool:
    """Whether ``prop`` is true of a final state (``(thread or None, name) -> value``)."""
    if isinstance(prop, Atom):
        return values.get((prop.thread, prop.name)) == prop.value
    if isinstance(prop, Not):
        return not holds(prop.operand, values)
    if isinstance(prop, And):
        return holds(prop.left, values) and holds(prop.right, values)
    if isinstance(prop, Or):
        return holds(prop.left, values) or holds(prop.right, values)
    return prop.value


def atoms(prop: Prop) -> list[Atom]:
    if isinstance(prop, Atom):
        return [prop]
    if isinstance(prop, Not):
        return atoms(prop.operand)
    if isinstance(prop, (And, Or)):
        return atoms(prop.left) + atoms(prop.right)
    return []


def show(prop: Prop, top: bool = True) -> str:
    """The condition as herd7 prints it."""
    if isinstance(prop, Atom):
        return prop.text()
    if isinstance(prop, Truth):
        return "true" if prop.value else "false"
    if isinstance(prop, Not):
        return f"~{show(prop.operand, False)}"
    symbol = " /\\ " if isinstance(prop, And) else " \\/ "
    text = show(prop.left, False) + symbol + show(prop.right, False)
    return text if top else f"({text})"


@dataclass
class Litmus:
    """One litmus test, as written (instructions still text, one list per thread)."""

    path: str
    arch: str
    name: str
    #: (thread or None, location or register) -> its value: an int, or a location's name when a
    #: register holds that location's address (AArch64's ``0:X1=x``)
    init: dict[tuple[int | None, str], int | str]
    threads: list[list[tuple[int, str]]]  # per thread: (line, instruction text), in order
    quantifier: str
    condition: Prop
    locations: list[tuple[int | None, str]] = field(default_factory=list)

    def observed(self) -> list[tuple[int | None, str]]:
        """What a final state shows: the ``locations`` line, then the condition's atoms, registers
        (by thread) before locations as herd7 orders them."""
        seen = list(dict.fromkeys([*self.locations, *((a.thread, a.name) for a in atoms(self.condition))]))
        return sorted(seen, key=lambda key: (key[0] is None, key[0] or 0, key[1]))


class Reader:
    """Parses one file; every error names its line and column."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def error(self, line: int, col: int, message: str) -> SourceError:
        return SourceError(self.path, line, col, message)

    def read(self) -> Litmus:
        index = self.skip_blank(0)
        if index >= len(self.lines):
            raise self.error(1, 1, "empty litmus file (it starts with a header such as: X86 SB)")
        header = self.lines[index].split()
        if len(header) < 2:
            raise self.error(index + 1, 1, "the first line names the architecture and the test, e.g. X86 SB")
        arch, name = header[0], header[1]
        index += 1
        while index < len(self.lines) and "{" not in self.lines[index]:
            index += 1  # metadata: a quoted cycle, Cycle=..., Relax=..., Safe=..., ...
        if index >= len(self.lines):
            raise self.error(len(self.lines), 1, "no initial state: write { x=0; } before the threads")
        init, index = self.read_init(index)
        threads, index = self.read_threads(index)
        locations: list[tuple[int | None, str]] = []
        rest = " ".join(self.lines[index:])
        rest_line = min(index + 1, len(self.lines))  # the condition's line (the last line when it is missing)
        match = re.match(r"\s*locations\s*\[([^\]]*)\]", rest)
        if match:
            locations = [self.location(item.strip(), rest_line) for item in match.group(1).split(";") if item.strip()]
            rest = rest[match.end():]
        quantifier, condition = self.read_condition(rest, rest_line)
        return Litmus(self.path, arch, name, init, threads, quantifier, condition, locations)

    def skip_blank(self, index: int) -> int:
        while index < len(self.lines) and not self.lines[index].strip():
            index += 1
        return index

    def read_init(self, index: int) -> tuple[dict[tuple[int | None, str], int | str], int]:
        text, start = "", index
        while True:
            text += " " + self.lines[index]
            index += 1
            if "}" in text or index >= len(self.lines):
                break
        body = text[text.index("{") + 1:text.index("}") if "}" in text else len(text)]
        init: dict[tuple[int | None, str], int | str] = {}
        for item in body.split(";"):
            item = item.strip()
            if not item:
                continue
            item = re.sub(r"^(int|uint64_t|int64_t|long)\s+", "", item)  # typed forms: int x=0
            if "=" not in item:
                raise self.error(start + 1, 1, f"cannot read {item!r} in the initial state (write x=0 or 0:EAX=0)")
            where, value = (part.strip() for part in item.split("=", 1))
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):  # 0:X1=x: the register holds x's address
                init[self.location(where, start + 1)] = value
            else:
                init[self.location(where, start + 1)] = self.number(value, start + 1)
        return init, index

    def read_threads(self, index: int) -> tuple[list[list[tuple[int, str]]], int]:
        index = self.skip_blank(index)
        if index >= len(self.lines):
            raise self.error(index, 1, "no threads: write a row P0 | P1 ; and then the instructions")
        header = [cell.strip() for cell in self.lines[index].strip().rstrip(";").split("|")]
        if not all(re.fullmatch(r"P\d+", cell) for cell in header):
            raise self.error(index + 1, 1, "the thread table starts with a row naming the threads: P0 | P1 ;")
        threads: list[list[tuple[int, str]]] = [[] for _ in header]
        index += 1
        while index < len(self.lines):
            raw = self.lines[index]
            stripped = raw.strip()
            if not stripped:
                index += 1
                continue
            if not stripped.endswith(";") or re.match(r"(exists|~exists|forall|locations|~\s*exists)\b", stripped):
                break
            cells = stripped[:-1].split("|")
            if len(cells) != len(header):
                raise self.error(index + 1, 1, f"this row has {len(cells)} columns; the table has {len(header)}")
            for thread, cell in enumerate(cells):
                if cell.strip():
                    threads[thread].append((index + 1, cell.strip()))
            index += 1
        return threads, index

    def location(self, text: str, line: int) -> tuple[int | None, str]:
        match = re.fullmatch(r"(?:(\d+):)?\[?([A-Za-z_][A-Za-z0-9_]*)\]?", text.strip())
        if match is None:
            raise self.error(line, 1, f"cannot read the location or register {text!r} (write x or 0:EAX)")
        thread = match.group(1)
        return (int(thread) if thread is not None else None), match.group(2)

    def number(self, text: str, line: int) -> int:
        try:
            return int(text.strip().lstrip("$"), 0)
        except ValueError:
            raise self.error(line, 1, f"{text.strip()!r} is not an integer (miscompile reads integer values)") from None

    # ------------------------------------------------------------------ the condition

    def read_condition(self, text: str, line: int) -> tuple[str, Prop]:
        text = text.strip()
        match = re.match(r"(~\s*exists|exists|forall)\b", text)
        if match is None:
            raise self.error(line, 1, "no final condition: write exists (0:EAX=0 /\\ 1:EAX=0), ~exists (...) "
                                      "or forall (...)")
        quantifier = re.sub(r"\s+", "", match.group(1))
        self.tokens = re.findall(r"/\\|\\/|~|\(|\)|\[|\]|=|:|[A-Za-z_][A-Za-z0-9_]*|-?\$?\d+|\S", text[match.end():])
        self.position, self.condition_line = 0, line
        prop = self.disjunction()
        if self.position != len(self.tokens):
            raise self.error(line, 1, f"unexpected {self.tokens[self.position]!r} in the condition")
        return quantifier, prop

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise self.error(self.condition_line, 1, f"expected {expected or 'more'} in the condition")
        self.position += 1
        return token

    def disjunction(self) -> Prop:
        prop = self.conjunction()
        while self.peek() == "\\/":
            self.take()
            prop = Or(prop, self.conjunction())
        return prop

    def conjunction(self) -> Prop:
        prop = self.unary()
        while self.peek() == "/\\":
            self.take()
            prop = And(prop, self.unary())
        return prop

    def unary(self) -> Prop:
        token = self.peek()
        if token in ("~", "not"):
            self.take()
            return Not(self.unary())
        if token == "(":
            self.take()
            prop = self.disjunction()
            self.take(")")
            return prop
        if token in ("true", "false"):
            self.take()
            return Truth(token == "true")
        return self.atom()

    def atom(self) -> Atom:
        thread: int | None = None
        token = self.take()
        if token.isdigit() and self.peek() == ":":
            self.take(":")
            thread, token = int(token), self.take()
        if token == "[":
            token = self.take()
            self.take("]")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token):
            raise self.error(self.condition_line, 1, f"cannot read {token!r} as a location or register")
        self.take("=")
        return Atom(thread, token, self.number(self.take(), self.condition_line))


def read_litmus(path: str, text: str) -> Litmus:
    """Parse one litmus file (raises ``SourceError`` with the line of anything it cannot read)."""
    return Reader(path, text).read()
