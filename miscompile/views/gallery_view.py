"""``miscompile gallery``: one row per demonstration, with what the racy and the fixed versions gain."""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from ..bounds import cut_message
from ..models import LANGUAGE_MODELS
from .explore_view import GAINED_STYLE, PARTIAL_STYLE


def expect_brief(expect: str) -> str:
    """``status=hang`` -> ``hang``; ``@reader=0`` -> ``reader prints 0``; ``x=True,y=True`` -> ``x=True y=True``."""
    parts = []
    for item in expect.split(","):
        name, _, value = item.partition("=")
        parts.append(value if name == "status" else f"{name[1:]} prints {value}" if name.startswith("@") else item)
    return " ".join(parts)


def gained_text(count: int, expect: str | None) -> Text:
    if not count:
        return Text("none", "green")
    return Text(f"{expect_brief(expect)}" + (f" (+{count - 1} more)" if count > 1 else "") if expect
                else f"{count} outcome{'s' if count != 1 else ''}", GAINED_STYLE)


class GalleryView:
    def __init__(self, results: list) -> None:
        self.results = results

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("", no_wrap=True, width=1)
        narrow = max(14, min(24, (options.max_width - 10) // 4))
        table.add_column("demonstration and lesson", overflow="fold")
        table.add_column("model", no_wrap=True)
        table.add_column("racy version gains", overflow="fold", width=narrow)
        table.add_column("fixed version gains", overflow="fold", width=narrow)
        for r in self.results:
            mark = (Text("-", "dim") if r.skipped else Text("✓", "green") if r.holds else
                    Text("✗", "bold red") if r.complete else Text("?", PARTIAL_STYLE))
            demo = Text(r.demo.example.removesuffix(".py"), "bold")
            demo.append(" + " + " + ".join(r.demo.passes) if r.demo.passes
                        else " (the C11 model)" if r.demo.model in LANGUAGE_MODELS
                        else " (fewest fences)" if r.demo.fences is not None else " (hardware)", "bold")
            demo.append(f"\n{r.demo.lesson}", "italic")
            twin = Text(f"\n{'with' if r.demo.fences is not None else 'in'} {r.twin.removesuffix('.py')}", "dim")
            if r.skipped:
                table.add_row(mark, demo, r.model, Text(r.skipped, "dim"), twin)
                continue
            if r.demo.never:
                racy = Text(f"never {expect_brief(r.demo.expect)}", "green") if not r.seen else \
                    Text(f"{expect_brief(r.demo.expect)} happens", "bold red")
                table.add_row(mark, demo, r.model, racy, Text("(no fix needed)", "dim"))
                continue
            if r.demo.expect == "undefined":
                racy = Text(f"undefined: races on {', '.join(r.undefined)}", GAINED_STYLE) if r.undefined \
                    else Text("defined", "green")
                fixed = Text(f"undefined: races on {', '.join(r.twin_undefined)}", "bold red") if r.twin_undefined \
                    else Text("defined", "green")
                table.add_row(mark, demo, r.model, racy, fixed + twin)
                continue
            racy = gained_text(len(r.gained), r.demo.expect if r.shows_lesson else None)
            table.add_row(mark, demo, r.model, racy, gained_text(len(r.twin_gained), None) + twin)
        yield table
        undecided = [r for r in self.results if not r.holds and not r.complete]
        failed = [r for r in self.results if not r.holds and r.complete]
        for r in undecided:
            yield Text(f"? {r.demo.title} under {r.model} is undecided: a search {cut_message(r.cut or '')}",
                       PARTIAL_STYLE)
        if failed:
            for r in failed:
                why = ("an outcome matching " + r.demo.expect + " happens" if r.demo.never
                       else "the racy version shows no outcome matching " + r.demo.expect if not r.shows_lesson
                       else "the fixed version gains outcomes too")
                yield Text(f"✗ {r.demo.title} under {r.model} does not hold: {why}", "bold red")
        elif not undecided:
            ran = [r for r in self.results if not r.skipped]
            skipped = len(self.results) - len(ran)
            yield Text(f"All {len(ran)} demonstrations that ran hold: each racy program gains the outcome its "
                       "lesson promises (or is undefined, or never shows what must never happen), and each "
                       "fixed twin gains nothing."
                       + (f" {skipped} skipped (see why in the table)." if skipped else ""), "green")
