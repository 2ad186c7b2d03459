"""The bounds of a search: states, seconds, memory, and a thread's local computation.

Every search (outcomes under a model, the race search, check-pass, the
gallery, trace) takes one ``Bounds``. Hitting any of them never crashes and
never stops silently: the search ends early, its result is *partial*
(``complete`` false), it records which bound cut it, and every command that
reports such a result says so on stdout and exits with status 3.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_STATES = 1_000_000
#: Local instructions one thread may run in one step (between two shared accesses) before
#: the step is given up and the search becomes partial. A repeated local state is detected
#: exactly long before that (a ``hang``), so only loops that keep changing hit it.
DEFAULT_MAX_LOCAL_STEPS = 200_000


def _machine_memory_mb() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return None


def default_memory_mb() -> int:
    """Half the machine's memory, at most 8 GiB: a search never takes the machine down."""
    machine = _machine_memory_mb()
    return min(8192, machine // 2) if machine else 4096


def resident_mb() -> float:
    """This process's resident memory now (peak where the current size is not available)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class BoundExceeded(Exception):
    """Raised while computing one transition that would cross a bound (a local loop that
    never repeats, a value too big to hold); the search records ``reason`` and goes on
    with the other transitions, partial."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Bounds:
    max_states: int | None = DEFAULT_MAX_STATES
    max_seconds: float | None = None
    max_memory_mb: int | None = None  # None: default_memory_mb()
    max_local_steps: int = DEFAULT_MAX_LOCAL_STEPS
    #: Not a bound but how the search walks: whether it may skip interleavings that only reorder
    #: independent steps (partial-order reduction; ``--no-reduce`` turns it off for comparison).
    reduce: bool = True

    @property
    def memory_mb(self) -> int:
        return self.max_memory_mb if self.max_memory_mb is not None else default_memory_mb()

    def describe(self) -> str:
        """``1,000,000 states, 4,096 MB`` — what the progress line and the partial notes show."""
        parts = [f"{self.max_states:,} states"] if self.max_states is not None else []
        if self.max_seconds is not None:
            parts.append(f"{self.max_seconds:g} s")
        parts.append(f"{self.memory_mb:,} MB")
        return ", ".join(parts)


def as_bounds(bounds: Bounds | None, max_states: int | None = None) -> Bounds:
    """``bounds``, or the default bounds with ``max_states`` states when that is given."""
    if bounds is not None:
        return bounds
    return Bounds(max_states=max_states) if max_states is not None else Bounds()


def cut_message(cut: str) -> str:
    """What a search that stopped on ``cut`` missed, and which option raises the bound."""
    return {
        "states": "stopped at its state bound (raise --max-states)",
        "seconds": "stopped at its time bound (raise --max-seconds)",
        "memory": "stopped at its memory bound (raise --max-memory)",
        "local steps": "a thread ran a local loop that neither ends nor repeats a state "
                       "(it may run forever; its step was not followed)",
        "value size": "a value grew too big to compute (that step was not followed)",
    }.get(cut, f"stopped early ({cut})")


#: A counted loop longer than this is named when a search is cut short: the number of
#: interleavings grows exponentially with the iterations, and two or three iterations show
#: the same kinds of outcome (a lost update needs two).
LONG_LOOP = 8


def long_loops(source: str) -> list[tuple[int, int]]:
    """``(line, iterations)`` of each ``for ... in range(...)`` inside a function whose count is
    a literal or a module-level constant above ``LONG_LOOP``: the usual reason a classic
    demonstration (``for _ in range(100000): counter += 1``) cannot be explored whole."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    constants = {t.id: s.value.value for s in tree.body if isinstance(s, ast.Assign)
                 for t in s.targets if isinstance(t, ast.Name)
                 and isinstance(s.value, ast.Constant) and type(s.value.value) is int}

    def count(node: ast.expr) -> int | None:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        return constants.get(node.id) if isinstance(node, ast.Name) else None

    found = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        for loop in (n for n in ast.walk(function) if isinstance(n, ast.For)):
            it = loop.iter
            if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
                    and 1 <= len(it.args) <= 3 and not it.keywords:
                bounds = [count(a) for a in it.args]
                if None not in bounds and bounds[-1 if len(bounds) == 3 else 0] != 0:
                    iterations = len(range(*bounds))  # type: ignore[arg-type]
                    if iterations > LONG_LOOP:
                        found.append((loop.lineno, iterations))
    return sorted(set(found))
