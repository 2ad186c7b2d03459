"""``threading.RLock``: a lock its holder may take again; each ``acquire`` needs its ``release``.

State: (holder or -1, depth). Happens-before as for a lock, on the first acquire
and the last release. Releasing an RLock this thread does not hold is CPython's
``RuntimeError: cannot release un-acquired lock``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..evaluate import Fault
from .base import Action
from .lock import FREE, Lock

State = tuple[int, int]  # (holder, depth)


def acquire(state: State, thread: int) -> tuple[State, bool, str | None]:
    holder, depth = state
    return (thread, depth + 1), True, "acquire" if holder == FREE else None


def try_acquire(state: State, thread: int) -> tuple[State, bool, str | None]:
    if state[0] in (FREE, thread):
        return acquire(state, thread)
    return state, False, None


def release(state: State, thread: int) -> tuple[State, None, str | None]:
    holder, depth = state
    if holder != thread:
        raise Fault("RuntimeError: cannot release un-acquired lock")
    return ((FREE, 0), None, "release") if depth == 1 else ((holder, depth - 1), None, None)


class RLock(Lock):
    name = "rlock"
    constructor = "threading.RLock"
    actions = {
        "acquire": Action(acquire, ready=lambda state, thread: state[0] in (FREE, thread)),
        "try_acquire": Action(try_acquire),
        "release": Action(release),
    }

    def initial(self) -> State:
        return (FREE, 0)

    def rename_threads(self, state: State, rename: Callable[[int], int]) -> State:
        return state if state[0] == FREE else (rename(state[0]), state[1])

    def describe(self, state: State, thread_names: tuple[str, ...]) -> str | None:
        holder, depth = state
        if holder == FREE:
            return None
        return f"held by {thread_names[holder]}" + (f" ({depth} times)" if depth > 1 else "")


KIND = RLock()
