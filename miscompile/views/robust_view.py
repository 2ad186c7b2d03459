"""``miscompile robust``: per model, robust or not, and how each non-sc outcome happens."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ..app.robustness import Robustness
from .explore_view import GAINED_STYLE, output_text, partial_line, result_text


def grouped(delays) -> list[str]:
    """The delays as sentences, a load's buffered stores together: ``T0 read flag[1]=False (line 26)
    while its stores flag[0]=True (line 24) and turn=1 (line 25) were still in its buffer``."""
    loads: dict[tuple, list] = {}
    lines: list = []
    for delay in delays:
        if delay.kind == "store-load":
            key = (delay.thread, delay.later, delay.later_line)
            if key not in loads:
                loads[key] = []
                lines.append(key)
            loads[key].append(delay)
        else:
            lines.append(delay)
    sentences = []
    for item in lines:
        if not isinstance(item, tuple):
            sentences.append(str(item))
            continue
        thread, read, line = item
        stores = [f"{d.store} (line {d.store_line})" for d in loads[item]]
        if len(stores) == 1:
            sentences.append(str(loads[item][0]))
        else:
            listed = ", ".join(stores[:-1]) + " and " + stores[-1]
            sentences.append(f"{thread} read {read} (line {line}) while its stores {listed} were still in its buffer")
    return sentences


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
                    for sentence in grouped(added.delays):
                        yield Text(f"     - {sentence}")
                else:
                    number = model.run.outcomes.index(added.outcome) + 1
                    yield Text(f"     its witness is an execution graph: miscompile trace {result.subject.path} "
                               f"--model {model.model} --outcome {number}", "dim")
            if not model.run.search.complete:
                yield partial_line(f"{model.model} search", model.run.search)
