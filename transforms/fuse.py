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

from .base import Keeps, Pass, Rewrite
from .concurrency import Loc, ReplaceReads

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

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        if self.function is None:
            return updated_node
        originals = list(original_node.body)
        body = list(updated_node.body)
        locals_ = self.analysis.local_names(self.function)
        reused: set[tuple[int, Loc]] = set()
        dropped: set[int] = set()
        for i, stmt in enumerate(originals):
            loaded = self.load(stmt)
            if loaded is not None and (i, loaded[1]) not in reused:
                for j in self.reuse_range(originals, i, *loaded):
                    replacer = ReplaceReads(loaded[1], cst.Name(loaded[0]), locals_)
                    body[j] = body[j].visit(replacer)  # type: ignore[assignment]
                    if replacer.count:
                        reused.add((j, loaded[1]))
            stored = self.store(stmt)
            if stored is not None and self.overwritten(originals, i, stored):
                dropped.add(i)
            self.check_atomic_reload(originals, i)
        if not reused and not dropped:
            return updated_node
        kept = [(i, s) for i, s in enumerate(body) if i not in dropped]
        if 0 in dropped and kept:  # the block's leading comment stays at the top
            kept[0] = (kept[0][0], kept[0][1].with_changes(leading_lines=body[0].leading_lines))
        return updated_node.with_changes(body=[s for _, s in kept] or [cst.SimpleStatementLine([cst.Pass()])])

    def one_line(self, stmt: cst.BaseStatement) -> cst.BaseSmallStatement | None:
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            return stmt.body[0]
        return None

    def load(self, stmt: cst.BaseStatement) -> tuple[str, Loc] | None:
        """``("a", x)`` for a line ``a = x`` that copies a plain location into a local."""
        small = self.one_line(stmt)
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name) and self.analysis.is_local(small.targets[0].target)):
            return None
        loc = self.analysis.location(small.value)
        if loc is None or (loc.kind == "array" and loc.part is None):
            return None
        return small.targets[0].target.value, loc

    def reuse_range(self, originals: list[cst.BaseStatement], i: int, local: str, loc: Loc) -> list[int]:
        """The statements after ``originals[i]`` whose reads of ``loc`` may reuse ``local``."""
        found: list[int] = []
        for j in range(i + 1, len(originals)):
            effects = self.analysis.effects(originals[j])
            if effects.sync:
                if any(self.analysis.effects(s).reads_from(loc) for s in originals[j:]):
                    self.decline(originals[j], f"{effects.sync}: the next read of `{loc}` must load again")
                break
            if effects.reads_from(loc):
                found.append(j)
            if effects.writes_to(loc) or local in effects.defines or effects.calls:
                break
        return found

    def store(self, stmt: cst.BaseStatement) -> Loc | None:
        """The location of a line ``x = e`` whose value may be dropped without losing an effect."""
        small = self.one_line(stmt)
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
            return None
        loc = self.analysis.location(small.targets[0].target)
        effects = self.analysis.effects(small)
        if loc is None or (loc.kind == "array" and loc.part is None) or effects.barrier or effects.may_fail:
            return None
        return loc

    def overwritten(self, originals: list[cst.BaseStatement], i: int, loc: Loc) -> bool:
        for j in range(i + 1, len(originals)):
            small = self.one_line(originals[j])
            effects = self.analysis.effects(originals[j])
            if isinstance(small, cst.Assign) and len(small.targets) == 1 \
                    and self.analysis.location(small.targets[0].target) == loc and not effects.reads_from(loc) \
                    and not effects.barrier and not effects.may_fail:
                return True
            if effects.sync:
                if any(self.store(s) == loc for s in originals[j + 1:]):
                    self.decline(originals[j], f"{effects.sync}: the store before it must stay")
                return False
            if any(r.overlaps(loc) for r in effects.touches) or effects.barrier or effects.may_fail:
                return False
        return False

    def check_atomic_reload(self, originals: list[cst.BaseStatement], i: int) -> None:
        """Two neighbouring loads of one atomic stay two loads: say so."""
        small = self.one_line(originals[i])
        if not (isinstance(small, cst.Assign) and isinstance(small.value, cst.Call)
                and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value == "load"):
            return
        atomic = self.analysis.sync_object(small.value.func.value)
        if atomic is None or i + 1 >= len(originals):
            return
        if f"{atomic}.load(" in self.code(originals[i + 1]).replace(" ", ""):
            self.decline(originals[i + 1], f"`{atomic}` is atomic")
