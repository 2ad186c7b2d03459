"""Exhaustive search over any transition system.

A *system* has ``initial()``, ``enabled(state)``, ``apply(state, choice)`` and,
to name outcomes, ``ending(state)`` (a state with no enabled choice) and
``hang(state)``. The search knows nothing about memory models or programs.

The search is a depth-first walk with a visited set that runs Tarjan's
algorithm on the fly: when a strongly connected component closes with no edge
leaving it and no ending inside, it is a *bottom* component the execution can
never leave, and it yields one ``hang`` outcome. The DFS path to a state is its
witness: a list of choices that ``replay`` follows back to the same outcome.

Systems may also report *notes* on transitions (the race detector reports
races this way) by returning them from ``transition(state, choice)``.

Every search runs within ``Bounds`` (states, seconds, memory). A transition the
system cannot compute within its own bounds raises ``BoundExceeded``; the
search skips it. Either way the result records the bound that cut it
(``cut``) and is not ``complete``; a component with a cut edge is never taken
for a hang, so a partial result only ever misses outcomes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Protocol

from .bounds import BoundExceeded, Bounds, as_bounds, resident_mb
from .outcomes import Outcome

Progress = Callable[[int, float], None]  # (states so far, seconds so far)
PROGRESS_EVERY = 2048  # states between progress reports and memory checks
CLOCK_EVERY = 512  # transitions between time checks


class System(Protocol):
    def initial(self) -> Hashable: ...
    def enabled(self, state: Any) -> list: ...
    def apply(self, state: Any, choice: Any) -> Any: ...
    def ending(self, state: Any) -> Outcome: ...
    def hang(self, state: Any) -> Outcome: ...


@dataclass
class Result:
    """Everything one search found."""

    outcomes: dict[Outcome, tuple] = field(default_factory=dict)  # outcome -> witness schedule
    notes: dict[Any, tuple] = field(default_factory=dict)  # note -> witness schedule
    states: int = 0
    transitions: int = 0
    seconds: float = 0.0
    cut: str | None = None  # the bound that cut the search short: states, seconds, memory, ...

    @property
    def complete(self) -> bool:
        return self.cut is None

    def stop(self, reason: str) -> None:
        """Record that a bound cut the search (the first reason is the one reported)."""
        if self.cut is None:
            self.cut = reason


def _transition(system: Any) -> Callable[[Any, Any], tuple[Any, Iterable]]:
    """``system.transition`` when it reports notes, else ``apply`` with none."""
    if hasattr(system, "transition"):
        return system.transition
    apply = system.apply
    return lambda state, choice: (apply(state, choice), ())


def explore(system: System, *, bounds: Bounds | None = None, max_states: int | None = None,
            progress: Progress | None = None) -> Result:
    """Visit every reachable state within ``bounds`` (by default ``Bounds()``, with
    ``max_states`` states when that is given) and collect outcomes and notes."""
    bounds = as_bounds(bounds, max_states)
    started = time.perf_counter()
    deadline = started + bounds.max_seconds if bounds.max_seconds is not None else None
    memory_mb = bounds.memory_mb
    state_limit = bounds.max_states
    result = Result()
    transition = _transition(system)
    enabled = system.enabled

    index: dict[Any, int] = {}
    low: list[int] = []
    on_stack = bytearray()
    has_exit = bytearray()  # an edge leaves the state's component (or was cut off by a bound)
    scc_stack: list[int] = []
    states: list[Any] = []
    path: list[Any] = []  # choices from the initial state to the top frame
    # frames: [state index, choices, next choice position]
    frames: list[list] = []

    def visit(state: Any) -> None:
        i = len(states)
        index[state] = i
        states.append(state)
        low.append(i)
        on_stack.append(1)
        has_exit.append(0)
        scc_stack.append(i)
        choices = enabled(state)
        if not choices:
            outcome = system.ending(state)
            if outcome not in result.outcomes:
                result.outcomes[outcome] = tuple(path)
        frames.append([i, choices, 0])
        if i % PROGRESS_EVERY == 0 and i:
            if progress is not None:
                progress(i, time.perf_counter() - started)
            if resident_mb() > memory_mb:
                result.stop("memory")

    try:
        visit(system.initial())
    except BoundExceeded as exceeded:
        result.stop(exceeded.reason)
        frames.clear()
    while frames:
        frame = frames[-1]
        v, choices, position = frame
        if position < len(choices):
            frame[2] = position + 1
            choice = choices[position]
            try:
                successor, notes = transition(states[v], choice)
            except BoundExceeded as exceeded:
                result.stop(exceeded.reason)
                has_exit[v] = 1
                continue
            result.transitions += 1
            if deadline is not None and result.transitions % CLOCK_EVERY == 0 and time.perf_counter() > deadline:
                result.stop("seconds")
            if result.cut in ("seconds", "memory"):
                break
            for note in notes:
                if note not in result.notes:
                    result.notes[note] = (*path, choice)
            w = index.get(successor)
            if w is None:
                if state_limit is not None and len(states) >= state_limit:
                    result.stop("states")
                    has_exit[v] = 1
                    continue
                path.append(choice)
                visit(successor)
            elif on_stack[w]:
                if w < low[v]:
                    low[v] = w
            else:
                has_exit[v] = 1
            continue
        # all successors done: close the component if v is its root
        frames.pop()
        if low[v] == v:
            bottom = True
            while True:
                w = scc_stack.pop()
                on_stack[w] = 0
                if has_exit[w]:
                    bottom = False
                if w == v:
                    break
            if bottom and choices:  # a component with edges that never leaves: a hang
                outcome = system.hang(states[v])
                if outcome not in result.outcomes:
                    result.outcomes[outcome] = tuple(path)
        if frames:
            parent = frames[-1][0]
            if on_stack[v]:
                if low[v] < low[parent]:
                    low[parent] = low[v]
            else:
                has_exit[parent] = 1
            path.pop()
    result.states = len(states)
    result.seconds = time.perf_counter() - started
    return result


def replay(system: System, schedule: Iterable[Any]) -> Any:
    """Follow a witness schedule from the initial state; every choice must be enabled in turn."""
    state = system.initial()
    for step, choice in enumerate(schedule):
        if choice not in system.enabled(state):
            raise ValueError(f"step {step + 1} of the schedule is not enabled: {choice!r}")
        state = system.apply(state, choice)
    return state
