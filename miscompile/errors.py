"""Errors the user can act on: each names a place in their file and what is wrong there."""

from __future__ import annotations


class MiscompileError(Exception):
    """Base class: the CLI prints these as one line and exits with status 2."""


class SourceError(MiscompileError):
    """Something in the program's source is outside the dialect, or wrong."""

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.col = col
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class SourceErrors(SourceError):
    """Several problems in one file, reported together (the first one's place is this error's).

    A user fixing an unsupported program wants every problem in one run, not one per run.
    """

    SHOWN = 10

    def __init__(self, errors: list[SourceError]) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.col, first.message)
        self.errors = errors

    def __str__(self) -> str:
        lines = [SourceError.__str__(e) for e in self.errors[:self.SHOWN]]
        if len(self.errors) > self.SHOWN:
            lines.append(f"... and {len(self.errors) - self.SHOWN} more")
        return "\n".join(lines)


class UsageError(MiscompileError):
    """The command line asks for something that cannot be done (an unknown model, ...)."""
