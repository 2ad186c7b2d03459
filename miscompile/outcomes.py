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

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Outcome":
        final = data.get("final")
        return cls(
            status=data["status"],
            final=tuple(final.items()) if final is not None else None,
            output=tuple((t, tuple(lines)) for t, lines in data.get("output", {}).items()),
            stuck=tuple(data["stuck"]) if "stuck" in data else None,
            line=data.get("line"),
            message=data.get("message"),
        )

    def values(self) -> dict[str, Any]:
        return dict(self.final or ())

    def matches(self, wanted: dict[str, Any]) -> bool:
        """Whether every ``name=value`` in ``wanted`` holds (for ``trace --match`` and tests)."""
        values = self.values()
        return all(name in values and values[name] == value for name, value in wanted.items())


def _value_key(value: Any) -> tuple:
    return (0, int(value)) if isinstance(value, (bool, int)) else (1, str(value))


def ordered(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Outcomes in the stable order every view and the JSON use."""
    return sorted(set(outcomes), key=Outcome.sort_key)


def describe(outcome: Outcome, *, with_final: bool = True) -> str:
    """A one-line, plain-text summary: ``ok  r1=0 r2=0`` or ``deadlock  stuck: T1, T2``."""
    parts: list[str] = []
    if with_final and outcome.final is not None:
        parts.append(" ".join(f"{name}={_show(value)}" for name, value in outcome.final))
    for thread, lines in outcome.output:
        parts.append(f"{thread} printed {', '.join(lines)}")
    if outcome.stuck is not None:
        parts.append("stuck: " + ", ".join(outcome.stuck))
    if outcome.line is not None:
        parts.append(f"line {outcome.line}: {outcome.message}")
    return f"{outcome.status}  " + "; ".join(p for p in parts if p)


def _show(value: Any) -> str:
    return str(value)
