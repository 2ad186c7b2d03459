"""The interface every memory model implements.

A model owns the store buffers and decides what a load sees, where a store
goes, and which flushes are possible. The machine never asks which model it
runs: it calls these methods, so a new model is one new module.

Buffers are immutable values (they are part of the explored state). ``memory``
is the tuple of main-memory values, indexed by location.
"""

from __future__ import annotations

from typing import Any, Hashable, Protocol

Buffers = Hashable
#: A flush the model offers: (thread, key). Under tso the key is ignored (the oldest
#: entry leaves); under pso it is the location whose oldest entry leaves.
Flush = tuple[int, int]



def set_item(memory: tuple, loc: int, value: Any) -> tuple:
    return memory[:loc] + (value,) + memory[loc + 1:]


class MemoryModel(Protocol):
    name: str
    summary: str

    def empty(self, threads: int) -> Buffers:
        """Buffers for ``threads`` threads, all empty."""

    def read(self, buffers: Buffers, memory: tuple, thread: int, loc: int) -> Any:
        """The value ``thread`` loads from ``loc``: its newest buffered store there, else memory."""

    def drained(self, buffers: Buffers, thread: int) -> bool:
        """Whether ``thread`` has no buffered stores (fences, RMWs and synchronisation wait for this)."""

    def store_ready(self, buffers: Buffers, thread: int, order: str) -> bool:
        """Whether a store with ``order`` may happen now (some orders first wait for the buffer)."""

    def write(self, buffers: Buffers, memory: tuple, thread: int, loc: int, value: Any,
              order: str) -> tuple[Buffers, tuple]:
        """Perform a store: into the buffer or straight to memory. ``order`` is ``"plain"``, a C11
        store order, or ``"rmw"`` for the write of a read-modify-write."""

    def flushes(self, buffers: Buffers) -> list[Flush]:
        """The flushes possible now."""

    def flush(self, buffers: Buffers, memory: tuple, flush: Flush) -> tuple[Buffers, tuple, int, Any]:
        """Perform one flush; returns the new buffers and memory, and the location and value written."""

    def pending(self, buffers: Buffers, thread: int) -> list[tuple[int, Any]]:
        """``thread``'s buffered stores as (location, value), oldest first (for views)."""

    def drains(self, event: str) -> bool:
        """Whether a step waits for the thread's buffer to drain before it happens. ``event`` is
        ``"rmw"`` (a read-modify-write), ``"sync"`` (a lock, Event, Queue, ... action, a thread's
        start, join or end) or ``"fence KIND"`` (``fence(KIND)``: a C11 order, ``write`` or
        ``read``). The model, not the IR, decides what orders what."""

    def fence(self, buffers: Buffers, thread: int, kind: str) -> Buffers:
        """The buffers after ``thread``'s ``fence(kind)`` (once ``drains`` let it happen)."""

    def shape(self, buffers: Buffers) -> Hashable:
        """Which locations each thread's buffer holds, in order, without the values: what the
        partial-order reduction's choice of steps depends on."""

    def own(self, buffers: Buffers, thread: int) -> Hashable:
        """What the buffers hold for ``thread`` alone (symmetry compares threads by it)."""

    def permute(self, buffers: Buffers, order: tuple[int, ...]) -> Buffers:
        """The buffers with thread ``i``'s part taken from thread ``order[i]`` (symmetry)."""
