"""herd7 litmus tests in and out: read X86 and AArch64 tests as dialect programs, explore them,
report as herd7 does; write dialect programs as X86 or AArch64 tests so herd7 can check what
miscompile says."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SourceError
from ..ir import Program
from ..outcomes import Outcome
from .syntax import Litmus, holds, read_litmus, show
from . import aarch64, x86

#: The architectures read, with the model each runs on by default.
ARCHITECTURES = {"X86": "tso", "AARCH64": "arm"}


def translate(litmus: Litmus) -> str:
    """The dialect program that runs ``litmus``."""
    arch = litmus.arch.upper()
    if arch not in ARCHITECTURES:
        raise SourceError(litmus.path, 1, 1, f"{litmus.arch} litmus tests are not read: miscompile reads X86 and "
                                             "AArch64 tests")
    return (x86 if arch == "X86" else aarch64).to_source(litmus)


def default_model(litmus: Litmus) -> str:
    """The model a test runs on unless told otherwise: the one its architecture names."""
    return ARCHITECTURES.get(litmus.arch.upper(), "tso")


def export(program: Program, name: str, arch: str = "X86") -> str:
    """``program`` as one litmus test for ``arch`` (X86 or AArch64)."""
    return (aarch64 if arch.upper() == "AARCH64" else x86).export(program, name)


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


__all__ = ["ARCHITECTURES", "Litmus", "Verdict", "default_model", "export", "judge", "read_litmus", "translate"]
