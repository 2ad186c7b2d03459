"""A dict operation as events: one step of the machine, several events of the graph.

The machine runs a dict operation (``d[k] = v``, ``setdefault``, ``pop``, ``del d[k]``,
and ``print(d)``, ``len(d)`` or a loop over it, which read the whole dict) as one
indivisible step: the key's value is plain memory (buffered like any store), and
the dict's insertion order, its record of which keys it holds, goes straight to
memory in the same step. In the graph that step is a group of events of its thread,
in this order:

- ``snapshot``: a read of the order, then a read of each key that order holds,
  each choosing the write it reads;
- ``setdefault``, ``pop`` and ``del``: a read of the key, choosing its write; and
  when the operation writes (the key was absent for ``setdefault``, present for
  the others):
- a read-modify-write of the order (reading the latest, written at the end of its
  coherence order, as a lock is taken) and a write of the key, placed in coherence
  order like any plain write; ``d[k] = v`` is only these two.

The order's events have the order ``"dict"``: under tso and pso they are neither
buffered nor fences (a load, for the thread's own order: the machine writes the
order to memory at once, past the thread's buffered stores), under rc11 relaxed
atomics (they never race), under arm plain exclusives. The key's value events are
plain accesses: they race, and rc11 flags such a race as undefined behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import ir
from .. import machine as m
from .execution import Event, EventId, Graph

#: The order of the events on a dict's insertion order, and what every event of a dict operation is.
DICT = "dict"
#: The order write a snapshot reads (None for the other operations), the key locations the
#: operation reads, each with the write it reads, and where its key write goes in coherence
#: order (None when it writes nothing).
Detail = tuple[EventId | None, tuple[tuple[int, EventId], ...], int | None]


def key_reads(instr: ir.DictOp, log: list, tid: int, memory: tuple) -> list[int]:
    """The key locations the operation reads, in order (``log``: what a run with ``memory``
    reported; a snapshot reads the keys of the order it read)."""
    if instr.op == "snapshot":
        table = instr.dict.table()
        return [table[key] for key in memory[instr.dict.order]]
    return [entry[2] for entry in log if entry[0] == m.READ and entry[1] == tid]


def key_written(log: list, tid: int) -> int | None:
    return next((entry[2] for entry in log if entry[0] == m.WRITE and entry[1] == tid), None)


def memory_for(memory: list, graph: Graph, order_read: EventId | None, reads: tuple[tuple[int, EventId], ...],
               initial: tuple, d: ir.Dict) -> tuple:
    """``memory`` with the order a snapshot reads, and each key read given the write it reads."""
    if order_read is not None:
        memory[d.order] = graph.event(order_read, initial).value
    for loc, source in reads:
        memory[loc] = graph.event(source, initial).value
    return tuple(memory)


def group(instr: ir.DictOp, log: list, tid: int, detail: Detail, after: m.State, latest: EventId | None,
          order_place: int, value_of: Callable[[EventId], Any]) -> list[tuple[Event, int | None]]:
    """The operation's events, each with its place in coherence order (for writes): ``latest``
    is the order write its own order write reads (the last), ``order_place`` where that goes,
    ``value_of`` what a write holds (a replay gives the values it recomputed)."""
    d, line = instr.dict, instr.line
    order_read, reads, position = detail
    events: list[Event] = []
    places: list[int | None] = []
    if order_read is not None:
        events.append(Event("R", d.order, value_of(order_read), order_read, DICT))
        places.append(None)
    for loc, source in reads:
        events.append(Event("R", loc, value_of(source), source))
        places.append(None)
    written = key_written(log, tid)
    if written is not None:
        events += [Event("U", d.order, after.memory[d.order], latest, DICT), Event("W", written, after.memory[written])]
        places += [order_place, position]
    return [(event._replace(more=k < len(events) - 1, what=DICT, line=line), at)
            for k, (event, at) in enumerate(zip(events, places))]


def step_start(events: tuple[Event, ...], index: int) -> int:
    """The index of the first event of the step that made event ``index``."""
    while index > 0 and events[index - 1].more:
        index -= 1
    return index


def step_end(events: tuple[Event, ...], index: int) -> int:
    """The index of the last event of the step that made event ``index`` (past the thread's
    last event when the step is cut short)."""
    while index < len(events) and events[index].more:
        index += 1
    return index


def is_order(event: Event) -> bool:
    """An access of a dict's insertion order (the key values' events are plain accesses)."""
    return event.kind in ("R", "U") and event.order == DICT


class Reshape(Exception):
    """A replayed dict operation made fewer events than the graph has for it (what it read
    changed: ``setdefault`` found the key, ``pop`` did not): thread ``tid``'s step at
    ``start`` made ``made`` events where the graph has ``had``."""

    def __init__(self, tid: int, start: int, had: int, made: int) -> None:
        super().__init__(tid, start, had, made)
        self.tid, self.start, self.had, self.made = tid, start, had, made


def shrunk(graph: Graph, change: Reshape) -> Graph | None:
    """``graph`` with the step's last events gone: the read-modify-write of the order leaves
    its chain (the one that read it now reads what it read), and the key's write goes; None
    when another read read one of them (it cannot stay). The thread's later events move up."""
    tid, start, gone = change.tid, change.start, change.had - change.made
    first = start + change.made
    vanished = {(tid, i) for i in range(first, first + gone)}
    renumber = {(tid, i): (tid, i - gone) for i in range(first + gone, len(graph.events[tid]))}
    sources = {eid: graph.events[tid][eid[1]].source for eid in vanished}
    threads = []
    for t, events in enumerate(graph.events):
        mine = []
        for i, event in enumerate(events):
            if (t, i) in vanished:
                continue
            source = event.source
            while source in vanished:
                if event.kind != "U" or graph.events[tid][source[1]].kind != "U":
                    return None  # it read a write that is no more (a read-modify-write moves up its chain)
                source = sources[source]
            source = renumber.get(source, source) if source is not None else None
            if t == tid:
                event = event._replace(addr=_moved(event.addr, first, gone), data=_moved(event.data, first, gone),
                                       ctrl=_moved(event.ctrl, first, gone), more=event.more and i != first - 1)
            mine.append(event._replace(source=source))
        threads.append(tuple(mine))
    co = tuple(tuple(renumber.get(eid, eid) for eid in order if eid not in vanished) for order in graph.co)
    return Graph(tuple(threads), co)


def _moved(indices: frozenset[int], first: int, gone: int) -> frozenset[int]:
    """Dependencies on the thread's events by index, after events ``first`` .. ``first + gone``
    went."""
    if not indices:
        return indices
    return frozenset(i if i < first else i - gone for i in indices if not first <= i < first + gone)
