"""Execution graphs: the events of one execution and how they relate.

An event is one thread's access (a read ``R``, a write ``W``, a read-modify-write
``U`` that is both), a fence ``F``, or a synchronisation ``S`` (a thread's start,
join or end). Each thread's events are in program order (``po``); each read
names the write it reads from (``rf``); the writes to each location are in
coherence order (``co``), the location's initial write first; a read is
*from-read* before every write coherence-after the one it read (``fr``). A
memory model is a condition on these relations (``axioms``), as herd7's cat
files state them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

INIT = -1  # the thread number of the initial writes; their index is the location

EventId = tuple[int, int]  # (thread, index in its program order), or (INIT, location)


class Event(NamedTuple):
    kind: str  # "R", "W", "U" (read-modify-write), "F" (fence), "S" (start, join, end)
    loc: int = -1
    value: Any = None  # written (W, U) or read (R)
    source: EventId | None = None  # the write a read (R, U) reads from
    order: str = "plain"  # a C11 order for atomics, "plain", or a fence kind
    partner: int = -1  # S: the thread started ("start") or joined ("join")
    what: str = ""  # S: "start", "join" or "end"
    line: int = 0  # the source line of the step, for reports
    #: The earlier reads of the thread (by index) this event depends on, by ARM's address, data
    #: and control dependencies; tracked only for models that keep them (arm).
    addr: frozenset[int] = frozenset()
    data: frozenset[int] = frozenset()
    ctrl: frozenset[int] = frozenset()
    #: The thread's next event comes from the same step: a dict operation's events are one
    #: indivisible step, and a revisit keeps or drops them together (``graphs.dicts``).
    more: bool = False

    @property
    def reads(self) -> bool:
        return self.kind in ("R", "U")

    @property
    def writes(self) -> bool:
        return self.kind in ("W", "U")


class Graph(NamedTuple):
    """One (partial) execution: per thread its events, per location the coherence order of writes."""

    events: tuple[tuple[Event, ...], ...]
    co: tuple[tuple[EventId, ...], ...]  # per location, from its initial write (INIT, loc)

    def event(self, eid: EventId, initial: tuple) -> Event:
        tid, index = eid
        if tid == INIT:
            return Event("W", index, initial[index])
        return self.events[tid][index]

    def add(self, tid: int, event: Event, co_position: int | None = None) -> Graph:
        """The graph with ``event`` appended to thread ``tid`` (a write inserted into ``co`` at
        ``co_position``)."""
        events = list(self.events)
        eid = (tid, len(events[tid]))
        events[tid] = events[tid] + (event,)
        co = self.co
        if co_position is not None:
            order = co[event.loc]
            co = co[:event.loc] + (order[:co_position] + (eid,) + order[co_position:],) + co[event.loc + 1:]
        return Graph(tuple(events), co)


def acyclic(nodes: list[EventId], edges: dict[EventId, list[EventId]]) -> bool:
    """Whether the relation ``edges`` has no cycle (iterative depth-first search)."""
    state: dict[EventId, int] = {}  # 1 on the stack, 2 done
    for start in nodes:
        if state.get(start):
            continue
        stack = [(start, iter(edges.get(start, ())))]
        state[start] = 1
        while stack:
            node, successors = stack[-1]
            for nxt in successors:
                mark = state.get(nxt)
                if mark == 1:
                    return False
                if mark is None:
                    state[nxt] = 1
                    stack.append((nxt, iter(edges.get(nxt, ()))))
                    break
            else:
                state[node] = 2
                stack.pop()
    return True
