"""``fuse``: drop a load whose value is already in a local, and a store that is overwritten.

Redundant-load elimination: after ``a = x``, a later read of ``x`` reuses
``a`` as long as this thread has not written ``x`` and has not synchronised
in between. Overwritten-store elimination: ``x = 1`` followed by ``x = 2``,
with no read of ``x`` and no synchronisation in between, keeps only
``x = 2``. Single-threaded nobody can tell. In a race-free program no other
thread may access ``x`` between the two points either, so the pass is
drf-safe; a racy reader that polls ``x`` may now see one value where it saw
two, or never see the first store.
"""

from __future__ import annotations

import libcst as cst

from .base import Keeps, Pass, Rewrite, without, with_thread_list
from .concurrency import Loc, ReplaceReads, one_line

_TWO = """import threading
{imports}
x = 0
y = 0


def work():
    global y
{body}


t = threading.Thread(target=work)
t.start()
t.join()
"""


class Fuse(Pass):
    NAME = "fuse"
    SUMMARY = "reuse a loaded value instead of loading again; drop a store that is overwritten"
    LEGALITY = "drf-safe"
    PRECONDITIONS = (
        "between the two accesses this thread does not synchronise, or call a function that might",
        "for a load: the thread does not write the location or reassign the local in between",
        ("for a store: nothing in between reads the location, leaves the block or may fail, and the "
        "dropped value has no effect of its own"),
    )
    EXAMPLES = (
        Rewrite(before=_TWO.format(imports="", body="    a = x\n    b = x\n    print(a + b)"),
                after=_TWO.format(imports="", body="    a = x\n    b = a\n    print(a + b)")),
        Rewrite(before=_TWO.format(imports="", body="    y = 1\n    a = x\n    y = 2\n    print(a)"),
                after=_TWO.format(imports="", body="    a = x\n    y = 2\n    print(a)")),
        Keeps(_TWO.format(imports="", body="    a = x\n    y = a\n    b = x\n    y = b").replace(
            "global y", "global x, y").replace("    y = a\n", "    x = a + 1\n"),
            because=""),
        Keeps(_TWO.format(imports="from miscompile.atomics import fence\n", body="    y = 1\n    fence()\n    y = 2"),
              because="`fence()` orders memory"),
        Keeps(_TWO.format(imports="from miscompile.atomics import Atomic\n",
                          body="    a = z.load()\n    b = z.load()\n    print(a, b)").replace("y = 0", "z = Atomic(0)")
              .replace("    global y\n", ""),
              because="`z` is atomic"),
    )
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def rewrite_block(self, originals: list[cst.BaseStatement],
                      body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        assert self.function is not None
        locals_ = self.analysis.local_names(self.function)
        reused: set[tuple[int, Loc]] = set()
        dropped: set[int] = set()
        for i, stmt in enumerate(originals):
            copied = self.analysis.local_copy(stmt)
            if copied is not None and copied[1].known and (i, copied[1]) not in reused:
                local, loc, _ = copied
                for j in self.reuse_range(originals, i, local, loc):
                    replacer = ReplaceReads(loc, cst.Name(local), locals_)
                    body[j] = body[j].visit(replacer)  # type: ignore[assignment]
                    if replacer.count:
                        reused.add((j, loc))
            stored = self.droppable_store(stmt)
            if stored is not None and self.overwritten(originals, i, stored):
                dropped.add(i)
            self.check_atomic_reload(originals, i)
        return without(body, dropped) if reused or dropped else None

    def reuse_range(self, originals: list[cst.BaseStatement], i: int, local: str, loc: Loc) -> list[int]:
        """The statements after ``originals[i]`` whose reads of ``loc`` may reuse ``local``."""
        found: list[int] = []
        for j in range(i + 1, len(originals)):
            effects = self.analysis.effects(originals[j])
            if effects.sync:
                if any(self.analysis.effects(s).reads_from(loc) for s in originals[j:]):
                    self.decline(originals[j], f"{effects.sync}: the next read of `{loc}` must load again")
                break
            if effects.writes_to(loc) or local in effects.defines or effects.calls:
                # a one-line statement reads before it assigns: ``x = a + x`` may still reuse ``a``
                if effects.reads_from(loc) and one_line(originals[j]) is not None and not effects.calls:
                    found.append(j)
                break
            if effects.reads_from(loc):
                found.append(j)
        return found

    def droppable_store(self, stmt: cst.BaseStatement) -> Loc | None:
        """The location of a line ``x = e`` whose value may be dropped without losing an effect."""
        found = self.analysis.store(stmt, augmented=False)
        if found is None or not found[0].known:
            return None
        effects = self.analysis.effects(found[1])
        return None if effects.barrier or effects.may_fail else found[0]

    def overwritten(self, originals: list[cst.BaseStatement], i: int, loc: Loc) -> bool:
        for j in range(i + 1, len(originals)):
            effects = self.analysis.effects(originals[j])
            stored = self.analysis.store(originals[j], augmented=False)
            if stored is not None and stored[0] == loc and not effects.reads_from(loc) and not effects.barrier \
                    and not effects.may_fail:
                return True
            if effects.sync:
                if any(self.droppable_store(s) == loc for s in originals[j + 1:]):
                    self.decline(originals[j], f"{effects.sync}: the store before it must stay")
                return False
            if any(r.overlaps(loc) for r in effects.touches) or effects.barrier or effects.may_fail:
                return False
        return False

    def check_atomic_reload(self, originals: list[cst.BaseStatement], i: int) -> None:
        """Two neighbouring loads of one atomic stay two loads: say so."""
        small = one_line(originals[i])
        if not (isinstance(small, cst.Assign) and isinstance(small.value, cst.Call)
                and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value == "load"):
            return
        atomic = self.analysis.sync_object(small.value.func.value)
        if atomic is None or i + 1 >= len(originals):
            return
        if f"{atomic}.load(" in self.code(originals[i + 1]).replace(" ", ""):
            self.decline(originals[i + 1], f"`{atomic}` is atomic")
