"""``miscompile trace``: one outcome's witness as a table, one row per step.

Each row says who moved and what it did (the source line and the values it
read or wrote, or the store-buffer entry that reached memory), then the state
after the step: every store buffer, main memory (changed cells highlighted),
the lock holders and where each thread stands. Reading down a column follows
one value from a buffer into memory and into another thread's load.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from ..trace import Snapshot, Trace, TraceStep
from ..bounds import cut_message
from .explore_view import PARTIAL_STYLE, STATUS_STYLES, output_text, result_text

FLUSH_STYLE = "cyan"
BUFFER_STYLE = "cyan"
CHANGED_STYLE = "bold yellow"
PASS_LINE_STYLE = "bold magenta"


def memory_text(snapshot: Snapshot, changed: frozenset[str], shown_names: frozenset[str] | None = None) -> Text:
    text = Text()
    for name, shown in snapshot.memory:
        if shown_names is not None and name not in shown_names:
            continue
        if text:
            text.append("\n")
        text.append(shown, CHANGED_STYLE if name in changed else "")
    for name, description in snapshot.objects:  # only what is not the idle state: held, set, holding
        text.append(f"\n{name} {description}", "magenta")
    return text


def thread_cell(trace: Trace, step: TraceStep, thread: str) -> Text:
    """What ``thread`` did in this step (if it moved), else where it stands; then its store buffer."""
    after = step.after
    where = dict(after.where)[thread]
    text = Text()
    if step.thread == thread and step.action == "flush":
        text.append(step.text.split(" from ")[0], FLUSH_STYLE)
    elif step.thread == thread:
        marked = step.line in trace.changed_lines
        if step.line:
            text.append(f"{step.line} ", "dim")
        text.append(step.text, PASS_LINE_STYLE if marked else "bold")
        if marked:
            text.append(" *", PASS_LINE_STYLE)
        for access in step.accesses:
            text.append(f"\n{access}", "italic")
    elif where.startswith("line "):
        text.append(f"at {where.removeprefix('line ')}", "dim")
    elif where in ("finished", "spinning", "ending"):
        text.append(where if where != "ending" else "at end", "dim")
    buffered = dict(after.buffers)[thread]
    if buffered:
        text.append(("\n" if text else "") + "buffer: " + ", ".join(buffered), BUFFER_STYLE)
    return text


class TraceView:
    def __init__(self, trace: Trace) -> None:
        self.trace = trace

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        t = self.trace
        title = Text.assemble(("Witness of ", "bold"), (t.path, "bold cyan"), (f" under {t.model}", "bold"))
        if t.passes:
            title.append(f" after {' + '.join(t.passes)}", "bold magenta")
        yield title
        outcome = t.outcome
        summary = Text.assemble("outcome: ", (outcome.status, STATUS_STYLES[outcome.status]), " ",
                                result_text(outcome).replace("\n", " · "))
        if outcome.output:
            summary.append("; printed " + output_text(outcome).replace("\n", "; "))
        yield summary
        threads = [name for name, _ in t.initial.where]
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("#", justify="right", style="dim")
        for name in threads:
            table.add_column(Text(name), overflow="fold", ratio=2 if name != "main" else 1)
        table.add_column("memory", overflow="fold", ratio=1)
        shown = t.relevant or None
        table.add_row("", *[Text("") for _ in threads], memory_text(t.initial, frozenset(), shown))
        for step in t.steps:
            table.add_row(str(step.number), *[thread_cell(t, step, name) for name in threads],
                          memory_text(step.after, step.changed, shown))
        yield table
        hidden = len(t.initial.memory) - len(shown or t.initial.memory)
        legend = Text("each row is one step: the thread that moved shows its line and what it read or wrote; "
                      "the others show where they stand. Changed memory is highlighted."
                      + (f" {hidden} location(s) no step touches are left out." if hidden else ""), "dim")
        if t.changed_lines:
            legend.append("\n* marks a line the passes wrote.", PASS_LINE_STYLE)
        yield legend
        if t.cut is not None:
            yield Text(f"partial: a search this trace chose from {cut_message(t.cut)}; the witness above is "
                       "real, but the outcome chosen may not be the first the passes or the model add.",
                       PARTIAL_STYLE)
