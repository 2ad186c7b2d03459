"""Which registers a thread can still read: dead ones are forgotten between steps.

A thread's registers hold its locals and the frontend's temporaries (the value
a load fetched for ``count += 1``, a condition's parts). Once nothing can read
a value again, keeping it only splits states that behave the same: Peterson's
lock under tso has about five times more states with its spent temporaries
than without. So, as SPIN's and GenMC's front ends do with dead variables, the
machine resets every register that is dead at the instruction a thread is
parked at (under ``reduce``; ``--no-reduce`` keeps them).

A register is *live* at a pc when some path from there reads it before writing
it. Paths follow jumps, branches and ``except`` clauses, and also the
exception edge every instruction has to its landing pad; an instruction that
raises has not written its destination, so that edge carries what is live at
the landing pad without the instruction's write. An ``except`` clause writes
its destination only when it handles the exception, so it is not counted as a
write. An instruction's reads are ``ir.registers_in`` of the whole instruction.
"""

from __future__ import annotations

from . import ir

#: Instructions that always write ``dst`` (when it is set) once they complete.
WRITES_DST = (ir.Assign, ir.Load, ir.AtomicLoad, ir.AtomicRMW, ir.DictOp, ir.SyncOp)


def dead_registers(thread: ir.ThreadCode) -> list[tuple[int, ...]]:
    """Per pc, the registers no path from that pc reads before writing (the thread may forget them)."""
    code, unwind = thread.code, thread.unwind
    size = len(code)
    reads = [sum(1 << r for r in ir.registers_in(instr)) for instr in code]
    writes = [1 << instr.dst if isinstance(instr, WRITES_DST) and instr.dst is not None else 0  # type: ignore[attr-defined]
              for instr in code]
    successors: list[tuple[int, ...]] = []
    for pc, instr in enumerate(code):
        if isinstance(instr, ir.Jump):
            nexts: tuple[int, ...] = (instr.target,)
        elif isinstance(instr, (ir.Branch, ir.Catch)):
            nexts = (pc + 1, instr.target)
        elif isinstance(instr, ir.End):
            nexts = ()
        else:
            nexts = (pc + 1,)
        successors.append(tuple(n for n in nexts if 0 <= n < size))
    landing = [unwind[pc] if unwind and 0 <= unwind[pc] < size else -1 for pc in range(size)]
    live = [0] * size
    changed = True
    while changed:  # a backward fixpoint over the code's graph, loops included
        changed = False
        for pc in range(size - 1, -1, -1):
            after = 0
            for n in successors[pc]:
                after |= live[n]
            now = reads[pc] | (after & ~writes[pc])
            if landing[pc] >= 0:
                now |= live[landing[pc]]
            if now != live[pc]:
                live[pc] = now
                changed = True
    count = len(thread.registers)
    return [tuple(r for r in range(count) if not live[pc] >> r & 1) for pc in range(size)]
