"""Sequential consistency: every access acts on memory at once, in one interleaving."""

from __future__ import annotations

from typing import Any

from .base import Buffers, Flush, set_item


class SC:
    name = "sc"
    summary = "sequential consistency: one memory, accesses interleave in program order"

    def empty(self, threads: int) -> Buffers:
        return None

    def read(self, buffers: Buffers, memory: tuple, thread: int, loc: int) -> Any:
        return memory[loc]

    def drained(self, buffers: Buffers, thread: int) -> bool:
        return True

    def store_ready(self, buffers: Buffers, thread: int, order: str) -> bool:
        return True

    def write(self, buffers: Buffers, memory: tuple, thread: int, loc: int, value: Any,
              order: str) -> tuple[Buffers, tuple]:
        return buffers, set_item(memory, loc, value)

    def flushes(self, buffers: Buffers) -> list[Flush]:
        return []

    def flush(self, buffers: Buffers, memory: tuple, flush: Flush) -> tuple[Buffers, tuple, int, Any]:
        raise ValueError("sc has no store buffers to flush")

    def pending(self, buffers: Buffers, thread: int) -> list[tuple[int, Any]]:
        return []

    def shape(self, buffers: Buffers) -> Any:
        return None

    def drains(self, event: str) -> bool:
        return False  # no buffers: nothing to wait for

    def fence(self, buffers: Buffers, thread: int, kind: str) -> Buffers:
        return buffers

    def own(self, buffers: Buffers, thread: int) -> Any:
        return None

    def permute(self, buffers: Buffers, order: tuple[int, ...]) -> Buffers:
        return buffers
