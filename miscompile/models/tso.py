"""x86-TSO: one FIFO store buffer per thread.

A store enters the thread's buffer; the oldest entry may reach memory at any
step; a load sees the thread's newest buffered store to that location, else
memory. So a thread's stores reach memory in program order, but a later load
can overtake them: store buffering (SB) is the one relaxation.
A ``seq_cst`` store is a store followed by a fence (x86 ``xchg``): it waits
for the buffer to drain and writes memory directly.
"""

from __future__ import annotations

from typing import Any

from .base import Buffers, Flush, set_item

Entries = tuple[tuple[int, Any], ...]  # (location, value), oldest first


#: Steps that wait for the thread's buffer to drain (see ``MemoryModel.drains``): locked
#: instructions, synchronisation through the runtime, and MFENCE. x86 needs nothing for the other
#: fences (compilers emit no instruction for C11's release, acquire and acq_rel fences).
DRAINING = frozenset({"rmw", "sync", "fence seq_cst"})


class TSO:
    name = "tso"
    summary = "x86-TSO: a FIFO store buffer per thread; loads may overtake earlier stores"

    def empty(self, threads: int) -> Buffers:
        return ((),) * threads

    def read(self, buffers: Buffers, memory: tuple, thread: int, loc: int) -> Any:
        for entry_loc, value in reversed(buffers[thread]):  # type: ignore[index]
            if entry_loc == loc:
                return value
        return memory[loc]

    def drained(self, buffers: Buffers, thread: int) -> bool:
        return not buffers[thread]  # type: ignore[index]

    def store_ready(self, buffers: Buffers, thread: int, order: str) -> bool:
        return order != "seq_cst" or not buffers[thread]  # type: ignore[index]

    def write(self, buffers: Buffers, memory: tuple, thread: int, loc: int, value: Any,
              order: str) -> tuple[Buffers, tuple]:
        if order in ("seq_cst", "rmw"):  # an xchg, or a locked instruction's write: straight to memory
            return buffers, set_item(memory, loc, value)
        mine: Entries = buffers[thread] + ((loc, value),)  # type: ignore[index]
        return set_item(buffers, thread, mine), memory  # type: ignore[arg-type]

    def flushes(self, buffers: Buffers) -> list[Flush]:
        return [(thread, -1) for thread, entries in enumerate(buffers) if entries]  # type: ignore[arg-type]

    def flush(self, buffers: Buffers, memory: tuple, flush: Flush) -> tuple[Buffers, tuple, int, Any]:
        thread = flush[0]
        entries = buffers[thread]  # type: ignore[index]
        loc, value = entries[0]
        return set_item(buffers, thread, entries[1:]), set_item(memory, loc, value), loc, value  # type: ignore[arg-type]

    def pending(self, buffers: Buffers, thread: int) -> list[tuple[int, Any]]:
        return list(buffers[thread])  # type: ignore[index]

    def shape(self, buffers: Buffers) -> tuple:
        return tuple([tuple([loc for loc, _ in entries]) if entries else () for entries in buffers])  # type: ignore[union-attr]

    def drains(self, event: str) -> bool:
        return event in DRAINING

    def fence(self, buffers: Buffers, thread: int, kind: str) -> Buffers:
        return buffers  # a full fence drains (above); stores stay in order and loads are never reordered

    def own(self, buffers: Buffers, thread: int) -> Any:
        return buffers[thread]  # type: ignore[index]

    def permute(self, buffers: Buffers, order: tuple[int, ...]) -> Buffers:
        return tuple(buffers[source] for source in order)  # type: ignore[index]
