"""The pass contract: what every pass declares and the help every pass gets.

A pass is a LibCST transformer over one whole program. The class declares its
``NAME``, a one-line ``SUMMARY``, its ``LEGALITY`` and ``PRECONDITIONS``, its
``OPTIONS`` with their defaults, and ``EXAMPLES``: ``Rewrite`` pairs and
``Keeps`` cases. One generic test runs every pass's examples, and the CLI's
``passes`` table and the README's table come from the same declarations.

A pass never classifies names itself: it asks ``self.analysis`` (the shared
``Concurrency`` facts). Where a rewrite would apply but a precondition fails,
it calls ``self.decline(node, reason)`` instead of skipping silently.
"""

from __future__ import annotations

import re

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import libcst as cst

from .concurrency import Concurrency, one_line

Legality = Literal["drf-safe", "race-introducing"]
LEGALITIES: tuple[Legality, ...] = ("drf-safe", "race-introducing")


@dataclass(frozen=True)
class Rewrite:
    """An example program the pass rewrites from ``before`` to exactly ``after``."""

    before: str
    after: str
    options: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Keeps:
    """An example program the pass leaves alone; ``because`` is part of the decline it must report.

    An empty ``because`` means there is nothing to decline: the pass has no
    opportunity there and must say nothing.
    """

    source: str
    because: str = ""
    options: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Decline:
    """A place where the pass could have rewritten but a precondition failed."""

    line: int
    column: int
    pass_name: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.pass_name} declined: {self.reason}"

    def to_json(self) -> dict[str, object]:
        return {"pass": self.pass_name, "line": self.line, "column": self.column, "reason": self.reason}


class Pass(cst.CSTTransformer):
    """Base class of every pass; subclasses are LibCST transformers that declare themselves."""

    NAME: ClassVar[str]
    SUMMARY: ClassVar[str]
    LEGALITY: ClassVar[Legality]
    PRECONDITIONS: ClassVar[tuple[str, ...]] = ()
    OPTIONS: ClassVar[Mapping[str, int]] = {}
    EXAMPLES: ClassVar[tuple[Rewrite | Keeps, ...]] = ()

    def __init__(self, analysis: Concurrency, options: Mapping[str, int] | None = None) -> None:
        super().__init__()
        self.analysis = analysis
        self.options = {**self.OPTIONS, **(options or {})}
        self.declines: set[Decline] = set()
        self.function: cst.FunctionDef | None = None  # the function being visited, if any
        self._taken = analysis.names_in(analysis.module)

    # ------------------------------------------------------------------ running

    @classmethod
    def run(cls, source: str, path: str = "<string>",
            options: Mapping[str, int] | None = None) -> tuple[str, list[Decline]]:
        """Apply the pass to a program's source; returns the new source and the declines, in line order."""
        analysis = Concurrency.of(source, path)
        transformer = cls(analysis, options)
        result = analysis.wrapper.visit(transformer)
        return result.code, sorted(transformer.declines)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.BaseSuite:
        if self.function is None:
            return updated_node  # module-level code only declares memory and starts and joins threads
        body = self.rewrite_block(list(original_node.body), list(updated_node.body))
        return updated_node if body is None else updated_node.with_changes(body=body)

    def rewrite_block(self, originals: list[cst.BaseStatement],
                      body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        """Rewrite one block of a function: ``originals`` carry the analysis, ``body`` are the nodes to return.

        Passes that work on statement sequences override this; None keeps the block.
        """
        return None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.FunctionDef):
            if node.name.value == "__init__":
                return False  # a class's __init__ runs before any thread starts: it declares memory
            self.function = node
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, cst.FunctionDef):
            self.function = None
        return result

    # ------------------------------------------------------------------ helpers for passes

    def decline(self, node: cst.CSTNode, reason: str) -> None:
        """Record that the rewrite at ``node`` (an original node) was not done, and why."""
        self.declines.add(Decline(self.analysis.line(node), self.analysis.column(node), self.NAME, reason))

    def fresh(self, base: str) -> str:
        """A local name no code in the program uses yet: ``_ready``, then ``_ready_2``, ..."""
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{base}_{n}"
        self._taken.add(candidate)
        return candidate

    def statement(self, code: str) -> cst.BaseStatement:
        """Parse one new statement with the program's own formatting conventions."""
        return cst.parse_statement(code, config=self.analysis.module.config_for_parsing)

    def expression(self, code: str) -> cst.BaseExpression:
        return cst.parse_expression(code, config=self.analysis.module.config_for_parsing)

    def code(self, node: cst.CSTNode) -> str:
        return self.analysis.code(node)

    @staticmethod
    def temp_name(text: str) -> str:
        """A register name for a location: ``ready`` -> ``_ready``, ``a[0]`` -> ``_a0``, ``flags.b1`` -> ``_flags_b1``."""
        cleaned = "".join(c if c.isalnum() else "_" for c in text.replace("[", "").replace("]", ""))
        return "_" + cleaned.strip("_")


def replace_with(new: Sequence[cst.BaseStatement], stmt: cst.BaseStatement) -> list[cst.BaseStatement]:
    """``new`` in place of ``stmt``, keeping the blank lines and comments that stood above ``stmt``."""
    return [new[0].with_changes(leading_lines=stmt.leading_lines), *new[1:]]  # type: ignore[attr-defined]


def insert_before(new: Sequence[cst.BaseStatement], stmt: cst.BaseStatement) -> list[cst.BaseStatement]:
    """``new`` followed by ``stmt``; the blank lines and comments above ``stmt`` move above ``new``."""
    if not new:
        return [stmt]
    return replace_with([*new, stmt.with_changes(leading_lines=())], stmt)  # type: ignore[attr-defined]


def is_docstring(stmt: cst.BaseStatement) -> bool:
    small = one_line(stmt)
    return isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))


def after_imports(module: cst.Module, new: Sequence[cst.BaseStatement]) -> cst.Module:
    """``module`` with ``new`` after its last top-level import, or, when it has none, after its
    docstring (set off by a blank line) or at its top."""
    body = list(module.body)
    last = max((i for i, stmt in enumerate(body) if isinstance(one_line(stmt), (cst.Import, cst.ImportFrom))),
               default=-1)
    if last < 0 and body and is_docstring(body[0]):
        last = 0
        new = [new[0].with_changes(leading_lines=[cst.EmptyLine()]), *new[1:]]  # type: ignore[attr-defined]
    return module.with_changes(body=[*body[:last + 1], *new, *body[last + 1:]])


def without(body: Sequence[cst.BaseStatement], dropped: set[int]) -> list[cst.BaseStatement]:
    """The block minus the ``dropped`` statements; the block's opening comment stays at its top."""
    kept = [stmt for i, stmt in enumerate(body) if i not in dropped]
    if not kept:
        return [cst.SimpleStatementLine([cst.Pass()], leading_lines=body[0].leading_lines)]  # type: ignore[attr-defined]
    if 0 in dropped:
        kept[0] = kept[0].with_changes(leading_lines=body[0].leading_lines)  # type: ignore[attr-defined]
    return kept


def with_thread_list(example: "Rewrite") -> "Rewrite":
    """``example`` with its one thread made the way most programs make threads: two of them, in a
    list comprehension, started and joined in loops. Every pass carries such a case."""
    def threads(source: str) -> str:
        changed, count = re.subn(r"t = threading\.Thread\((.*)\)\nt\.start\(\)\nt\.join\(\)\n",
                                 r"threads = [threading.Thread(\1) for _ in range(2)]\nfor t in threads:\n"
                                 r"    t.start()\nfor t in threads:\n    t.join()\n", source)
        assert count == 1, "the example starts one thread t"
        return changed
    return Rewrite(before=threads(example.before), after=threads(example.after), options=example.options)
