"""Exploring execution graphs: the search of ``explore.py`` over graphs instead of machine states.

A state is each thread's local state (where it is, its registers, its output)
and the graph of the events so far. A step adds one event of one thread: a
read chooses which write it reads from, a write where it goes in coherence
order, a read-modify-write the write it reads (and goes right after it). A
step whose graph the model's axioms reject is not taken (inconsistency only
grows as events are added, so no consistent execution is lost). Because each
read reads a write already in the graph, the graphs are built in an order of
``po | rf``: every execution of a model that forbids cycles in ``po | rf``
(sc, tso, pso, RC11) is reached; load buffering (arm) will need revisits, as
GenMC does.

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

from .. import ir
from .. import machine as m
from ..bounds import BoundExceeded
from ..errors import SourceError, UsageError
from ..explore import Result
from ..ir import Program
from ..models import get_model
from ..outcomes import Outcome
from .axioms import MODELS
from .execution import INIT, Event, Graph
from .rc11 import Relations

Choice = tuple[int, str, Any]  # (thread, "read"/"write"/"step", the write read or the co position)
#: Each thread's local state, the graph, and per thread where its current spin round began (the number
#: of its events then), -1 outside a round, or BLOCKED + that number once a round came back unchanged.
State = tuple[m.State, Graph, tuple[int, ...]]
BLOCKED = 1 << 30
#: Synchronisation kinds the engine models: their acquires and releases (the actions whose edge is
#: "acquire" or "release") become read-modify-writes of a location of their own.
MUTEXES = ("lock", "rlock", "semaphore", "bounded_semaphore")
#: Instructions that may read or write memory: the only steps with more than one way to go.
ACCESSES = (ir.Load, ir.Store, ir.AtomicLoad, ir.AtomicStore, ir.AtomicRMW)
MAX_EVENTS = 64  # per thread: a loop that goes on longer makes the search partial


class GraphSystem:
    """One program's executions under one axiomatic model, as a ``System`` for ``explore``."""

    canonical = None

    def __init__(self, program: Program, model: str, max_events: int = MAX_EVENTS) -> None:
        if model not in MODELS:
            raise UsageError(f"the graph engine has no model {model!r} (it has {', '.join(MODELS)})")
        unmodelled = sorted({obj.kind for obj in program.objects} - set(MUTEXES))
        if unmodelled or program.dicts:
            what = ", ".join(unmodelled + (["dicts"] if program.dicts else []))
            raise UsageError(f"{program.path}: the graph engine does not model {what} yet (it has locks and "
                             "semaphores)")
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
        #: the graph's locations: the program's, then one per lock or semaphore (its acquires and
        #: releases are read-modify-writes there, so they synchronise as C11 mutexes do)
        self.initial_values = self.initial_memory + (0,) * len(program.objects)
        self.layout = self.machine.layout
        self.max_events = max_events
        self.spin_heads = [m._spin_heads(code) for code in program.threads]
        #: (id of a state, choice) -> (that state, what taking the choice gives), from ``enabled``
        self.ahead: dict[tuple[int, Choice], tuple[State, tuple[State, tuple]]] = {}

    # ------------------------------------------------------------------ the System interface

    def initial(self) -> State:
        locations = len(self.initial_values)
        graph = Graph(((),) * len(self.program.threads), tuple(((INIT, loc),) for loc in range(locations)))
        return self.machine.initial(), graph, (-1,) * len(self.program.threads)

    def enabled(self, state: State) -> list[Choice]:
        local, graph, rounds = state
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
        return choices

    def apply(self, state: State, choice: Choice) -> State:
        return self.transition(state, choice)[0]

    def transition(self, state: State, choice: Choice) -> tuple[State, tuple]:
        """The step's successor, and under rc11 the data races its new event makes (undefined
        behaviour). ``enabled`` took every step already, to keep only consistent ones: its result
        is used once here rather than computed again."""
        ahead = self.ahead.pop((id(state), choice), None)
        taken = ahead[1] if ahead is not None and ahead[0] is state else self.step(state, choice)
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
        local, graph, rounds = state
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
        local, graph, _ = state
        if not isinstance(self.machine.ops[tid][local.pc(tid)].instr, ACCESSES):
            return [(tid, "step", None)]
        _, log = self.run(local, tid, self.final_memory(graph))  # which location the access reaches
        access = next((e for e in log if e[1] == tid and e[0] in (m.READ, m.WRITE, m.ATOMIC_LOAD, m.ATOMIC_STORE,
                                                                  m.ATOMIC_RMW)), None)
        if access is None:
            return [(tid, "step", None)]
        loc = access[2]
        instr = self.machine.ops[tid][local.pc(tid)].instr
        if isinstance(instr, ir.AtomicRMW) or access[0] in (m.READ, m.ATOMIC_LOAD):
            return [(tid, "read", source) for source in graph.co[loc]]
        return [(tid, "write", position) for position in range(1, len(graph.co[loc]) + 1)]

    def step(self, state: State, choice: Choice) -> tuple[State, tuple] | None:
        """The state after ``choice`` and the races it makes (rc11), or None when the model
        rejects the graph it makes."""
        local, graph, rounds = state
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
        after, log = self.run(local, tid, tuple(memory))
        event, position = self.event(instr, log, tid, detail, after, graph)
        heads = self.spin_heads[tid]
        start = rounds[tid]
        if pc in heads and start < 0:
            start = len(graph.events[tid])  # a round of the spin loop begins
        notes: tuple = ()
        if event is not None:
            graph = graph.add(tid, event, position)
            if self.model == "rc11":  # one set of relations for the axioms and the races
                relations = Relations(graph, self.initial_values)
                if not relations.consistent():
                    return None
                new = (tid, len(graph.events[tid]) - 1)
                notes = tuple(self.race(graph, other, new) for other in relations.races_with(new))
            elif not self.consistent(graph, self.initial_values):
                return None
        now = after.pc(tid)
        if start >= 0:
            if now in heads:
                start += BLOCKED  # back at the head having only read: cut here (spin-assume)
            elif not any(now in region for region in heads.values()):
                start = -1  # left the loop
        return (self.with_memory(after, self.initial_memory), graph, rounds[:tid] + (start,) + rounds[tid + 1:]), notes

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
            if kind == m.SYNC and entry[3] in ("acquire", "release"):  # a mutex: an RMW of its location
                where = len(self.initial_memory) + entry[2]
                latest = graph.co[where][-1]
                held = graph.event(latest, self.initial_values).value
                return Event("U", where, held + (1 if entry[3] == "acquire" else -1), latest, entry[3],
                             line=line), len(graph.co[where])
        if isinstance(instr, ir.Fence):
            return Event("F", order=instr.kind, line=instr.line), None
        return None, None


def explore_graphs(program: Program, model: str, **kwargs: Any) -> Result:
    """Every consistent execution of ``program`` under the axiomatic ``model`` (see ``explore``)."""
    from ..explore import explore

    return explore(GraphSystem(program, model), **kwargs)
