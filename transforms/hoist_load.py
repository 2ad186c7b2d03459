"""``hoist-load``: read speculation, a load guarded by a branch moves above the branch.

``if ready: r = x`` becomes ``_x = x; if ready: r = _x``. Reading ``x`` early
is harmless single-threaded (a load has no effect, and the value is only used
where it was used before), and it lets the load overlap the test. In a
race-free program nobody writes ``x`` between the two points without
synchronising, so the pass is drf-safe. In the publication example the
consumer can now read ``x`` before it sees ``ready``: r == 0 even under sc.
"""

from __future__ import annotations

import libcst as cst

from .base import Keeps, Pass, Rewrite, insert_before, with_thread_list
from .concurrency import ReplaceReads

_CONSUMER = """import threading
{imports}
x = 0
ready = {ready}
r = -1


def consumer():
    global r
{body}


t = threading.Thread(target=consumer)
t.start()
t.join()
"""


class HoistLoad(Pass):
    NAME = "hoist-load"
    SUMMARY = "move a load guarded by a branch above the branch (read speculation)"
    LEGALITY = "drf-safe"
    PRECONDITIONS = (
        ("the load is in the first statement of the branch, which neither synchronises nor calls a function, "
        "and does more than copy the location into a local (the shape this pass leaves behind)"),
        "the condition does not synchronise (no atomic, lock, Event or Queue operation)",
        "the load cannot fail: a plain variable, a field, or an array element at a constant index",
    )
    EXAMPLES = (
        Rewrite(before=_CONSUMER.format(imports="", ready=0, body="    if ready == 1:\n        r = x"),
                after=_CONSUMER.format(imports="", ready=0, body="    _x = x\n    if ready == 1:\n        r = _x")),
        Keeps(_CONSUMER.format(imports="from miscompile.atomics import Atomic\n", ready="Atomic(0)",
                               body="    if ready.load() == 1:\n        r = x"),
              because="`ready` is atomic"),
        Keeps(_CONSUMER.format(imports="", ready=0, body="    i = ready\n    if i < 1:\n        r = a[i]")
              .replace("x = 0", "a = [5]"),
              because="`a[?]` could be out of range on the path that skips the branch"),
    )
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def rewrite_block(self, originals: list[cst.BaseStatement],
                      body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        new: list[cst.BaseStatement] = []
        for original, updated in zip(originals, body):
            if isinstance(original, cst.If) and isinstance(updated, cst.If):
                hoisted, updated = self.hoist(original, updated)
                new.extend(insert_before(hoisted, updated))
            else:
                new.append(updated)
        return new

    def hoist(self, original: cst.If, updated: cst.If) -> tuple[list[cst.BaseStatement], cst.If]:
        if not (isinstance(original.body, cst.IndentedBlock) and isinstance(updated.body, cst.IndentedBlock)):
            return [], updated
        analysis = self.analysis
        first = original.body.body[0]
        guarded = analysis.effects(first)
        if not guarded.reads or guarded.sync or guarded.calls or not isinstance(first, cst.SimpleStatementLine) \
                or analysis.local_copy(first):  # ``t = x``: the shape this pass leaves; hoisting it would never stop
            return [], updated
        test = analysis.effects(original.test)
        if test.sync:
            self.decline(original, test.sync)
            return [], updated
        assert self.function is not None
        locals_ = analysis.local_names(self.function)
        hoisted: list[cst.BaseStatement] = []
        new_first = updated.body.body[0]
        for loc in sorted(guarded.reads):
            if loc.part is None and loc.kind == "array":
                self.decline(original, f"`{loc}` could be out of range on the path that skips the branch")
                continue
            if loc.kind == "object":
                self.decline(original, f"`{loc}` is an object attribute: the pass cannot tell which object it names")
                continue
            name = self.fresh(self.temp_name(str(loc)))
            replacer = ReplaceReads(loc, cst.Name(name), locals_)
            new_first = new_first.visit(replacer)  # type: ignore[assignment]
            if replacer.count:
                hoisted.append(self.statement(f"{name} = {loc}\n"))
        if not hoisted:
            return [], updated
        block = updated.body.with_changes(body=[new_first, *updated.body.body[1:]])
        return hoisted, updated.with_changes(body=block)
