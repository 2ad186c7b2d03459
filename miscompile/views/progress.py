"""A progress line on standard error for searches that take more than a second."""

from __future__ import annotations

from typing import Any

from rich.console import Console

DELAY = 1.0


class SearchProgress:
    """Call with (states, seconds); shows a transient status line once a search passes a second."""

    def __init__(self, label: str, console: Console | None = None, bound: str = "") -> None:
        self.label = label
        self.bound = bound  # e.g. "1,000,000 states, 4,096 MB": how far the search may go
        self.console = console or Console(stderr=True)
        self.status: Any = None

    def __call__(self, states: int, seconds: float) -> None:
        if seconds < DELAY or not self.console.is_terminal:
            return
        message = f"{self.label}: {states:,} states, {seconds:.1f} s" + (f" (bound: {self.bound})" if self.bound else "")
        if self.status is None:
            self.status = self.console.status(message)
            self.status.start()
        else:
            self.status.update(message)

    def close(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None


class ProgressFactory:
    """Makes one ``SearchProgress`` per search and closes the previous one."""

    def __init__(self, bound: str = "") -> None:
        self.current: SearchProgress | None = None
        self.bound = bound

    def __call__(self, label: str) -> SearchProgress:
        self.close()
        self.current = SearchProgress(label, bound=self.bound)
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
