"""Fence placements: where a fence may go in a program, and the program with fences put there.

A LibCST codemod, like ``fix``: a placement is a point between two statements of
a function's body (or of a loop's, an ``if``'s, a ``with``'s ... inside a
function), never inside an expression; the module's own top-level code and
``__init__`` methods (which only set attributes, before the object is shared)
are not places for fences. Inserting keeps every comment
and all formatting; ``from miscompile.atomics import fence`` is added after the
imports when the module does not import it yet.

Points are named by the original program's lines (``before line 25``, or for
the end of a loop's body ``after line 27``), so a set of placements always
applies to the original source, whichever other fences a search has tried.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .base import after_imports, insert_before, is_docstring
from .concurrency import one_line

#: The dialect's fence kinds a search may place, and the call each one is written as.
FENCE_CALLS = {"full": "fence()", "write": 'fence("write")', "read": 'fence("read")'}
IMPORT = "from miscompile.atomics import fence\n"


@dataclass(frozen=True, order=True)
class Point:
    """A point between statements: before the statement at ``line``, or (``after``) after the
    statement at ``line``, the last of a loop's body (the end of each round)."""

    line: int
    after: bool = False
    function: str = ""  # the function it is in, for people

    def __str__(self) -> str:
        where = f"after line {self.line}" if self.after else f"before line {self.line}"
        return f"{where} (in {self.function})" if self.function else where


@dataclass(frozen=True, order=True)
class Placement:
    point: Point
    kind: str = "full"  # a key of FENCE_CALLS

    def __str__(self) -> str:
        return f"{FENCE_CALLS[self.kind]} {self.point}"


_NO_FENCE_BEFORE = (cst.Global, cst.Nonlocal)
_ENDS_BLOCK = (cst.Return, cst.Break, cst.Continue, cst.Raise)
_LOOPS = (cst.While, cst.For)


class _Points(cst.CSTVisitor):
    """Collect every point between statements inside function definitions."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        self.points: list[Point] = []
        self.functions: list[str] = []
        self.blocks: list[cst.CSTNode] = []  # the statement owning each block being visited

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if not self.functions or self.functions[-1] == "__init__":
            return  # module code, and constructors (they only set attributes, before any thread runs)
        body = list(node.body)
        function = self.functions[-1]
        for index, statement in enumerate(body):
            small = one_line(statement)
            if isinstance(small, _NO_FENCE_BEFORE) or (index == 0 and is_docstring(statement)):
                continue
            if index > 0 and isinstance(one_line(body[index - 1]), _ENDS_BLOCK):
                continue  # nothing runs there
            line = self.get_metadata(PositionProvider, statement).start.line
            self.points.append(Point(line, False, function))
        parent = self.blocks[-1] if self.blocks else None
        if isinstance(parent, _LOOPS) and body and not isinstance(one_line(body[-1]), _ENDS_BLOCK):
            line = self.get_metadata(PositionProvider, body[-1]).start.line
            self.points.append(Point(line, True, function))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.While, cst.For, cst.If, cst.With, cst.Try, cst.FunctionDef, cst.Else)):
            self.blocks.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, (cst.While, cst.For, cst.If, cst.With, cst.Try, cst.FunctionDef, cst.Else)):
            self.blocks.pop()
        super().on_leave(original_node)


def fence_points(source: str) -> list[Point]:
    """Every point between statements inside a function, in source order."""
    collector = _Points()
    MetadataWrapper(cst.parse_module(source)).visit(collector)
    return sorted(set(collector.points))


class _Insert(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, module: cst.Module, placements: Iterable[Placement]) -> None:
        self.config = module.config_for_parsing
        self.before: dict[int, list[str]] = {}
        self.after: dict[int, list[str]] = {}
        for placement in sorted(placements):
            table = self.after if placement.point.after else self.before
            table.setdefault(placement.point.line, []).append(placement.kind)
        self.inserted = 0

    def _fences(self, kinds: list[str]) -> list[cst.BaseStatement]:
        self.inserted += len(kinds)
        return [cst.parse_statement(FENCE_CALLS[kind] + "\n", config=self.config) for kind in kinds]

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = []
        for original, updated in zip(original_node.body, updated_node.body):
            line = self.get_metadata(PositionProvider, original).start.line
            if line in self.before:  # before the statement, and before the comments above it
                body += insert_before(self._fences(self.before.pop(line)), updated)
            else:
                body.append(updated)
            if line in self.after and original is original_node.body[-1]:
                body += self._fences(self.after.pop(line))
        return updated_node.with_changes(body=body)


def insert_fences(source: str, placements: Iterable[Placement]) -> str:
    """``source`` with a fence of each placement's kind at its point (placements must be points
    ``fence_points`` gives for this source)."""
    placements = list(placements)
    if not placements:
        return source
    module = cst.parse_module(source)
    inserter = _Insert(module, placements)
    updated = MetadataWrapper(module).visit(inserter)
    if inserter.before or inserter.after:
        missing = sorted([*inserter.before, *inserter.after])
        raise ValueError(f"no point between statements at line(s) {missing}")
    return add_fence_import(updated).code


def add_fence_import(module: cst.Module) -> cst.Module:
    """Import ``fence`` from miscompile.atomics after the module's imports, unless it is imported."""
    for statement in module.body:
        small = one_line(statement)
        if isinstance(small, cst.ImportFrom) and _dotted(small.module) == "miscompile.atomics" \
                and not isinstance(small.names, cst.ImportStar) \
                and any(alias.name.value == "fence" and alias.asname is None for alias in small.names):
            return module
    return after_imports(module, [cst.parse_statement(IMPORT, config=module.config_for_parsing)])


def _dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""
