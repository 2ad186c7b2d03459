"""``miscompile fences``: the fences found, the program with them, and the outcomes before and after."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ..app.fencing import COSTS, FenceSearch
from .diff_view import SideBySide
from .explore_view import OutcomeTable, partial_line
from .robust_view import outcome_line


def summary(search: FenceSearch) -> Text:
    what = f"the {len(search.unwanted)} outcome(s) " + ("matching --forbid" if search.forbid else "sc does not allow")
    verified = f"{len(search.attempts)} candidate set(s) verified by exploring"
    if not search.unwanted:
        return Text(f"Under {search.model} nothing to remove: no outcome "
                    + ("matches --forbid" if search.forbid else "beyond sc (the program is robust)")
                    + "; no fence is needed.", "bold green")
    if search.impossible is not None:
        return Text(f"No set of fences removes {outcome_line(search.impossible)} under {search.model}: no fence "
                    "placed between statements cuts its witness. The reordering it needs happens within one "
                    "statement (a constructor's stores and the store of the new object, say), or in code where "
                    "fences do not go (the module's own code, __init__). Split the statement (c = Config(21), "
                    "then config = c) and ask again, or make the variable atomic (fix).", "bold red")
    if not search.found:
        return Text(f"Gave up after {verified}.", "bold red")
    fences = len(search.placements or ())
    kinds = ", ".join(f"{kind} costs {cost}" for kind, cost in COSTS[search.model].items())
    return Text.assemble((f"Under {search.model}, {fences} fence(s) remove {what}", "bold"),
                         f" (cost {search.cost}: {kinds}); no smaller set does. {verified}.")


class FencesView:
    def __init__(self, search: FenceSearch, *, context: int | None = 3) -> None:
        self.search, self.context = search, context

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        search = self.search
        yield summary(search)
        for placement in search.placements or ():
            yield Text(f"  {placement}")
        if search.found and search.placements:
            yield SideBySide(search.source, search.after, context=self.context, titles=("original", "fenced"))
        columns = {"before": search.before.outcomes}
        if search.after_run is not None and search.placements:
            columns["fenced"] = [search.line_map.outcome(o) for o in search.after_run.outcomes]
        yield OutcomeTable(columns, title=f"Outcomes under {search.model}")
        if not search.complete:
            if not search.before.search.complete:
                yield partial_line(f"{search.model} search", search.before.search)
            yield Text("partial: a search was cut short, so the set may not be minimum or may not hold "
                       "(raise --max-states)", "yellow")
