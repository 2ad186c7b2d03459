"""``miscompile fix``: the program before and after its racing variables became atomics, and what
the fixed program can still do."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from .diff_view import SideBySide
from .explore_view import OutcomeTable, incomplete_warnings


def spans_text(spans) -> str:
    """``lines 8–10 (withdraw) and 15–16 (deposit)``."""
    parts = [f"{first}–{last} ({function})" if first != last else f"{first} ({function})"
             for function, first, last in spans]
    return ("lines " if len(spans) > 1 or spans[0][1] != spans[0][2] else "line ") + " and ".join(parts)


def lessons(check) -> list[Text]:
    """What the fixed program still does wrong, and the lock that removes it (when it was verified)."""
    fix = check.fix
    if not check.failures:
        return []
    texts = []
    races_gone = "No data races remain, but" if not fix.remaining else "And"
    for failure in check.failures:
        what = "the assertion" if failure.status == "assertion" else "the statement"
        fails = "still fails" if failure.status == "assertion" else "still raises"
        texts.append(Text(f"{races_gone} {what} at line {failure.line} {fails} ({failure.message}).", "bold red"))
    remedy = check.remedy
    if remedy is None:
        return texts
    where = spans_text(remedy.suggestion.spans)
    if remedy.holds:
        models = ", ".join(remedy.exploration.runs)
        texts.append(Text(f"This is an atomicity bug: another thread can run between the check and the act. "
                          f"A lock around {where} removes it (checked under {models}: no failure, no race, "
                          "no deadlock).", "yellow"))
    else:
        texts.append(Text(f"This is an atomicity bug: another thread can run between the check and the act; "
                          f"protect them with one lock (a lock around {where} was tried and does not remove "
                          "it on its own).", "yellow"))
    return texts


class FixView:
    def __init__(self, check, *, context: int | None = 3) -> None:
        self.check = check
        self.context = context

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        f = self.check.fix
        yield Text.assemble(("Fix: ", "bold"), "make racing variables atomic in ", (f.path, "bold cyan"))
        if f.problems:
            yield Text("Cannot fix: these statements cannot be rewritten (nothing was written):", "bold red")
            for line, why in f.problems:
                yield Text(f"  line {line}: {why}")
            return
        if f.changed:
            yield SideBySide(f.before, f.after, context=self.context, titles=("racy", "fixed"))
        if f.made_atomic:
            yield Text(f"Made atomic: {', '.join(f.made_atomic)}.", "bold")
        else:
            yield Text("Nothing to make atomic: the detector finds no racing variable.", "dim")
        if f.remaining:
            yield Text(f"Still racing: {', '.join(f.remaining)} (dict keys cannot hold atomics; protect them "
                       "with a lock).", "bold red")
        else:
            yield Text("The fixed program has no data races (checked with the race detector).", "green")
        ex = self.check.exploration
        if ex is not None:
            yield Text()
            yield OutcomeTable({name: self.check.outcomes(name) for name in ex.runs},
                               title="What the fixed program can do (lines of the original)", partial=[
                                   n for n, run in ex.runs.items() if not run.search.complete])
            yield from lessons(self.check)
            yield from incomplete_warnings(ex)


class LockFixView:
    """``fix --strategy lock``: the program with one lock around the racing accesses, and the check."""

    def __init__(self, remedy, source: str, path: str, *, context: int | None = 3) -> None:
        self.remedy, self.source, self.path, self.context = remedy, source, path, context

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        remedy = self.remedy
        yield Text.assemble(("Fix: ", "bold"), "one lock around the racing accesses in ", (self.path, "bold cyan"))
        yield SideBySide(self.source, remedy.suggestion.after, context=self.context, titles=("racy", "locked"))
        yield Text(f"{remedy.suggestion.lock} is held around {spans_text(remedy.suggestion.spans)}.", "bold")
        ex = remedy.exploration
        models = ", ".join(ex.runs)
        if remedy.holds:
            yield Text(f"Checked under {models}: no data race, no failure, no deadlock.", "green")
        else:
            races = ", ".join(r.location for r in ex.races.races) if ex.races and ex.races.races else "none"
            yield Text(f"The lock does not make it correct on its own (checked under {models}; races: {races}).",
                       "bold red")
        yield OutcomeTable({name: run.outcomes for name, run in ex.runs.items()}, title="What the locked program can do")
        yield from incomplete_warnings(ex)


class FencedFixView:
    """``fix --strategy fences``: the fences view, and what fences do not do."""

    def __init__(self, search, races: list[str], *, context: int | None = 3) -> None:
        self.search, self.races, self.context = search, races, context

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from .fences_view import FencesView

        yield FencesView(self.search, context=self.context)
        if self.races:
            yield Text(f"Fences order this machine's buffers; they create no happens-before edge, so "
                       f"{', '.join(self.races)} still race: a compiler may still reorder or hoist those accesses "
                       "(compare --fenced shows it), and under C11 (rc11) the program is still undefined. "
                       "fix --strategy atomics removes the races.", "yellow")
