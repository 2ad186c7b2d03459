"""Memory models as conditions on execution graphs, in the style of herd7's cat files.

- ``sc``: ``acyclic(po | rf | co | fr)``.
- ``tso`` (``x86tso.cat``): per location sequentially consistent
  (``acyclic(po-loc | rf | co | fr)``), and ``acyclic(ppo | rfe | co | fr)`` where
  ``ppo`` is program order without a plain store before a later load, and
  locked instructions (read-modify-writes, ``seq_cst`` stores), full fences
  and synchronisations order everything before them before everything after.
- ``pso``: the same, and ``ppo`` also drops a plain store before a later store
  to another location, unless one of them is a release store or a store-store
  fence (``write``, ``release``, ``acq_rel``) stands between them.

Every model also requires atomicity: nothing comes between a read-modify-write
and the write it read in coherence order. These are the operational machines'
models written as axioms; tests check that both give the same outcomes.
"""

from __future__ import annotations

from collections.abc import Callable

from .execution import INIT, Event, EventId, Graph, acyclic

FULL_FENCES = frozenset({"seq_cst"})
STORE_STORE_FENCES = frozenset({"seq_cst", "write", "release", "acq_rel"})


def _locked(event: Event) -> bool:
    """Orders everything before it before everything after it in its thread."""
    if event.order == "dict":
        return False  # a dict's insertion order: see _kind
    return event.kind in ("U", "S") or (event.kind == "F" and event.order in FULL_FENCES) \
        or (event.kind == "W" and event.order == "seq_cst")


def _common(graph: Graph, initial: tuple) -> tuple[list[EventId], dict[EventId, list[EventId]], bool]:
    """All event ids; rf, co, fr and the start/join edges; and whether atomicity holds."""
    nodes: list[EventId] = [(INIT, loc) for loc in range(len(initial))]
    edges: dict[EventId, list[EventId]] = {}

    def edge(a: EventId, b: EventId) -> None:
        edges.setdefault(a, []).append(b)

    position = {eid: i for order in graph.co for i, eid in enumerate(order)}
    atomic = True
    for order in graph.co:
        for a, b in zip(order, order[1:]):
            edge(a, b)
    for tid, events in enumerate(graph.events):
        for index, event in enumerate(events):
            eid = (tid, index)
            nodes.append(eid)
            if event.reads and event.source is not None:
                edge(event.source, eid)  # rf
                order = graph.co[event.loc]
                after = position[event.source] + 1
                nxt = [w for w in order[after:] if w != eid]
                if nxt:
                    edge(eid, nxt[0])  # fr (the rest follows by co)
                if event.kind == "U" and position.get(eid) != after:
                    atomic = False
            if event.kind == "S" and event.what == "start" and graph.events[event.partner]:
                edge(eid, (event.partner, 0))
            if event.kind == "S" and event.what == "join" and graph.events[event.partner]:
                edge((event.partner, len(graph.events[event.partner]) - 1), eid)
    return nodes, edges, atomic


def _with(edges: dict[EventId, list[EventId]], extra: list[tuple[EventId, EventId]]) -> dict[EventId, list[EventId]]:
    merged = {k: list(v) for k, v in edges.items()}
    for a, b in extra:
        merged.setdefault(a, []).append(b)
    return merged


def _external_only(graph: Graph, edges: dict[EventId, list[EventId]]) -> dict[EventId, list[EventId]]:
    """``edges`` with the reads-from edges inside one thread removed (rfi: a thread may read its own
    store before others can)."""
    out: dict[EventId, list[EventId]] = {}
    for a, targets in edges.items():
        kept = []
        for b in targets:
            if a[0] != INIT and a[0] == b[0] and graph.events[b[0]][b[1]].reads \
                    and graph.events[b[0]][b[1]].source == a and b[1] > a[1]:
                continue
            kept.append(b)
        out[a] = kept
    return out


def _steps(graph: Graph, buffered_writes: bool) -> dict[EventId, EventId]:
    """The events that happen at one instant because one step made them (a dict operation's:
    ``graphs.dicts``), each mapped to the first of its step. With ``buffered_writes`` a plain
    write stays apart: a store buffer makes it visible later."""
    first: dict[EventId, EventId] = {}
    for tid, events in enumerate(graph.events):
        start = 0
        for index, event in enumerate(events):
            if index and not events[index - 1].more:
                start = index
            if start < index or event.more:
                if not (buffered_writes and event.kind == "W"):
                    first[(tid, index)] = (tid, start)
    return first


def _as_one(edges: dict[EventId, list[EventId]], first: dict[EventId, EventId]) -> dict[EventId, list[EventId]]:
    """``edges`` between the steps that ``first`` groups, each step one node: an execution that
    needs another thread's event between two events of one step has a cycle here."""
    if not first:
        return edges
    merged: dict[EventId, list[EventId]] = {}
    for a, targets in edges.items():
        node = first.get(a, a)
        for b in targets:
            other = first.get(b, b)
            if other != node:
                merged.setdefault(node, []).append(other)
    return merged


def sc(graph: Graph, initial: tuple) -> bool:
    nodes, edges, atomic = _common(graph, initial)
    po = [((t, i), (t, i + 1)) for t, events in enumerate(graph.events) for i in range(len(events) - 1)]
    return atomic and acyclic(nodes, _as_one(_with(edges, po), _steps(graph, False)))


def _po_loc(graph: Graph) -> list[tuple[EventId, EventId]]:
    """Program order between accesses to one location (each to the next; the rest by transitivity)."""
    pairs = []
    for tid, events in enumerate(graph.events):
        last_at: dict[int, int] = {}
        for j, b in enumerate(events):
            if b.kind in ("R", "W", "U"):
                if b.loc in last_at:
                    pairs.append(((tid, last_at[b.loc]), (tid, j)))
                last_at[b.loc] = j
    return pairs


def per_location_sc(graph: Graph, initial: tuple) -> bool:
    """Atomicity, and ``acyclic(po-loc | rf | co | fr)``: each location alone is sequentially
    consistent (every model here requires both; tso, pso and arm add their own order on top)."""
    nodes, edges, atomic = _common(graph, initial)
    return atomic and acyclic(nodes, _with(edges, _po_loc(graph)))


def _store_buffer(keeps: Callable[[Event, Event, list[Event]], bool]) -> Callable[[Graph, tuple], bool]:
    def consistent(graph: Graph, initial: tuple) -> bool:
        nodes, edges, atomic = _common(graph, initial)
        if not atomic or not acyclic(nodes, _with(edges, _po_loc(graph))):
            return False
        ppo = [((tid, i), (tid, j)) for tid, events in enumerate(graph.events) for j, b in enumerate(events)
               for i in range(j) if keeps(events[i], b, list(events[i + 1:j]))]
        return acyclic(nodes, _as_one(_with(_external_only(graph, edges), ppo), _steps(graph, True)))
    return consistent


def _kind(event: Event) -> str:
    """A dict's insertion order goes straight to memory, past the thread's buffered stores
    (``graphs.dicts``): for the order a thread keeps, its accesses are loads."""
    return "R" if event.order == "dict" else event.kind


def _tso_keeps(a: Event, b: Event, between: list[Event]) -> bool:
    if _locked(a) or _locked(b) or any(_locked(e) for e in between):
        return True
    if a.kind == "F" or b.kind == "F":
        return False  # the other fences order nothing x86 does not order anyway
    return not (_kind(a) == "W" and _kind(b) == "R")


def _pso_keeps(a: Event, b: Event, between: list[Event]) -> bool:
    if _locked(a) or _locked(b) or any(_locked(e) for e in between):
        return True
    if a.kind == "F" or b.kind == "F":
        return False
    if _kind(a) == "R":
        return True
    if _kind(b) == "R":
        return False  # a plain store may wait in the buffer past later loads
    return a.loc == b.loc or a.order == "release" or b.order == "release" \
        or any(e.kind == "F" and e.order in STORE_STORE_FENCES for e in between) \
        or any(e.kind == "W" and e.order == "release" for e in between)


def _rc11(graph: Graph, initial: tuple) -> bool:
    from .rc11 import consistent

    return consistent(graph, initial)


def _arm(graph: Graph, initial: tuple) -> bool:
    from .arm import consistent

    return consistent(graph, initial)


MODELS: dict[str, Callable[[Graph, tuple], bool]] = {
    "sc": sc,
    "tso": _store_buffer(_tso_keeps),
    "pso": _store_buffer(_pso_keeps),
    "rc11": _rc11,
    "arm": _arm,
}
