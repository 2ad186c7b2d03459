"""``arm``: the ARMv8 model as herd7's ``aarch64.cat`` states it, on execution graphs.

ARMv8 is other-multi-copy-atomic: a store becomes visible to every other
thread at once, but a thread may satisfy its loads out of order and make its
stores visible out of order, keeping only what the axioms below order. A
consistent execution satisfies:

- *internal*: ``acyclic(po-loc | rf | co | fr)`` (each location alone is
  sequentially consistent);
- *atomic*: nothing comes between a read-modify-write and the write it read;
- *external*: ``acyclic(ob)``, where ``ob`` is ``obs | lob`` closed under
  composition, ``obs = rfe | fre | coe`` (what other threads observe) and
  ``lob = lws | dob | aob | bob`` (what the thread itself keeps in order):

  - ``lws = po-loc; [W]``: an access before a later write to its location;
  - ``dob``: ``addr | data | ctrl; [W] | addr; po; [W] | (addr | data); lrs``,
    the dependencies (``graphs.dependencies``), where ``lrs`` takes a write to
    the reads of its location that follow it before the next write there;
  - ``aob = [range(rmw)]; lrs; [A]``: an acquire read of the thread's own
    read-modify-write's value;
  - ``bob``: ``po; [dmb.full]; po | [L]; po; [A] | [R]; po; [dmb.ld]; po |
    [A]; po | [W]; po; [dmb.st]; po; [W] | po; [L]``.

How the dialect compiles (as compilers map C11 to ARMv8): acquire and seq_cst
loads are ``LDAR`` (``A``), release and seq_cst stores ``STLR`` (``L``),
read-modify-writes exclusives whose read is ``A`` and write ``L`` as their
order says (acq_rel and seq_cst both); ``fence()`` and the C11 release,
acq_rel and seq_cst fences are ``DMB SY``, ``fence("read")`` and the acquire
fence ``DMB LD``, ``fence("write")`` ``DMB ST``. A lock's acquire is an
acquiring read-modify-write of the lock, its release a releasing one; a
thread's start, join and end order like full barriers, and a thread's events
come after its start and before its join.
"""

from __future__ import annotations

from functools import lru_cache

from .axioms import per_location_sc
from .execution import INIT, Event, EventId, Graph, acyclic

ACQUIRE_READS = frozenset({"acquire", "acq_rel", "seq_cst"})
RELEASE_WRITES = frozenset({"release", "acq_rel", "seq_cst"})
DMB_FULL = frozenset({"seq_cst", "release", "acq_rel"})
DMB_LD = frozenset({"read", "acquire"})
DMB_ST = frozenset({"write"})


def is_acquire(event: Event) -> bool:
    """``A``: an ``LDAR``, or the read of an acquiring exclusive (a lock's acquire too)."""
    return event.reads and event.order in ACQUIRE_READS


def is_release(event: Event) -> bool:
    """``L``: an ``STLR``, or the write of a releasing exclusive (a lock's release too)."""
    return event.writes and event.order in RELEASE_WRITES


def _barrier(event: Event) -> str | None:
    """"full", "ld" or "st" for a DMB (a thread's start, join and end count as full)."""
    if event.kind == "S":
        return "full"
    if event.kind != "F":
        return None
    if event.order in DMB_FULL:
        return "full"
    if event.order in DMB_LD:
        return "ld"
    return "st" if event.order in DMB_ST else None


Node = tuple  # an event id, or (thread, index, 1) for the write half of a read-modify-write


def _halves(tid: int, index: int, event: Event) -> tuple[Node, Node]:
    """Where an event begins and ends in ``ob``: a read-modify-write is two accesses (LDXR then
    STXR), ordered read before write; every other event is one node. An acquire applies to
    the read half and a release to the write half, so an acq_rel exclusive is not a full
    barrier (herd7 allows SB with one between each thread's store and load)."""
    node = (tid, index)
    return (node, (tid, index, 1)) if event.kind == "U" else (node, node)


@lru_cache(maxsize=65536)
def _locally_ordered(tid: int, events: tuple[Event, ...]) -> list[tuple[Node, Node]]:
    """``lob`` of one thread, as pairs of nodes (``lws | dob | aob | bob``). It depends on the
    thread's events alone, which most graphs of a search share: computed once for each."""
    pairs: list[tuple[Node, Node]] = []
    halves = [_halves(tid, i, e) for i, e in enumerate(events)]

    def head(i: int) -> Node:
        return halves[i][0]

    def tail(i: int) -> Node:
        return halves[i][1]

    memory = [i for i, e in enumerate(events) if e.kind in ("R", "W", "U")]
    for j, b in enumerate(events):
        if b.kind == "U":
            pairs.append((head(j), tail(j)))  # rmw: the exclusive read before its write
        if b.writes:  # lws: every earlier access to its location; data and control dependencies
            pairs += [(tail(i), tail(j)) for i in memory if i < j and events[i].loc == b.loc]
            pairs += [(head(r), tail(j)) for r in b.data | b.ctrl]
        pairs += [(head(r), head(j)) for r in b.addr]
        if b.addr:  # addr; po; [W]
            pairs += [(head(r), tail(k)) for k in range(j + 1, len(events)) if events[k].writes for r in b.addr]
        barrier = _barrier(b)
        if barrier is not None:  # through the barrier's own event
            for i in range(j):
                a = events[i]
                if barrier == "full" or (barrier == "st" and a.writes):
                    pairs.append((tail(i), head(j)))
                elif barrier == "ld" and a.reads:
                    pairs.append((head(i), head(j)))
            for k in range(j + 1, len(events)):
                if barrier in ("full", "ld"):
                    pairs.append((head(j), head(k)))
                elif events[k].writes:
                    pairs.append((head(j), tail(k)))
            continue
        for i in range(j):
            a = events[i]
            if is_release(b):
                pairs.append((tail(i), tail(j)))  # po; [L] (from barriers too)
            if is_acquire(a) and a.kind not in ("F", "S"):
                pairs.append((head(i), head(j)))  # [A]; po
            if is_release(a) and is_acquire(b):
                pairs.append((tail(i), head(j)))  # [L]; po; [A]
        if is_acquire(b):  # [A]; po: also to later barriers
            pairs += [(head(j), head(k)) for k in range(j + 1, len(events)) if events[k].kind in ("F", "S")]
    for j, w in enumerate(events):  # (addr | data); lrs and [range(rmw)]; lrs; [A]
        if not w.writes:
            continue
        for k in range(j + 1, len(events)):
            r = events[k]
            if r.loc != w.loc or r.kind not in ("R", "W", "U"):
                continue
            if r.reads:
                pairs += [(head(d), head(k)) for d in w.addr | w.data]
                if w.kind == "U" and is_acquire(r):
                    pairs.append((tail(j), head(k)))
            if r.writes:
                break
    return pairs


def consistent(graph: Graph, initial: tuple) -> bool:
    if not per_location_sc(graph, initial):  # internal and atomic
        return False
    nodes: list[Node] = [(INIT, loc) for loc in range(len(initial))]
    external: dict[Node, list[Node]] = {}

    def edge(a: Node, b: Node) -> None:
        external.setdefault(a, []).append(b)

    def tail(eid: EventId) -> Node:
        return eid if eid[0] == INIT else _halves(eid[0], eid[1], graph.events[eid[0]][eid[1]])[1]

    position = {eid: i for order in graph.co for i, eid in enumerate(order)}
    for order in graph.co:
        for i, a in enumerate(order):
            for b in order[i + 1:]:
                if a[0] != b[0]:
                    edge(tail(a), tail(b))  # coe
    for tid, events in enumerate(graph.events):
        for index, event in enumerate(events):
            eid = (tid, index)
            nodes.append(eid)
            if event.kind == "U":
                nodes.append((tid, index, 1))
            if event.reads and event.source is not None:
                if event.source[0] != tid:
                    edge(tail(event.source), eid)  # rfe
                for w in graph.co[event.loc][position[event.source] + 1:]:
                    if w[0] != tid:
                        edge(eid, tail(w))  # fre
            if event.kind == "S" and event.what in ("start", "join") and graph.events[event.partner]:
                for k, other in enumerate(graph.events[event.partner]):
                    if event.what == "start":
                        edge(eid, (event.partner, k))
                    else:
                        edge(_halves(event.partner, k, other)[1], eid)
        for a, b in _locally_ordered(tid, events):
            edge(a, b)
    return acyclic(nodes, external)
