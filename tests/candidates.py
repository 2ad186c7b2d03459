"""A reference for the graph engine's models, built as herd7 builds executions.

For a loop-free program without locks: run each thread with every value each
read could return (the values some write of the program can write, found by
iterating to a fixed point), which gives every combination of the threads'
event sequences; then for each, every reads-from choice (a write of the same
location and value) and every coherence order; keep the candidates the model's
axioms accept. No revisits, no replay, no pruning: slow, and independent of how
the engine searches. The outcomes of the kept candidates must be the engine's.
"""

from __future__ import annotations

from itertools import permutations, product
from typing import Any

from miscompile import ir
from miscompile import machine as m
from miscompile.graphs.axioms import MODELS
from miscompile.graphs.dependencies import Tracker
from miscompile.graphs.execution import INIT, Event, Graph
from miscompile.graphs.system import ACCESSES, GraphSystem
from miscompile.outcomes import Outcome


def _runs(system: GraphSystem, domain: dict[int, set]) -> list[tuple[m.State, list[list[Event]]]]:
    """Every way the threads run when each read may return any value of ``domain`` (threads
    step in a fixed order: which values were read is all that matters)."""
    threads = len(system.program.threads)
    found = []
    stack = [(system.machine.initial(), system.tracker.initial(), tuple(() for _ in range(threads)))]
    while stack:
        local, taint, events = stack.pop()
        tid = next((t for t in range(threads) if local.pc(t) >= 0 and (
            system.machine.ops[t][local.pc(t)].ready is None
            or system.machine.ops[t][local.pc(t)].ready(local, t))), None)
        if tid is None:
            found.append((local, [list(e) for e in events]))
            continue
        pc = local.pc(tid)
        instr = system.machine.ops[tid][pc].instr
        values: list[Any] = [None]
        loc = None
        if isinstance(instr, ACCESSES):
            _, log = system.run(local, tid, system.initial_memory)
            access = next((e for e in log if e[1] == tid and e[0] in (m.READ, m.ATOMIC_LOAD, m.ATOMIC_RMW)), None)
            if access is not None:
                loc = access[2]
                values = sorted(domain[loc], key=repr)
        for value in values:
            memory = list(system.initial_memory)
            if loc is not None:
                memory[loc] = value
            after, log = system.run(local, tid, tuple(memory))
            event, _ = system.event(instr, log, tid, None, after, Graph((), ()))  if loc is None \
                else _access_event(system, instr, log, tid, value, after)
            new_taint, event = system.track(taint, tid, pc, log, event, len(events[tid]))
            more = events[:tid] + (events[tid] + ((event,) if event is not None else ()),) + events[tid + 1:]
            stack.append((system.with_memory(after, system.initial_memory), new_taint, more))
    return found


def _access_event(system: GraphSystem, instr: ir.Instr, log: list, tid: int, value: Any,
                  after: m.State) -> tuple[Event, None]:
    """A read (or read-modify-write) that returned ``value``; its source is chosen later."""
    for entry in log:
        if entry[1] != tid:
            continue
        if entry[0] in (m.READ, m.ATOMIC_LOAD):
            order = entry[3] if entry[0] == m.ATOMIC_LOAD else "plain"
            return Event("R", entry[2], value, None, order, line=entry[-1]), None
        if entry[0] == m.ATOMIC_RMW:
            return Event("U", entry[2], after.memory[entry[2]], None, entry[3], line=entry[-1]), None
    raise AssertionError(f"no access in {log}")


def outcomes(system: GraphSystem, *, max_rounds: int = 6) -> set[Outcome]:
    """The outcomes of every candidate execution the model's axioms accept."""
    assert not system.program.objects, "the reference has no locks"
    if system.tracker is None:  # the machines' models ignore dependencies, but events carry them
        system.tracker = Tracker(system.program)
        system.machine.record_locals = True
    locations = len(system.initial_memory)
    domain = {loc: {system.initial_memory[loc]} for loc in range(locations)}
    for _ in range(max_rounds):  # the values writes can write, to a fixed point
        runs = _runs(system, domain)
        grown = False
        for _, events in runs:
            for thread in events:
                for e in thread:
                    if e.writes and e.value not in domain[e.loc]:
                        domain[e.loc].add(e.value)
                        grown = True
        if not grown:
            break
    else:
        raise AssertionError("the values written keep growing")
    consistent = MODELS[system.model]
    found: set[Outcome] = set()
    for local, events in runs:
        writes = {loc: [] for loc in range(locations)}
        reads = []
        for tid, thread in enumerate(events):
            for i, e in enumerate(thread):
                if e.writes:
                    writes[e.loc].append((tid, i))
                if e.reads:
                    reads.append((tid, i))
        value_of = {eid: events[eid[0]][eid[1]].value for ws in writes.values() for eid in ws}
        sources = []
        for tid, i in reads:
            e = events[tid][i]
            options = [(INIT, e.loc)] if system.initial_memory[e.loc] == e.value else []
            options += [w for w in writes[e.loc] if w != (tid, i) and value_of[w] == e.value]
            sources.append(options)
        orders = [list(permutations(writes[loc])) for loc in range(locations)]
        for rf in product(*sources):
            threads = [list(t) for t in events]
            for (tid, i), source in zip(reads, rf):
                threads[tid][i] = threads[tid][i]._replace(source=source)
            for co in product(*orders):
                graph = Graph(tuple(tuple(t) for t in threads), tuple(((INIT, loc),) + tuple(co[loc])
                                                                      for loc in range(locations)))
                if consistent(graph, system.initial_values):
                    found.add(system.machine.ending(system.with_memory(local, system.final_memory(graph))))
    return found
