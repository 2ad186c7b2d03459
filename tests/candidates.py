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
from miscompile.graphs import dicts
from miscompile.graphs.axioms import MODELS
from miscompile.graphs.dependencies import Tracker
from miscompile.graphs.execution import INIT, Event, Graph
from miscompile.graphs.system import ACCESSES, GraphSystem
from miscompile.outcomes import Outcome


#: What each read-modify-write of a run read (its event's value is what it wrote): by thread and index.
ReadValues = dict[tuple[int, int], Any]


def _runs(system: GraphSystem, domain: dict[int, set]) -> list[tuple[m.State, list[list[Event]], ReadValues]]:
    """Every way the threads run when each read may return any value of ``domain`` (threads
    step in a fixed order: which values were read is all that matters)."""
    threads = len(system.program.threads)
    found = []
    stack = [(system.machine.initial(), system.tracker.initial(), tuple(() for _ in range(threads)), {})]
    while stack:
        local, taint, events, read_values = stack.pop()
        tid = next((t for t in range(threads) if local.pc(t) >= 0 and (
            system.machine.ops[t][local.pc(t)].ready is None
            or system.machine.ops[t][local.pc(t)].ready(local, t))), None)
        if tid is None:
            found.append((local, [list(e) for e in events], read_values))
            continue
        pc = local.pc(tid)
        for made, read in _steps(system, local, tid, domain):
            after, log = made[0], made[1]
            new_taint, made_events = system.track(taint, tid, pc, log, made[2], len(events[tid]))
            start = len(events[tid])
            more = events[:tid] + (events[tid] + tuple(e for e, _ in made_events),) + events[tid + 1:]
            values = {**read_values, **{(tid, start + k): v for k, v in read.items()}}
            stack.append((system.with_memory(after, system.initial_memory), new_taint, more, values))
    return found


def _steps(system: GraphSystem, local: m.State, tid: int, domain: dict[int, set]
           ) -> list[tuple[tuple[m.State, list, list[tuple[Event, None]]], dict[int, Any]]]:
    """Each way thread ``tid``'s next step can go: (the state after, its log, its events with no
    sources yet) and, by index in the step, what its read-modify-writes read."""
    instr = system.machine.ops[tid][local.pc(tid)].instr
    if isinstance(instr, ir.DictOp):
        return _dict_steps(system, local, tid, instr, domain)
    loc = None
    values: list[Any] = [None]
    if isinstance(instr, ACCESSES):
        _, log = system.run(local, tid, system.initial_memory)
        access = next((e for e in log if e[1] == tid and e[0] in (m.READ, m.ATOMIC_LOAD, m.ATOMIC_RMW)), None)
        if access is not None:
            loc = access[2]
            values = sorted(domain[loc], key=repr)
    ways = []
    for value in values:
        memory = list(system.initial_memory)
        if loc is not None:
            memory[loc] = value
        after, log = system.run(local, tid, tuple(memory))
        if loc is None:
            event, _ = system.event(instr, log, tid, None, after, Graph((), ()))
        else:
            event, _ = _access_event(system, instr, log, tid, value, after)
        made = [(event, None)] if event is not None else []
        read = {0: value} if event is not None and event.kind == "U" else {}
        ways.append(((after, log, made), read))
    return ways


def _dict_steps(system: GraphSystem, local: m.State, tid: int, instr: ir.DictOp, domain: dict[int, set]
                ) -> list[tuple[tuple[m.State, list, list[tuple[Event, None]]], dict[int, Any]]]:
    """A dict operation with every order it may read and every value of each key it reads."""
    d = instr.dict
    ways = []
    for order in sorted(domain[d.order], key=repr):
        memory = list(system.initial_memory)
        memory[d.order] = order
        _, log = system.run(local, tid, tuple(memory))
        locations = dicts.key_reads(instr, log, tid, tuple(memory))
        for values in product(*(sorted(domain[loc], key=repr) for loc in locations)):
            for loc, value in zip(locations, values):
                memory[loc] = value
            after, log = system.run(local, tid, tuple(memory))
            chosen = {("key", k): v for k, v in enumerate(values)} | {("order",): order}
            reads = tuple((loc, ("key", k)) for k, loc in enumerate(locations))
            order_read = ("order",) if instr.op == "snapshot" else None
            # tokens stand for the writes read, chosen later: ``chosen`` gives their values
            made = dicts.group(instr, log, tid, (order_read, reads, None), after,  # type: ignore[arg-type]
                               ("order",), 0, lambda token: chosen[token])
            made = [(e._replace(source=None), None) for e, _ in made]
            read = {k: order for k, (e, _) in enumerate(made) if e.kind == "U"}
            ways.append(((after, log, made), read))
    return ways


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
        for _, events, _ in runs:
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
    for local, events, read_values in runs:
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
            value = read_values.get((tid, i), e.value)
            options = [(INIT, e.loc)] if system.initial_memory[e.loc] == value else []
            options += [w for w in writes[e.loc] if w != (tid, i) and value_of[w] == value]
            sources.append(options)
        # where every write is a read-modify-write, atomicity makes coherence the chain of what
        # each reads: derived from rf below instead of tried in every order
        chained = {loc for loc in range(locations)
                   if writes[loc] and all(events[t][i].kind == "U" for t, i in writes[loc])}
        for rf in product(*sources):
            threads = [list(t) for t in events]
            for (tid, i), source in zip(reads, rf):
                threads[tid][i] = threads[tid][i]._replace(source=source)
            orders = [[_chain(loc, writes[loc], threads)] if loc in chained else list(permutations(writes[loc]))
                      for loc in range(locations)]
            if any(order == [None] for order in orders):
                continue  # two read-modify-writes read one write: no coherence order is atomic
            for co in product(*orders):
                graph = Graph(tuple(tuple(t) for t in threads), tuple(((INIT, loc),) + tuple(co[loc])
                                                                      for loc in range(locations)))
                if consistent(graph, system.initial_values):
                    found.add(system.machine.ending(system.with_memory(local, system.final_memory(graph))))
    return found


def _chain(loc: int, writes: list[tuple[int, int]], threads: list[list[Event]]) -> tuple | None:
    """The coherence order of ``loc``'s read-modify-writes that atomicity allows: each right after
    the write it read, from the initial write on (None if they do not form one chain)."""
    reader = {}
    for t, i in writes:
        source = threads[t][i].source
        if source in reader:
            return None
        reader[source] = (t, i)
    order: list[tuple[int, int]] = []
    at: tuple[int, int] = (INIT, loc)
    while at in reader:
        at = reader[at]
        order.append(at)
    return tuple(order) if len(order) == len(writes) else None
