"""``miscompile races``: each racing location, its accesses in the source, and a witness."""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from ..explore import Result
from ..ir import Program
from ..races import Race
from ..trace import TraceStep
from .explore_view import RaceSummary, partial_line

MAX_WITNESS_STEPS = 40


class RaceReport:
    def __init__(self, program: Program, races: list[Race], witnesses: list[list[TraceStep]], search: Result) -> None:
        self.program = program
        self.races = races
        self.witnesses = witnesses
        self.search = search

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text.assemble(("Data races in ", "bold"), (self.program.path, "bold cyan"))
        yield RaceSummary(self.races, self.search.complete)
        lines = self.program.source.splitlines()
        for race, witness in zip(self.races, self.witnesses):
            yield Text()
            first, second = race.pair.first, race.pair.second
            yield Text.assemble(("Race on ", "bold"), (race.location, "bold red"), ": ",
                                f"{first.kind} by {first.thread} and {second.kind} by {second.thread}, "
                                "unordered by happens-before")
            for access in (first, second):
                source = lines[access.line - 1].strip() if 0 < access.line <= len(lines) else ""
                yield Text.assemble(f"  {access.thread:>8} line {access.line:<4} ", (source, "cyan"))
            yield Text("  Witness: a sequentially consistent run that reaches both accesses", "dim")
            yield WitnessTable(witness)
        if not self.search.complete:
            yield partial_line("race search", self.search)


class WitnessTable:
    def __init__(self, steps: list[TraceStep]) -> None:
        self.steps = steps

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table(box=box.SIMPLE, show_header=True, show_edge=False, padding=(0, 1))
        table.add_column("step", justify="right", style="dim")
        table.add_column("thread")
        table.add_column("line", justify="right")
        table.add_column("source", overflow="fold")
        steps = self.steps
        if len(steps) > MAX_WITNESS_STEPS:
            head = MAX_WITNESS_STEPS // 2
            skipped = len(steps) - MAX_WITNESS_STEPS
            shown = list(enumerate(steps[:head], 1)) + [(None, None)] + \
                list(enumerate(steps[-(MAX_WITNESS_STEPS - head):], len(steps) - (MAX_WITNESS_STEPS - head) + 1))
        else:
            skipped, shown = 0, list(enumerate(steps, 1))
        for number, step in shown:
            if step is None:
                table.add_row("…", "", "", Text(f"{skipped} steps not shown", "dim"))
                continue
            table.add_row(str(number), Text(step.thread), "" if step.line is None else str(step.line),
                          Text(step.text, "cyan" if step.action == "run" else "yellow"))
        yield table
