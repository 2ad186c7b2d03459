"""The program a command studies: read, parsed, and (when passes are named) transformed."""

from __future__ import annotations

from dataclasses import dataclass

from transforms.pipeline import Transformation, transform

from ..frontend import parse_program
from ..ir import Program
from ..linemap import LineMap

NO_LINES = LineMap({}, frozenset())


@dataclass(frozen=True)
class Subject:
    """A source file as parsed, and the same program after the passes, when there are any."""

    path: str
    source: str
    original: Program
    transformation: Transformation | None = None

    @property
    def program(self) -> Program:
        """What to explore: the optimised program when passes were named, else the original."""
        return self.transformation.optimised if self.transformation else self.original

    @property
    def text(self) -> str:
        return self.transformation.after if self.transformation else self.source

    @property
    def line_map(self) -> LineMap:
        """The explored program's lines -> the original's, and the lines the passes wrote."""
        return self.transformation.line_map if self.transformation else NO_LINES

    @property
    def passes(self) -> list[str]:
        return self.transformation.pass_names if self.transformation else []


def study(path: str, source: str, passes: list[str] | tuple[str, ...] = ()) -> Subject:
    """Parse ``source`` and, with ``passes``, transform it (each version parsed once)."""
    if passes:
        transformation = transform(source, path, list(passes))
        return Subject(path, source, transformation.original, transformation)
    return Subject(path, source, parse_program(source, path))
