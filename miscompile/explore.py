"""Exhaustive search over any transition system.

A *system* has ``initial()``, ``enabled(state)``, ``apply(state, choice)``,
``transition(state, choice)`` (``apply`` plus the *notes* the step reports: the
race detector reports races this way) and, to name outcomes, ``ending(state)``
(a state with no enabled choice) and ``hang(state)``. The search knows nothing
about memory models or programs.

A reduced search also asks the system ``ample(state, choices)`` (the choices
a state must explore, see ``reduction``) and ``canonical`` (None, or the key a
state is stored under, so that states equal up to swapping identical threads
are visited once; ``close(result)`` then adds what the swaps imply, see
``symmetry``).

Two parts: a ``Search`` keeps what every walk records (outcomes and notes with
their first witness, counts, bounds), and a *strategy* decides the walk.
``depth_first`` is the full search: a depth-first walk with a visited set that
runs Tarjan's algorithm on the fly; when a strongly connected component closes
with no edge leaving it and no ending inside, it is a *bottom* component the
execution can never leave, and it yields one ``hang`` outcome. The DFS path to
a state is its witness: a list of choices that ``replay`` follows back to the
same outcome.

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
CLOCK_EVERY = 32  # transitions between time checks


class System(Protocol):
    """What a search explores. ``transition`` is ``apply`` plus the notes the step reports (the race
    detector's races; a plain system reports none)."""

    def initial(self) -> Hashable: ...
    def enabled(self, state: Any) -> list: ...
    def apply(self, state: Any, choice: Any) -> Any: ...
    def transition(self, state: Any, choice: Any) -> tuple[Any, Iterable]: ...
    def ending(self, state: Any) -> Outcome | None: ...
    def hang(self, state: Any) -> Outcome: ...

    # what a reduced search asks (a system that cannot reduce returns ``choices``, has no
    # ``canonical`` and closes nothing)
    def ample(self, state: Any, choices: list) -> list: ...
    #: None, or the key a state is stored under (states equal up to interchangeable threads)
    canonical: Callable[[Any], Hashable] | None
    def close(self, result: Result) -> None: ...


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


class Search:
    """The bookkeeping every search strategy shares: outcomes and notes with their first witness,
    the counts, and the bounds (states, seconds, memory). A strategy decides the order of the
    walk; it reports here and asks here whether it may go on."""

    def __init__(self, system: System, bounds: Bounds, progress: Progress | None = None) -> None:
        self.system = system
        self.result = Result()
        self.progress = progress
        self.started = time.perf_counter()
        self.deadline = self.started + bounds.max_seconds if bounds.max_seconds is not None else None
        self.memory_mb = bounds.memory_mb
        self.state_limit = bounds.max_states

    def outcome(self, outcome: Outcome | None, path: Iterable[Any]) -> None:
        """Record ``outcome`` with its witness (None: the system says this end is no execution of its
        own, as the graph engine says of a spin round it cut, which a later round covers)."""
        if outcome is not None and outcome not in self.result.outcomes:
            self.result.outcomes[outcome] = tuple(path)

    def notes(self, notes: Iterable[Any], path: list[Any], choice: Any) -> None:
        for note in notes:
            if note not in self.result.notes:
                self.result.notes[note] = (*path, choice)

    def visited(self, count: int) -> None:
        """A new state was stored (``count`` so far): report progress, watch memory."""
        if count % PROGRESS_EVERY == 0 and count:
            if self.progress is not None:
                self.progress(count, time.perf_counter() - self.started)
            if resident_mb() > self.memory_mb:
                self.result.stop("memory")

    def transitioned(self) -> bool:
        """A transition was taken; False when the search must stop now (out of time or memory)."""
        result = self.result
        result.transitions += 1
        if self.deadline is not None and result.transitions % CLOCK_EVERY == 0 \
                and time.perf_counter() > self.deadline:
            result.stop("seconds")
        return result.cut not in ("seconds", "memory")

    def room(self, count: int) -> bool:
        """Whether a new state may be stored after ``count``; records the cut when not."""
        if self.state_limit is not None and count >= self.state_limit:
            self.result.stop("states")
            return False
        return True

    def finish(self, states: int) -> Result:
        self.result.states = states
        self.result.seconds = time.perf_counter() - self.started
        return self.result


Strategy = Callable[[System, Search], int]  # walks the system, reporting to the search; returns states stored


def depth_first(system: System, search: Search, reduce: bool = False) -> int:
    """Every reachable state, depth first, with Tarjan's algorithm on the fly: a strongly connected
    component that closes with no edge leaving it and no ending inside is a bottom component the
    execution can never leave, reported once as a ``hang``. The DFS path to a state is its witness.

    With ``reduce``, a state explores only the choices ``system.ample`` keeps (a stubborn set),
    unless one of them leads back onto the depth-first stack: then every choice (the cycle
    proviso, so that no step is postponed around a cycle and hangs stay exact). Endings are
    still decided on every enabled choice."""
    result = search.result
    transition, enabled = system.transition, system.enabled
    ample = system.ample if reduce else None
    canonical = system.canonical if reduce else None  # symmetry: the key states are stored by
    index: dict[Any, int] = {}
    low: list[int] = []
    on_stack = bytearray()
    has_exit = bytearray()  # an edge leaves the state's component (or was cut off by a bound)
    scc_stack: list[int] = []
    states: list[Any] = []
    path: list[Any] = []  # choices from the initial state to the top frame
    frames: list[list] = []

    def visit(state: Any, key: Any) -> None:
        i = len(states)
        index[key] = i
        states.append(state)
        low.append(i)
        on_stack.append(1)
        has_exit.append(0)
        scc_stack.append(i)
        choices = enabled(state)
        if not choices:
            search.outcome(system.ending(state), path)
        kept = ample(state, choices) if ample is not None and len(choices) > 1 else choices
        # [state index, choices to take, next position, the choices left out (None: none)]
        frames.append([i, kept, 0, None if kept is choices else [c for c in choices if c not in kept]])
        search.visited(i)

    try:
        initial = system.initial()
        visit(initial, initial if canonical is None else canonical(initial))
    except BoundExceeded as exceeded:
        result.stop(exceeded.reason)
        frames.clear()
    while frames:
        frame = frames[-1]
        v, choices, position, left_out = frame
        if position < len(choices):
            frame[2] = position + 1
            choice = choices[position]
            try:
                successor, notes = transition(states[v], choice)
            except BoundExceeded as exceeded:
                result.stop(exceeded.reason)
                has_exit[v] = 1
                continue
            if not search.transitioned():
                break
            search.notes(notes, path, choice)
            key = successor if canonical is None else canonical(successor)
            w = index.get(key)
            if w is None:
                if not search.room(len(states)):
                    has_exit[v] = 1
                    continue
                path.append(choice)
                visit(successor, key)
            elif on_stack[w]:
                if w < low[v]:
                    low[v] = w
                if left_out:  # the reduced set closes a cycle: take every choice (the cycle proviso)
                    choices.extend(left_out)
                    frame[3] = None
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
                search.outcome(system.hang(states[v]), path)
        if frames:
            parent = frames[-1][0]
            if on_stack[v]:
                if low[v] < low[parent]:
                    low[parent] = low[v]
            else:
                has_exit[parent] = 1
            path.pop()
    if canonical is not None:
        system.close(result)
    return len(states)


def reduced_depth_first(system: System, search: Search) -> int:
    """``depth_first`` with partial-order reduction (the system provides ``ample``)."""
    return depth_first(system, search, reduce=True)


def explore(system: System, *, bounds: Bounds | None = None, max_states: int | None = None,
            progress: Progress | None = None, strategy: Strategy | None = None) -> Result:
    """Visit every reachable state within ``bounds`` (by default ``Bounds()``, with
    ``max_states`` states when that is given) and collect outcomes and notes. The strategy is
    ``reduced_depth_first`` when the bounds allow it (``Bounds.reduce``), else ``depth_first``."""
    bounds = as_bounds(bounds, max_states)
    if strategy is None:
        strategy = reduced_depth_first if bounds.reduce else depth_first
    search = Search(system, bounds, progress)
    return search.finish(strategy(system, search))


def replay(system: System, schedule: Iterable[Any]) -> Any:
    """Follow a witness schedule from the initial state; every choice must be enabled in turn."""
    state = system.initial()
    for step, choice in enumerate(schedule):
        if choice not in system.enabled(state):
            raise ValueError(f"step {step + 1} of the schedule is not enabled: {choice!r}")
        state = system.apply(state, choice)
    return state
