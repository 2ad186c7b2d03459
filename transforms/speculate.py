"""``speculate``: make a conditional store unconditional, and undo it when the condition fails.

``if c: y = v`` becomes ``_y = y; y = v; if not c: y = _y``, and
``if c: y += 1`` becomes ``y += 1; if not c: y -= 1``. Single-threaded the end
state is the same, and the branch-free store may be cheaper. But the store now
happens on paths where the program never stored: in a program where no
sequentially consistent execution writes ``y`` at all (and which is therefore
race-free), the speculated store races with the other thread's reads, and
x == y == True can appear out of nothing. Race-introducing.
"""

from __future__ import annotations

import libcst as cst

from .base import Keeps, Pass, Rewrite, replace_with, with_thread_list

_PAIR = """import threading
{imports}
x = False
y = False


def first():
    global y
{body}


t = threading.Thread(target=first)
t.start()
t.join()
"""

INVERSE = {cst.AddAssign: "-=", cst.SubtractAssign: "+="}


class Speculate(Pass):
    NAME = "speculate"
    SUMMARY = "store unconditionally, then restore the old value if the condition was false"
    LEGALITY = "race-introducing"
    PRECONDITIONS = (
        ("the `if` has no else branch and its body is one store `y = v` or `y op= v` to shared memory "
         "that is not atomic"),
        "the condition and the stored value do not synchronise, call functions or risk a run-time error",
        "the condition does not read `y` (it is evaluated after the speculative store)",
    )
    EXAMPLES = (
        Rewrite(before=_PAIR.format(imports="", body="    if x:\n        y = True"),
                after=_PAIR.format(imports="", body="    _y = y\n    y = True\n    if not x:\n        y = _y")),
        Rewrite(before=_PAIR.format(imports="", body="    if x or z > 1:\n        y = y * 2")
                .replace("y = False", "y = 0\nz = 0"),
                after=_PAIR.format(imports="", body="    _y = y\n    y = y * 2\n    if not (x or z > 1):\n"
                                                     "        y = _y").replace("y = False", "y = 0\nz = 0")),
        Rewrite(before=_PAIR.format(imports="", body="    if x:\n        y += 2"),
                after=_PAIR.format(imports="", body="    y += 2\n    if not x:\n        y -= 2")),
        Keeps(_PAIR.format(imports="", body="    if x and not y:\n        y = True"),
              because="the condition `x and not y` reads `y`"),
        Keeps(_PAIR.format(imports="from miscompile.atomics import Atomic\n",
                           body="    if x:\n        z.store(True)").replace("y = False", "z = Atomic(False)")
              .replace("global y", "global z"),
              because="`z` is atomic"),
    )
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def rewrite_block(self, originals: list[cst.BaseStatement],
                      body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        new: list[cst.BaseStatement] = []
        for i, (original, updated) in enumerate(zip(originals, body)):
            previous = originals[i - 1] if i else None
            rewritten = self.speculate(original, previous) if isinstance(original, cst.If) else None
            new.extend(replace_with(rewritten, updated) if rewritten else [updated])
        return new

    def speculate(self, node: cst.If, previous: cst.BaseStatement | None) -> list[cst.BaseStatement] | None:
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if node.orelse is not None or len(body) != 1:
            return None
        analysis = self.analysis
        inner = analysis.effects(body[0])
        test = analysis.effects(node.test)
        found = self.analysis.store(body[0])
        if found is None:
            if inner.sync:
                self.decline(node, inner.sync)
            return None
        loc, store = found
        prior = self.analysis.store(previous)
        if prior is not None and prior[0] == loc:
            return None  # already stored unconditionally just before (this pass's own output)
        if test.barrier or inner.barrier:
            self.decline(node, test.barrier or inner.barrier)  # type: ignore[arg-type]
            return None
        condition = self.code(node.test)
        if test.reads_from(loc):
            self.decline(node, f"the condition `{condition}` reads `{loc}`")
            return None
        if test.may_fail or inner.may_fail:
            self.decline(node, "it could raise a run-time error on the path that did not store")
            return None
        negated = self.negate(node.test)
        target = self.code(store.target if isinstance(store, cst.AugAssign) else store.targets[0].target)
        if isinstance(store, cst.AugAssign) and type(store.operator) in INVERSE \
                and not analysis.effects(store.value).reads_from(loc):
            undo = f"{target} {INVERSE[type(store.operator)]} {self.code(store.value)}"
            return [body[0], self.statement(f"if {negated}:\n    {undo}\n")]
        old = self.fresh(self.temp_name(str(loc)))
        return [self.statement(f"{old} = {target}\n"), body[0], self.statement(f"if {negated}:\n    {target} = {old}\n")]

    def negate(self, test: cst.BaseExpression) -> str:
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = test.expression
            code = self.code(inner)
            return code[1:-1] if isinstance(inner, cst.BaseExpression) and inner.lpar and code.startswith("(") \
                and code.endswith(")") else code
        code = self.code(test)
        return f"not ({code})" if isinstance(test, (cst.BooleanOperation, cst.IfExp)) else f"not {code}"
