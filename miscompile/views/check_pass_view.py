"""``miscompile check-pass``: a pass's verdict, with the shrunk counterexample when there is one."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from ..app.check_pass import PassCheck
from .passes_view import LEGALITY_STYLES


def verdict(check: PassCheck) -> Text:
    skipped = f" ({check.skipped} too big to explore were skipped)" if check.skipped else ""
    if check.verdict == "holds":
        return Text(f"no race-free program among {check.programs} changed its outcomes under {check.model}"
                    + skipped, "green")
    if check.verdict == "not confirmed":
        return Text(f"not confirmed among {check.programs} race-free programs under {check.model}: none "
                    f"changed its outcomes{skipped} (try more --examples or another --seed)", "yellow")
    programs = f"{check.programs} program{'s' if check.programs != 1 else ''}"
    return Text(f"counterexample found after {programs}", "yellow" if check.consistent else "bold red")


class PassCheckView:
    """One pass: the verdict, then (if found) the counterexample as a comparison and a witness."""

    def __init__(self, check: PassCheck, comparison: Any = None, trace: Any = None) -> None:
        self.check, self.comparison, self.trace = check, comparison, trace

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from .compare_view import ComparisonView
        from .trace_view import TraceView

        c = self.check
        yield Text.assemble((c.pass_name, "bold"), " (", (c.legality, LEGALITY_STYLES.get(c.legality, "")), "): ",
                            verdict(c))
        if c.counterexample is not None:
            example = c.counterexample
            yield Text(f"The original program is race-free: the race detector explored all "
                       f"{example.race_search_states:,} states of its sequentially consistent executions and "
                       "found no data race. The pass changes its outcomes:", "bold")
            if example.undefined:
                yield Text(f"Under {c.model} the optimised program has data races on {', '.join(example.undefined)}: "
                           "it is undefined, so the pass is not a legal C11 transformation of this program.",
                           "bold yellow")
            if self.comparison is not None:
                yield ComparisonView(self.comparison)
            if self.trace is not None:
                yield Text()
                yield TraceView(self.trace)
        if not c.consistent:
            expected = "keep the outcomes of every race-free program" if c.legality == "drf-safe" else \
                "change the outcomes of some race-free program"
            yield Text(f"This contradicts its declared legality ({c.legality}): it should {expected}.", "bold red")


def stacked(views: list[Any]) -> Group:
    """Several checks' views one after the other (one pass under several models)."""
    return Group(*views)


class PassCheckTable:
    def __init__(self, checks: list[PassCheck]) -> None:
        self.checks = checks

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("", width=1)
        table.add_column("pass", style="bold", no_wrap=True)
        table.add_column("declared", no_wrap=True)
        models = len({c.model for c in self.checks}) > 1
        if models:
            table.add_column("model", no_wrap=True)
        table.add_column("found", overflow="fold")
        for c in self.checks:
            mark = Text("✗", "bold red") if not c.consistent else Text("?", "yellow") \
                if c.verdict == "not confirmed" else Text("✓", "green")
            table.add_row(mark, c.pass_name, Text(c.legality, LEGALITY_STYLES.get(c.legality, "")),
                          *([c.model] if models else []), verdict(c))
        yield table
        wrong = [c.pass_name for c in self.checks if not c.consistent]
        unconfirmed = [c.pass_name for c in self.checks if c.verdict == "not confirmed"]
        if wrong:
            yield Text(f"Contradicting their legality: {', '.join(wrong)} (a race-free program whose outcomes "
                       "they change; run `miscompile check-pass NAME`).", "bold red")
        if unconfirmed:
            yield Text(f"Not confirmed: {', '.join(unconfirmed)} (no counterexample among these programs; that "
                       "does not make them drf-safe).", "yellow")
        if not wrong and not unconfirmed:
            yield Text("Every pass behaves as declared: each race-introducing pass changed a race-free program, "
                       "and no drf-safe pass did.", "green")
        elif not wrong:
            yield Text("No drf-safe pass changed a race-free program.", "green")


class CheckProgress:
    """A progress bar on standard error (only on a terminal) while programs are tried."""

    def __init__(self) -> None:
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self.task: Any = None

    def start(self, label: str, total: int) -> None:
        if not self.progress.console.is_terminal:
            return
        if self.task is None:
            self.progress.start()
        else:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(label, total=total)

    def __call__(self, done: int, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.task is not None:
            self.progress.stop()
