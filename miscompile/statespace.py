"""The whole state graph of a system, kept: for stepping through it, and for shortest witnesses.

``explore`` walks a system and keeps only what it found (outcomes and their
witnesses). The inspector needs more: from any state a user steps to, which
outcomes are still reachable, and the shortest way to each. So this walk keeps
every state and edge. It goes breadth first, so the way in to each state is a
shortest one and each outcome's witness has no idle step; then Tarjan's
algorithm over the kept graph finds the bottom components (the hangs, as
``explore`` does) and, component by component from the sinks up, the set of
outcomes reachable from each state, as a bit mask over ``outcomes``.

No reduction: a user may take any enabled choice, so every one is kept. Within
``Bounds`` like every search; a cut graph says so (``complete``), and its
reachable sets are then what the kept part shows, possibly missing some.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .bounds import BoundExceeded, Bounds, as_bounds
from .explore import Progress, Result, Search
from .outcomes import Outcome, ordered


@dataclass
class StateSpace:
    """Every state reachable within the bounds, numbered breadth first from the initial one (0)."""

    system: Any
    states: list[Any]
    edges: list[tuple[tuple[Any, int], ...]]  # per state: (choice, successor) for each enabled choice
    parent: list[int]  # per state: the state before it on a shortest way in (-1 for the initial one)
    via: list[Any]  # per state: the choice that took that way in
    result: Result  # outcomes with their (shortest) witnesses, counts, and the bound that cut, if any
    outcomes: list[Outcome] = field(default_factory=list)  # in the tool's order
    ends: dict[int, int] = field(default_factory=dict)  # state -> the outcome its execution ends in there
    reach: list[int] = field(default_factory=list)  # per state: a bit per outcome still reachable

    @property
    def complete(self) -> bool:
        return self.result.complete

    def path_to(self, state: int) -> list[Any]:
        """The choices of a shortest way from the initial state to ``state``."""
        choices = []
        while self.parent[state] >= 0:
            choices.append(self.via[state])
            state = self.parent[state]
        return choices[::-1]

    def reachable(self, state: int) -> list[int]:
        """The indices (into ``outcomes``) of the outcomes reachable from ``state``."""
        mask = self.reach[state]
        return [i for i in range(len(self.outcomes)) if mask >> i & 1]

    def route(self, start: int, outcome: int) -> list[tuple[Any, int]]:
        """A shortest way from ``start`` to an end in ``outcome``, as (choice, state) steps; empty
        when ``start`` ends there already. Raises ``ValueError`` when it is not reachable."""
        bit = 1 << outcome
        if not self.reach[start] & bit:
            raise ValueError(f"outcome {outcome + 1} is not reachable from state {start}")
        came: dict[int, tuple[int, Any]] = {start: (-1, None)}
        queue = deque([start])
        while queue:
            state = queue.popleft()
            if self.ends.get(state) == outcome:
                steps = []
                while state != start:
                    before, choice = came[state]
                    steps.append((choice, state))
                    state = before
                return steps[::-1]
            for choice, successor in self.edges[state]:
                if successor not in came and self.reach[successor] & bit:
                    came[successor] = (state, choice)
                    queue.append(successor)
        raise ValueError(f"outcome {outcome + 1} is marked reachable from state {start} but no way was found")


def explore_space(system: Any, *, bounds: Bounds | None = None, progress: Progress | None = None) -> StateSpace:
    """Walk ``system`` breadth first within ``bounds``, keeping every state and edge."""
    search = Search(system, as_bounds(bounds), progress)
    result = search.result
    states: list[Any] = []
    edges: list[tuple[tuple[Any, int], ...]] = []
    parent: list[int] = []
    via: list[Any] = []
    index: dict[Any, int] = {}
    open_ends = bytearray()  # a successor the bounds left out: the state's future is not all known
    endings: dict[int, Outcome] = {}

    def store(state: Any, before: int, choice: Any) -> int:
        number = len(states)
        index[state] = number
        states.append(state)
        edges.append(())
        parent.append(before)
        via.append(choice)
        open_ends.append(0)
        search.visited(number)
        return number

    try:
        store(system.initial(), -1, None)
    except BoundExceeded as exceeded:
        result.stop(exceeded.reason)
    frontier = 0
    stopped = False
    while frontier < len(states) and not stopped:
        state = states[frontier]
        choices = system.enabled(state)
        if not choices:
            outcome = system.ending(state)
            if outcome is not None:
                endings[frontier] = outcome
        out: list[tuple[Any, int]] = []
        for choice in choices:
            try:
                successor = system.apply(state, choice)
            except BoundExceeded as exceeded:
                result.stop(exceeded.reason)
                open_ends[frontier] = 1
                continue
            if not search.transitioned():
                open_ends[frontier] = 1
                stopped = True
                break
            number = index.get(successor)
            if number is None:
                if not search.room(len(states)):
                    open_ends[frontier] = 1
                    continue
                number = store(successor, frontier, choice)
            out.append((choice, number))
        edges[frontier] = tuple(out)
        frontier += 1
    for unexplored in range(frontier, len(states)):
        open_ends[unexplored] = 1  # stored but never expanded: the walk stopped first
    space = StateSpace(system, states, edges, parent, via, result)
    _outcomes_and_reach(space, endings, open_ends)
    search.finish(len(states))
    return space


def _outcomes_and_reach(space: StateSpace, endings: dict[int, Outcome], open_ends: bytearray) -> None:
    """Find the hangs (bottom components with edges and no way out) and, for every state, the
    outcomes reachable from it; record each outcome with its shortest witness."""
    components = _components(space.edges)
    component_of = [0] * len(space.states)
    for number, members in enumerate(components):
        for state in members:
            component_of[state] = number
    ends = dict(endings)
    for members in components:
        here = component_of[members[0]]
        leaves = any(open_ends[s] or any(component_of[w] != here for _, w in space.edges[s]) for s in members)
        if not leaves and not any(s in endings for s in members) and any(space.edges[s] for s in members):
            first = min(members)  # the one a breadth-first walk reached first: the shortest witness
            ends[first] = space.system.hang(space.states[first])
    space.outcomes = ordered(set(ends.values()))
    number_of = {outcome: i for i, outcome in enumerate(space.outcomes)}
    space.ends = {state: number_of[outcome] for state, outcome in ends.items()}
    for state in sorted(ends):  # breadth-first order: the first end of each outcome is its nearest
        space.result.outcomes.setdefault(ends[state], tuple(space.path_to(state)))
    space.result.outcomes = {o: space.result.outcomes[o] for o in space.outcomes}
    # components come sinks first: each one's successors are done before it
    reach = [0] * len(space.states)
    for members in components:
        here = component_of[members[0]]
        mask = 0
        for state in members:
            if state in space.ends:
                mask |= 1 << space.ends[state]
            for _, successor in space.edges[state]:
                if component_of[successor] != here:
                    mask |= reach[successor]
        for state in members:
            reach[state] = mask
    space.reach = reach


def _components(edges: list[tuple[tuple[Any, int], ...]]) -> list[list[int]]:
    """Tarjan's strongly connected components, iteratively, in the order they close (sinks first)."""
    count = len(edges)
    index = [-1] * count
    low = [0] * count
    on_stack = bytearray(count)
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(count):
        if index[root] >= 0:
            continue
        work: list[tuple[int, Iterable]] = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        while work:
            v, successors = work[-1]
            advanced = False
            for _, w in successors:
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    work.append((w, iter(edges[w])))
                    advanced = True
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
            if low[v] == index[v]:
                members = []
                while True:
                    w = stack.pop()
                    on_stack[w] = 0
                    members.append(w)
                    if w == v:
                        break
                components.append(members)
    return components


#: How many states the breadth-first walk for shortest witnesses may visit; past it the search's
#: own witnesses stay (they are real, only maybe longer).
SHORTEST_LIMIT = 200_000


def shortest_witnesses(system: Any, witnesses: dict[Outcome, tuple], *, limit: int = SHORTEST_LIMIT,
                       reduce: bool = False) -> dict[Outcome, tuple]:
    """For each outcome, a shortest schedule that ends in it, found breadth first in one walk that
    stops once every outcome has one; the given witness (one the search already has) for those it
    does not reach within ``limit`` states, and for hangs (a hang is a component, not an end).

    The walk takes every enabled choice, or with ``reduce`` the ones ``system.ample`` keeps (the
    partial-order reduction of ``explore``): far fewer states, and a shortest way among the
    schedules the reduction keeps. On every example the two walks give witnesses of the same
    length; the tests compare them with the whole state graph."""
    found = {outcome: witness for outcome, witness in witnesses.items() if outcome.status == "hang"}
    ample = getattr(system, "ample", None) if reduce else None
    wanted = {outcome for outcome in witnesses if outcome not in found}
    came: dict[Any, tuple[Any, Any]] = {}
    start = system.initial()
    came[start] = (None, None)
    queue = deque([start])
    while queue and wanted and len(came) < limit:
        state = queue.popleft()
        choices = system.enabled(state)
        if not choices:
            outcome = system.ending(state)
            if outcome in wanted:
                wanted.discard(outcome)
                schedule = []
                while came[state][0] is not None:
                    state, choice = came[state]
                    schedule.append(choice)
                found[outcome] = tuple(schedule[::-1])
            continue
        for choice in ample(state, choices) if ample is not None and len(choices) > 1 else choices:
            try:
                successor = system.apply(state, choice)
            except BoundExceeded:
                continue
            if successor not in came:
                came[successor] = (state, choice)
                queue.append(successor)
    return {outcome: found[outcome] if outcome in found and len(found[outcome]) <= len(witness) else witness
            for outcome, witness in witnesses.items()}


def shortest_witness(system: Any, outcome: Outcome, witness: tuple, *, limit: int = SHORTEST_LIMIT,
                     reduce: bool = False) -> tuple:
    """``shortest_witnesses`` for one outcome."""
    return shortest_witnesses(system, {outcome: witness}, limit=limit, reduce=reduce)[outcome]
