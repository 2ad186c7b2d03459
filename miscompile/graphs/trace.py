"""The witness of one outcome under an axiomatic model, as the execution graph it builds.

Under arm and rc11 an outcome is not a sequence of machine states but a graph:
each thread's events in program order (``po``), the write each read reads from
(``rf``), the order of the writes to each location (``co``), and the reads that
come before a write they did not see (``fr``). Replaying the witness rebuilds that
graph; this module names its events for people (``a``, ``b``, ... as herd7's
diagrams do) and looks for a sequential order of it: an order of all the events
that respects ``po``, ``rf``, ``co`` and ``fr``, which exists exactly when the
execution is sequentially consistent. The views lay this out; everything here is
data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from string import ascii_lowercase
from typing import Any

from ..outcomes import Outcome
from .execution import INIT, Event, EventId, Graph


@dataclass(frozen=True)
class Node:
    """One event: its name (``a``), the thread, what it did (``W x=1``) and its source line."""

    name: str
    thread: int
    label: str
    line: int


@dataclass
class GraphTrace:
    path: str
    model: str
    outcome: Outcome
    threads: list[str]
    nodes: list[list[Node]]  # per thread, in program order
    rf: list[tuple[str, str, str]]  # (write or "init", read, location)
    co: list[tuple[str, list[str]]]  # location -> its writes in coherence order ("init" first)
    fr: list[tuple[str, str, str]]  # (read, the write after the one it read, location)
    sequential: list[str] | None  # a sequential order of every event, or None when there is none
    races: list[str] = field(default_factory=list)  # rc11: the locations whose races make it undefined
    cut: str | None = None
    passes: list[str] = field(default_factory=list)
    changed_lines: frozenset[int] = frozenset()  # lines a pass wrote, in the traced program


def _name(k: int) -> str:
    letters = ascii_lowercase
    return letters[k] if k < len(letters) else f"{letters[k // len(letters) - 1]}{letters[k % len(letters)]}"


def _label(event: Event, location: str | None, threads: list[str]) -> str:
    if event.order == "dict":  # a dict's insertion order: the keys it holds
        return f"R {location}.keys={event.value}" if event.kind == "R" else f"U {location}.keys:={event.value}"
    order = "" if event.order in ("plain", "") else f" {event.order}"
    if event.kind == "R":
        return f"R {location}={event.value}{order}"
    if event.kind == "W":
        return f"W {location}={event.value}{order}"
    if event.kind == "U":
        return f"U {location}{order}"
    if event.kind == "F":
        return f"F {event.order}"
    partner = f" {threads[event.partner]}" if event.partner >= 0 else ""
    return f"{event.what}{partner}"


def sequential_order(graph: Graph, ids: dict[EventId, str]) -> list[str] | None:
    """An order of every event respecting po, rf, co and fr (Kahn's algorithm), or None."""
    edges: dict[EventId, set[EventId]] = {eid: set() for eid in ids}
    for tid, events in enumerate(graph.events):
        for i in range(1, len(events)):
            edges[(tid, i - 1)].add((tid, i))
    position = {eid: i for order in graph.co for i, eid in enumerate(order)}
    for order in graph.co:
        writes = [w for w in order if w[0] != INIT]
        for a, b in zip(writes, writes[1:]):
            edges[a].add(b)
    for tid, events in enumerate(graph.events):
        for i, event in enumerate(events):
            if event.reads and event.source is not None:
                if event.source[0] != INIT:
                    edges[event.source].add((tid, i))
                later = [w for w in graph.co[event.loc][position[event.source] + 1:] if w != (tid, i)]
                if later:
                    edges[(tid, i)].add(later[0])
    incoming = {eid: 0 for eid in edges}
    for targets in edges.values():
        for b in targets:
            incoming[b] += 1
    ready = sorted(eid for eid, n in incoming.items() if n == 0)
    out: list[str] = []
    while ready:
        eid = ready.pop(0)
        out.append(ids[eid])
        for b in sorted(edges[eid]):
            incoming[b] -= 1
            if incoming[b] == 0:
                ready.append(b)
        ready.sort()
    return out if len(out) == len(ids) else None


def describe(graph: Graph, location_names: list[str], threads: list[str]) -> tuple[
        list[list[Node]], list[tuple[str, str, str]], list[tuple[str, list[str]]], list[tuple[str, str, str]],
        list[str] | None]:
    """The graph's events named for people, and its rf, co and fr edges."""
    ids: dict[EventId, str] = {}
    nodes: list[list[Node]] = []
    for tid, events in enumerate(graph.events):
        row = []
        for i, event in enumerate(events):
            name = _name(len(ids))
            ids[(tid, i)] = name
            where = location_names[event.loc] if 0 <= event.loc < len(location_names) else None
            row.append(Node(name, tid, _label(event, where, threads), event.line))
        nodes.append(row)

    def named(eid: EventId) -> str:
        return "init" if eid[0] == INIT else ids[eid]

    rf, fr = [], []
    position = {eid: i for order in graph.co for i, eid in enumerate(order)}
    for tid, events in enumerate(graph.events):
        for i, event in enumerate(events):
            if event.reads and event.source is not None and event.loc < len(location_names):
                rf.append((named(event.source), ids[(tid, i)], location_names[event.loc]))
                later = [w for w in graph.co[event.loc][position[event.source] + 1:] if w != (tid, i)]
                if later:
                    fr.append((ids[(tid, i)], named(later[0]), location_names[event.loc]))
    co = [(location_names[loc], [named(w) for w in order]) for loc, order in enumerate(graph.co)
          if loc < len(location_names) and len(order) > 1]
    return nodes, rf, co, fr, sequential_order(graph, ids)


def graph_trace(system: Any, search: Any, outcome: Outcome, *, baseline_cut: str | None = None,
                passes: list[str] | None = None, written: frozenset[int] = frozenset()) -> GraphTrace:
    """The graph of ``outcome``'s witness in ``search`` (an exploration of ``system``, a
    ``GraphSystem``), with its events named and a sequential order looked for."""
    state: Any = system.initial()
    for choice in search.outcomes[outcome]:
        state = system.apply(state, choice)
    graph: Graph = state[1]
    program = system.machine.program
    threads = list(system.machine.names)
    nodes, rf, co, fr, sequential = describe(graph, [loc.name for loc in program.locations], threads)
    races: list[str] = []
    if system.model == "rc11":
        from ..races import races_of

        races = sorted({race.location for race in races_of(search, program)})
    return GraphTrace(program.path, system.model, outcome, threads, nodes, rf, co, fr, sequential, races,
                      search.cut or baseline_cut, list(passes or ()), written)
