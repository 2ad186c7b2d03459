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


class UsageError(MiscompileError):
    """The command line asks for something that cannot be done (an unknown model, ...)."""
