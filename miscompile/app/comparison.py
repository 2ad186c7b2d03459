"""A program before and after a sequence of passes, explored under the same models.

This is the question the tool exists to answer: which outcomes does the
optimised program allow that the original did not (``gained``), and which did
it stop producing (``lost``)? Outcomes compare whole: status, final memory,
output and stuck threads. The data races of both versions come along, since a
race-introducing pass shows up first as a race the original did not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from transforms.fix import fix_source
from transforms.pipeline import Transformation

from ..analysis import Exploration, ModelRun, ProgressFactory, explore_program
from ..bounds import Bounds
from ..linemap import LineMap
from ..outcomes import Outcome, certainty, ordered
from .subject import study


@dataclass
class ModelComparison:
    model: str
    before: ModelRun
    after: ModelRun
    line_map: LineMap  # the optimised program's lines -> the original's

    @cached_property
    def after_outcomes(self) -> list[Outcome]:
        """The optimised program's outcomes, with failures at the original program's lines."""
        return ordered(self.line_map.outcome(o) for o in self.after.outcomes)

    @property
    def gained(self) -> list[Outcome]:
        return ordered(set(self.after_outcomes) - set(self.before.outcomes))

    @property
    def lost(self) -> list[Outcome]:
        return ordered(set(self.before.outcomes) - set(self.after_outcomes))

    @property
    def complete(self) -> bool:
        return self.before.search.complete and self.after.search.complete

    @property
    def cut(self) -> str | None:
        return self.before.search.cut or self.after.search.cut

    @property
    def gained_certainty(self) -> str:
        """How far ``gained`` can be trusted: ``exact``; ``at least`` (the original's search was
        complete, so each one is really gained, but the optimised one's may miss more); or
        ``unknown`` (the original's search was cut: the original may allow some of them too)."""
        return certainty(self.before.search.complete, self.after.search.complete)

    @property
    def lost_certainty(self) -> str:
        return certainty(self.after.search.complete, self.before.search.complete)

    def to_json(self) -> dict[str, Any]:
        return {"complete": {"before": self.before.search.complete, "after": self.after.search.complete},
                "before": [o.to_json() for o in self.before.outcomes],
                "after": [o.to_json() for o in self.after_outcomes],
                "gained": [o.to_json() for o in self.gained],
                "lost": [o.to_json() for o in self.lost]}


@dataclass
class Comparison:
    transformation: Transformation
    before: Exploration
    after: Exploration

    @property
    def models(self) -> dict[str, ModelComparison]:
        line_map = self.transformation.line_map
        return {name: ModelComparison(name, run, self.after.runs[name], line_map)
                for name, run in self.before.runs.items()}

    @property
    def complete(self) -> bool:
        return self.before.complete and self.after.complete

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's form for one model; for several, one entry per model under ``models``."""
        passes = self.transformation.pass_names
        models = self.models
        if len(models) == 1:
            (only,) = models.values()
            return {"passes": passes, "model": only.model, **only.to_json()}
        return {"passes": passes, "models": {name: m.to_json() for name, m in models.items()}}


def compare_program(path: str, source: str, passes: list[str], models: list[str], *,
                    bounds: Bounds | None = None, with_races: bool = True,
                    progress: ProgressFactory | None = None) -> Comparison:
    """Transform ``source`` with ``passes`` and explore both versions under ``models``."""
    transformation = study(path, source, passes).transformation
    assert transformation is not None  # study() with passes transforms (or raises)
    explorations = []
    for label, program in (("before", transformation.original), ("after", transformation.optimised)):
        labelled = (lambda what, label=label: progress(f"{label}: {what}")) if progress else None
        explorations.append(explore_program(program, models, bounds=bounds, with_races=with_races,
                                            progress=labelled))
    return Comparison(transformation, *explorations)


@dataclass
class TwinComparison:
    """``compare --atomic`` / ``--fenced``: the comparison, and the same one on the program's twin:
    its racing variables made atomic (``fix``), or the fewest fences that make it sc (``fences``)."""

    racy: Comparison
    kind: str | None = None  # "atomic" or "fenced"
    changes: dict[str, Any] | None = None  # what the twin changed: {"made_atomic": [...]} or {"fences": [...]}
    fixed: Comparison | None = None

    @property
    def complete(self) -> bool:
        return self.racy.complete and (self.fixed is None or self.fixed.complete)

    def to_json(self) -> dict[str, Any]:
        data = self.racy.to_json()
        if self.kind is not None and self.fixed is not None:
            data[self.kind] = {**(self.changes or {}), **self.fixed.to_json()}
        return data


def compare_with_twin(path: str, source: str, passes: list[str], models: list[str], *, twin: str | None = None,
                      bounds: Bounds | None = None, with_races: bool = True,
                      progress: ProgressFactory | None = None) -> TwinComparison:
    """``compare_program``, and with ``twin`` (``"atomic"`` or ``"fenced"``) the same for that twin."""
    options: dict[str, Any] = {"bounds": bounds, "with_races": with_races, "progress": progress}
    racy = compare_program(path, source, passes, models, **options)
    if twin is None:
        return TwinComparison(racy)
    if twin == "atomic":
        fix = fix_source(source, path)
        twin_source, changes = fix.after, {"made_atomic": list(fix.made_atomic)}
    else:
        from .fencing import fence_twin

        search = fence_twin(path, source, models, bounds=bounds)
        twin_source = search.after if search.found else source
        changes = {"fences": [str(p) for p in search.placements or ()], "fence_model": search.model}
    return TwinComparison(racy, twin, changes, compare_program(path, twin_source, passes, models, **options))
