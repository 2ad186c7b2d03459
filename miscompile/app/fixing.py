"""``fix``, honestly: after making racing variables atomic, what can the program still do?

Removing data races does not make a program correct. A check-then-act bug
(``if balance >= amount: balance -= amount`` in two threads) has no race once
``balance`` is atomic, and its ``assert balance >= 0`` still fails: the check
and the act of two threads interleave. So the fixed program is explored, every
failure still reachable is reported at the original program's line, and the
usual remedy, one lock around each thread's accesses, is tried and verified
before it is suggested.
"""

from __future__ import annotations

from dataclasses import dataclass

from transforms.fix import Fix, LockAround, lock_around

from ..analysis import Exploration, explore_program
from ..bounds import Bounds
from ..errors import UsageError
from ..frontend import parse_program
from ..linemap import LineMap
from ..outcomes import Failure


@dataclass
class LockRemedy:
    suggestion: LockAround
    exploration: Exploration

    @property
    def holds(self) -> bool:
        """No failure, no data race and no deadlock under any model, and a complete search."""
        ex = self.exploration
        return ex.complete and not (ex.races and ex.races.races) and not any(
            o.failures or o.status == "deadlock" for run in ex.runs.values() for o in run.outcomes)


@dataclass
class FixCheck:
    fix: Fix
    exploration: Exploration | None  # the fixed program, when there is one
    failures: list[Failure]  # failures still reachable, at the original's lines, one per line and message
    remedy: LockRemedy | None = None
    line_map: LineMap | None = None  # the fixed program's lines -> the original's

    def outcomes(self, model: str) -> list:
        """The fixed program's outcomes under ``model``, with failures at the original's lines."""
        assert self.exploration is not None and self.line_map is not None
        return [self.line_map.outcome(o) for o in self.exploration.runs[model].outcomes]

    @property
    def complete(self) -> bool:
        return all(ex.complete for ex in (self.exploration, self.remedy and self.remedy.exploration) if ex)

    @property
    def finding(self) -> bool:
        """Something the fix could not do: a statement it cannot rewrite, a race, a failure."""
        return bool(self.fix.problems or self.fix.remaining or self.failures)


def _lock_key(location: str) -> str:
    """What the lock remedy matches a fixed location by: a variable's name, a list's name
    (``flag[0]`` -> ``flag``), or an attribute of any object (``counter.value`` -> ``.value``)."""
    if location.endswith("]"):
        return location.split("[", 1)[0]
    if "." in location:
        return "." + location.rsplit(".", 1)[1]
    return location


def check_fix(fix: Fix, models: list[str], bounds: Bounds | None = None) -> FixCheck:
    """Explore ``fix.after`` under ``models``; when a failure survives, try and verify a lock."""
    if fix.problems:
        return FixCheck(fix, None, [])
    assert fix.program is not None  # a fix without problems carries its program
    exploration = explore_program(fix.program, models, bounds=bounds, with_races=False)
    line_map = LineMap.between(fix.before, fix.after)
    seen: dict[tuple, Failure] = {}
    for run in exploration.runs.values():
        for outcome in run.outcomes:
            for failure in line_map.outcome(outcome).failures:
                seen.setdefault((failure.line, failure.message), failure)
    failures = [seen[key] for key in sorted(seen)]
    remedy = None
    if failures and fix.made_atomic and not fix.remaining:
        suggestion = lock_around(fix.before, fix.path, {_lock_key(name) for name in fix.made_atomic})
        locked = explore_program(parse_program(suggestion.after, fix.path), models, bounds=bounds)
        remedy = LockRemedy(suggestion, locked)
    return FixCheck(fix, exploration, failures, remedy, line_map)


def fix_with_lock(path: str, source: str, models: list[str], bounds: Bounds | None = None) -> LockRemedy:
    """``fix --strategy lock``: one new lock held around each function's accesses to the racing
    locations, checked like the atomics remedy (no failure, no race, no deadlock, complete)."""
    from ..races import find_races

    races, _ = find_races(parse_program(source, path), bounds=bounds)
    if not races:
        raise UsageError(f"{path} has no data race: there is nothing to protect with a lock")
    suggestion = lock_around(source, path, {_lock_key(race.location) for race in races})
    return LockRemedy(suggestion, explore_program(parse_program(suggestion.after, path), models, bounds=bounds))
