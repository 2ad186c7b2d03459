"""The outcome table: one row per outcome, one column per memory model.

An outcome that some model allows but sequential consistency does not is the
point of the whole exercise, so its row is highlighted and the summary under
the table says what each weaker model adds.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from ..analysis import Exploration
from ..bounds import cut_message, long_loops
from ..explore import Result
from ..outcomes import Failure, Outcome, certainty, ordered
from ..races import Race

GAINED_STYLE = "bold yellow"
PARTIAL_STYLE = "bold red"
PARTIAL_MARK = "*"  # on the column of a model whose search a bound cut short
STATUS_STYLES = {"ok": "green", "assertion": "bold red", "error": "bold red", "deadlock": "magenta",
                 "hang": "magenta"}


def result_text(outcome: Outcome) -> str:
    """The part of an outcome that is not its status or output, compactly: each thread's
    uncaught exception, then the final memory or the stuck threads."""
    parts = [f"{f.thread} line {f.line}{_written(f)}: {f.message}" for f in outcome.failures]
    if outcome.final is not None:
        parts.append(" ".join(f"{name}={value}" for name, value in outcome.final))
    if outcome.stuck is not None:
        parts.append("stuck: " + ", ".join(outcome.stuck))
    return "\n".join(parts)


def _written(failure: Failure) -> str:
    """`` (line 24 as rewritten)`` for a failure of a rewritten program (by passes or by ``fix``) at a
    line the rewrite wrote."""
    if failure.optimised_line is None:
        return ""
    if failure.optimised_line == failure.line:
        return " (as rewritten)"
    return f" (line {failure.optimised_line} as rewritten)"


def output_text(outcome: Outcome) -> str:
    """Printed lines per thread, as plain text (wrap it in ``Text``: the program's output is never markup)."""
    return "\n".join(f"{thread}: {' | '.join(lines)}" for thread, lines in outcome.output)


class OutcomeTable:
    """Outcomes (rows) by models (columns); rows absent under the baseline are highlighted."""

    def __init__(self, columns: dict[str, Iterable[Outcome]], *, baseline: str | None = None,
                 title: str | None = None, partial: Iterable[str] = ()) -> None:
        self.columns = {name: set(outcomes) for name, outcomes in columns.items()}
        self.baseline = baseline
        self.title = title
        self.partial = set(partial)  # columns whose search was cut: marked with PARTIAL_MARK

    def rows(self) -> list[Outcome]:
        return ordered(o for outcomes in self.columns.values() for o in outcomes)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table(title=self.title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
        table.add_column("#", justify="right", style="dim")
        table.add_column("status")
        table.add_column("final memory / stuck threads", overflow="fold")
        table.add_column("printed", overflow="fold")
        for name in self.columns:
            table.add_column(name + (PARTIAL_MARK if name in self.partial else ""), justify="center")
        base = self.columns.get(self.baseline) if self.baseline else None
        for number, outcome in enumerate(self.rows(), 1):
            gained = base is not None and outcome not in base
            marks = ["✓" if outcome in outcomes else "" for outcomes in self.columns.values()]
            table.add_row(str(number), Text(outcome.status, STATUS_STYLES[outcome.status]), Text(result_text(outcome)),
                          Text(output_text(outcome)), *marks, style=GAINED_STYLE if gained else None)
        yield table


class ExplorationView:
    """Everything ``miscompile explore`` shows for one program."""

    def __init__(self, exploration: Exploration) -> None:
        self.exploration = exploration

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        ex = self.exploration
        runs = ex.runs
        baseline = "sc" if "sc" in runs and len(runs) > 1 else None
        yield Text.assemble(("Outcomes of ", "bold"), (ex.program.path, "bold cyan"))
        partial = [name for name, run in runs.items() if not run.search.complete]
        undefined = {name: run.undefined for name, run in runs.items() if run.undefined}
        columns = {name: run.outcomes for name, run in runs.items() if name not in undefined}
        if columns:
            yield OutcomeTable(columns, baseline=baseline, partial=partial)
        for name, races in undefined.items():
            yield Text(f"{name}: undefined behaviour, so no outcomes: a data race in some consistent execution",
                       "bold red")
            for race in races:
                yield Text(f"  {race.location}: {accesses_text(race)}")
        summary = []
        for name, run in runs.items():
            if baseline and name != baseline:
                extra = set(run.outcomes) - set(runs[baseline].outcomes)
                summary.append(beyond_line(name, baseline, len(extra),
                                           certainty(runs[baseline].search.complete, run.search.complete)))
        counts = ", ".join(f"{name} {run.search.states:,}" for name, run in runs.items())
        summary.append(Text(f"States explored: {counts}.", "dim"))
        yield Group(*summary)
        if ex.races is not None:
            yield Text()
            yield RaceSummary(ex.races.races, ex.races.search.complete)
        yield from incomplete_warnings(ex)


def accesses_text(race: Race) -> str:
    """``write by writer (line 5), read by reader (line 9)``."""
    return ", ".join(f"{a.kind} by {a.thread} (line {a.line})" for a in race.accesses)


def beyond_line(name: str, baseline: str, extra: int, how_sure: str) -> Text:
    """``tso allows 1 outcome that sc does not``, worded as exactly as the two searches allow."""
    if how_sure == "unknown":
        return Text(f"{name}: unknown whether it allows more than {baseline} (the {baseline} search is partial); "
                    f"{extra} outcome(s) it found are not among {baseline}'s so far (highlighted).", PARTIAL_STYLE)
    if how_sure == "at least":
        return Text(f"{name} allows at least {extra} outcome(s) that {baseline} does not (its search is partial"
                    f"{', highlighted' if extra else ''}).", GAINED_STYLE if extra else PARTIAL_STYLE)
    if extra:
        return Text(f"{name} allows {extra} outcome(s) that {baseline} does not (highlighted).", GAINED_STYLE)
    return Text(f"{name} allows nothing beyond {baseline}.", "dim")


def partial_line(what: str, search: Result) -> Text:
    """``* partial: the tso search stopped at its state bound (...) after 1,000 states; ...``."""
    return Text(f"{PARTIAL_MARK} partial: the {what} {cut_message(search.cut or '')}, after {search.states:,} "
                "states; what it shows is real, but more may exist.", PARTIAL_STYLE)


def incomplete_warnings(ex: Exploration) -> Iterable[Text]:
    cut = False
    for name, run in ex.runs.items():
        if not run.search.complete:
            cut = True
            yield partial_line(f"{name} search", run.search)
    if ex.races is not None and not ex.races.search.complete:
        cut = True
        yield partial_line("race search", ex.races.search)
    if cut:
        yield from long_loop_hints(ex.program.source)


def long_loop_hints(source: str) -> Iterable[Text]:
    """Why a classic demonstration is cut short, and what to write instead."""
    for line, iterations in long_loops(source):
        yield Text(f"hint: the loop at line {line} runs {iterations:,} times; the interleavings grow "
                   f"exponentially with its iterations, and 2 or 3 show the same kinds of outcome "
                   f"(a lost update needs 2): try range(2).", PARTIAL_STYLE)


class RaceSummary:
    """One line per racing location: which accesses race."""

    def __init__(self, races: list[Race], complete: bool = True) -> None:
        self.races = races
        self.complete = complete

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.races:
            if self.complete:
                yield Text("No data races: every conflicting pair of accesses is ordered by happens-before.",
                           "green")
            else:
                yield Text("No data race found so far (the race search is partial).", PARTIAL_STYLE)
            return
        yield Text(f"Data races on {len(self.races)} location(s):", "bold red")
        for race in self.races:
            accesses = accesses_text(race)
            yield Text.assemble("  ", (race.location, "bold"), ": ", accesses)
