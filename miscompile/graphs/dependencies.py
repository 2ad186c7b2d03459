"""Which earlier reads of its thread each event depends on: ARMv8's address, data and
control dependencies.

ARM keeps a read before a later access only for reasons it can see in the code:
the later access's *address* is computed from the value read (``a[r]``), a
stored *value* is (``y = r + 1``), or a branch on it comes first (``if r: y = 1``,
which orders later stores). Like herd7, this is syntactic: ``a[r - r]`` is an
address dependency although its value never changes. It is tracked while the
thread runs: each register holds the set of the thread's read events its value
was computed from, and a branch (or an assertion, which may end the thread)
adds its test's set to the thread's control set for good.

Events name their dependencies by their index in the thread's program order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import ir

NONE: frozenset[int] = frozenset()

#: Per thread: per register the reads its value comes from, and the reads a branch so far tested.
Taint = tuple[tuple[frozenset[int], ...], frozenset[int]]


@dataclass(frozen=True)
class Deps:
    """The reads an event depends on, by kind."""

    addr: frozenset[int] = NONE
    data: frozenset[int] = NONE
    ctrl: frozenset[int] = NONE


NO_DEPS = Deps()


@dataclass(frozen=True)
class Uses:
    """What one instruction reads and writes in registers, found once per instruction."""

    dst: int | None = None  # the register it sets
    from_event: bool = False  # the register receives the value the instruction's read returned
    value: frozenset[int] = NONE  # registers the value it sets or stores is computed from
    address: frozenset[int] = NONE  # registers its location is computed from
    test: frozenset[int] = NONE  # registers a branch (or an assertion) tests


def uses(instr: ir.Instr) -> Uses:
    def regs(node: object) -> frozenset[int]:
        return NONE if isinstance(node, int) or node is None else ir.registers_in(node)

    if isinstance(instr, ir.Assign):
        return Uses(instr.dst, value=regs(instr.value))
    if isinstance(instr, (ir.Branch, ir.Assert)):
        return Uses(test=regs(instr.test))
    if isinstance(instr, (ir.Load, ir.AtomicLoad)):
        return Uses(instr.dst, from_event=True, address=regs(instr.loc))
    if isinstance(instr, (ir.Store, ir.AtomicStore)):
        return Uses(value=regs(instr.value), address=regs(instr.loc))
    if isinstance(instr, ir.AtomicRMW):
        return Uses(instr.dst, from_event=True, value=regs(instr.args), address=regs(instr.loc))
    if isinstance(instr, ir.DictOp):
        key = regs(instr.key)
        return Uses(instr.dst, from_event=True, value=key | regs(instr.args), address=key)
    if isinstance(instr, (ir.SyncOp, ir.Catch)):
        return Uses(instr.dst)  # a lock's result, an exception: no read of memory the model orders
    return Uses()


class Tracker:
    """Dependency tracking for one program: ``initial`` taint, and ``step`` through the
    instructions one machine step ran."""

    def __init__(self, program: ir.Program) -> None:
        self.uses = [[uses(instr) for instr in code.code] for code in program.threads]
        self.registers = [len(code.registers) for code in program.threads]

    def initial(self) -> tuple[Taint, ...]:
        return tuple(((NONE,) * n, NONE) for n in self.registers)

    def step(self, taint: Taint, tid: int, pcs: Iterable[int], event: int | None,
             reads: frozenset[int] | None = None) -> tuple[Taint, Deps]:
        """The taint after running the instructions at ``pcs`` (the step's own instruction
        first, which made event number ``event`` of the thread, if any, and the reads ``reads``
        when it made several events: a dict operation), and that step's dependencies."""
        registers, control = taint
        regs = list(registers)
        table = self.uses[tid]
        deps = NO_DEPS
        first = True
        for pc in pcs:
            use = table[pc]
            if first and event is not None:
                deps = Deps(_union(regs, use.address), _union(regs, use.value), control)
            first = False
            if use.test:
                control = control | _union(regs, use.test)
            if use.dst is not None:
                if use.from_event and event is not None:
                    regs[use.dst] = frozenset({event}) if reads is None else reads
                else:
                    regs[use.dst] = _union(regs, use.value)
        return (tuple(regs), control), deps


def _union(regs: list[frozenset[int]], which: frozenset[int]) -> frozenset[int]:
    found = NONE
    for r in which:
        if r < len(regs):
            found = found | regs[r]
    return found
