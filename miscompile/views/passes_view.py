"""``miscompile passes``: the table of passes, and one pass in detail."""

from __future__ import annotations

import inspect

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

LEGALITY_STYLES = {"drf-safe": "green", "race-introducing": "yellow"}


class PassTable:
    def __init__(self, passes: list) -> None:
        self.passes = passes

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("pass", style="bold", no_wrap=True)
        table.add_column("legality", no_wrap=True)
        table.add_column("what it does", overflow="fold")
        for p in self.passes:
            table.add_row(p.NAME, Text(p.LEGALITY, LEGALITY_STYLES.get(p.LEGALITY, "")), p.SUMMARY)
        yield table
        yield Text("drf-safe: race-free programs keep exactly their outcomes (legal under C11/Java rules).\n"
                   "race-introducing: correct single-threaded, but can add a race to a race-free program.", "dim")


class PassDetail:
    """One pass: what it does and why, its preconditions and options."""

    def __init__(self, pass_class) -> None:
        self.pass_class = pass_class

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        p = self.pass_class
        yield Text.assemble((p.NAME, "bold"), " (", (p.LEGALITY, LEGALITY_STYLES.get(p.LEGALITY, "")), "): ",
                            p.SUMMARY)
        doc = (inspect.getdoc(inspect.getmodule(p)) or "").replace("``", "`")
        if doc:
            yield Text()
            yield Text(doc)
        yield Text()
        yield Text("Preconditions (otherwise the pass declines and says why):", "bold")
        conditions = Table.grid(padding=(0, 1))
        conditions.add_column(width=3, justify="right")
        conditions.add_column(overflow="fold")
        for condition in p.PRECONDITIONS:
            conditions.add_row("-", condition)
        yield conditions
        if p.OPTIONS:
            options_text = ", ".join(f"{k}={v}" for k, v in p.OPTIONS.items())
            yield Text.assemble(("Options: ", "bold"), options_text, f"  (e.g. --pass {p.NAME}:"
                                f"{next(iter(p.OPTIONS))}=7)")
