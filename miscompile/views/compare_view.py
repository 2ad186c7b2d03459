"""``miscompile compare``: the source change, then outcomes by before/after for each model.

A gained outcome (the optimised program can do it, the original could not)
is the miscompilation made visible: its row is highlighted and its cell says
``new``. A lost outcome is legal (an optimisation may narrow the choices) and
is dimmed.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from ..app.comparison import Comparison, TwinComparison
from ..outcomes import ordered
from .diff_view import DeclineList, SideBySide, pass_headline
from .explore_view import (
    GAINED_STYLE,
    PARTIAL_MARK,
    PARTIAL_STYLE,
    STATUS_STYLES,
    output_text,
    partial_line,
    result_text,
)

LOST_STYLE = "dim"


class ComparisonTable:
    """Outcomes (rows) by model (columns); each cell says whether before and after allow it.

    ``✓`` both versions, ``new`` only the optimised one (gained), ``lost`` only
    the original. One column per model keeps three models readable at 80 columns.
    """

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        models = self.comparison.models
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("#", justify="right", style="dim")
        table.add_column("status")
        table.add_column("result", overflow="fold")
        table.add_column("printed", overflow="fold")
        for name, m in models.items():
            table.add_column(name + ("" if m.complete else PARTIAL_MARK), justify="center", no_wrap=True)
        everything = ordered({o for m in models.values() for outcomes in (m.before.outcomes, m.after_outcomes)
                              for o in outcomes})
        for number, outcome in enumerate(everything, 1):
            cells: list[Text | str] = []
            gained = lost = False
            for m in models.values():
                before, after = outcome in set(m.before.outcomes), outcome in set(m.after_outcomes)
                gained |= after and not before
                lost |= before and not after
                cells.append("✓" if before and after else Text("new", GAINED_STYLE) if after else
                             Text("lost", LOST_STYLE) if before else "")
            style = GAINED_STYLE if gained else LOST_STYLE if lost else None
            table.add_row(str(number), Text(outcome.status, STATUS_STYLES[outcome.status]), Text(result_text(outcome)),
                          Text(output_text(outcome)), *cells, style=style)
        yield table
        yield Text("✓ before and after the passes · new: only after (gained) · lost: only before", "dim")


def _race_names(exploration) -> str:
    if exploration.races is None:
        return "not searched"
    return ", ".join(r.location for r in exploration.races.races) or "none"


class ComparisonView:
    def __init__(self, comparison: Comparison, *, context: int | None = 3) -> None:
        self.comparison = comparison
        self.context = context

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        c = self.comparison
        t = c.transformation
        yield Text.assemble(("Passes: ", "bold"), pass_headline(t), " on ", (t.path, "bold cyan"))
        if t.changed:
            yield SideBySide(t.before, t.after, context=self.context)
        else:
            yield Text("No change: the passes found nothing they may rewrite.", "dim")
        if t.declines:
            yield DeclineList(t.declines)
        yield Text()
        yield ComparisonTable(c)
        yield Group(*self.summary())

    def summary(self) -> Iterable[Text]:
        c = self.comparison
        for name, m in c.models.items():
            before, after = undefined_names(m.before), undefined_names(m.after)
            if before or after:  # a language model: a data race makes the outcomes meaningless
                yield undefined_line(name, before, after)
                continue
            yield change_line(name, len(m.gained), len(m.lost), m.gained_certainty, m.lost_certainty)
        if c.before.races is not None:
            before, after = _race_names(c.before), _race_names(c.after)
            style = "bold red" if before == "none" and after != "none" else "dim"
            yield Text(f"Data races before: {before}; after: {after}.", style)
        for label, exploration in (("original", c.before), ("optimised", c.after)):
            for name, run in exploration.runs.items():
                if not run.search.complete:
                    yield partial_line(f"{name} search of the {label} program", run.search)
            if exploration.races is not None and not exploration.races.search.complete:
                yield partial_line(f"race search of the {label} program", exploration.races.search)


def undefined_names(run) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(sorted({race.location for race in run.undefined}))


def undefined_line(name: str, before: str, after: str) -> Text:
    """Under rc11: which version a data race makes undefined (its outcomes then mean nothing)."""
    if before and after:
        return Text(f"{name}: both versions are undefined (data races on {before} before, on {after} after): "
                    "the outcomes in its column mean nothing.", "bold red")
    if after:
        return Text(f"{name}: the passes make the program undefined (data races on {after}): a C11 compiler "
                    "may not do this to this program.", "bold red")
    return Text(f"{name}: the original is undefined (data races on {before}); the passes made it defined.",
                "yellow")


def _count(n: int, how_sure: str) -> str:
    return f"{'at least ' if how_sure == 'at least' else ''}{n} outcome{'s' if n != 1 else ''}"


def change_line(name: str, gained: int, lost: int, gained_sure: str, lost_sure: str) -> Text:
    """``tso: the optimised program gains 1 outcome (marked new) and loses 2.``, worded as
    exactly as the searches allow: ``at least`` when only the other side was cut, and no
    claim at all when the side it is measured against was cut."""
    if gained_sure == "unknown" or lost_sure == "unknown":
        return Text(f"{name}: unknown what the passes change (a search is partial); {gained} outcome(s) "
                    f"found only after and {lost} only before are marked.", PARTIAL_STYLE)
    loses = f" and loses {_count(lost, lost_sure)}" if lost else ""
    if gained:
        return Text(f"{name}: the optimised program gains {_count(gained, gained_sure)} (marked new){loses}.",
                    GAINED_STYLE)
    if gained_sure == "at least":
        return Text(f"{name}: nothing gained so far (the optimised program's search is partial){loses}.",
                    PARTIAL_STYLE)
    return Text(f"{name}: nothing gained{f', {_count(lost, lost_sure)} lost' if lost else ''}.", "green")


class TwinComparisonView:
    """The racy program's comparison, then its twin's (atomic or fenced), then the lesson in one line each."""

    def __init__(self, racy: ComparisonView, twin: ComparisonView, kind: str, changes: dict) -> None:
        self.racy, self.twin, self.kind, self.changes = racy, twin, kind, changes

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text("The racy program", "bold underline")
        yield self.racy
        yield Text()
        if self.kind == "atomic":
            made = ", ".join(self.changes["made_atomic"]) or "nothing (no racing variable)"
            yield Text.assemble(("The atomic twin", "bold underline"), f" (made atomic: {made})")
        else:
            fences = "; ".join(self.changes["fences"]) or "none (robust)"
            yield Text.assemble(("The fenced twin", "bold underline"),
                                f" (the fewest fences for {self.changes['fence_model']}: {fences})")
        yield self.twin
        yield Text()
        for name, racy in self.racy.comparison.models.items():
            fixed = self.twin.comparison.models[name]
            line = Text(f"{name}: the passes add {len(racy.gained)} outcome(s) to the racy program and "
                        f"{len(fixed.gained)} to the {self.kind} one.")
            line.stylize(GAINED_STYLE if fixed.gained else "green")
            yield line


def view_of(result: TwinComparison, *, context: int | None = 3) -> ComparisonView | TwinComparisonView:
    """The view of ``compare``: the comparison, or with --atomic/--fenced both and the lesson."""
    racy = ComparisonView(result.racy, context=context)
    if result.fixed is None or result.kind is None:
        return racy
    return TwinComparisonView(racy, ComparisonView(result.fixed, context=context), result.kind, result.changes or {})
