"""``rematerialize``: instead of keeping a loaded value in a local, load it again where it is used.

When registers run short a compiler may drop ``i = index`` and re-read
``index`` at each use, since single-threaded the location still holds the
same value. In a race-free program nobody can change ``index`` between the
uses without synchronising, so the pass is drf-safe. In a racy program the
uses can see different values: a bounds check ``if i < 2:`` passes on one
value and ``table[i]`` indexes with another, as in Boehm's "Threads cannot be
implemented as a library".
"""

from __future__ import annotations

import libcst as cst

from .base import Keeps, Pass, Rewrite, without, with_thread_list
from .concurrency import Loc, one_line

_READER = """import threading
{imports}
index = 0
table = [10, 20]


def reader():
{body}


t = threading.Thread(target=reader)
t.start()
t.join()
"""


class ReplaceLocal(cst.CSTTransformer):
    """Replace every read of one local by an expression (a fresh load of the location it copied)."""

    def __init__(self, local: str, replacement: cst.BaseExpression) -> None:
        super().__init__()
        self.local = local
        self.replacement = replacement
        self.count = 0

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return False  # the attribute's name is not a use: only its object part is (leave_Attribute)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        return updated_node.with_changes(value=original_node.value.visit(self))

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if original_node.value == self.local:
            self.count += 1
            return self.replacement
        return updated_node


class Rematerialize(Pass):
    NAME = "rematerialize"
    SUMMARY = "re-load a shared location at each use instead of keeping it in a local"
    LEGALITY = "drf-safe"
    PRECONDITIONS = (
        "the local is a plain copy `r = x` of a variable, a field or an array element at a constant index",
        "until the last replaced use, the thread does not write `x`, reassign `r`, synchronise or call a function",
    )
    EXAMPLES = (
        Rewrite(before=_READER.format(imports="", body="    i = index\n    if i < 2:\n        print(table[i])"),
                after=_READER.format(imports="", body="    if index < 2:\n        print(table[index])")),
        Rewrite(before=_READER.format(imports="", body="    i = index\n    print(i)\n    with lock:\n"
                                      "        print(i)").replace("table = [10, 20]", "lock = threading.Lock()"),
                after=_READER.format(imports="", body="    i = index\n    print(index)\n    with lock:\n"
                                     "        print(i)").replace("table = [10, 20]", "lock = threading.Lock()")),
        Keeps(_READER.format(imports="", body="    i = index\n    lock.acquire()\n    print(i)\n    lock.release()")
              .replace("table = [10, 20]", "lock = threading.Lock()"),
              because="`lock.acquire()` synchronises"),
        Keeps(_READER.format(imports="from miscompile.atomics import Atomic\n",
                             body="    i = index.load()\n    if i < 2:\n        print(table[i])")
              .replace("index = 0", "index = Atomic(0)"),
              because="`index` is atomic"),
    )
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.uses = self.count_uses(node)
        return True

    @staticmethod
    def count_uses(function: cst.FunctionDef) -> dict[str, int]:
        uses: dict[str, int] = {}

        class Uses(cst.CSTVisitor):
            def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
                return False

            def visit_Attribute(self, node: cst.Attribute) -> bool:
                node.value.visit(self)
                return False

            def visit_Name(self, node: cst.Name) -> None:
                uses[node.value] = uses.get(node.value, 0) + 1

        function.body.visit(Uses())
        return uses

    def rewrite_block(self, originals: list[cst.BaseStatement],
                      body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        dropped: set[int] = set()
        changed = False
        for i, stmt in enumerate(originals):
            copied = self.copy(stmt)
            if copied is None:
                continue
            local, loc, value = copied
            replaced = 0
            for j in self.use_range(originals, i, local, loc):
                replacer = ReplaceLocal(local, value)
                body[j] = body[j].visit(replacer)  # type: ignore[assignment]
                replaced += replacer.count
            changed |= replaced > 0
            if replaced and replaced == self.uses.get(local, 0):
                dropped.add(i)  # every use now loads again: the copy is dead
        return without(body, dropped) if changed else None

    def copy(self, stmt: cst.BaseStatement) -> tuple[str, Loc, cst.BaseExpression] | None:
        """``("i", index, <index>)`` for a line ``i = index`` copying one plain location into a local."""
        copied = self.analysis.local_copy(stmt)
        if copied is None:
            small = one_line(stmt)
            if isinstance(small, cst.Assign) and len(small.targets) == 1 \
                    and isinstance(small.targets[0].target, cst.Name) and self.analysis.is_local(small.targets[0].target):
                sync = self.analysis.effects(small.value).sync  # ``i = index.load()``
                if sync and self.uses.get(small.targets[0].target.value):
                    self.decline(stmt, sync)
            return None
        local, loc, value = copied
        return (local, loc, value.with_changes(lpar=(), rpar=())) if loc.known else None

    def use_range(self, originals: list[cst.BaseStatement], i: int, local: str, loc: Loc) -> list[int]:
        """The statements after the copy whose uses of ``local`` may load ``loc`` again instead."""
        found: list[int] = []
        for j in range(i + 1, len(originals)):
            effects = self.analysis.effects(originals[j])
            if effects.sync:
                if any(local in self.analysis.effects(s).uses for s in originals[j:]):
                    self.decline(originals[j], f"{effects.sync}: `{local}` keeps the value loaded before it")
                break
            if local in effects.defines:
                break  # ``i += 1`` or ``i = ...``: from here on the local holds something else
            if effects.writes_to(loc):
                # a one-line store reads its value first: ``x = i + 1`` may become ``x = x + 1``
                if local in effects.uses and isinstance(originals[j], cst.SimpleStatementLine) \
                        and len(originals[j].body) == 1:
                    found.append(j)
                break
            if local in effects.uses:
                found.append(j)
        return found
