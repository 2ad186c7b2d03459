"""Before and after a pass: side by side or as a unified diff, with the declines listed.

Changed lines are highlighted, and also marked ``-``/``+`` so the change can be
read without colour (in a pipe, or printed). Long unchanged stretches fold
into one line unless the full program is asked for.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

REMOVED_STYLE = "on #4b1818"
ADDED_STYLE = "on #173f17"
THEME = "ansi_dark"


@dataclass(frozen=True)
class Row:
    left: int | None  # line number before, or None for a gap
    right: int | None
    changed: bool


@dataclass(frozen=True)
class Fold:
    lines: int  # how many unchanged lines are hidden


def aligned_rows(before: Sequence[str], after: Sequence[str], context: int | None) -> list[Row | Fold]:
    """Pair the lines of the two versions; unchanged runs longer than ``2*context`` fold."""
    rows: list[Row | Fold] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    opcodes = matcher.get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            pairs = [Row(i + 1, j1 + (i - i1) + 1, False) for i in range(i1, i2)]
            keep_head = context if n > 0 else 0
            keep_tail = context if n < len(opcodes) - 1 else 0
            if context is None or len(pairs) <= keep_head + keep_tail + 1:
                rows.extend(pairs)
            else:
                rows.extend(pairs[:keep_head])
                rows.append(Fold(len(pairs) - keep_head - keep_tail))
                rows.extend(pairs[len(pairs) - keep_tail:])
            continue
        rows.extend(_pair_changed(before, after, range(i1, i2), range(j1, j2)))
    return rows


def _pair_changed(before: Sequence[str], after: Sequence[str], left: range, right: range) -> list[Row]:
    """Inside a changed stretch, put a line next to its edited version and leave new lines alone.

    ``while not ready:`` becoming ``_ready = ready`` + ``while not _ready:``
    should show the new first line as an insertion, not as an edit.
    """
    rows: list[Row] = []
    j = right.start
    for i in left:
        scores = {k: difflib.SequenceMatcher(a=before[i], b=after[k], autojunk=False).ratio()
                  for k in range(j, right.stop)}
        match = max(scores, key=lambda k: (scores[k], -k), default=None)
        if match is None or scores[match] < 0.6:
            rows.append(Row(i + 1, None, True))
            continue
        rows.extend(Row(None, k + 1, True) for k in range(j, match))
        rows.append(Row(i + 1, match + 1, True))
        j = match + 1
    rows.extend(Row(None, k + 1, True) for k in range(j, right.stop))
    # a removed line next to an added one reads best on one row
    merged: list[Row] = []
    for row in rows:
        if merged and row.left is None and merged[-1].right is None and merged[-1].left is not None:
            merged[-1] = Row(merged[-1].left, row.right, True)
        else:
            merged.append(row)
    return merged


def highlighted_lines(code: str) -> list[Text]:
    lines = Syntax(code, "python", theme=THEME).highlight(code).split("\n", allow_blank=True)
    return list(lines)


class SideBySide:
    """The two versions of a program in two columns, aligned line by line."""

    def __init__(self, before: str, after: str, *, context: int | None = 3,
                 titles: tuple[str, str] = ("before", "after")) -> None:
        self.before, self.after = before, after
        self.context = context
        self.titles = titles

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        left_lines = highlighted_lines(self.before)
        right_lines = highlighted_lines(self.after)
        table = Table.grid(padding=(0, 1), expand=True)
        for side in range(2):
            table.add_column(justify="right", style="dim", no_wrap=True)  # line number
            table.add_column(no_wrap=True, width=1)  # - or +
            table.add_column(ratio=1, overflow="fold")
            if side == 0:
                table.add_column(style="dim", no_wrap=True, width=1)  # the divider
        table.add_row("", "", Text(self.titles[0], "bold"), "│", "", "", Text(self.titles[1], "bold"))
        for row in aligned_rows(self.before.splitlines(), self.after.splitlines(), self.context):
            if isinstance(row, Fold):
                fold = Text(f"⋯ {row.lines} unchanged line{'s' if row.lines != 1 else ''}", "dim italic")
                table.add_row("", "", fold, "│", "", "", fold)
                continue
            table.add_row(*self.cells(row.left, left_lines, row.changed, "-", REMOVED_STYLE), "│",
                          *self.cells(row.right, right_lines, row.changed, "+", ADDED_STYLE))
        yield table

    @staticmethod
    def cells(number: int | None, lines: list[Text], changed: bool, mark: str, style: str) -> tuple:
        if number is None:
            return "", "", ""
        text = lines[number - 1].copy() if number - 1 < len(lines) else Text("")
        if changed:
            text.stylize(style)
            return str(number), Text(mark, "bold"), text
        return str(number), "", text


class UnifiedDiff:
    """``diff -u`` of the two versions, coloured when the terminal allows."""

    def __init__(self, before: str, after: str, path: str, *, context: int | None = 3) -> None:
        self.text = "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                                 f"{path} (before)", f"{path} (after)",
                                                 n=context if context is not None else 1_000_000))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.text:
            return
        yield Syntax(self.text.rstrip("\n"), "diff", theme=THEME, word_wrap=True)


class DeclineList:
    """Where each pass declined to rewrite, and why."""

    def __init__(self, declines: Iterable) -> None:
        self.declines = list(declines)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.declines:
            return
        yield Text("Declined:", "bold")
        for decline in self.declines:
            yield Text.assemble("  ", (f"line {decline.line}", "cyan"), "  ", (decline.pass_name, "bold"), ": ",
                                decline.reason)


def pass_headline(transformation) -> Text:
    """``hoist (drf-safe) + widen (race-introducing)`` with the legality coloured."""
    text = Text()
    for i, spec in enumerate(transformation.passes):
        if i:
            text.append(" + ")
        legality = spec.pass_class.LEGALITY
        text.append(str(spec), "bold")
        text.append(f" ({legality})", "green" if legality == "drf-safe" else "yellow")
    return text


class TransformView:
    """Everything ``miscompile transform`` shows: what changed and what was declined."""

    def __init__(self, transformation, *, diff: str = "side-by-side", context: int | None = 3) -> None:
        self.transformation = transformation
        self.diff = diff
        self.context = context

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        t = self.transformation
        yield Text.assemble(("Passes: ", "bold"), pass_headline(t), " on ", (t.path, "bold cyan"))
        if not t.changed:
            yield Text("No change: the passes found nothing they may rewrite.", "dim")
        elif self.diff == "unified":
            yield UnifiedDiff(t.before, t.after, t.path, context=self.context)
        else:
            yield SideBySide(t.before, t.after, context=self.context)
        if t.declines:
            yield Text()
            yield Group(DeclineList(t.declines))
