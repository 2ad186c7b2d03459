"""``fences``: the fewest fences that take away a program's non-sc (or forbidden) outcomes.

A counterexample-guided search. Explore the program under the model; each
outcome to remove has a witness, and a fence at some point would *cut* that
witness when the fence could not have run where the witness needs it: a full
fence with the thread's buffer not yet empty, a write fence (pso) with a store
after it reaching memory before one before it. Replaying the witness on the
program with that one fence added says which points cut it. Every set of fences
that removes the outcome must cut this witness (a witness no fence of the set
cuts runs unchanged with all of them, and removing fences never removes an
execution), so a set must *hit* every witness's cut set: take a hitting set of
minimum size (then of minimum cost), insert it, and explore again. If an outcome
to remove is still reachable, its new witness adds a cut set; otherwise the set
is verified, and it is minimum, since every smaller set misses some cut set.

Under arm (an axiomatic model: its witnesses are execution graphs, not schedules
to replay) the search tries sets of fences by size, then by cost, verifying each
by exploring; the first that works is minimum, as every smaller or cheaper set
failed first.

Fence kinds and what they cost (the cheapest sufficient kind is chosen): under
tso only a full fence (x86 ``MFENCE``) orders a store before a later load,
cost 1; under pso a write fence (a store-store barrier, SPARC ``membar
#StoreStore``) orders stores, cost 1, and a full fence orders everything,
cost 2. Loads are never reordered on these machines, so read fences never help.
Under arm a write fence (DMB ST) and a read fence (DMB LD) cost 1, a full fence
(DMB SY) 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from transforms.fences import Placement, fence_points, insert_fences

from ..analysis import ModelRun, ProgressFactory, run_model
from ..bounds import Bounds
from ..errors import UsageError
from ..frontend import parse_program
from ..ir import Fence
from ..linemap import LineMap
from ..machine import RUN, Machine
from ..models import GRAPH_MODELS, get_model
from ..outcomes import Outcome, ordered
from ..trace import matches, observable, parse_match

#: Per model, the fence kinds that can help and their cost. arm: DMB ST (write) and DMB LD (read)
#: order only stores, or only loads before later accesses; DMB SY (full) orders everything.
COSTS: dict[str, dict[str, int]] = {"tso": {"full": 1}, "pso": {"write": 1, "full": 2},
                                    "arm": {"write": 1, "read": 1, "full": 2}}
#: The graph models have no replayable machine witness to cut: their search tries sets of fences
#: by size and cost, verifying each, up to this many fences.
MAX_ENUMERATED_FENCES = 4


@dataclass(frozen=True)
class Attempt:
    """One candidate set the search explored, and what it left."""

    placements: tuple[Placement, ...]
    remaining: tuple[Outcome, ...]  # outcomes to remove that it still allows
    states: int
    complete: bool


@dataclass
class FenceSearch:
    path: str
    source: str
    model: str
    forbid: list[str]  # --forbid patterns; empty: every outcome sc does not allow
    before: ModelRun
    sc_outcomes: set[Outcome]
    unwanted: list[Outcome]  # the outcomes to remove, as the original program allows them
    attempts: list[Attempt] = field(default_factory=list)
    cuts: list[frozenset[Placement]] = field(default_factory=list)
    placements: tuple[Placement, ...] | None = None  # the answer (None: no set of fences removes them)
    impossible: Outcome | None = None  # an outcome no fence can remove, when there is one
    after_run: ModelRun | None = None

    @property
    def found(self) -> bool:
        return self.placements is not None

    @cached_property
    def after(self) -> str:
        return insert_fences(self.source, self.placements or ())

    @property
    def complete(self) -> bool:
        return self.before.search.complete and all(a.complete for a in self.attempts)

    @property
    def cost(self) -> int:
        return sum(COSTS[self.model][p.kind] for p in self.placements or ())

    @property
    def line_map(self) -> LineMap:
        return LineMap.between(self.source, self.after)

    def to_json(self) -> dict[str, Any]:
        return {"program": self.path, "model": self.model, "forbid": self.forbid, "complete": self.complete,
                "found": self.found, "cost": self.cost,
                "fences": [{"line": p.point.line, "after": p.point.after, "function": p.point.function,
                            "kind": p.kind} for p in self.placements or ()],
                "removed": [o.to_json() for o in self.unwanted],
                "impossible": self.impossible.to_json() if self.impossible else None,
                "candidate_sets_verified": len(self.attempts),
                "before": [o.to_json() for o in self.before.outcomes],
                "after": [o.to_json() for o in self.after_run.outcomes] if self.after_run else None}


def _unwanted(outcomes: Iterable[Outcome], sc: set[Outcome], forbid: list[dict[str, str]]) -> list[Outcome]:
    if forbid:
        return ordered(o for o in outcomes if any(matches(o, pattern) for pattern in forbid))
    return ordered(set(outcomes) - sc)


def _strengthens(chosen: frozenset[Placement], candidate: Placement, costs: dict[str, int]) -> bool:
    """Whether ``candidate`` adds to ``chosen``: a fence where there is none, or a stronger one (a
    full fence where a write fence is) - on tso and pso a full fence does all a write fence does."""
    there = [p.kind for p in chosen if p.point == candidate.point]
    return not there or (candidate.kind == "full" and "full" not in there)


def strongest(placements: Iterable[Placement]) -> frozenset[Placement]:
    """One fence per point, the strongest asked for there (a full fence over a write fence)."""
    by_point: dict[Any, Placement] = {}
    for placement in placements:
        known = by_point.get(placement.point)
        if known is None or placement.kind == "full":
            by_point[placement.point] = placement
    return frozenset(by_point.values())


class _Programs:
    """The program with a set of placements inserted: its source, machine, and new fence lines.
    A set holding two kinds at one point gets the stronger one only (``strongest``)."""

    def __init__(self, path: str, source: str, model: str, reduce: bool) -> None:
        self.path, self.source, self.model, self.reduce = path, source, model, reduce
        self.machines: dict[frozenset[Placement], Machine] = {}
        self.sources: dict[frozenset[Placement], str] = {frozenset(): source}

    def text(self, placements: frozenset[Placement]) -> str:
        if placements not in self.sources:
            self.sources[placements] = insert_fences(self.source, strongest(placements))
        return self.sources[placements]

    def program(self, placements: frozenset[Placement]) -> Any:
        return parse_program(self.text(placements), self.path)

    def machine(self, placements: frozenset[Placement]) -> Machine:
        if placements not in self.machines:
            self.machines[placements] = Machine(self.program(placements), get_model(self.model), reduce=self.reduce)
        return self.machines[placements]

    def new_fence_lines(self, base: frozenset[Placement], added: Placement) -> frozenset[int]:
        """The line of the fence ``added`` inserts into the program with ``base``; none when it only
        makes a fence that is there stronger (the witness then meets it as the same step)."""
        if any(p.point == added.point for p in base):
            return frozenset()
        return LineMap.between(self.text(base), self.text(base | {added})).written


def survives(witness: tuple, machine: Machine, inserted: frozenset[int]) -> bool:
    """Whether ``witness`` (a schedule of the program without the fences on ``inserted`` lines) still
    runs on ``machine`` (the program with them): each new fence runs just before its thread's
    next step, if it can then; every other choice must be enabled as it comes."""
    state = machine.initial()
    for choice in witness:
        if choice[0] == RUN:
            tid = choice[1]
            while True:
                pc = state.pc(tid)
                op = machine.ops[tid][pc] if pc >= 0 else None
                if op is None or not isinstance(op.instr, Fence) or op.instr.line not in inserted:
                    break
                if (RUN, tid, 0) not in machine.enabled(state):
                    return False
                state = machine.apply(state, (RUN, tid, 0))
        if choice not in machine.enabled(state):
            return False
        state = machine.apply(state, choice)
    return True


def minimum_hitting_set(sets: list[frozenset[Placement]], cost: dict[str, int]) -> tuple[Placement, ...] | None:
    """A set of placements meeting every set in ``sets``, of minimum size and then minimum cost
    (branch and bound, branching on the smallest set not yet met); None when a set is empty."""
    if any(not s for s in sets):
        return None
    best: list[Any] = [None, (float("inf"), float("inf"))]

    def weight(chosen: tuple[Placement, ...]) -> tuple[int, int]:
        return len(chosen), sum(cost[p.kind] for p in chosen)

    def search(chosen: tuple[Placement, ...], open_sets: list[frozenset[Placement]]) -> None:
        if not open_sets:
            if weight(chosen) < best[1]:
                best[0], best[1] = chosen, weight(chosen)
            return
        if len(chosen) + _disjoint_lower_bound(open_sets) > best[1][0]:
            return
        smallest = min(open_sets, key=len)
        for placement in sorted(smallest, key=lambda p: (cost[p.kind], p)):
            if len(chosen) + 1 > best[1][0]:
                break
            search((*chosen, placement), [s for s in open_sets if placement not in s])

    search((), list(sets))
    return tuple(sorted(best[0])) if best[0] is not None else None


def _disjoint_lower_bound(sets: list[frozenset[Placement]]) -> int:
    """How many pairwise disjoint sets a greedy pass finds: each needs its own placement."""
    taken: set[Placement] = set()
    count = 0
    for candidate in sorted(sets, key=len):
        if not candidate & taken:
            taken |= candidate
            count += 1
    return count


def find_fences(path: str, source: str, model: str, *, forbid: list[str] | None = None,
                kinds: list[str] | None = None, bounds: Bounds | None = None,
                progress: ProgressFactory | None = None, max_attempts: int = 200) -> FenceSearch:
    """The fewest fences (then the cheapest) that remove the outcomes sc does not allow (or those
    matching ``forbid``) from ``source`` under the machine ``model``, verified by exploration."""
    if model not in COSTS:
        raise UsageError(f"fences searches tso, pso and arm, not {model}")
    costs = COSTS[model]
    kinds = kinds or list(costs)
    unknown = [k for k in kinds if k not in costs]
    if unknown:
        raise UsageError(f"under {model} the fence kinds that can help are {', '.join(costs)} (not {', '.join(unknown)})")
    patterns = [parse_match(text) for text in forbid or []]

    def labelled(what: str) -> Any:
        return progress(what) if progress else None

    programs = _Programs(path, source, "sc" if model in GRAPH_MODELS else model,
                         reduce=bounds.reduce if bounds else True)
    original = parse_program(source, path)
    sc = run_model(original, "sc", bounds=bounds, progress=labelled("exploring under sc"))
    before = run_model(original, model, bounds=bounds, progress=labelled(f"exploring under {model}"))
    known = {name for o in before.outcomes for name in observable(o)}
    for pattern, text in zip(patterns, forbid or []):
        unknown = sorted(name for name in pattern if name not in known and not name.startswith("@"))
        if unknown:
            raise UsageError(f"--forbid {text!r} names {', '.join(unknown)}, which the outcomes do not have "
                             f"(they have {', '.join(sorted(known))})")
    search = FenceSearch(path, source, model, list(forbid or []), before, set(sc.outcomes),
                         _unwanted(before.outcomes, set(sc.outcomes), patterns))
    candidates = [Placement(point, kind) for point in fence_points(source) for kind in kinds]
    if model in GRAPH_MODELS:
        return _enumerate(search, programs, candidates, patterns, bounds, labelled, max_attempts)
    chosen: frozenset[Placement] = frozenset()
    run = before
    while True:
        remaining = _unwanted(run.outcomes, search.sc_outcomes, patterns)
        if chosen or not remaining:
            search.attempts.append(Attempt(tuple(sorted(strongest(chosen))), tuple(remaining), run.search.states,
                                           run.search.complete))
        if not remaining:
            search.placements, search.after_run = tuple(sorted(strongest(chosen))), run
            return search
        if len(search.attempts) >= max_attempts:
            return search
        for outcome in remaining:
            witness = run.witness(outcome)
            cut = frozenset(c for c in candidates if _strengthens(chosen, c, costs) and not survives(
                witness, programs.machine(chosen | {c}), programs.new_fence_lines(chosen, c)))
            if not cut:
                search.impossible = outcome
                return search
            search.cuts.append(cut)
        hitting = minimum_hitting_set(search.cuts, costs)
        if hitting is None:
            return search
        chosen = frozenset(hitting)
        program = programs.machine(chosen).program
        run = run_model(program, model, bounds=bounds,
                        progress=labelled(f"verifying {len(chosen)} fence(s) under {model}"))


def fence_twin(path: str, source: str, models: list[str], *, bounds: Bounds | None = None,
               progress: ProgressFactory | None = None) -> FenceSearch:
    """The fewest fences that make ``source`` sc under the weakest machine of ``models``: fences
    enough for pso are enough for tso (every tso execution is a pso one, and a fence only takes
    executions away)."""
    weak = [m for m in ("pso", "tso") if m in models]
    if not weak:
        raise UsageError("fences only change what tso and pso allow: name one of them with --model")
    return find_fences(path, source, weak[0], bounds=bounds, progress=progress)


def _enumerate(search: FenceSearch, programs: _Programs, candidates: list[Placement], patterns: list,
               bounds: Bounds | None, labelled: Any, max_attempts: int) -> FenceSearch:
    """Try sets of fences (at distinct points) by size, then by cost, verifying each by exploring:
    the first set that leaves nothing to remove is minimum, since every smaller or cheaper set was
    tried first and failed."""
    import itertools

    costs = COSTS[search.model]
    if not search.unwanted:
        search.placements, search.after_run = (), search.before
        return search
    points = sorted({c.point for c in candidates})
    kinds = sorted({c.kind for c in candidates}, key=lambda kind: costs[kind])
    for size in range(1, MAX_ENUMERATED_FENCES + 1):
        sets = [tuple(Placement(point, kind) for point, kind in zip(chosen, chosen_kinds))
                for chosen in itertools.combinations(points, size)
                for chosen_kinds in itertools.product(kinds, repeat=size)]
        sets.sort(key=lambda placements: (sum(costs[p.kind] for p in placements), placements))
        for placements in sets:
            if len(search.attempts) >= max_attempts:
                return search
            program = programs.program(frozenset(placements))
            run = run_model(program, search.model, bounds=bounds,
                            progress=labelled(f"verifying {size} fence(s) under {search.model}"))
            remaining = _unwanted(run.outcomes, search.sc_outcomes, patterns)
            search.attempts.append(Attempt(tuple(sorted(placements)), tuple(remaining), run.search.states,
                                           run.search.complete))
            if not remaining:
                search.placements, search.after_run = tuple(sorted(placements)), run
                return search
    return search
