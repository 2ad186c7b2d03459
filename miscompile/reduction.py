"""Partial-order reduction: which enabled choices a state must explore (a stubborn set).

Two steps of different *processes* that touch nothing in common give the same
state in either order, so a search may explore one order only. The processes
are each thread (its steps) and, under tso and pso, the channels of each
thread's store buffer (its flushes), as Nidhugg models buffers: one channel per
thread under tso, one per thread and location under pso (whose flushes of
different locations commute). From a state, the reducer grows a set of
processes until it is closed:

- for an enabled process in the set, every process that could *ever* take a
  step that conflicts with its next step joins (its *future footprint*: what
  every instruction reachable from its program counter may touch, computed
  once per program);
- for a disabled process in the set, every process that could enable it joins
  (a lock's other users, the thread a join waits for, a thread's own buffer
  for a step that needs it drained, the threads that may start it; for a
  channel with nothing to flush, the thread whose store would fill it).

The enabled choices of the closed set are explored; trying enabled processes
as the seed (buffers first), the smallest set wins. Steps conflict when one writes a
location the other reads or writes, when they act on the same synchronisation
object, or when they start, join or end the same thread. A plain store under
tso and pso only enters the thread's own buffer: it conflicts with nothing;
its flush writes memory. A thread and its own buffer commute (a load sees the
same value before and after its own flush).

Such a set is *persistent*: every execution from the state is equivalent to
one that starts with a choice in the set, so every ending (ok, deadlock, a
failure) and every race is still found. The search adds the cycle proviso (a
reduced state whose successor is on the depth-first stack is expanded fully),
so no process is postponed around a cycle and hangs stay exact. Programs with
daemon threads are not reduced (their end depends on every other thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ir

if TYPE_CHECKING:  # pragma: no cover
    from .machine import Choice, Machine, State

NOT_STARTED, FINISHED = -1, -2  # as machine.py numbers them (imported late there)
#: Seeds tried per state: any stubborn set is sound, the smallest is only the best; with hundreds
#: of threads trying every one would cost more than the states it saves.
MAX_SEEDS = 6
MEMO_SIZE = 200_000  # stubborn sets remembered (by the threads' places and buffers' shapes)


@dataclass(frozen=True)
class Footprint:
    """What a step (or all the steps from a point on) may touch, as bit sets."""

    reads: int = 0  # locations read from memory (or the own buffer)
    writes: int = 0  # locations written straight to memory
    buffered: int = 0  # locations stored into the thread's own buffer (tso, pso)
    objects: int = 0  # synchronisation objects acted on
    threads: int = 0  # threads started, joined or ended
    drains: bool = False  # the step waits for the own buffer to be empty

    def __or__(self, other: Footprint) -> Footprint:
        return Footprint(self.reads | other.reads, self.writes | other.writes, self.buffered | other.buffered,
                         self.objects | other.objects, self.threads | other.threads, self.drains or other.drains)


NOTHING = Footprint()


class Reducer:
    """The stubborn-set computation for one machine (one program under one model)."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        program = machine.program
        self.buffering = machine.model.name != "sc"
        self.threads = len(program.threads)
        #: Store-buffer processes: one per thread (tso), or one per thread and location (pso, whose
        #: flushes of different locations are independent), numbered after the threads.
        self.per_location = getattr(machine.model, "channel_per_location", False)
        self.width = len(program.locations) if self.per_location else 1
        self.active = not machine.daemons
        every_attribute = 0
        for info in program.instances:
            for _, loc in info.attrs:
                every_attribute |= 1 << loc
        self.every_attribute = every_attribute
        self.memo: dict[tuple, list[Choice]] = {}
        self.shape = machine.model.shape
        self.buffers_slot = machine.layout.buffers
        self.current = [[self.step(op.instr, tid, op.drains) for op in ops] for tid, ops in enumerate(machine.ops)]
        for (parent, pc), members in machine.join_waits.items():  # a symmetric group's join waits for all
            self.current[parent][pc] = Footprint(threads=sum(1 << m for m in members), drains=True)
        self.future = [self.reachable(tid) for tid in range(self.threads)]

    # ------------------------------------------------------------------ footprints, once per program

    def bits(self, loc: ir.LocRef) -> int:
        if isinstance(loc, int):
            return 1 << loc
        if isinstance(loc, ir.Element):
            return ((1 << loc.array.length) - 1) << loc.array.base
        if isinstance(loc, ir.Entry):
            return self.dict_bits(loc.dict)
        return self.every_attribute  # an attribute of whichever object a value holds

    @staticmethod
    def dict_bits(d: ir.Dict) -> int:
        return (((1 << len(d.keys)) - 1) << d.base) | (1 << d.order)

    def step(self, instr: ir.Instr, tid: int, drains: bool) -> Footprint:
        """What executing ``instr`` as thread ``tid``'s step may touch (``drains``: the model makes
        it wait for the thread's buffer to be empty)."""
        if isinstance(instr, ir.Load):
            return Footprint(reads=self.bits(instr.loc))
        if isinstance(instr, ir.Store):
            bits = self.bits(instr.loc)
            return Footprint(buffered=bits) if self.buffering else Footprint(writes=bits)
        if isinstance(instr, ir.AtomicLoad):
            return Footprint(reads=self.bits(instr.loc))
        if isinstance(instr, ir.AtomicStore):
            bits = self.bits(instr.loc)
            if self.buffering and instr.order != "seq_cst":
                return Footprint(buffered=bits)
            return Footprint(writes=bits, drains=self.buffering)  # seq_cst: straight to memory, once drained
        if isinstance(instr, ir.AtomicRMW):
            bits = self.bits(instr.loc)
            return Footprint(reads=bits, writes=bits, drains=drains)
        if isinstance(instr, ir.DictOp):  # the order goes straight to memory, the values may be buffered
            bits = self.dict_bits(instr.dict)
            return Footprint(reads=bits, writes=bits, buffered=bits)
        if isinstance(instr, ir.SyncOp):
            return Footprint(objects=1 << instr.obj, drains=drains)
        if isinstance(instr, (ir.Start, ir.Join)):
            return Footprint(threads=1 << instr.thread, drains=drains)
        if isinstance(instr, ir.End):
            return Footprint(threads=1 << tid, drains=drains)
        return Footprint(drains=drains)  # fences, sleeps, local instructions: nothing shared

    def reachable(self, tid: int) -> list[Footprint]:
        """Per pc, the union of the footprints of every instruction reachable from it (itself
        included), along jumps, branches and exception edges: the thread's future."""
        code = self.machine.program.threads[tid].code
        unwind = self.machine.program.threads[tid].unwind
        successors: list[tuple[int, ...]] = []
        for pc, instr in enumerate(code):
            nexts = set()
            if isinstance(instr, ir.Jump):
                nexts.add(instr.target)
            elif isinstance(instr, (ir.Branch, ir.Catch)):
                nexts.update((pc + 1, instr.target))
            elif not isinstance(instr, ir.End):
                nexts.add(pc + 1)
            if unwind and 0 <= unwind[pc] < len(code):
                nexts.add(unwind[pc])  # any instruction may raise
            successors.append(tuple(n for n in nexts if 0 <= n < len(code)))
        future = list(self.current[tid])
        changed = True
        while changed:  # a fixpoint over the code's graph (its loops included)
            changed = False
            for pc in range(len(code) - 1, -1, -1):
                merged = future[pc]
                for n in successors[pc]:
                    merged = merged | future[n]
                if merged != future[pc]:
                    future[pc] = merged
                    changed = True
        return future

    # ------------------------------------------------------------------ per state

    def thread_future(self, state: State, tid: int) -> Footprint:
        pc = state[1 + tid]
        if pc >= 0:
            return self.future[tid][pc]
        if pc == NOT_STARTED:
            return self.future[tid][0] if self.future[tid] else NOTHING
        return NOTHING  # finished, or spinning locally forever

    def buffered_now(self, state: State, tid: int) -> int:
        bits = 0
        for loc, _ in self.machine.model.pending(state[self.buffers_slot], tid):
            bits |= 1 << loc
        return bits

    def ample(self, state: State, choices: list[Choice]) -> list[Choice]:
        """The choices of the smallest stubborn set found: a subset of ``choices`` that a search
        may explore alone (with the cycle proviso), or all of them.

        The set depends only on where each thread is, which locations each buffer holds (in
        order) and which choices are enabled, not on the values: many states share it, so it
        is remembered by that key."""
        if not self.active or len(choices) <= 1:
            return choices
        key = (state[1:1 + self.threads], self.shape(state[self.buffers_slot]) if self.buffering else (),
               tuple(choices))
        kept = self.memo.get(key)
        if kept is None:
            if len(self.memo) > MEMO_SIZE:
                self.memo.clear()
            kept = self.memo[key] = self.compute(state, choices)
        return list(kept) if len(kept) < len(choices) else choices  # a copy: the search may extend it

    # ------------------------------------------------------------------ processes

    def channel(self, tid: int, loc: int) -> int:
        """The process of thread ``tid``'s buffer that flushes ``loc``."""
        return self.threads + tid * self.width + (loc if self.per_location else 0)

    def owner(self, process: int) -> int:
        """The thread whose buffer a channel process belongs to."""
        return (process - self.threads) // self.width

    def channels(self, tid: int, bits: int) -> list[int]:
        """Thread ``tid``'s channels that flush any of the locations in ``bits``."""
        if not bits:
            return []
        if not self.per_location:
            return [self.threads + tid]
        out, loc = [], 0
        while bits:
            if bits & 1:
                out.append(self.channel(tid, loc))
            bits >>= 1
            loc += 1
        return out

    def compute(self, state: State, choices: list[Choice]) -> list[Choice]:
        threads = self.threads
        # processes: 0..n-1 the threads, then the buffers' channels
        by_process: dict[int, list[Choice]] = {}
        for choice in choices:
            kind, tid, key = choice
            process = tid if kind == 0 else self.channel(tid, key)
            by_process.setdefault(process, []).append(choice)
        if len(by_process) <= 1:
            return choices
        futures = [self.thread_future(state, t) for t in range(threads)]
        # per thread, the locations its buffer holds now: a flush of one of those conflicting with a
        # step brings the buffer into the set; one the thread has yet to store brings the thread
        # (that store is the only way to such a flush, as a stubborn set's enabling step)
        flushes = [self.buffered_now(state, t) for t in range(threads)] if self.buffering else [0] * threads
        best: list[Choice] | None = None
        for own_buffer in ((True, False) if self.buffering else (True,)):
            for seed in sorted(by_process, key=lambda p: (len(by_process[p]), p < threads))[:MAX_SEEDS]:
                members = self.closure(state, seed, by_process, futures, flushes, own_buffer)
                if members is None:
                    continue
                picked = [c for p in sorted(members) if p in by_process for c in by_process[p]]
                if best is None or len(picked) < len(best):
                    best = picked
                    if len(best) == 1:
                        return best
            if best is not None:
                break  # the second way only when the first found no smaller set
        return best if best is not None and len(best) < len(choices) else choices

    def closure(self, state: State, seed: int, enabled: dict[int, list[Choice]], futures: list[Footprint],
                flushes: list[int], own_buffer: bool) -> set[int] | None:
        """The stubborn set grown from ``seed``; None once it holds every enabled process."""
        threads = self.threads
        members = {seed}
        work = [seed]
        while work:
            p = work.pop()
            for q in self.needed(state, p, p in enabled, enabled, futures, flushes, own_buffer):
                if q not in members:
                    members.add(q)
                    work.append(q)
            if all(e in members for e in enabled):
                return None
        return members if any(p in enabled for p in members) else None

    def needed(self, state: State, p: int, is_enabled: bool, enabled: dict[int, list[Choice]],
               futures: list[Footprint], flushes: list[int], own_buffer: bool) -> list[int]:
        """The processes that must join a stubborn set holding ``p``. A load its own buffer
        answers is either kept apart from other threads' stores by its own buffer joining
        (``own_buffer``) or treated as a load from memory: both are sound, either may be smaller."""
        threads = self.threads
        out: list[int] = []
        if p >= threads:  # a buffer's channel: its flushes write memory
            t = self.owner(p)
            if not is_enabled:
                if self.per_location and flushes[t] >> ((p - threads) % self.width) & 1:
                    # its store waits behind a release store's earlier ones: those flushes come first
                    return [q for q in enabled if q >= threads and self.owner(q) == t]
                return [t]  # only its thread's stores fill it
            written = 0
            for choice in enabled[p]:
                written |= self.flush_bits(state, choice)
            for u in range(threads):
                if u != t and (written & (futures[u].reads | futures[u].writes)):
                    out.append(u)
                if u != t:
                    out += self.channels(u, written & flushes[u])
                if u != t and written & futures[u].buffered:
                    out.append(u)
            return out
        t = p
        pc = state[1 + t]
        if pc == NOT_STARTED:  # the threads that may start it
            return [u for u in range(threads) if u != t and futures[u].threads >> t & 1]
        if pc < 0:
            return []  # finished or spinning: it has no steps
        step = self.current[t][pc]
        if not is_enabled:
            if step.drains and not self.machine.model.drained(state[self.buffers_slot], t):
                out += self.channels(t, flushes[t])
            instr = self.machine.program.threads[t].code[pc]
            if isinstance(instr, ir.SyncOp):
                out += [u for u in range(threads) if u != t and futures[u].objects & step.objects]
            elif isinstance(instr, ir.Join):
                out.extend(self.machine.join_waits.get((t, pc), (instr.thread,)))
            elif isinstance(instr, ir.AtomicStore):
                out += self.channels(t, flushes[t])  # a seq_cst store waits for the buffer to drain
            return out
        reads = step.reads
        if own_buffer and self.buffering and reads \
                and isinstance(self.machine.program.threads[t].code[pc], ir.Load) \
                and reads & self.buffered_now(state, t):
            # a load its own buffer answers reads no memory, as long as that entry stays: its own
            # buffer joins (whose flushes could otherwise let another thread's value through)
            out += self.channels(t, reads & flushes[t])
            reads &= ~flushes[t]
        step = Footprint(reads, step.writes, step.buffered, step.objects, step.threads, step.drains)
        touched = step.reads | step.writes
        for u in range(threads):
            if u == t:
                continue
            f = futures[u]
            if (step.writes & (f.reads | f.writes)) or (step.reads & f.writes) or (step.objects & f.objects) \
                    or (step.threads & f.threads):
                out.append(u)
            out += self.channels(u, touched & flushes[u])
            if touched & f.buffered:
                out.append(u)
        return out

    def flush_bits(self, state: State, choice: Choice) -> int:
        """The location a flush writes: the oldest entry (tso) or the chosen location (pso)."""
        _, tid, key = choice
        if key >= 0:
            return 1 << key
        pending = self.machine.model.pending(state[self.buffers_slot], tid)
        return 1 << pending[0][0] if pending else 0
