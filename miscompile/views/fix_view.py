"""``miscompile fix``: the program before and after its racing variables became atomics."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from .diff_view import SideBySide


class FixView:
    def __init__(self, fix, *, context: int | None = 3) -> None:
        self.fix = fix
        self.context = context

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        f = self.fix
        yield Text.assemble(("Fix: ", "bold"), "make racing variables atomic in ", (f.path, "bold cyan"))
        if f.changed:
            yield SideBySide(f.before, f.after, context=self.context, titles=("racy", "fixed"))
        if f.made_atomic:
            yield Text(f"Made atomic: {', '.join(f.made_atomic)}.", "bold")
        else:
            yield Text("Nothing to make atomic: the detector finds no racing variable.", "dim")
        if f.remaining:
            yield Text(f"Still racing: {', '.join(f.remaining)} (array elements and struct fields cannot be "
                       "atomics; protect them with a lock).", "bold red")
        else:
            yield Text("The fixed program has no data races (checked with the race detector).", "green")
