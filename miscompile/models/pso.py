"""PSO (partial store order): a FIFO store buffer per thread *and location*.

Stores to one location reach memory in order, but stores to different
locations may reach memory in either order, so message passing (MP) breaks.

A ``release`` store does not stall its thread: it waits *in the buffer*
behind the thread's earlier stores, as if a store-store barrier (SPARC's
``membar #StoreStore``) stood before it. The buffer is therefore a sequence of
*segments*: each holds per-location queues of plain stores and ends with at
most one release store. Only the first segment's stores may leave; its
release store leaves once the rest of its segment has, and then the next
segment becomes the first. Stores after a release go into a new segment, so
they stay behind it too. This keeps pso weaker than tso (whose single FIFO
is one way of draining the segments), which the property tests check.

A ``seq_cst`` store waits for the thread's buffer to drain and writes memory
directly (a store followed by a full fence). A store-store fence
(``fence("write")``, and the C11 ``release`` and ``acq_rel`` fences, which
SPARC compiles to ``membar #StoreStore``) closes the current segment without a
store: later stores stay behind the earlier ones, and the thread goes on. A
full fence (``fence()``) waits for the buffer to drain. Loads are never
reordered here, so ``fence("read")`` and the ``acquire`` fence do nothing.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .base import Buffers, Flush, set_item

# ((location, (value, ...)), ...) sorted by location, only non-empty queues
PerLocation = tuple[tuple[int, tuple[Any, ...]], ...]


class Segment(NamedTuple):
    queues: PerLocation
    release: tuple[int, Any] | None  # the release store closing the segment, if any
    fenced: bool = False  # closed by a store-store fence (fence("write"), a release or acq_rel fence)


def _append(queues: PerLocation, loc: int, value: Any) -> PerLocation:
    for i, (entry_loc, values) in enumerate(queues):
        if entry_loc == loc:
            return set_item(queues, i, (loc, values + (value,)))
    return tuple(sorted(queues + ((loc, (value,)),)))


#: Steps that wait for the thread's buffer to drain (see ``MemoryModel.drains``).
DRAINING = frozenset({"rmw", "sync", "fence seq_cst"})
#: Fence kinds that keep earlier stores before later ones.
STORE_STORE = frozenset({"write", "release", "acq_rel"})


class PSO:
    name = "pso"
    #: Flushes of different locations are independent: the reducer treats each (thread, location)
    #: as its own process.
    channel_per_location = True
    summary = "PSO: a FIFO store buffer per thread and location; stores to different locations reorder"

    def empty(self, threads: int) -> Buffers:
        return ((),) * threads

    def read(self, buffers: Buffers, memory: tuple, thread: int, loc: int) -> Any:
        for segment in reversed(buffers[thread]):  # type: ignore[index]
            if segment.release is not None and segment.release[0] == loc:
                return segment.release[1]
            for entry_loc, values in segment.queues:
                if entry_loc == loc:
                    return values[-1]
        return memory[loc]

    def drained(self, buffers: Buffers, thread: int) -> bool:
        return not buffers[thread]  # type: ignore[index]

    def store_ready(self, buffers: Buffers, thread: int, order: str) -> bool:
        return order != "seq_cst" or not buffers[thread]  # type: ignore[index]

    def write(self, buffers: Buffers, memory: tuple, thread: int, loc: int, value: Any,
              order: str) -> tuple[Buffers, tuple]:
        if order in ("seq_cst", "rmw"):  # an xchg, or a locked instruction's write: straight to memory
            return buffers, set_item(memory, loc, value)
        segments: tuple[Segment, ...] = buffers[thread]  # type: ignore[index]
        last = segments[-1] if segments and segments[-1].release is None and not segments[-1].fenced else None
        if last is None:
            segments, last = segments + (Segment((), None),), Segment((), None)
        if order == "release":
            last = Segment(last.queues, (loc, value))
        else:
            last = Segment(_append(last.queues, loc, value), None)
        return set_item(buffers, thread, segments[:-1] + (last,)), memory  # type: ignore[arg-type]

    def flushes(self, buffers: Buffers) -> list[Flush]:
        choices: list[Flush] = []
        for thread, segments in enumerate(buffers):  # type: ignore[arg-type]
            if segments:
                first = segments[0]
                if first.queues:
                    choices.extend((thread, loc) for loc, _ in first.queues)
                else:
                    choices.append((thread, first.release[0]))
        return choices

    def flush(self, buffers: Buffers, memory: tuple, flush: Flush) -> tuple[Buffers, tuple, int, Any]:
        thread, loc = flush
        segments: tuple[Segment, ...] = buffers[thread]  # type: ignore[index]
        first = segments[0] if segments else None
        if first is None or (not first.queues and (first.release is None or first.release[0] != loc)):
            raise ValueError(f"thread {thread} has no store to location {loc} that may leave its buffer")
        if not first.queues:  # the release store closing the first segment leaves
            value = first.release[1]  # type: ignore[index]
            rest = segments[1:]
        else:
            for i, (entry_loc, values) in enumerate(first.queues):
                if entry_loc == loc:
                    break
            else:
                raise ValueError(f"thread {thread} has no store to location {loc} that may leave its buffer")
            value, left = values[0], values[1:]
            queues = set_item(first.queues, i, (loc, left)) if left else first.queues[:i] + first.queues[i + 1:]
            rest = segments[1:] if not queues and first.release is None \
                else (Segment(queues, first.release, first.fenced), *segments[1:])
        return set_item(buffers, thread, tuple(rest)), set_item(memory, loc, value), loc, value  # type: ignore[arg-type]

    def pending(self, buffers: Buffers, thread: int) -> list[tuple[int, Any]]:
        entries: list[tuple[int, Any]] = []
        for segment in buffers[thread]:  # type: ignore[index]
            entries.extend((loc, v) for loc, values in segment.queues for v in values)
            if segment.release is not None:
                entries.append(segment.release)
        return entries

    def shape(self, buffers: Buffers) -> tuple:
        return tuple([tuple([(tuple([loc for loc, _ in segment.queues]), segment.release and segment.release[0],
                              segment.fenced) for segment in segments]) if segments else ()
                      for segments in buffers])  # type: ignore[union-attr]

    def drains(self, event: str) -> bool:
        return event in DRAINING

    def fence(self, buffers: Buffers, thread: int, kind: str) -> Buffers:
        segments: tuple[Segment, ...] = buffers[thread]  # type: ignore[index]
        if kind not in STORE_STORE or not segments:
            return buffers
        last = segments[-1]
        if last.release is not None or last.fenced:
            return buffers  # the next store opens a new segment anyway
        return set_item(buffers, thread, segments[:-1] + (Segment(last.queues, None, True),))  # type: ignore[arg-type]

    def own(self, buffers: Buffers, thread: int) -> Any:
        return buffers[thread]  # type: ignore[index]

    def permute(self, buffers: Buffers, order: tuple[int, ...]) -> Buffers:
        return tuple(buffers[source] for source in order)  # type: ignore[index]
