"""herd7 litmus tests in and out: read X86 tests as dialect programs, explore them, report as herd7
does; write dialect programs as X86 tests so herd7 can check what miscompile says."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SourceError
from ..outcomes import Outcome
from .syntax import Litmus, holds, read_litmus, show
from .x86 import export, to_source


def translate(litmus: Litmus) -> str:
    """The dialect program that runs ``litmus``."""
    if litmus.arch.upper() != "X86":
        raise SourceError(litmus.path, 1, 1, f"{litmus.arch} litmus tests are not read yet: miscompile reads X86 "
                                             "tests (AArch64 comes with the arm model)")
    return to_source(litmus)


@dataclass(frozen=True)
class Verdict:
    """What herd7 prints for a test: the final states (observed values), and how many satisfy the
    condition."""

    litmus: Litmus
    states: tuple[tuple[tuple[str, int], ...], ...]  # each: (herd's name, value), in herd's order
    positive: int
    complete: bool

    @property
    def negative(self) -> int:
        return len(self.states) - self.positive

    @property
    def observation(self) -> str:
        if self.positive == 0:
            return "Never"
        return "Always" if self.negative == 0 else "Sometimes"

    @property
    def validated(self) -> bool:
        """herd7's Ok / No: exists needs a positive state, ~exists none, forall every state."""
        quantifier = self.litmus.quantifier
        if quantifier == "exists":
            return self.positive > 0
        if quantifier == "~exists":
            return self.positive == 0
        return self.negative == 0

    @property
    def kind(self) -> str:
        return {"exists": "Allowed", "~exists": "Forbidden", "forall": "Required"}[self.litmus.quantifier]

    @property
    def condition(self) -> str:
        return f"{self.litmus.quantifier} ({show(self.litmus.condition)})"


def judge(litmus: Litmus, outcomes: list[Outcome], complete: bool) -> Verdict:
    """The herd-style verdict of ``outcomes`` (the ok ones: a litmus test has no other)."""
    observed = litmus.observed()
    states = set()
    positive = 0
    for outcome in outcomes:
        if outcome.status != "ok":
            continue
        values = outcome.values()
        state: dict[tuple[int | None, str], int] = {}
        for thread, name in observed:
            key = name if thread is None else f"P{thread}_{name}"
            state[(thread, name)] = int(values[key])
        row = tuple((name if thread is None else f"{thread}:{name}", value) for (thread, name), value in state.items())
        if row not in states:
            states.add(row)
            positive += holds(litmus.condition, state)  # the condition's atoms are all observed
    return Verdict(litmus, tuple(sorted(states)), positive, complete)


__all__ = ["Litmus", "Verdict", "export", "judge", "read_litmus", "translate"]
