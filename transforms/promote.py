"""``promote``: keep a shared variable that a loop updates in a local for the whole loop.

Register promotion: load ``counter`` into ``_counter`` before the loop, work on
the local, store it back after the loop. Around each call and each
synchronisation inside the loop the local is spilled (``counter = _counter``)
and reloaded (``_counter = counter``), so code on the other side still sees
memory as the thread left it. Single-threaded this is exact. But the load
before the loop and the store after it happen outside whatever lock the loop
takes, and with locking that is conditional (``if mt: lock.acquire()``) the
loop's accesses are no longer inside the lock at all: increments are lost.
Boehm's "Threads cannot be implemented as a library" shows this with gcc.
The pass is race-introducing.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from .base import Keeps, Pass, Rewrite, insert_before, with_thread_list
from .concurrency import Concurrency, Loc, ReplaceReads

_LOOP = """import threading
{imports}
lock = threading.Lock()
counter = 0


def work(mt):
    global counter
    for _ in range(2):
{body}


t = threading.Thread(target=work, args=(True,))
t.start()
t.join()
"""


class _Spiller(cst.CSTTransformer):
    """Rewrite one loop: promoted locations become locals, spilled and reloaded around calls and syncs.

    It runs on the original loop, so the analysis can still tell which
    statements synchronise; the spill and reload lines it inserts are new
    nodes and are never renamed.
    """

    def __init__(self, analysis: Concurrency, promoted: list[tuple[Loc, str]], locals_: frozenset[str]) -> None:
        super().__init__()
        self.analysis = analysis
        self.promoted = promoted
        self.matchers = [ReplaceReads(loc, cst.Name(name), locals_, writes_too=True) for loc, name in promoted]
        self.problem: tuple[cst.CSTNode, str] | None = None

    def spills(self) -> list[cst.BaseStatement]:
        return [cst.parse_statement(f"{loc} = {name}\n") for loc, name in self.promoted]

    def reloads(self) -> list[cst.BaseStatement]:
        return [cst.parse_statement(f"{name} = {loc}\n") for loc, name in self.promoted]

    def on_visit(self, node: cst.CSTNode) -> bool:
        if any(m.matches(node) for m in self.matchers):
            return False
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        for matcher in self.matchers:
            if matcher.matches(original_node):
                return matcher.replacement
        return super().on_leave(original_node, updated_node)

    def crosses(self, node: cst.CSTNode) -> str | None:
        effects = self.analysis.effects(node)
        return effects.sync or (f"it calls {', '.join(sorted(effects.calls))}()" if effects.calls else None)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine,
                                  updated_node: cst.SimpleStatementLine):
        if self.crosses(original_node) is None:
            return updated_node
        touched = self.analysis.effects(original_node).touches
        if any(loc.overlaps(t) for loc, _ in self.promoted for t in touched):
            self.problem = (original_node, (f"`{self.analysis.code(original_node)}` accesses a promoted location "
                                           "while it synchronises or calls"))
            return updated_node
        return cst.FlattenSentinel([*insert_before(self.spills(), updated_node), *self.reloads()])

    def visit_If(self, node: cst.If) -> None:
        self.check_test(node, node.test)

    def visit_While(self, node: cst.While) -> None:
        self.check_test(node, node.test)

    def check_test(self, node: cst.CSTNode, test: cst.BaseExpression) -> None:
        reason = self.crosses(test)
        if reason and self.problem is None:
            self.problem = (node, f"the condition `{self.analysis.code(test)}` synchronises or calls ({reason})")

    def leave_With(self, original_node: cst.With, updated_node: cst.With):
        if not any(self.analysis.sync_object(item.item) for item in original_node.items):
            return updated_node
        block = updated_node.body
        assert isinstance(block, cst.IndentedBlock)
        inner = block.with_changes(body=[*self.reloads(), *block.body, *self.spills()])
        return cst.FlattenSentinel([*insert_before(self.spills(), updated_node.with_changes(body=inner)),
                                    *self.reloads()])


class Promote(Pass):
    NAME = "promote"
    SUMMARY = "keep a variable a loop updates in a local; spill and reload it around calls and locks"
    LEGALITY = "race-introducing"
    PRECONDITIONS = (
        "the loop writes the location, a plain variable or an array element at a constant index (not a byte "
        "field, whose arithmetic wraps at 256)",
        "the loop does not return, and no condition of an `if` or `while` in it synchronises",
    )
    EXAMPLES = (
        Rewrite(
            before=_LOOP.format(imports="", body="        if mt:\n            lock.acquire()\n        counter += 1\n"
                                               "        if mt:\n            lock.release()"),
            after=_LOOP.format(imports="", body="        if mt:\n            counter = _counter\n"
                                              "            lock.acquire()\n            _counter = counter\n"
                                              "        _counter += 1\n        if mt:\n"
                                              "            counter = _counter\n            lock.release()\n"
                                              "            _counter = counter")
            .replace("    for _ in range(2):", "    _counter = counter\n    for _ in range(2):")
            .replace("\n\n\nt = ", "\n    counter = _counter\n\n\nt = "),
        ),
        Keeps(_LOOP.format(imports="", body="        if counter > 5:\n            return\n        counter += 1"),
              because="the loop returns from the function"),
        Keeps(_LOOP.format(imports="from miscompile.atomics import Atomic\n", body="        counter.fetch_add(1)")
              .replace("counter = 0", "counter = Atomic(0)").replace("    global counter\n", ""),
              because="`counter` is atomic"),
    )
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def visit_Module(self, node: cst.Module) -> bool:
        self.loop_depth = 0
        return True

    def visit_While(self, node: cst.While) -> bool:
        self.loop_depth += 1
        return True

    def visit_For(self, node: cst.For) -> bool:
        self.loop_depth += 1
        return True

    def leave_While(self, original_node: cst.While, updated_node: cst.While):
        self.loop_depth -= 1
        return self.promote(original_node) if self.loop_depth == 0 else updated_node

    def leave_For(self, original_node: cst.For, updated_node: cst.For):
        self.loop_depth -= 1
        return self.promote(original_node) if self.loop_depth == 0 else updated_node

    def promote(self, loop: cst.While | cst.For):
        """Promote in an outermost loop (inner loops are left unchanged, so metadata still applies)."""
        if self.function is None:
            return loop
        analysis = self.analysis
        effects = analysis.effects(loop.body if isinstance(loop, cst.For) else loop)
        written = sorted(loc for loc in effects.writes if (loc.kind != "array" or loc.part is not None)
                         and not self.only_copies(loop, loc))
        for loc in [loc for loc in written if loc.kind == "struct"]:
            self.decline(loop, f"`{loc}` is a byte field: in a register it would not wrap at 256")
            written.remove(loc)
        for loc in [loc for loc in written if loc.kind == "object"]:
            self.decline(loop, f"`{loc}` is an object attribute: the pass cannot tell which object it names")
            written.remove(loc)
        if not written:
            if effects.sync and any(analysis.kind(name) == "atomic" for name in analysis.names_in(loop)):
                self.decline(loop, effects.sync)
            return loop
        if m.findall(loop, m.Return()):
            self.decline(loop, "the loop returns from the function")
            return loop
        promoted = [(loc, self.fresh(self.temp_name(str(loc)))) for loc in written]
        spiller = _Spiller(analysis, promoted, analysis.local_names(self.function))
        new_loop = loop.visit(spiller)
        if spiller.problem is not None:
            self.decline(*spiller.problem)
            return loop
        before = [self.statement(f"{name} = {loc}\n") for loc, name in promoted]
        after = [self.statement(f"{loc} = {name}\n") for loc, name in promoted]
        return cst.FlattenSentinel([*insert_before(before, new_loop), *after])  # type: ignore[arg-type]

    def only_copies(self, loop: cst.CSTNode, loc: Loc) -> bool:
        """Whether every access to ``loc`` in the loop is a spill or reload: it is promoted already."""
        analysis = self.analysis
        copies_only = True

        class Lines(cst.CSTVisitor):
            def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
                nonlocal copies_only
                if not any(t.overlaps(loc) for t in analysis.effects(node).touches):
                    return False
                small = node.body[0] if len(node.body) == 1 else None
                if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                    copies_only = False
                    return False
                target, value = small.targets[0].target, small.value
                spill = analysis.location(target) == loc and isinstance(value, cst.Name) and analysis.is_local(value)
                reload = isinstance(target, cst.Name) and analysis.is_local(target) and analysis.location(value) == loc
                copies_only = copies_only and (spill or reload)
                return False

            def visit_With(self, node: cst.With) -> None:
                return None

        loop.visit(Lines())
        return copies_only
