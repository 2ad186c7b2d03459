"""Checking a pass against its declared legality: search for a race-free program it changes.

A drf-safe pass must keep the outcomes of every race-free program; a
race-introducing one can change them. ``check_pass`` lets hypothesis draw
race-free programs (``miscompile.strategies.race_free_programs``), applies the
pass, and explores both versions under one model. The first program whose
outcome set changes is shrunk to the simplest one hypothesis can find, and
returned with its evidence: that it has no data race, what the pass made of
it, and the outcomes it gained or lost.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from .analysis import run_model
from .frontend import parse_program
from .linemap import LineMap
from .outcomes import Outcome, ordered
from .races import find_races

PATH = "counterexample.py"
#: Each shrinking step explores two programs; after this long the smallest one so far is kept.
SHRINK_SECONDS = 30.0


@dataclass(frozen=True)
class Counterexample:
    before: str
    after: str
    gained: list[Outcome]
    lost: list[Outcome]
    race_search_states: int  # SC states the race detector explored on ``before`` (and found no race)


@dataclass(frozen=True)
class PassCheck:
    pass_name: str
    legality: str
    model: str
    programs: int  # how many programs were tried (not counting shrinking)
    counterexample: Counterexample | None

    @property
    def consistent(self) -> bool:
        """Whether what was found agrees with the declared legality."""
        found = self.counterexample is not None
        return found if self.legality == "race-introducing" else not found

    def to_json(self) -> dict:
        data: dict = {"pass": self.pass_name, "legality": self.legality, "model": self.model,
                      "programs": self.programs, "consistent": self.consistent, "counterexample": None}
        if self.counterexample is not None:
            c = self.counterexample
            data["counterexample"] = {"before": c.before, "after": c.after,
                                      "gained": [o.to_json() for o in c.gained],
                                      "lost": [o.to_json() for o in c.lost],
                                      "race_free_evidence": {"races": [], "sc_states": c.race_search_states}}
        return data


def _outcomes(source: str, model: str, line_map: LineMap | None = None) -> set[Outcome]:
    """The outcomes of ``source``; for an optimised program, with failures at the original's lines."""
    outcomes = run_model(parse_program(source, PATH), model, max_states=200_000).outcomes
    return {line_map.outcome(o) for o in outcomes} if line_map is not None else set(outcomes)


def check_pass(name: str, *, examples: int = 200, seed: int = 0, model: str = "sc",
               shrink_seconds: float = SHRINK_SECONDS,
               progress: Callable[[int, int], None] | None = None) -> PassCheck:
    """Search ``examples`` race-free programs for one whose outcomes ``name`` changes under ``model``."""
    from hypothesis import HealthCheck, find, settings
    from hypothesis.errors import NoSuchExample

    from transforms.registry import get_pass

    from .strategies import race_free_programs

    pass_class = get_pass(name)
    tried = 0
    best: str | None = None  # the last program hypothesis accepted: its current smallest counterexample
    shrink_started = 0.0

    def changes(source: str) -> bool:
        after, _ = pass_class.run(source, PATH)
        return after != source and _outcomes(source, model) != _outcomes(after, model, LineMap.between(source, after))

    def predicate(source: str) -> bool:
        nonlocal tried, best, shrink_started
        if best is None:
            tried += 1
            if progress is not None:
                progress(tried, examples)
        elif time.monotonic() - shrink_started > shrink_seconds:
            return source == best  # stop improving, but stay consistent for hypothesis's replay
        if not changes(source):
            return False
        if best is None:
            shrink_started = time.monotonic()
        best = source
        return True

    config = settings(max_examples=examples, database=None, deadline=None,
                      suppress_health_check=list(HealthCheck))
    try:
        find(race_free_programs(relaxed=True, statements=2, depth=1), predicate, settings=config, random=random.Random(seed))
    except NoSuchExample:
        pass
    if best is None:
        return PassCheck(name, pass_class.LEGALITY, model, tried, None)
    source = best
    after, _ = pass_class.run(source, PATH)
    before_set, after_set = _outcomes(source, model), _outcomes(after, model, LineMap.between(source, after))
    races, search = find_races(parse_program(source, PATH))
    assert not races, "race_free_programs() produced a racy program"
    example = Counterexample(source, after, ordered(after_set - before_set), ordered(before_set - after_set),
                             search.states)
    return PassCheck(name, pass_class.LEGALITY, model, tried, example)


def explain(check: PassCheck) -> tuple[object, object]:
    """For a counterexample: the comparison of both versions, and the trace of the first gained outcome."""
    example = check.counterexample
    if example is None:
        return None, None
    from .comparison import compare_program
    from .trace import trace_program

    comparison = compare_program(PATH, example.before, [check.pass_name], [check.model])
    trace = trace_program(PATH, example.before, check.model, passes=[check.pass_name]) if example.gained else None
    return comparison, trace
