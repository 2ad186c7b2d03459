"""The reorderings a machine witness relies on: which store was still buffered when what ran.

On a store-buffer machine a thread's own program order is kept except for its
stores, which wait in a buffer. So a witness that sc cannot produce shows, at
some step, a thread loading a location while an older store of its own to
another location is still buffered (store to load: tso and pso), or a store
leaving the buffer before an older one of the same thread to another location
(store to store: pso only). These are the *delays* of Shasha and Snir; a
fence that would have cut one of them is where ``fences`` looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .machine import ATOMIC_LOAD, ATOMIC_RMW, FLUSH, READ, WRITE, Machine
from .trace import show_value


@dataclass(frozen=True)
class Delay:
    """One reordering in a witness: ``store`` (buffered, at ``store_line``) was overtaken by
    ``later`` (at ``later_line``), a load or, under pso, another store reaching memory first."""

    thread: str
    store: str  # "flag[0]=True"
    store_line: int
    later: str  # "flag[1]=False" (what the load read) or "turn=1" (the store that overtook)
    later_line: int
    kind: str  # "store-load" or "store-store"

    def __str__(self) -> str:
        if self.kind == "store-load":
            return (f"{self.thread} read {self.later} (line {self.later_line}) while its store {self.store} "
                    f"(line {self.store_line}) was still in its buffer")
        return (f"{self.thread}'s store {self.later} (line {self.later_line}) reached memory before its older "
                f"store {self.store} (line {self.store_line})")

    def to_json(self) -> dict[str, Any]:
        return {"thread": self.thread, "kind": self.kind, "store": self.store, "store_line": self.store_line,
                "later": self.later, "later_line": self.later_line}


def delays(machine: Machine, schedule: tuple) -> list[Delay]:
    """The delays of ``schedule`` (a witness of ``machine``), each once, in the order they happen."""
    program, model = machine.program, machine.model
    state = machine.initial()
    pending: dict[int, list[tuple[int, str, int]]] = {}  # thread -> its buffered (location, text, line)
    found: list[Delay] = []
    for choice in schedule:
        kind, tid, _ = choice
        name = machine.names[tid]
        shadow = pending.setdefault(tid, [])
        if kind == FLUSH:
            before = model.pending(state.buffers, tid)
            state = machine.apply(state, choice)
            after = model.pending(state.buffers, tid)
            gone = _removed(before, after)
            if gone is None:
                continue
            position = next((i for i, (loc, _, _) in enumerate(shadow) if loc == gone), None)
            if position is None:
                continue
            loc, text, line = shadow.pop(position)
            for older_loc, older_text, older_line in shadow[:position]:
                if older_loc != loc:
                    found.append(Delay(name, older_text, older_line, text, line, "store-store"))
            continue
        log: list = []
        buffered = len(model.pending(state.buffers, tid))
        after_state = machine.apply(state, choice, log)
        for event in log:
            if event[1] != tid:
                continue
            if event[0] in (READ, ATOMIC_LOAD, ATOMIC_RMW):
                loc, line = event[2], event[-1]
                value = model.read(state.buffers, state.memory, tid, loc)
                read = show_value(program.locations[loc], value)
                found += [Delay(name, text, store_line, read, line, "store-load")
                          for other, text, store_line in shadow if other != loc]
            elif event[0] == WRITE:
                now = model.pending(after_state.buffers, tid)
                if len(now) > buffered:  # the store waits in the buffer
                    loc, line = event[2], event[-1]
                    value = next(v for l, v in reversed(now) if l == loc)
                    shadow.append((loc, show_value(program.locations[loc], value), line))
        state = after_state
        if not model.pending(state.buffers, tid):
            shadow.clear()  # drained (a fence, a lock, a read-modify-write)
    unique: list[Delay] = []
    for delay in found:
        if delay not in unique:
            unique.append(delay)
    return unique


def _removed(before: list, after: list) -> int | None:
    """The location of the buffered store a flush took out (None if none did)."""
    remaining = list(after)
    for loc, value in before:
        if (loc, value) in remaining:
            remaining.remove((loc, value))
        else:
            return loc
    return None
