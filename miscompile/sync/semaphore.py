"""``threading.Semaphore(n)`` and ``threading.BoundedSemaphore(n)``: ``acquire`` waits while the
counter is 0 and takes one; ``release`` gives one back (``with sem:`` does both).

State: the counter (and, bounded, the initial value it may not pass). Happens-before:
every release publishes what its thread knows, added to what earlier releases published;
an acquire learns all of it (a semaphore does not say whose release it consumed). Releasing
a bounded semaphore above its initial value is CPython's ``ValueError: Semaphore released
too many times``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from ..evaluate import Fault
from .base import Action
from .lock import Lock

State = tuple[int, int | None]  # (counter, bound or None)


def acquire(state: State, thread: int) -> tuple[State, bool, str]:
    return (state[0] - 1, state[1]), True, "acquire"


def try_acquire(state: State, thread: int) -> tuple[State, bool, str | None]:
    return acquire(state, thread) if state[0] > 0 else (state, False, None)


def release(state: State, thread: int) -> tuple[State, None, str]:
    value, bound = state
    if bound is not None and value >= bound:
        raise Fault("ValueError: Semaphore released too many times")
    return (value + 1, bound), None, "release"


class Semaphore(Lock):
    name = "semaphore"
    constructor = "threading.Semaphore"
    bounded = False
    actions = {
        "acquire": Action(acquire, ready=lambda state, thread: state[0] > 0),
        "try_acquire": Action(try_acquire),
        "release": Action(release),
    }

    def create(self, call: ast.Call, error: Callable[[ast.AST, str], Exception]) -> Any:
        value, node = self.int_argument(call, "value", error, f"{self.constructor.rsplit('.', 1)[1]}(2)", default=1)
        if value < 0:
            raise error(node, "semaphore initial value must be >= 0")
        return (value, value if self.bounded else None)

    def observe(self, edge: str, known: int, published: int) -> tuple[int, int]:
        if edge == "acquire":
            return known | published, published
        return known, published | known  # release

    def rename_threads(self, state: State, rename: Callable[[int], int]) -> State:
        return state  # a counter: no thread holds a semaphore

    def describe(self, state: State, thread_names: tuple[str, ...]) -> str | None:
        return f"counter {state[0]}"


class BoundedSemaphore(Semaphore):
    name = "bounded_semaphore"
    constructor = "threading.BoundedSemaphore"
    bounded = True


KIND = Semaphore()
BOUNDED = BoundedSemaphore()
