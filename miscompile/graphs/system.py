"""Exploring execution graphs: the search of ``explore.py`` over graphs instead of machine states.

A state is each thread's local state (where it is, its registers, its output)
and the graph of the events so far. A step adds one event of one thread: a
read chooses which write it reads from, a write where it goes in coherence
order, a read-modify-write the write it reads (and goes right after it). A
step whose graph the model's axioms reject is not taken (inconsistency only
grows as events are added, so no consistent execution is lost). Because each
read reads a write already in the graph, the graphs are built in an order of
``po | rf``: every execution of a model that forbids cycles in ``po | rf``
(sc, tso, pso, RC11) is reached that way.

ARM allows cycles in ``po | rf`` (load buffering: each thread's read reads the
other's later write), so under ``arm`` a write just added may also *revisit* an
earlier read of another thread on its location, as GenMC's revisits do: the
read now reads the new write, and the graph keeps every event that does not
come after that read in ``po | rf``, and the read and the write with what they
need (their program-order and reads-from predecessors, following every read's
source but the revisited one's). Unlike GenMC no insertion order is kept, so a
state is still its graph. The threads' local states are then rebuilt by
running the program again against that graph (``replay``), which must produce
every kept event (the same accesses to the same places, values recomputed from
the revisited read): an event whose place depended on the old value cannot
stay, and the axioms reject a write that would justify its own value (no
out-of-thin-air values). Under ``arm`` the engine also tracks
each event's address, data and control dependencies (``dependencies``).

Spin loops are cut as GenMC's spin-assume cuts them: a round of a loop that
only reads (``while not ready: pass``, Peterson's wait) and comes back to its
head blocks the thread for good in that execution. Another execution, where
the thread starts its round later, reads what the others wrote since; so a
blocked thread is an execution of its own only when its round read the
latest write of every location it read and nothing else can move: a ``hang``.

Each thread's steps are interpreted by the operational machine itself (under
sc, with the value read placed in memory), so the dialect means the same in
both engines; the events come from what the machine reports it did.
"""

from __future__ import annotations

from typing import Any

import itertools

from .. import ir
from .. import machine as m
from ..bounds import BoundExceeded
from ..errors import SourceError, UsageError
from ..explore import Result
from ..ir import Program
from ..models import get_model
from ..outcomes import Outcome
from ..sync import KINDS
from . import dicts
from .axioms import MODELS
from .dependencies import Taint, Tracker
from .execution import INIT, Event, EventId, Graph
from .rc11 import Relations

#: (thread, "read"/"write"/"dict"/"step"/"revisit", and the write read, the co position, a dict
#: operation's ``dicts.Detail``, or the read revisited with which of that revisit's results)
Choice = tuple[int, str, Any]
#: Each thread's local state, the graph, per thread where its current spin round began (the number
#: of its events then; -1 outside a round, or BLOCKED + that number once a round came back
#: unchanged), and under arm: each thread's register dependencies and the writes the last step
#: added (the ones that may revisit reads); else () and ().
State = tuple[m.State, Graph, tuple[int, ...], tuple[Taint, ...], tuple[EventId, ...]]
BLOCKED = 1 << 30
#: Instructions that may read or write memory: the only steps with more than one way to go.
ACCESSES = (ir.Load, ir.Store, ir.AtomicLoad, ir.AtomicStore, ir.AtomicRMW)
#: Graphs whose consistency is remembered before the memo starts afresh.
VERDICT_MEMO = 100_000
#: Revisited graphs remembered (with what replaying them gave) before the memo starts afresh.
REVISIT_MEMO = 200_000
#: What the machine reports for a step that reads memory.
READS = (m.READ, m.ATOMIC_LOAD, m.ATOMIC_RMW)
MAX_EVENTS = 64  # per thread: a loop that goes on longer makes the search partial
#: Models that allow cycles in po | rf, explored with revisits and dependency tracking.
REVISITING = ("arm",)


class GraphSystem:
    """One program's executions under one axiomatic model, as a ``System`` for ``explore``."""

    canonical = None

    def __init__(self, program: Program, model: str, max_events: int = MAX_EVENTS) -> None:
        if model not in MODELS:
            raise UsageError(f"the graph engine has no model {model!r} (it has {', '.join(MODELS)})")
        if model == "rc11":
            for code in program.threads:
                for instr in code.code:
                    if isinstance(instr, ir.Fence) and instr.kind in ("write", "read"):
                        raise SourceError(program.path, instr.line, instr.col,
                                          f'fence("{instr.kind}") is a hardware fence, not a C11 one (under rc11 '
                                          'write fence("release") or fence("acquire"))')
        self.program = program
        self.model = model
        self.machine = m.Machine(program, get_model("sc"), reduce=False)
        self.consistent = MODELS[model]
        self.initial_memory = tuple(loc.initial for loc in program.locations)
        #: the graph's locations: the program's, then one per synchronisation object: each operation
        #: that synchronises is a read-modify-write there, acquiring or releasing as its kind says
        #: (so a lock synchronises as a C11 mutex does, an Event's wait with its set)
        self.initial_values = self.initial_memory + (0,) * len(program.objects)
        #: the objects' locations: their operations take them in the order the forward steps
        #: chose, and never revisit a read
        self.internal = frozenset(range(len(self.initial_memory), len(self.initial_values)))
        self.layout = self.machine.layout
        self.max_events = max_events
        self.spin_heads = [m._spin_heads(code) for code in program.threads]
        #: (id of a state, choice) -> (that state, what taking the choice gives), from ``enabled``
        self.ahead: dict[tuple[int, Choice], tuple[State, tuple[State, tuple]]] = {}
        self.revisits = model in REVISITING
        self.tracker = Tracker(program) if self.revisits else None
        self.machine.record_locals = self.revisits
        self.verdicts: dict[Graph, Any] = {}
        #: kept graph of a revisit -> the state replaying it gives (None: rejected)
        self.revisited: dict[tuple[Graph, int | None, EventId | None], list[tuple[State, tuple]]] = {}

    # ------------------------------------------------------------------ the System interface

    def initial(self) -> State:
        locations = len(self.initial_values)
        graph = Graph(((),) * len(self.program.threads), tuple(((INIT, loc),) for loc in range(locations)))
        taint = self.tracker.initial() if self.tracker is not None else ()
        return self.machine.initial(), graph, (-1,) * len(self.program.threads), taint, ()

    def enabled(self, state: State) -> list[Choice]:
        local, graph, rounds = state[:3]
        if self.machine.daemons and self.machine._ended(local):
            return []  # only daemon threads are left: the program ends and they are stopped
        choices: list[Choice] = []
        for tid in range(self.layout.threads):
            pc = local.pc(tid)
            if pc < 0 or rounds[tid] >= BLOCKED:
                continue
            op = self.machine.ops[tid][pc]
            if op.ready is not None and not op.ready(local, tid):
                continue
            for choice in self.options(state, tid):
                try:
                    taken = self.step(state, choice)
                except BoundExceeded:
                    choices.append(choice)  # taking it will say so, and the search will be marked partial
                    continue
                if taken is not None:  # else the model rejects the graph it would make
                    choices.append(choice)
                    self.ahead[(id(state), choice)] = (state, taken)
        for write in state[4]:
            for read in self.revisitable(graph, write):
                try:
                    results = self.revisit(state, write, read)
                except BoundExceeded:
                    choices.append((write[0], "revisit", (write, read, 0)))
                    continue
                for k, taken in enumerate(results):
                    choice = (write[0], "revisit", (write, read, k))
                    choices.append(choice)
                    self.ahead[(id(state), choice)] = (state, taken)
        return choices

    def apply(self, state: State, choice: Choice) -> State:
        return self.transition(state, choice)[0]

    def transition(self, state: State, choice: Choice) -> tuple[State, tuple]:
        """The step's successor, and under rc11 the data races its new event makes (undefined
        behaviour). ``enabled`` took every step already, to keep only consistent ones: its result
        is used once here rather than computed again."""
        ahead = self.ahead.pop((id(state), choice), None)
        if ahead is not None and ahead[0] is state:
            taken = ahead[1]
        elif choice[1] == "revisit":
            write, read, k = choice[2]
            results = self.revisit(state, write, read)
            taken = results[k] if k < len(results) else None
        else:
            taken = self.step(state, choice)
        if taken is None:
            raise ValueError(f"the step {choice!r} makes an inconsistent graph")
        return taken

    def race(self, graph: Graph, first: tuple[int, int], second: tuple[int, int]) -> Any:
        """The racing pair as the race detector reports one (``races.RacePair``)."""
        from ..races import Access, RacePair

        def access(eid: tuple[int, int]) -> Access:
            event = graph.events[eid[0]][eid[1]]
            return Access(self.machine.names[eid[0]], event.line, "write" if event.writes else "read")

        loc = graph.events[second[0]][second[1]].loc
        return RacePair(self.program.locations[loc].name, access(first), access(second))

    def ample(self, state: State, choices: list[Choice]) -> list[Choice]:
        return choices

    def close(self, result: Result) -> None:
        pass

    def ending(self, state: State) -> Outcome | None:
        local, graph, rounds = state[:3]
        cut = [(tid, start - BLOCKED) for tid, start in enumerate(rounds) if start >= BLOCKED]
        if not cut:
            return self.machine.ending(self.with_memory(local, self.final_memory(graph)))
        # a cut spin round is a hang only if it read what stays in memory for good; else a later round,
        # another execution, reads the newer values
        if all(graph.co[e.loc][-1] == e.source for tid, start in cut for e in graph.events[tid][start:] if e.reads):
            return self.machine.hang(local)
        return None

    def hang(self, state: State) -> Outcome:
        return self.machine.hang(state[0])

    # ------------------------------------------------------------------ steps

    def with_memory(self, local: m.State, memory: tuple) -> m.State:
        slots = list(local)
        slots[self.layout.memory:self.layout.buffers] = memory
        return m.State(slots)

    def final_memory(self, graph: Graph) -> tuple:
        memory = graph.co[:len(self.initial_memory)]
        return tuple(graph.event(order[-1], self.initial_values).value for order in memory)

    def run(self, local: m.State, tid: int, memory: tuple) -> tuple[m.State, list]:
        """One machine step of thread ``tid`` with ``memory`` as what it reads; the state (its
        memory reset, so states differ only in what threads hold) and what the step reported."""
        log: list = []
        after = self.machine.apply(self.with_memory(local, memory), (m.RUN, tid, 0), log)
        return after, log

    def options(self, state: State, tid: int) -> list[Choice]:
        local, graph = state[:2]
        instr = self.machine.ops[tid][local.pc(tid)].instr
        if isinstance(instr, ir.DictOp):
            return self.dict_options(local, graph, tid, instr)
        if not isinstance(instr, ACCESSES):
            return [(tid, "step", None)]
        _, log = self.run(local, tid, self.final_memory(graph))  # which location the access reaches
        access = next((e for e in log if e[1] == tid and e[0] in (m.READ, m.WRITE, m.ATOMIC_LOAD, m.ATOMIC_STORE,
                                                                  m.ATOMIC_RMW)), None)
        if access is None:
            return [(tid, "step", None)]
        loc = access[2]
        if isinstance(instr, ir.AtomicRMW) or access[0] in (m.READ, m.ATOMIC_LOAD):
            return [(tid, "read", source) for source in graph.co[loc]]
        return [(tid, "write", position) for position in range(1, len(graph.co[loc]) + 1)]

    def dict_options(self, local: m.State, graph: Graph, tid: int, instr: ir.DictOp) -> list[Choice]:
        """A dict operation's ways to go: the order write a snapshot reads, a write for each key
        it reads, and, when that makes it write the key, a place in the key's coherence order
        (``graphs.dicts``)."""
        choices: list[Choice] = []
        order_reads = graph.co[instr.dict.order] if instr.op == "snapshot" else (None,)
        for order_read in order_reads:
            memory = dicts.memory_for(list(self.final_memory(graph)), graph, order_read, (), self.initial_values,
                                      instr.dict)
            _, log = self.run(local, tid, memory)
            locations = dicts.key_reads(instr, log, tid, memory)
            for sources in itertools.product(*(graph.co[loc] for loc in locations)):
                reads = tuple(zip(locations, sources))
                _, log = self.run(local, tid, dicts.memory_for(list(memory), graph, None, reads, self.initial_values,
                                                               instr.dict))
                written = dicts.key_written(log, tid)
                places = [None] if written is None else range(1, len(graph.co[written]) + 1)
                choices += [(tid, "dict", (order_read, reads, place)) for place in places]
        return choices

    def step(self, state: State, choice: Choice) -> tuple[State, tuple] | None:
        """The state after ``choice`` and the races it makes (rc11), or None when the model
        rejects the graph it makes."""
        local, graph, rounds, taint, _ = state
        tid, kind, detail = choice
        if len(graph.events[tid]) >= self.max_events:
            raise BoundExceeded(f"events per thread (a thread took {self.max_events} steps: a loop too long "
                                "for the graph engine)")
        memory = list(self.final_memory(graph))
        pc = local.pc(tid)
        instr = self.machine.ops[tid][pc].instr
        if kind == "read":
            read_from = graph.event(detail, self.initial_values)
            memory[read_from.loc] = read_from.value
        elif kind == "dict":
            memory = list(dicts.memory_for(memory, graph, detail[0], detail[1], self.initial_values, instr.dict))
        after, log = self.run(local, tid, tuple(memory))
        made = self.events(instr, log, tid, detail, after, graph)
        if self.tracker is not None:
            taint, made = self.track(taint, tid, pc, log, made, len(graph.events[tid]))
        rounds = self.next_rounds(rounds, tid, pc, after.pc(tid), len(graph.events[tid]))
        notes: tuple = ()
        fresh: tuple[EventId, ...] = ()
        if made:
            new: list[EventId] = []
            for event, position in made:
                graph = graph.add(tid, event, position)
                new.append((tid, len(graph.events[tid]) - 1))
            if self.model == "rc11":  # one set of relations for the axioms and the races
                relations = self.judged(graph)
                if relations is None:
                    return None
                notes = tuple(self.race(graph, other, eid) for eid in new for other in relations.races_with(eid)
                              if other not in new)
            elif self.judged(graph) is None:
                return None
            if self.revisits:
                fresh = tuple(eid for eid, (event, _) in zip(new, made)
                              if event.writes and event.loc not in self.internal)
        return (self.with_memory(after, self.initial_memory), graph, rounds, taint, fresh), notes

    def judged(self, graph: Graph) -> Any:
        """The model's verdict on ``graph``: None when it is inconsistent, else True (under rc11,
        its relations, which also give the races). Many interleavings make the same graph, so
        verdicts are remembered (up to ``VERDICT_MEMO`` graphs, then afresh)."""
        if graph in self.verdicts:
            return self.verdicts[graph]
        if len(self.verdicts) > VERDICT_MEMO:
            self.verdicts.clear()
        verdict: Any
        if self.model == "rc11":
            relations = Relations(graph, self.initial_values)
            verdict = relations if relations.consistent() else None
        else:
            verdict = True if self.consistent(graph, self.initial_values) else None
        self.verdicts[graph] = verdict
        return verdict

    def next_rounds(self, rounds: tuple[int, ...], tid: int, pc: int, now: int, events: int) -> tuple[int, ...]:
        """Spin-assume's bookkeeping after thread ``tid`` stepped from ``pc`` to ``now`` (it had
        ``events`` events before the step)."""
        heads = self.spin_heads[tid]
        start = rounds[tid]
        if pc in heads and start < 0:
            start = events  # a round of the spin loop begins
        if start >= 0:
            if now in heads:
                start += BLOCKED  # back at the head having only read: cut here (spin-assume)
            elif not any(now in region for region in heads.values()):
                start = -1  # left the loop
        return rounds[:tid] + (start,) + rounds[tid + 1:]

    def track(self, taint: tuple[Taint, ...], tid: int, pc: int, log: list, made: list[tuple[Event, int | None]],
              index: int) -> tuple[tuple[Taint, ...], list[tuple[Event, int | None]]]:
        """The register dependencies after a step of ``tid`` from ``pc`` (and of the threads it
        started), and its events (numbered from ``index``) with the dependencies they have."""
        assert self.tracker is not None
        taints = list(taint)
        ran: dict[int, list[int]] = {tid: [pc]}
        for entry in log:
            if entry[0] == m.LOCAL:
                ran.setdefault(entry[1], []).append(entry[2])
        reads = frozenset(index + k for k, (event, _) in enumerate(made) if event.reads)
        for thread, pcs in ran.items():
            mine = thread == tid and bool(made)
            taints[thread], deps = self.tracker.step(taints[thread], thread, pcs, index if mine else None,
                                                     reads if mine else None)
            if mine:
                made = [(event._replace(addr=deps.addr, data=deps.data, ctrl=deps.ctrl), at) for event, at in made]
        return tuple(taints), made

    # ------------------------------------------------------------------ revisits (arm)

    def revisitable(self, graph: Graph, write: EventId) -> list[EventId]:
        """The reads of other threads that the write just added may revisit."""
        event = graph.events[write[0]][write[1]]
        if event.loc in self.internal:
            return []  # a lock's acquires take it in the order the forward steps chose
        return [(tid, index) for tid, events in enumerate(graph.events) if tid != write[0]
                for index, e in enumerate(events) if e.reads and e.loc == event.loc and e.source != write]

    def revisit(self, state: State, write: EventId, read: EventId) -> list[tuple[State, tuple]]:
        """``read`` reads the write just added instead. The graph keeps every event that does not
        come after the read in ``po | rf`` (nothing of it can change), and the read and the
        write with what they need (their program-order and reads-from predecessors, following
        every read's source but the revisited one's); the program is run again to that graph,
        which recomputes the values that came from the read. The steps that make several events
        (a dict operation's) are kept whole or not at all: the read's own step is run again
        after the replay, in every way that has it read the write (its other reads, and where
        its write goes, are choices again). No state when the kept events cannot all come
        back or the model rejects the graph."""
        graph = state[1]
        old = graph.events[read[0]][read[1]]
        after = self.successors(graph, read)
        keep = {(tid, i) for tid, events in enumerate(graph.events) for i in range(len(events))} - after
        pending = [write, read]
        keep |= {write, read}
        while pending:  # what the read and the write need, through program order and reads-from
            tid, index = pending.pop()
            event = graph.events[tid][index]
            needed = [(tid, index - 1)] if index else []
            source = event.source
            if old.kind == "U" and event.kind == "U" and source == read:
                source = old.source  # it moves up the chain of read-modify-writes (below)
            if event.reads and source is not None and source[0] != INIT and (tid, index) != read:
                needed.append(source)
            for eid in needed:
                if eid not in keep:
                    keep.add(eid)
                    pending.append(eid)
        lengths = [sum(1 for i in range(len(events)) if (tid, i) in keep) for tid, events in enumerate(graph.events)]
        if any((tid, i) not in keep for tid, n in enumerate(lengths) for i in range(n)):
            return []  # not a program-order prefix of each thread: cannot happen for a closed set
        rerun = self.cut_steps(graph, read, write, keep, lengths)
        events = [list(events[:n]) for events, n in zip(graph.events, lengths)]
        if not rerun:
            events[read[0]][read[1]] = old._replace(source=write)
        if old.kind == "U":  # it leaves its place in the chain of read-modify-writes: the one that
            for mine in events:  # read it now reads what it read
                for i, e in enumerate(mine):
                    if e.kind == "U" and e.source == read:
                        mine[i] = e._replace(source=old.source)
        co = []
        for order in graph.co:
            kept = tuple(eid for eid in order if eid[0] == INIT or eid in keep)
            if old.kind == "U" and read in kept:  # a read-modify-write goes right after what it reads
                kept = tuple(eid for eid in kept if eid != read)
                if write in kept:
                    at = kept.index(write) + 1
                    kept = kept[:at] + (read,) + kept[at:]
            co.append(kept)
        target = Graph(tuple(tuple(e) for e in events), tuple(co))
        key = (target, read[0], write) if rerun else (target, None, None)  # else the target says it all
        if key in self.revisited:  # revisits from different states often keep the same graph
            return self.revisited[key]
        if len(self.revisited) > REVISIT_MEMO:
            self.revisited.clear()
        taken: list[tuple[State, tuple]] = []
        # the axioms do not look at values, and a dependency only adds order: a kept graph the
        # axioms reject without its dependencies stays rejected whatever replay recomputes
        if self.consistent(_without_dependencies(target), self.initial_values):
            rebuilt = self.replay(target)
            if rebuilt is not None and self.judged(rebuilt[1]) is not None:
                local, graph, rounds, taint = rebuilt
                taken = [((local, graph, rounds, taint, ()), ())]
                if rerun:
                    taken = self.rerun(taken[0][0], read[0], write)
        self.revisited[key] = taken
        return taken

    def cut_steps(self, graph: Graph, read: EventId, write: EventId, keep: set[EventId],
                  lengths: list[int]) -> bool:
        """Make the steps that made several events (a dict operation's) whole in ``keep`` (and
        ``lengths``): one the kept events do not need is dropped, else kept whole (its values
        recomputed by the replay, like every kept event after the read). Whether the read's own
        step was dropped, to be run again after the replay."""
        rerun = False
        for tid, n in enumerate(lengths):
            events = graph.events[tid]
            if tid == read[0] and events[read[1]].what == dicts.DICT:
                start = dicts.step_start(events, read[1])
            elif n and events[n - 1].more:
                start = dicts.step_start(events, n - 1)
            else:
                continue
            end = dicts.step_end(events, start)
            step = {(tid, i) for i in range(start, end + 1)}
            needed = n > end + 1 or write in step or any(
                e.reads and e.source in step and (t, i) in keep and (t, i) not in step
                for t, mine in enumerate(graph.events) for i, e in enumerate(mine))
            if needed:
                keep |= step
                lengths[tid] = max(n, end + 1)
            else:
                keep -= step
                lengths[tid] = start
                rerun = rerun or tid == read[0]
        if any(e.reads and e.source is not None and e.source[0] != INIT and e.source not in keep and (t, i) != read
               for t, mine in enumerate(graph.events) for i, e in enumerate(mine) if (t, i) in keep):
            raise BoundExceeded("revisits into dict operations (under arm, a dict operation kept whole reads "
                                "a write the revisit drops)")
        return rerun

    def rerun(self, state: State, tid: int, write: EventId) -> list[tuple[State, tuple]]:
        """Thread ``tid``'s next step (a dict operation) in every way that reads ``write``."""
        local, graph = state[:2]
        pc = local.pc(tid)
        instr = self.machine.ops[tid][pc].instr if pc >= 0 else None
        if not isinstance(instr, ir.DictOp):
            return []
        start = len(graph.events[tid])
        taken = []
        for choice in self.dict_options(local, graph, tid, instr):
            result = self.step(state, choice)
            if result is not None and any(e.reads and e.source == write for e in result[0][1].events[tid][start:]):
                taken.append(result)
        return taken

    @staticmethod
    def successors(graph: Graph, start: EventId) -> set[EventId]:
        """The events after ``start`` in ``po | rf`` (not ``start`` itself)."""
        readers: dict[EventId, list[EventId]] = {}
        for tid, events in enumerate(graph.events):
            for i, e in enumerate(events):
                if e.reads and e.source is not None:
                    readers.setdefault(e.source, []).append((tid, i))
        found: set[EventId] = set()
        pending = [start]
        while pending:
            tid, index = pending.pop()
            nxt = [(tid, index + 1)] if index + 1 < len(graph.events[tid]) else []
            for eid in nxt + readers.get((tid, index), []):
                if eid not in found:
                    found.add(eid)
                    pending.append(eid)
        return found

    def replay(self, target: Graph) -> tuple[m.State, Graph, tuple[int, ...], tuple[Taint, ...]] | None:
        """Run the program from the start so that each thread makes its events of ``target``:
        the same accesses to the same places, each read reading what the target says it reads,
        with the values that gives (a value computed from the revisited read changes, and so do
        the values computed from it, to a fixed point). The local states, the graph made, the
        spin rounds and the dependencies; None when some thread cannot make its events (they
        depended on a value that changed). A dict operation that now does less than the target
        says (``dicts.Reshape``) shrinks the target, and the replay starts again."""
        for _ in range(sum(len(events) for events in target.events)):
            try:
                return self.replay_values(target)
            except dicts.Reshape as change:  # a dict operation does less now: so does the target
                reshaped = dicts.shrunk(target, change)
                if reshaped is None:
                    return None
                target = reshaped
        return None

    def replay_values(self, target: Graph) -> tuple[m.State, Graph, tuple[int, ...], tuple[Taint, ...]] | None:
        """``replay`` of a target whose steps keep their shape: values to a fixed point."""
        known: dict[EventId, Any] = {}
        # Values flow along dependencies and reads-from. Without a cycle there they settle within
        # as many rounds as there are events; with one (a value that would justify itself, the
        # increments of a lost-update loop read back) they never do, and the axioms reject such
        # a graph anyway: a dependency cycle through reads-from is a cycle in ``ob``.
        for _ in range(sum(len(events) for events in target.events) + 2):
            made = self.replay_once(target, known)
            if made is None:
                return None
            local, graph, rounds, taint = made
            values = {(tid, i): e.value for tid, events in enumerate(graph.events)
                      for i, e in enumerate(events) if e.writes}
            if all(e.value == (values[e.source] if e.source in values else
                               graph.event(e.source, self.initial_values).value)
                   for events in graph.events for e in events if e.kind == "R" and e.source is not None):
                return made
            known = values  # a read ran before the write it reads was made: again, with its value
        return None

    def replay_once(self, target: Graph, known: dict[EventId, Any]
                    ) -> tuple[m.State, Graph, tuple[int, ...], tuple[Taint, ...]] | None:
        assert self.tracker is not None
        threads = len(self.program.threads)
        local = self.machine.initial()
        taint = self.tracker.initial()
        rounds = (-1,) * threads
        made: list[list[Event]] = [[] for _ in range(threads)]
        memory = self.final_memory(target)
        objects_at = {loc: 1 for loc in self.internal}  # the place in co of the next operation
        steps = 0
        patient = True  # a read waits for the write it reads to be made, while anything else can move
        while True:
            progressed = False
            for tid in range(threads):
                while len(made[tid]) < len(target.events[tid]):
                    pc = local.pc(tid)
                    if pc == m.NOT_STARTED:
                        break  # its parent starts it further on
                    if pc < 0 or rounds[tid] >= BLOCKED:
                        return None
                    op = self.machine.ops[tid][pc]
                    if op.ready is not None and not op.ready(local, tid):
                        break
                    wanted = self.wanted(target.events[tid], len(made[tid]))
                    if wanted is None:
                        return None  # a step's events cut short: a revisit keeps them whole
                    if isinstance(op.instr, ir.SyncOp) and not all(
                            self.next_in_order(target, objects_at, (tid, len(made[tid]) + k), w)
                            for k, w in enumerate(wanted)):
                        break  # another thread takes this lock first
                    sources = [w.source for w in wanted if w.reads and w.loc < len(memory)]
                    ready = [s[0] == INIT or len(made[s[0]]) > s[1] for s in sources]
                    if patient and not all(ready):
                        break
                    patient = True
                    steps += 1
                    if steps > self.max_events * threads * 8:
                        raise BoundExceeded("replay steps (a revisited graph the program does not reach)")

                    def value_of(source: EventId) -> Any:
                        if source[0] != INIT and len(made[source[0]]) > source[1]:
                            return made[source[0]][source[1]].value
                        return known.get(source, target.event(source, self.initial_values).value)
                    seen = list(memory)
                    for w in wanted:
                        if w.reads and w.loc < len(memory):
                            seen[w.loc] = value_of(w.source)
                    after, log = self.run(local, tid, tuple(seen))
                    if isinstance(op.instr, ir.DictOp):
                        order_read = next((w.source for w in wanted if w.kind == "R" and dicts.is_order(w)), None)
                        latest = next((w.source for w in wanted if w.kind == "U"), None)
                        reads = tuple((w.loc, w.source) for w in wanted if w.kind == "R" and not dicts.is_order(w))
                        if [loc for loc, _ in reads] != dicts.key_reads(op.instr, log, tid, tuple(seen)):
                            raise BoundExceeded("revisits into dict operations (under arm, a revisit that changes "
                                                "which keys a dict operation reads, while later events stay)")
                        produced = dicts.group(op.instr, log, tid, (order_read, reads, None), after, latest, 0,
                                               value_of)
                    else:
                        want = wanted[0]
                        if any(e[1] == tid and e[0] in READS for e in log) != (want.reads and want.loc < len(memory)):
                            return None  # a read where the graph has none, or the other way round
                        produced = self.events(op.instr, log, tid, want.source, after, target)
                    taint, produced = self.track(taint, tid, pc, log, produced, len(made[tid]))
                    rounds = self.next_rounds(rounds, tid, pc, after.pc(tid), len(made[tid]))
                    local = self.with_memory(after, self.initial_memory)
                    progressed = True
                    if not produced:
                        continue
                    if len(produced) != len(wanted):
                        if isinstance(op.instr, ir.DictOp):  # what it read changed what it does
                            if len(produced) > len(wanted) or any(
                                    (e.kind, e.loc) != (w.kind, w.loc) for (e, _), w in zip(produced, wanted)):
                                raise BoundExceeded("revisits into dict operations (under arm, a revisit that makes "
                                                    "a dict operation write where it did not, while later events stay)")
                            raise dicts.Reshape(tid, len(made[tid]), len(wanted), len(produced))
                        return None
                    for (event, _), want in zip(produced, wanted):
                        if event.kind == "R":
                            event = event._replace(value=seen[event.loc])
                        if event.kind == "U" and event.loc in objects_at:  # an object's: a count, not a value
                            objects_at[event.loc] += 1
                            event = event._replace(value=want.value, source=want.source)
                        if (event.kind, event.loc, event.order, event.what, event.partner, event.source) != \
                                (want.kind, want.loc, want.order, want.what, want.partner, want.source):
                            return None
                        made[tid].append(event)
            if all(len(mine) == len(events) for mine, events in zip(made, target.events)):
                return local, Graph(tuple(tuple(e) for e in made), target.co), rounds, taint
            if not progressed:
                if not patient:
                    return None
                patient = False  # every thread waits: let one read go ahead with the value it had

    @staticmethod
    def wanted(events: tuple[Event, ...], start: int) -> tuple[Event, ...] | None:
        """The events of the thread's step that begins at ``start`` (None if they are cut short)."""
        end = dicts.step_end(events, start)
        return None if end >= len(events) else events[start:end + 1]

    @staticmethod
    def next_in_order(target: Graph, objects_at: dict[int, int], eid: EventId, event: Event) -> bool:
        """Whether ``event``, if an operation on a synchronisation object, is the next one there."""
        if not (event.kind == "U" and event.loc in objects_at):
            return True
        order, at = target.co[event.loc], objects_at[event.loc]
        return at < len(order) and order[at] == eid

    def events(self, instr: ir.Instr, log: list, tid: int, detail: Any, after: m.State,
               graph: Graph) -> list[tuple[Event, int | None]]:
        """The events a step adds, each with its place in coherence order (for a write)."""
        if isinstance(instr, ir.DictOp):
            order = graph.co[instr.dict.order]
            return dicts.group(instr, log, tid, detail, after, order[-1], len(order),
                               lambda source: graph.event(source, self.initial_values).value)
        event, position = self.event(instr, log, tid, detail, after, graph)
        return [] if event is None else [(event, position)]

    def event(self, instr: ir.Instr, log: list, tid: int, detail: Any, after: m.State,
              graph: Graph) -> tuple[Event | None, int | None]:
        """The event a step adds (and, for a write, its place in coherence order)."""
        for entry in log:
            if entry[1] != tid:
                continue
            kind, loc = entry[0], entry[2] if len(entry) > 3 else None
            order = entry[3] if kind in (m.ATOMIC_LOAD, m.ATOMIC_STORE, m.ATOMIC_RMW) else "plain"
            line = entry[-1]
            if kind in (m.READ, m.ATOMIC_LOAD):
                return Event("R", loc, graph.event(detail, self.initial_values).value, detail, order, line=line), None
            if kind in (m.WRITE, m.ATOMIC_STORE):
                return Event("W", loc, after.memory[loc], order=order, line=line), detail
            if kind == m.ATOMIC_RMW:
                position = graph.co[loc].index(detail) + 1
                return Event("U", loc, after.memory[loc], detail, order, line=line), position
            if kind in (m.START, m.JOIN):
                return Event("S", partner=entry[2], what=kind, line=line), None
            if kind == m.END:
                return Event("S", what="end", line=line), None
            if kind == m.SYNC:  # an RMW of the object's location, reading its last operation
                where = len(self.initial_memory) + entry[2]
                order = KINDS[self.program.objects[entry[2]].kind].order_of(entry[3])
                return Event("U", where, len(graph.co[where]), graph.co[where][-1], order, line=line), \
                    len(graph.co[where])
        if isinstance(instr, ir.Fence):
            return Event("F", order=instr.kind, line=instr.line), None
        return None, None


def _without_dependencies(graph: Graph) -> Graph:
    none: frozenset[int] = frozenset()
    return graph._replace(events=tuple(tuple(e._replace(addr=none, data=none, ctrl=none) if e.addr or e.data or e.ctrl
                                             else e for e in events) for events in graph.events))


def explore_graphs(program: Program, model: str, **kwargs: Any) -> Result:
    """Every consistent execution of ``program`` under the axiomatic ``model`` (see ``explore``)."""
    from ..explore import explore

    return explore(GraphSystem(program, model), **kwargs)
