"""Checking a pass against its declared legality: search for a race-free program it changes.

A drf-safe pass must keep the outcomes of every race-free program; a
race-introducing one can change them. ``check_pass`` lets hypothesis draw
race-free programs (``miscompile.strategies.race_free_programs``), applies the
pass, and explores both versions under one model. The first program whose
outcome set changes is shrunk to the simplest one hypothesis can find, and
returned with its evidence: that it has no data race, what the pass made of
it, and the outcomes it gained or lost.

Under rc11 (the language's model) a pass also changes a program when the
optimised version has a data race: it is then undefined, whatever its
outcomes. This is how C11 forbids a race-introducing pass on a race-free
program even where a machine would show no new outcome; the same pass can be
harmless for a machine model and illegal for the language, and the verdict is
per model.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from transforms.registry import get_pass

from ..analysis import run_model
from ..bounds import Bounds
from ..frontend import parse_program
from ..linemap import LineMap
from ..models import GRAPH_MODELS, LANGUAGE_MODELS
from ..outcomes import Outcome, ordered
from ..races import find_races

PATH = "counterexample.py"
#: Programs tried while shrinking a counterexample; then the smallest so far is kept. A count,
#: not a time, so that the same seed always gives the same counterexample.
SHRINK_STEPS = 300
#: Each program's exploration is bounded; a program too big to explore within it is skipped. The
#: graph engine's states cost far more than a machine's (every step checks the model's axioms),
#: so its bound is smaller.
CHECK_BOUNDS = Bounds(max_states=200_000)
GRAPH_CHECK_BOUNDS = Bounds(max_states=3_000)


@dataclass(frozen=True)
class Counterexample:
    before: str
    after: str
    gained: list[Outcome]
    lost: list[Outcome]
    race_search_states: int  # SC states the race detector explored on ``before`` (and found no race)
    #: under a language model: the locations whose data races make the optimised program undefined
    undefined: tuple[str, ...] = ()


@dataclass(frozen=True)
class PassCheck:
    pass_name: str
    legality: str
    model: str
    programs: int  # how many programs were tried (not counting shrinking)
    counterexample: Counterexample | None
    skipped: int = 0  # programs too big to explore within CHECK_BOUNDS: they prove nothing either way

    @property
    def verdict(self) -> str:
        """What the search established. Only a counterexample to a drf-safe claim contradicts the
        declaration; a race-introducing pass with none among N programs is merely not confirmed."""
        found = self.counterexample is not None
        if self.legality == "race-introducing":
            return "confirmed" if found else "not confirmed"
        return "contradicted" if found else "holds"

    @property
    def consistent(self) -> bool:
        """Whether nothing found contradicts the declared legality."""
        return self.verdict != "contradicted"

    def to_json(self) -> dict:
        data: dict = {"pass": self.pass_name, "legality": self.legality, "model": self.model,
                      "programs": self.programs, "skipped": self.skipped, "verdict": self.verdict,
                      "consistent": self.consistent, "counterexample": None}
        if self.counterexample is not None:
            c = self.counterexample
            data["counterexample"] = {"before": c.before, "after": c.after,
                                      "gained": [o.to_json() for o in c.gained],
                                      "lost": [o.to_json() for o in c.lost],
                                      "race_free_evidence": {"races": [], "sc_states": c.race_search_states},
                                      "undefined": list(c.undefined)}
        return data


def _outcomes(source: str, model: str, line_map: LineMap | None = None) -> tuple[set[Outcome], tuple[str, ...]] | None:
    """The outcomes of ``source`` (for an optimised program, with failures at the original's lines)
    and, under a language model, the locations whose races make it undefined; None when the
    search was cut short: a partial set proves nothing."""
    run = run_model(parse_program(source, PATH), model,
                    bounds=GRAPH_CHECK_BOUNDS if model in GRAPH_MODELS else CHECK_BOUNDS)
    if not run.search.complete:
        return None
    outcomes = {line_map.outcome(o) for o in run.outcomes} if line_map is not None else set(run.outcomes)
    undefined = tuple(sorted({race.location for race in run.undefined})) if model in LANGUAGE_MODELS else ()
    return outcomes, undefined


def check_pass(name: str, *, examples: int = 200, seed: int = 0, model: str = "sc",
               shrink_steps: int = SHRINK_STEPS,
               progress: Callable[[int, int], None] | None = None) -> PassCheck:
    """Search ``examples`` race-free programs for one whose outcomes ``name`` changes under ``model``."""
    from hypothesis import HealthCheck, find, settings
    from hypothesis.errors import NoSuchExample

    from ..strategies import race_free_programs

    pass_class = get_pass(name)
    tried = skipped = shrinking = 0
    accepted: set[str] = set()  # every program found to change: the answer is the one find() returns

    def changes(source: str) -> bool | None:
        """Whether the pass changes the outcomes; None when a search was cut short."""
        after, _ = pass_class.run(source, PATH)
        if after == source:
            return False
        before = _outcomes(source, model)
        optimised = _outcomes(after, model, LineMap.between(source, after)) if before is not None else None
        return None if optimised is None or before is None else before != optimised

    def predicate(source: str) -> bool:
        nonlocal tried, skipped, shrinking
        if not accepted:
            tried += 1
            if progress is not None:
                progress(tried, examples)
        else:
            shrinking += 1
            if shrinking > shrink_steps:
                return source in accepted  # stop improving, but answer replays the same way
        changed = changes(source)
        if changed is None and not accepted:
            skipped += 1
        if changed:
            accepted.add(source)
        return bool(changed)

    config = settings(max_examples=examples, database=None, deadline=None,
                      suppress_health_check=list(HealthCheck))
    try:
        source = find(race_free_programs(relaxed=True, statements=2, depth=1), predicate, settings=config,
                      random=random.Random(seed))
    except NoSuchExample:
        return PassCheck(name, pass_class.LEGALITY, model, tried, None, skipped)
    after, _ = pass_class.run(source, PATH)
    before, optimised = _outcomes(source, model), _outcomes(after, model, LineMap.between(source, after))
    assert before is not None and optimised is not None  # the predicate saw both searches complete
    (before_set, _), (after_set, undefined) = before, optimised
    races, search = find_races(parse_program(source, PATH), bounds=CHECK_BOUNDS)
    assert search.complete and not races, "race_free_programs() produced a racy program"
    example = Counterexample(source, after, ordered(after_set - before_set), ordered(before_set - after_set),
                             search.states, undefined)
    return PassCheck(name, pass_class.LEGALITY, model, tried, example, skipped)


def explain(check: PassCheck) -> tuple[object, object]:
    """For a counterexample: the comparison of both versions, and the trace of the first gained outcome."""
    example = check.counterexample
    if example is None:
        return None, None
    from .comparison import compare_program
    from .tracing import trace_program

    comparison = compare_program(PATH, example.before, [check.pass_name], [check.model])
    machine = check.model not in GRAPH_MODELS  # a graph model's witness is a graph: `trace --model` it
    trace = trace_program(PATH, example.before, check.model, passes=[check.pass_name]) \
        if example.gained and machine else None
    return comparison, trace
