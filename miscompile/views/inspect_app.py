"""``miscompile inspect``: the memory inspector as a Textual app.

A view of ``miscompile.app.inspector.Inspector``: one panel per thread (its
source around the line it runs next, its registers, its store buffer, what it
printed), main memory, the synchronisation objects, the outcomes still
reachable from here, the enabled choices and the steps taken. Every key calls
the model and redraws; nothing here decides anything.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ..app.inspector import Inspector, ThreadPanel
from ..errors import UsageError
from .explore_view import output_text, result_text

#: Lines of source each thread panel shows around the line the thread runs next
SOURCE_WINDOW = 5
ADDED_STYLE = "bold yellow"
KEYS = """Keys: 1-9 or Enter take a choice, u undoes the last step, o picks an outcome to aim at (Enter in
the outcome table), p plays the rest of the aimed-at outcome's shortest witness, r resets, q quits."""


def thread_panel(panel: ThreadPanel, source: list[str], written: frozenset[int], pending_label: str) -> Group:
    """A thread's name and where it stands, its source around that line, registers, buffer, output."""
    parts: list[RenderableType] = [Text.assemble((panel.name, "bold"), "  ", (panel.where, "dim"))]
    first, last = panel.lines
    centre = panel.line or (last if panel.where in ("finished", "ending") else first)
    start = max(first, min(centre - SOURCE_WINDOW // 2, last - SOURCE_WINDOW + 1))
    for number in range(start, min(last, start + SOURCE_WINDOW - 1) + 1):
        text = source[number - 1] if 0 < number <= len(source) else ""
        current = number == panel.line
        line = Text(f"{'▶' if current else ' '}{number:>3} {'+' if number in written else ' '}", "bold" if current else "dim")
        line.append(text, "reverse" if current else "")
        line.no_wrap, line.overflow = True, "ellipsis"
        parts.append(line)
    if panel.registers:
        parts.append(Text("regs: " + " ".join(f"{name}={value}" for name, value in panel.registers)))
    parts.append(Text(f"{pending_label}: " + (", ".join(text for _, text in panel.buffer) or "empty"),
                      "cyan" if panel.buffer else "dim"))
    if panel.output:
        parts.append(Text("printed: " + " | ".join(panel.output)))
    return Group(*parts)


def memory_table(inspector: Inspector) -> Table:
    table = Table.grid(padding=(0, 1))
    for _, text in inspector.memory():
        table.add_row(text)
    objects = inspector.objects()
    if objects:
        table.add_row(Text("Synchronisation", "bold"))
        for name, kind, holds in objects:
            table.add_row(Text(f"{name} ({kind}): {holds}"))
    return table


def outcome_label(row_outcome: object) -> str:
    text = result_text(row_outcome).replace("\n", "; ")  # type: ignore[arg-type]
    printed = output_text(row_outcome).replace("\n", "; ")  # type: ignore[arg-type]
    return f"{row_outcome.status}  {text}" + (f"  ·  {printed}" if printed else "")  # type: ignore[attr-defined]


class InspectorApp(App[None]):
    """Walk one execution of a program on a store-buffer machine, step by step."""

    TITLE = "miscompile inspect"
    CSS = """
    #threads { height: auto; max-height: 50%; }
    .thread { width: 1fr; height: auto; border: round $secondary; padding: 0 1; }
    #middle { height: auto; max-height: 40%; }
    #memory { width: 1fr; height: auto; border: round $secondary; padding: 0 1; }
    #outcomes { width: 2fr; height: auto; max-height: 12; border: round $secondary; }
    #bottom { height: 1fr; min-height: 5; }
    #choices { width: 3fr; border: round $accent; }
    #log { width: 2fr; border: round $secondary; padding: 0 1; }
    #status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("1", "pick(1)", "Take", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("u", "undo", "Undo"),
        Binding("p", "play", "Play"),
        Binding("o", "outcomes", "Outcome"),
        Binding("r", "reset", "Reset"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, inspector: Inspector) -> None:
        super().__init__()
        self.inspector = inspector
        model = inspector.model + (" after " + ", ".join(inspector.subject.passes) if inspector.subject.passes else "")
        self.sub_title = f"{inspector.subject.path} under {model}"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="threads"):
            for number, _ in enumerate(self.inspector.threads()):
                yield Static(id=f"thread-{number}", classes="thread")
        with Horizontal(id="middle"):
            yield Static(id="memory")
            yield DataTable(id="outcomes", cursor_type="row", zebra_stripes=False)
        with Horizontal(id="bottom"):
            yield OptionList(id="choices")
            yield Static(id="log")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#outcomes", DataTable)
        table.border_title = "Outcomes"
        table.add_columns("#", "", "outcome")
        self.query_one("#choices", OptionList).border_title = "Choices"
        self.query_one("#log", Static).border_title = "Steps taken"
        self.query_one("#memory", Static).border_title = "Memory"
        self.refresh_view()
        self.query_one("#choices", OptionList).focus()

    # ------------------------------------------------------------------ drawing

    def refresh_view(self, message: str = "") -> None:
        inspector = self.inspector
        source = inspector.source_lines()
        pending = "buffers" if inspector.model == "pso" else "buffer"
        for number, panel in enumerate(inspector.threads()):
            widget = self.query_one(f"#thread-{number}", Static)
            widget.update(thread_panel(panel, source, inspector.written, pending))
        self.query_one("#memory", Static).update(memory_table(inspector))
        table = self.query_one("#outcomes", DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in inspector.outcomes():
            mark = ("→" if inspector.target == row.number - 1 else " ") + ("!" if row.added else " ")
            style = ADDED_STYLE if row.added and row.reachable else "" if row.reachable else "dim strike"
            table.add_row(Text(str(row.number), style), Text(mark, style), Text(outcome_label(row.outcome), style),
                          key=str(row.number))
        if inspector.outcomes():
            table.move_cursor(row=min(cursor, len(inspector.outcomes()) - 1))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        steps = inspector.steps()
        for number, step in enumerate(steps, 1):
            label = Text(f"{number}. {step.label}", "" if step.keeps else "dim")
            if inspector.target is not None and step.keeps:
                label.append("  (keeps the outcome)", "green")
            choices.add_option(Option(label, id=str(number)))
        if steps:
            choices.highlighted = 0
        self.query_one("#log", Static).update("\n".join(inspector.log()[-12:]) or Text("(no step yet)", "dim"))
        self.query_one("#status", Static).update(self.status_line(message))

    def status_line(self, message: str) -> Text:
        inspector = self.inspector
        parts = Text()
        if message:
            parts.append(message + "  ", "bold red" if message.startswith("!") else "bold")
        ended = inspector.ended()
        if ended is not None:
            parts.append(f"ended: {outcome_label(ended)}  ", "bold green")
        reachable = [row for row in inspector.outcomes() if row.reachable]
        parts.append(f"{len(reachable)} of {len(inspector.outcomes())} outcomes still reachable; "
                     f"! = {inspector.model if inspector.baseline == 'sc' else 'the pass'} adds it over "
                     f"{inspector.baseline}", "dim")
        if not inspector.complete:
            parts.append("  partial: a bound cut the search; more outcomes may exist", "bold yellow")
        return parts

    # ------------------------------------------------------------------ keys

    def action_pick(self, number: int) -> None:
        try:
            step = self.inspector.pick(number)
        except UsageError as error:
            self.refresh_view(f"! {error}")
            return
        self.refresh_view(f"took: {step.label}")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option_index + 1)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.inspector.aim(int(str(event.row_key.value)))
        self.refresh_view(f"aiming at outcome {event.row_key.value}: p plays it")
        self.query_one("#choices", OptionList).focus()

    def action_undo(self) -> None:
        step = self.inspector.undo()
        self.refresh_view(f"undid: {step.label}" if step else "! nothing to undo")

    def action_play(self) -> None:
        try:
            taken = self.inspector.play()
        except UsageError as error:
            self.refresh_view(f"! {error}")
            return
        self.refresh_view(f"played {len(taken)} step(s)")

    def action_outcomes(self) -> None:
        self.query_one("#outcomes", DataTable).focus()
        self.refresh_view("pick an outcome with the arrows and Enter")

    def action_reset(self) -> None:
        self.inspector.reset()
        self.refresh_view("back at the start")


def run_inspector(inspector: Inspector) -> None:
    InspectorApp(inspector).run()
