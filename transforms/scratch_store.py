"""``scratch-store``: use a variable as scratch space just before it is overwritten.

Before ``owner = me`` the compiler is free to park any value in ``owner``
(here ``owner = 42``), because the next store overwrites it and nothing reads
it in between: single-threaded, nobody can tell. In a race-free program no
other thread reads ``owner`` without synchronising first, so nobody can tell
there either: the rewrite is drf-safe. But the recursive lock reads ``owner``
without the lock, and the thread whose id is 42 then sees "its" id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import libcst as cst

from .base import Keeps, Pass, Rewrite
from .concurrency import Loc

_OWNER = """import threading

mtx = threading.Lock()
owner = 0


def take(me):
    global owner
    if mtx.acquire(blocking=False):
        {store}
        mtx.release()


t = threading.Thread(target=take, args=(1,))
t.start()
t.join()
"""


class ScratchStore(Pass):
    NAME = "scratch-store"
    SUMMARY = "store a scratch value into a variable just before the store that overwrites it"
    LEGALITY = "drf-safe"
    OPTIONS: ClassVar[Mapping[str, int]] = {"value": 42}
    PRECONDITIONS = (
        "the statement is a plain store `v = e` to shared memory that is not atomic",
        "evaluating `e` does not read `v`, call a function or synchronise",
    )
    EXAMPLES = (
        Rewrite(before=_OWNER.format(store="owner = me"), after=_OWNER.format(store="owner = 42\n        owner = me")),
        Rewrite(before=_OWNER.format(store="owner = me"), after=_OWNER.format(store="owner = 7\n        owner = me"),
                options={"value": 7}),
        Keeps(_OWNER.format(store="owner += me"), because="`owner += me` reads `owner`"),
        Keeps(_OWNER.format(store="owner = owner * 2 + me"), because="`owner = owner * 2 + me` reads `owner`"),
        Keeps(_OWNER.replace("owner = 0", "owner = Atomic(0)").replace(
            "import threading\n", "import threading\n\nfrom miscompile.atomics import Atomic\n").format(
            store="owner.store(me, \"relaxed\")"), because="`owner` is atomic"),
    )

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        if self.function is None:
            return updated_node
        value = self.options["value"]
        originals = original_node.body
        body: list[cst.BaseStatement] = []
        for i, (original, updated) in enumerate(zip(originals, updated_node.body)):
            loc = self.store_target(original, allow_augmented=True)
            previous = self.store_target(originals[i - 1]) if i else None
            following = self.store_target(originals[i + 1]) if i + 1 < len(originals) else None
            if loc is None and (atomic := self.atomic_store(original)):
                self.decline(original, f"`{atomic}` is atomic")
            if loc is not None and previous != loc and not (self.is_scratch(original, value) and following == loc):
                scratch = self.scratch(original, loc, value)
                if scratch is not None:
                    body.append(scratch.with_changes(leading_lines=updated.leading_lines))
                    updated = updated.with_changes(leading_lines=())  # type: ignore[union-attr]
            body.append(updated)
        return updated_node.with_changes(body=body)

    def store_target(self, stmt: cst.BaseStatement, allow_augmented: bool = False) -> Loc | None:
        """The shared location a one-statement line ``v = e`` (or ``v += e``) stores to."""
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
            return None
        small = stmt.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            return self.analysis.location(small.targets[0].target)
        if allow_augmented and isinstance(small, cst.AugAssign):
            return self.analysis.location(small.target)
        return None

    def atomic_store(self, stmt: cst.BaseStatement) -> str | None:
        """``owner`` for a line ``owner.store(...)`` on an atomic."""
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr):
            call = stmt.body[0].value
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) \
                    and call.func.attr.value == "store" and isinstance(call.func.value, cst.Name) \
                    and self.analysis.global_kind(call.func.value) == "atomic":
                return call.func.value.value
        return None

    def is_scratch(self, stmt: cst.BaseStatement, value: int) -> bool:
        small = stmt.body[0]  # type: ignore[union-attr]
        return isinstance(small, cst.Assign) and self.code(small.value) == str(value)

    def scratch(self, stmt: cst.BaseStatement, loc: Loc, value: int) -> cst.BaseStatement | None:
        """The scratch store to put before ``stmt``, or None after recording why not."""
        small = stmt.body[0]  # type: ignore[union-attr]
        if isinstance(small, cst.AugAssign):
            self.decline(stmt, f"`{self.code(small)}` reads `{loc}`")
            return None
        effects = self.analysis.effects(small.value)
        if effects.reads_from(loc):
            self.decline(stmt, f"`{self.code(small)}` reads `{loc}`")
            return None
        target = small.targets[0].target
        if isinstance(target, cst.Subscript) and self.analysis.effects(target.slice).touches:
            self.decline(stmt, f"the index in `{self.code(target)}` reads shared memory")
            return None
        if effects.barrier:
            self.decline(stmt, f"computing the value of `{self.code(small)}` is not plain: {effects.barrier}")
            return None
        if self.code(small.value) == str(value):
            return None  # storing the scratch value itself
        return self.statement(f"{self.code(small.targets[0].target)} = {value}\n")
