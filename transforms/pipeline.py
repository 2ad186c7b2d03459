"""Running passes one after another on a program's source.

A pass spec is a name with optional integer options: ``hoist`` or
``scratch-store:value=7``. Each pass sees the output of the one before; after
each pass the frontend checks that the program is still in the dialect (a pass
that breaks that is a bug, reported as such).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from miscompile.errors import MiscompileError, SourceError, UsageError
from miscompile.frontend import parse_program
from miscompile.ir import Program
from miscompile.linemap import LineMap

from .base import Decline, Pass
from .registry import get_pass


@dataclass(frozen=True)
class PassSpec:
    name: str
    options: tuple[tuple[str, int], ...] = ()

    @classmethod
    def parse(cls, text: str) -> PassSpec:
        """``"scratch-store:value=7"`` -> PassSpec("scratch-store", (("value", 7),)), checked against the pass."""
        name, _, rest = text.strip().partition(":")
        pass_class = get_pass(name)
        options: list[tuple[str, int]] = []
        for item in filter(None, (part.strip() for part in rest.split(","))):
            key, eq, value = item.partition("=")
            if not eq or key not in pass_class.OPTIONS:
                known = ", ".join(f"{k}={v}" for k, v in pass_class.OPTIONS.items()) or "none"
                raise UsageError(f"{name} has no option {item!r} (options: {known})")
            try:
                options.append((key, int(value, 0)))
            except ValueError:
                raise UsageError(f"the option {key} of {name} takes an integer, not {value!r}") from None
        return cls(name, tuple(options))

    @property
    def pass_class(self) -> type[Pass]:
        return get_pass(self.name)

    def __str__(self) -> str:
        return self.name + (":" + ",".join(f"{k}={v}" for k, v in self.options) if self.options else "")


class PassError(MiscompileError):
    """A pass produced a program outside the dialect: a bug in the pass, not in the input."""


@dataclass(frozen=True)
class Transformation:
    """A program before and after a sequence of passes, with every decline the passes reported.

    It keeps both versions parsed (the pipeline parses each pass's output anyway, to check it is
    still in the dialect), so whoever explores them does not parse the text again."""

    path: str
    before: str
    after: str
    passes: tuple[PassSpec, ...]
    declines: tuple[Decline, ...]
    original: Program = field(compare=False, repr=False)
    optimised: Program = field(compare=False, repr=False)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def pass_names(self) -> list[str]:
        return [str(spec) for spec in self.passes]

    @cached_property
    def line_map(self) -> LineMap:
        """Each line of ``after`` -> the line of ``before`` it came from, and the lines the passes wrote."""
        return LineMap.between(self.before, self.after)


def transform(source: str, path: str, specs: Sequence[PassSpec | str]) -> Transformation:
    """Apply the passes in order. Input outside the dialect raises ``SourceError`` before any pass
    runs; a broken pass raises ``PassError``."""
    parsed = tuple(s if isinstance(s, PassSpec) else PassSpec.parse(s) for s in specs)
    if not parsed:
        raise UsageError("name at least one pass with --pass (see `miscompile passes`)")
    original = current_program = parse_program(source, path)
    current = source
    declines: list[Decline] = []
    for spec in parsed:
        new, found = spec.pass_class.run(current, path, dict(spec.options))
        try:
            current_program = parse_program(new, path)
        except SourceError as exc:
            raise PassError(f"the pass {spec} produced a program outside the dialect ({exc}); "
                            "this is a bug in the pass") from None
        declines.extend(found)
        current = new
    return Transformation(path, source, current, parsed, tuple(declines), original, current_program)
