"""Outcomes: what one execution of a program ends with, and their JSON form.

Two outcomes are equal when every field is equal, so sets of outcomes compare
directly (``gained = after - before``). The JSON form is a contract (see
DESIGN.md, schema 2): ``final`` for every status but deadlock/hang (and not
when the program hangs after a failure), ``stuck`` where threads are stuck,
``failures`` (one per thread an uncaught exception ended) for assertion/error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

STATUSES = ("ok", "assertion", "error", "deadlock", "hang")
_RANK = {s: i for i, s in enumerate(STATUSES)}


@dataclass(frozen=True)
class Failure:
    """One thread's uncaught exception: where it was raised and CPython's message."""

    thread: str
    line: int
    message: str
    status: str = "error"  # "assertion" for a failed assert
    #: When an optimised program's failure is mapped back to the original's ``line`` and the
    #: passes wrote the line it happened at: that line in the optimised program. Not part of
    #: the outcome's identity.
    optimised_line: int | None = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        return (self.thread, self.line, self.message, self.status)

    def to_json(self) -> dict[str, Any]:
        return {"thread": self.thread, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class Outcome:
    status: str
    final: tuple[tuple[str, Any], ...] | None = None  # (location, value) in declaration order
    output: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (thread, lines) for threads that printed
    stuck: tuple[str, ...] | None = None
    #: Threads ended by an uncaught exception, in thread order; the status is the first one's.
    failures: tuple[Failure, ...] = ()

    def sort_key(self) -> tuple:
        return (_RANK[self.status], tuple(_value_key(v) for _, v in self.final or ()), self.output,
                self.stuck or (), tuple(f.sort_key() for f in self.failures))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status}
        if self.final is not None:
            data["final"] = {name: json_value(value) for name, value in self.final}
        data["output"] = {thread: list(lines) for thread, lines in self.output}
        if self.stuck is not None:
            data["stuck"] = list(self.stuck)
        if self.failures:
            data["failures"] = [f.to_json() for f in self.failures]
        return data

    def values(self) -> dict[str, Any]:
        """Final memory by location name (empty for deadlock and hang)."""
        return dict(self.final or ())

    def thread_part(self, name: str) -> tuple:
        """What thread ``name`` contributes: its output, its failure, whether it is stuck."""
        lines = next((lines for thread, lines in self.output if thread == name), ())
        failure = next(((f.line, f.message, f.status) for f in self.failures if f.thread == name), None)
        return lines, failure, name in (self.stuck or ())

    def renamed(self, new_name: Callable[[str], str], order: Callable[[str], int]) -> Outcome:
        """The same outcome with each thread ``t`` called ``new_name(t)`` (threads that run the same
        code swap parts), its threads in thread order again; the status is the first failure's."""
        output = tuple(sorted(((new_name(t), lines) for t, lines in self.output), key=lambda p: order(p[0])))
        stuck = None if self.stuck is None else tuple(sorted(map(new_name, self.stuck), key=order))
        failures = tuple(sorted((replace(f, thread=new_name(f.thread)) for f in self.failures),
                                key=lambda f: order(f.thread)))
        status = failures[0].status if failures else self.status
        return Outcome(status, self.final, output, stuck, failures)


def json_value(value: Any) -> Any:
    """A final value as JSON: ints, bools, strings and None as they are, lists and tuples as arrays,
    a dict as an object (keys as JSON makes them), anything else (an object) as CPython prints it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if hasattr(value, "as_dict"):
        return {k if k is None or isinstance(k, (str, int, bool)) else repr(k): json_value(v)
                for k, v in value.as_dict().items()}
    if isinstance(value, tuple):
        return [json_value(item) for item in value]
    return repr(value)


def certainty(baseline_complete: bool, other_complete: bool) -> str:
    """How far a difference ``other - baseline`` of two searches' outcome sets can be trusted:
    ``exact`` when both were complete; ``at least`` when only ``other`` was cut (each one found
    is real, more may exist); ``unknown`` when ``baseline`` was cut (it may hold some of them)."""
    if not baseline_complete:
        return "unknown"
    return "exact" if other_complete else "at least"


def _value_key(value: Any) -> tuple:
    return (0, int(value)) if isinstance(value, (bool, int)) else (1, str(value))


def ordered(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Outcomes in the stable order every view and the JSON use."""
    return sorted(set(outcomes), key=Outcome.sort_key)
