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

from ..comparison import Comparison
from ..outcomes import ordered
from .diff_view import DeclineList, SideBySide, pass_headline
from .explore_view import GAINED_STYLE, STATUS_STYLES, output_text, result_text

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
        for name in models:
            table.add_column(name, justify="center", no_wrap=True)
        everything = ordered({o for m in models.values() for run in (m.before, m.after) for o in run.outcomes})
        for number, outcome in enumerate(everything, 1):
            cells: list[Text | str] = []
            gained = lost = False
            for m in models.values():
                before, after = outcome in set(m.before.outcomes), outcome in set(m.after.outcomes)
                gained |= after and not before
                lost |= before and not after
                cells.append("✓" if before and after else Text("new", GAINED_STYLE) if after else
                             Text("lost", LOST_STYLE) if before else "")
            style = GAINED_STYLE if gained else LOST_STYLE if lost else None
            table.add_row(str(number), Text(outcome.status, STATUS_STYLES[outcome.status]), result_text(outcome),
                          output_text(outcome), *cells, style=style)
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
            gained, lost = len(m.gained), len(m.lost)
            if gained:
                yield Text(f"{name}: the optimised program gains {gained} outcome{'s' if gained != 1 else ''} "
                           f"(marked new){f' and loses {lost}' if lost else ''}.", GAINED_STYLE)
            else:
                yield Text(f"{name}: nothing gained{f', {lost} lost' if lost else ''}.", "green")
        if c.before.races is not None:
            before, after = _race_names(c.before), _race_names(c.after)
            style = "bold red" if before == "none" and after != "none" else "dim"
            yield Text(f"Data races before: {before}; after: {after}.", style)
        for label, exploration in (("before", c.before), ("after", c.after)):
            for name, run in exploration.runs.items():
                if not run.search.complete:
                    yield Text(f"warning: the {name} search of the {label} version stopped at "
                               f"{run.search.states:,} states; outcomes may be missing (raise --max-states)",
                               "bold red")


class AtomicComparisonView:
    """The racy program's comparison, then its atomic twin's, then the lesson in one line each."""

    def __init__(self, racy: ComparisonView, atomic: ComparisonView, fix) -> None:
        self.racy, self.atomic, self.fix = racy, atomic, fix

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text("The racy program", "bold underline")
        yield self.racy
        yield Text()
        made = ", ".join(self.fix.made_atomic) or "nothing (no racing variable)"
        yield Text.assemble(("The atomic twin", "bold underline"), f" (made atomic: {made})")
        yield self.atomic
        yield Text()
        for name, racy in self.racy.comparison.models.items():
            fixed = self.atomic.comparison.models[name]
            line = Text(f"{name}: the passes add {len(racy.gained)} outcome(s) to the racy program and "
                        f"{len(fixed.gained)} to the atomic one.")
            line.stylize(GAINED_STYLE if fixed.gained else "green")
            yield line
