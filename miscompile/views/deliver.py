"""One place that delivers what a command found: to the terminal, as JSON, SVG, HTML or a page.

A command computes a ``Report`` (how to draw it, its JSON, what it means for the
exit status) and hands it to ``Output.deliver``, which owns every channel the
options asked for and the exit status. ``Output.progress`` owns the progress
line of long searches. So a command reads: parse the options, compute, deliver.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console, RenderableType

from ..bounds import Bounds

EXIT_DONE, EXIT_FINDING, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 1, 2, 3


def exit_status(*, finding: bool = False, complete: bool = True) -> int:
    """1 for a finding (it holds even when a search was cut: a race found is a race), else 3 when a
    search the command reports on was cut short by a bound, else 0."""
    return EXIT_FINDING if finding else EXIT_DONE if complete else EXIT_PARTIAL


@dataclass
class Report:
    """What a command has to say. Everything costly to build is a function, called only when
    the channel that needs it was asked for."""

    title: str  # "miscompile explore examples/broken_flag.py": the SVG's and the page's title
    view: Callable[[], RenderableType] | None = None  # the rich view, for the terminal and the exports
    data: Callable[[], Any] | None = None  # the JSON, for --json
    text: str | None = None  # plain text for stdout, printed as it is (litmus's herd format)
    source: str | None = None  # a new program, for --print and -o
    #: What the view says and the data does not (a search cut short, a lesson), said on standard
    #: error when the view is not shown (--json, --print)
    aside: Callable[[], Iterable[str]] | None = None
    notes: list[str] = field(default_factory=list)  # said on standard error in every case
    svg: Callable[[], str] | None = None  # an SVG of its own, instead of the view's recording
    page: Callable[[], str] | None = None  # a self-contained HTML page of its own (inspect)
    finding: bool = False
    complete: bool = True

    @property
    def exit_status(self) -> int:
        return exit_status(finding=self.finding, complete=self.complete)


def terminal_console(**options: Any) -> Console:
    """A console on standard output (or error), as wide as $COLUMNS says when it is set."""
    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return Console(width=width, **options)


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass
class Output:
    """The channels the options asked for."""

    as_json: bool = False
    svg: str | None = None  # --svg FILE: the view as an SVG image
    html: str | None = None  # --html FILE: the view as an HTML page (or, with ``page``, the page)
    print_only: bool = False  # --print: only the new program, on stdout
    output: str | None = None  # -o FILE: the new program, written there

    @property
    def shows_view(self) -> bool:
        return not (self.as_json or self.print_only)

    @contextmanager
    def progress(self, bounds: Bounds | None = None) -> Iterator[Any]:
        """A progress line for each search (a ``ProgressFactory``), or None under --json."""
        from .progress import ProgressFactory

        with self._shown(lambda: ProgressFactory(bounds.describe() if bounds else "")) as shown:
            yield shown

    @contextmanager
    def check_progress(self) -> Iterator[Any]:
        """A progress bar over the programs check-pass tries, or None under --json."""
        from .check_pass_view import CheckProgress

        with self._shown(CheckProgress) as shown:
            yield shown

    @contextmanager
    def _shown(self, make: Callable[[], Any]) -> Iterator[Any]:
        shown = None if self.as_json else make()
        try:
            yield shown
        finally:
            if shown is not None:
                shown.close()

    def deliver(self, report: Report) -> NoReturn:
        """Say the report on every channel asked for, then exit with its status."""
        self.write(report)
        sys.exit(report.exit_status)

    def write(self, report: Report) -> None:
        if self.output and report.source is not None:
            Path(self.output).write_text(report.source, encoding="utf-8")
        if self.as_json and report.data is not None:
            print(json.dumps(report.data(), indent=2, ensure_ascii=False))
            self._aside(report)
        elif self.print_only and report.source is not None:
            sys.stdout.write(report.source)
            self._aside(report)
        elif report.text is not None:
            sys.stdout.write(report.text)
        elif report.view is not None:
            self._show(report)
        if report.page and self.html:
            Path(self.html).write_text(report.page(), encoding="utf-8")
            say(f"wrote the page to {self.html}")
        for note in report.notes:
            say(note)
        if self.output and report.source is not None and not self.print_only:
            say(f"wrote the new program to {self.output}")

    def _aside(self, report: Report) -> None:
        for line in report.aside() if report.aside else ():
            say(line)

    def _show(self, report: Report) -> None:
        from .export import export

        assert report.view is not None
        view = report.view()
        terminal_console().print(view)
        svg = None if report.svg else self.svg
        html = None if report.page else self.html
        export(view, svg=svg, html=html, title=report.title)
        if report.svg and self.svg:
            Path(self.svg).write_text(report.svg(), encoding="utf-8")
        for kind, path in (("SVG", self.svg), ("HTML", html)):
            if path:
                say(f"wrote {kind} to {path}")


def deliver_lines(records: Iterable[dict[str, Any]]) -> NoReturn:
    """One JSON object per line as each arrives (batch exploration); exit 2 when a file was bad
    input, else 3 when a search was cut short, else 0."""
    complete, bad = True, False
    for record in records:
        print(json.dumps(record, ensure_ascii=False), flush=True)
        bad |= "error" in record
        complete &= record.get("complete", True)
    sys.exit(EXIT_BAD_INPUT if bad else exit_status(complete=complete))
