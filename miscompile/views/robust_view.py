"""``miscompile robust``: per model, robust or not, and how each non-sc outcome happens."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ..app.robustness import Robustness
from .explore_view import GAINED_STYLE, output_text, partial_line, result_text


def outcome_line(outcome) -> str:
    parts = [result_text(outcome).replace("\n", "; "), output_text(outcome).replace("\n", "; ")]
    return f"{outcome.status}: " + " · ".join(part for part in parts if part)


class RobustnessView:
    def __init__(self, result: Robustness) -> None:
        self.result = result

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        result = self.result
        yield Text.assemble(("Robustness of ", "bold"), (result.subject.path, "bold cyan"),
                            f" (sc allows {len(result.sc.outcomes)} outcome(s))")
        if not result.sc.search.complete:
            yield partial_line("sc search", result.sc.search)
        for model in result.models:
            if model.robust:
                line = Text.assemble((f"{model.model}: robust", "bold green"),
                                     f" — every outcome is an sc outcome ({model.run.search.states:,} states)")
                if not model.complete:
                    line.append(" as far as the search went", "yellow")
                yield line
                if not model.run.search.complete:
                    yield partial_line(f"{model.model} search", model.run.search)
                continue
            count = f"{'at least ' if model.certainty == 'at least' else ''}{len(model.added)}"
            yield Text.assemble((f"{model.model}: not robust", "bold red"),
                                f" — {count} outcome(s) sc does not allow"
                                + (" (unknown: the sc search was cut)" if model.certainty == "unknown" else ""))
            for number, added in enumerate(model.added, 1):
                yield Text(f"  {number}. {outcome_line(added.outcome)}", GAINED_STYLE)
                if added.delays:
                    for delay in added.delays:
                        yield Text(f"       {delay}")
                else:
                    yield Text(f"       its witness is an execution graph: miscompile trace FILE --model {model.model}",
                               "dim")
            if not model.run.search.complete:
                yield partial_line(f"{model.model} search", model.run.search)
