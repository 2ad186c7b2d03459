"""Where each line of an optimised program came from in the original.

Outcomes compare by meaning: an assertion that fails in the optimised program
is the same outcome as that assertion failing in the original, even when a
pass inserted lines above it. So before ``gained``/``lost`` are computed, every
failure of the optimised program is moved back to the original's line.

Passes are LibCST codemods that keep every line they do not rewrite exactly
as it was, so a line diff of the two sources is exact for unchanged lines.
A line a pass moved (the same text, deleted in one place and inserted in
another) maps to where it was; a line a pass wrote maps to the original line
it replaced (or, when it was inserted, to the original line after it) and is
remembered as *written*, so views can say so.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from typing import Any

from .evaluate import Instance, PyDict
from .outcomes import Outcome

#: A location of an object made while the program runs: its class and the line that makes it.
SITE = re.compile(r"^(\w+)@(\d+)")


@dataclass(frozen=True)
class LineMap:
    to_original: dict[int, int]  # optimised line -> original line (1-based), for every optimised line
    written: frozenset[int]  # optimised lines the passes wrote

    @classmethod
    def between(cls, before: str, after: str) -> LineMap:
        old, new = before.splitlines(), after.splitlines()
        mapping: dict[int, int] = {}
        written: set[int] = set()
        removed: dict[str, list[int]] = {}  # stripped text of deleted/replaced original lines -> their numbers
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for i in range(i1, i2):
                if tag != "equal":
                    removed.setdefault(old[i].strip(), []).append(i + 1)
            for k, j in enumerate(range(j1, j2)):
                if tag == "equal":
                    mapping[j + 1] = i1 + k + 1
                else:
                    mapping[j + 1] = min(i1 + min(k, max(i2 - i1 - 1, 0)) + 1, max(len(old), 1))
                    written.add(j + 1)
        for line in sorted(written):  # a line moved unchanged is not written: it maps to where it was
            text = new[line - 1].strip()
            if text and len(removed.get(text, ())) == 1:
                mapping[line] = removed[text][0]
                written.discard(line)
        return cls(mapping, frozenset(written))

    def original(self, line: int) -> int:
        return self.to_original.get(line, line)

    def outcome(self, outcome: Outcome) -> Outcome:
        """``outcome`` of the optimised program with its failures at the original's lines (a
        failure at a line the passes wrote keeps that line as ``optimised_line``), and objects made
        while the program runs named by the original's line of their creation site
        (``Config@23.value`` -> ``Config@22.value``)."""
        if outcome.final is not None and any(SITE.match(name) for name, _ in outcome.final):
            outcome = replace(outcome, final=tuple((SITE.sub(self._site, name), self._value(value))
                                                   for name, value in outcome.final))
        if not outcome.failures:
            return outcome
        failures = tuple(replace(f, line=self.original(f.line),
                                 optimised_line=f.line if f.line in self.written else None)
                         for f in outcome.failures)
        return replace(outcome, failures=failures)

    def _site(self, match: re.Match) -> str:
        return f"{match.group(1)}@{self.original(int(match.group(2)))}"

    def _value(self, value: Any) -> Any:
        """A value with every object made at run time named by the original's line."""
        if isinstance(value, Instance):
            return Instance(SITE.sub(self._site, value.name), value.cls)
        if isinstance(value, PyDict):
            return PyDict((self._value(k), self._value(v)) for k, v in value.pairs)
        if isinstance(value, tuple):  # a tuple or a list
            return type(value)(self._value(item) for item in value)
        return value
