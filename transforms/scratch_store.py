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

from .base import Keeps, Pass, Rewrite, insert_before, with_thread_list
from .concurrency import Loc, one_line

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
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def rewrite_block(self, originals: list[cst.BaseStatement],
                      body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        value = self.options["value"]
        stores = [self.analysis.store(stmt) for stmt in originals]
        locs = [found[0] if found else None for found in stores]
        new: list[cst.BaseStatement] = []
        for i, (original, updated) in enumerate(zip(originals, body)):
            loc = locs[i]
            previous = locs[i - 1] if i else None
            following = locs[i + 1] if i + 1 < len(originals) else None
            if loc is None and (atomic := self.atomic_store(original)):
                self.decline(original, f"`{atomic}` is atomic")
            scratch = None
            if loc is not None and previous != loc and not (self.is_scratch(original, value) and following == loc):
                scratch = self.scratch(original, loc, value)
            new.extend(insert_before([scratch], updated) if scratch is not None else [updated])
        return new

    def atomic_store(self, stmt: cst.BaseStatement) -> str | None:
        """``owner`` for a line ``owner.store(...)`` on an atomic."""
        small = one_line(stmt)
        if isinstance(small, cst.Expr):
            call = small.value
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
