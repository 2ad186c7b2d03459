"""``reorder``: schedule adjacent independent accesses to different locations in a fixed order.

Two adjacent statements that touch different plain locations, and share no
local, mean the same thing single-threaded in either order, so a compiler's
scheduler may emit them in any order. This pass uses one deterministic
schedule: loads before stores (a load's latency is better started early), and
otherwise the location declared later (the higher address) first. Every
dependent pair keeps its order, and sorting again changes nothing, so the pass
is idempotent. In a race-free program no other thread can observe the order of
two accesses between synchronisation points, so the pass is drf-safe; in the
broken flag, ``ready = True`` now reaches memory before ``data = 42`` even
under sc.
"""

from __future__ import annotations

import libcst as cst

from .base import Keeps, Pass, Rewrite, with_thread_list
from .concurrency import Effects, Loc, one_line

_WRITER = """import threading
{imports}
data = 0
ready = False


def writer():
    global data, ready
{body}


t = threading.Thread(target=writer)
t.start()
t.join()
"""



_BOX = """import threading


class Box:
    def __init__(self):
        self.data = 0
        self.ready = False

    def publish(self, value):
{body}


box = Box()


def writer():
    box.publish(42)


t = threading.Thread(target=writer)
t.start()
t.join()
"""

class Reorder(Pass):
    NAME = "reorder"
    SUMMARY = "swap adjacent independent accesses to different plain locations (loads first, then by address)"
    LEGALITY = "drf-safe"
    PRECONDITIONS = (
        "both statements access shared memory that is not atomic, and different locations",
        "neither uses a local the other assigns, and neither synchronises, calls, prints, asserts or may fail",
    )
    EXAMPLES = (
        Rewrite(before=_WRITER.format(imports="", body="    data = 42\n    ready = True"),
                after=_WRITER.format(imports="", body="    ready = True\n    data = 42")),
        Rewrite(before=_WRITER.format(imports="", body="    data = 1\n    r = ready\n    print(r)"),
                after=_WRITER.format(imports="", body="    r = ready\n    data = 1\n    print(r)")),
        Keeps(_WRITER.format(imports="", body="    r = data\n    ready = r")),
        Keeps(_WRITER.format(imports="from miscompile.atomics import Atomic\n", body="    data = 42\n"
                             "    ready.store(True)").replace("ready = False", "ready = Atomic(False)")
              .replace("global data, ready", "global data"),
              because="`ready` is atomic"),
        Rewrite(before=_BOX.format(body="        self.data = value\n        self.ready = True"),
                after=_BOX.format(body="        self.ready = True\n        self.data = value")),
    )
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def rewrite_block(self, originals: list[cst.BaseStatement],
                      body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        effects = [self.movable(s) for s in originals]
        order: list[int] = []
        start = 0
        for i in range(len(originals) + 1):
            if i == len(originals) or effects[i] is None:
                order.extend(self.schedule(list(range(start, i)), effects))
                if i < len(originals):
                    order.append(i)
                    self.check_barrier(originals, effects, i)
                start = i + 1
        if order == sorted(order):
            return None
        moved = [body[i] for i in order]
        # the blank lines and comments above the block's first line stay at the top
        first = order.index(0)
        moved[first] = moved[first].with_changes(leading_lines=moved[0].leading_lines)  # type: ignore[attr-defined]
        moved[0] = moved[0].with_changes(leading_lines=body[0].leading_lines)  # type: ignore[attr-defined]
        return moved

    def movable(self, stmt: cst.BaseStatement) -> Effects | None:
        """The effects of a one-line statement that accesses plain shared memory and nothing riskier."""
        if not isinstance(one_line(stmt), (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            return None
        effects = self.analysis.effects(stmt)
        if effects.barrier or effects.may_fail or not effects.touches:
            return None
        return effects

    def key(self, index: int, effects: Effects) -> tuple[int, int, int]:
        """Loads before stores; then the higher address first; then the original order."""
        address = max(self.address(loc) for loc in effects.touches)
        return (1 if effects.writes else 0, -address, index)

    def address(self, loc: Loc) -> int:
        facts = self.analysis.facts
        if loc.kind == "array":
            array = facts.arrays[loc.base]
            return array.base + (int(loc.part) if loc.part is not None else 0)
        if loc.kind == "struct":
            fields = facts.instances[loc.base]
            return fields[loc.part] if loc.part is not None else min(fields.values())
        if loc.kind == "object":  # which object only the call knows: the first attribute of that name
            return min((attrs[loc.part] for _, attrs in facts.records.values() if loc.part in attrs), default=-1)
        return facts.scalars[loc.base]

    def schedule(self, run: list[int], effects: list[Effects | None]) -> list[int]:
        """The run in key order, except that each statement stays after every earlier one it depends on."""
        placed: list[int] = []
        remaining = list(run)
        while remaining:
            ready = [i for i in remaining
                     if all(j in placed or effects[i].independent_of(effects[j])  # type: ignore[union-attr]
                            for j in run if j < i)]
            best = min(ready, key=lambda i: self.key(i, effects[i]))  # type: ignore[arg-type]
            placed.append(best)
            remaining.remove(best)
        return placed

    def check_barrier(self, originals: list[cst.BaseStatement], effects: list[Effects | None], i: int) -> None:
        """Report an atomic or synchronising line that keeps a neighbouring access in place."""
        stmt = originals[i]
        if one_line(stmt) is None:
            return
        reason = self.analysis.effects(stmt).sync
        if reason is None:
            return
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(originals) and effects[j] is not None]
        if neighbours:
            self.decline(stmt, f"{reason}; `{self.code(originals[neighbours[0]])}` stays on its side of it")
