"""What `miscompile litmus` prints: herd7's result format, line for line.

    Test SB Allowed
    States 4
    0:EAX=0; 1:EAX=0;
    ...
    Ok
    Witnesses
    Positive: 1 Negative: 3
    Condition exists (0:EAX=0 /\\ 1:EAX=0)
    Observation SB Sometimes 1 3

Two differences: herd7 counts executions in Positive/Negative, miscompile counts
final states (the Observation is the same either way); and a last line names
the model the test ran on (``Model tso``), followed, when a bound cut the
search short, by a line that says so. Under rc11 a test whose plain accesses
race is undefined: a ``Flag`` line before the model says so.
"""

from __future__ import annotations

from ..litmus import Verdict


def herd_lines(verdict: Verdict, model: str, undefined: list[str] | None = None) -> list[str]:
    """herd7's lines; under a language model (rc11) a data race makes the test undefined, said
    as herd7 flags it (``Flag undefined-behaviour``), with the racing locations."""
    name = verdict.litmus.name
    lines = [f"Test {name} {verdict.kind}", f"States {len(verdict.states)}"]
    lines += [" ".join(f"{where}={value};" for where, value in state) for state in verdict.states]
    lines += ["Ok" if verdict.validated else "No", "Witnesses",
              f"Positive: {verdict.positive} Negative: {verdict.negative}",
              f"Condition {verdict.condition}",
              f"Observation {name} {verdict.observation} {verdict.positive} {verdict.negative}",
              f"Model {model}"]
    if undefined:
        lines.insert(-1, f"Flag undefined-behaviour (data race on {', '.join(undefined)})")
    if not verdict.complete:
        lines.append("Partial: a bound cut the search short; more states may exist")
    return lines
