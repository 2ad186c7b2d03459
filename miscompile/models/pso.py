"""PSO (partial store order): a FIFO store buffer per thread *and location*.

Stores to one location reach memory in order, but stores to different
locations may reach memory in either order, so message passing (MP) breaks.
A ``release`` store first waits for the thread's earlier stores to drain and is
then buffered; a ``seq_cst`` store waits for the drain and writes memory
directly (a store followed by a full fence).
"""

from __future__ import annotations

from typing import Any

from .base import Buffers, Flush, set_item

# per thread: ((location, (value, ...)), ...) sorted by location, only non-empty queues
PerLocation = tuple[tuple[int, tuple[Any, ...]], ...]


class PSO:
    name = "pso"
    summary = "PSO: a FIFO store buffer per thread and location; stores to different locations reorder"

    def empty(self, threads: int) -> Buffers:
        return ((),) * threads

    def read(self, buffers: Buffers, memory: tuple, thread: int, loc: int) -> Any:
        for entry_loc, values in buffers[thread]:  # type: ignore[index]
            if entry_loc == loc:
                return values[-1]
        return memory[loc]

    def drained(self, buffers: Buffers, thread: int) -> bool:
        return not buffers[thread]  # type: ignore[index]

    def store_ready(self, buffers: Buffers, thread: int, order: str) -> bool:
        return order not in ("release", "seq_cst") or not buffers[thread]  # type: ignore[index]

    def write(self, buffers: Buffers, memory: tuple, thread: int, loc: int, value: Any,
              order: str) -> tuple[Buffers, tuple]:
        if order == "seq_cst":
            return buffers, set_item(memory, loc, value)
        queues: PerLocation = buffers[thread]  # type: ignore[index]
        for i, (entry_loc, values) in enumerate(queues):
            if entry_loc == loc:
                queues = set_item(queues, i, (loc, values + (value,)))
                break
        else:
            queues = tuple(sorted(queues + ((loc, (value,)),)))
        return set_item(buffers, thread, queues), memory  # type: ignore[arg-type]

    def flushes(self, buffers: Buffers) -> list[Flush]:
        return [(thread, loc) for thread, queues in enumerate(buffers) for loc, _ in queues]  # type: ignore[arg-type]

    def flush(self, buffers: Buffers, memory: tuple, flush: Flush) -> tuple[Buffers, tuple, int, Any]:
        thread, loc = flush
        queues: PerLocation = buffers[thread]  # type: ignore[index]
        for i, (entry_loc, values) in enumerate(queues):
            if entry_loc == loc:
                rest = values[1:]
                queues = set_item(queues, i, (loc, rest)) if rest else queues[:i] + queues[i + 1:]
                return set_item(buffers, thread, queues), set_item(memory, loc, values[0]), loc, values[0]  # type: ignore[arg-type]
        raise ValueError(f"thread {thread} has no buffered store to location {loc}")

    def pending(self, buffers: Buffers, thread: int) -> list[tuple[int, Any]]:
        return [(loc, v) for loc, values in buffers[thread] for v in values]  # type: ignore[index]
