"""Outcomes: what one execution of a program ends with, and their JSON form.

Two outcomes are equal when every field is equal, so sets of outcomes compare
directly (``gained = after - before``). The JSON form is a contract (see
DESIGN.md): ``final`` only for ok/assertion/error, ``stuck`` only for
deadlock/hang, ``line`` and ``message`` only for assertion/error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

STATUSES = ("ok", "assertion", "error", "deadlock", "hang")
_RANK = {s: i for i, s in enumerate(STATUSES)}


@dataclass(frozen=True)
class Outcome:
    status: str
    final: tuple[tuple[str, Any], ...] | None = None  # (location, value) in declaration order
    output: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (thread, lines) for threads that printed
    stuck: tuple[str, ...] | None = None
    line: int | None = None
    message: str | None = None

    def sort_key(self) -> tuple:
        return (_RANK[self.status], tuple(_value_key(v) for _, v in self.final or ()), self.output,
                self.stuck or (), self.line or 0, self.message or "")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status}
        if self.final is not None:
            data["final"] = dict(self.final)
        data["output"] = {thread: list(lines) for thread, lines in self.output}
        if self.stuck is not None:
            data["stuck"] = list(self.stuck)
        if self.line is not None:
            data["line"] = self.line
            data["message"] = self.message
        return data

    def values(self) -> dict[str, Any]:
        """Final memory by location name (empty for deadlock and hang)."""
        return dict(self.final or ())


def _value_key(value: Any) -> tuple:
    return (0, int(value)) if isinstance(value, (bool, int)) else (1, str(value))


def ordered(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Outcomes in the stable order every view and the JSON use."""
    return sorted(set(outcomes), key=Outcome.sort_key)
