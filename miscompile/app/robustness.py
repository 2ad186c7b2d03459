"""``robust``: is every outcome a program can reach on a weak machine also reachable under sc?

A program is *robust* under a model when the model adds nothing over sequential
consistency: then the weak machine can be reasoned about as if it were sc. When
it is not, each outcome only the weaker model allows comes with its shortest
witness and the reorderings in it (``miscompile.delays``): which store was still
buffered when which load ran, or which store reached memory first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analysis import ModelRun, ProgressFactory, run_model
from ..bounds import Bounds
from ..delays import Delay, delays
from ..models import GRAPH_MODELS
from ..outcomes import Outcome, certainty, ordered
from ..statespace import shortest_witnesses
from .subject import Subject


@dataclass(frozen=True)
class Added:
    """An outcome the model allows and sc does not, with how it happens."""

    outcome: Outcome
    witness: tuple
    delays: tuple[Delay, ...] = ()  # empty under the graph models (their witness is a graph: `trace` it)


@dataclass
class ModelRobustness:
    model: str
    run: ModelRun
    added: list[Added] = field(default_factory=list)
    sc_complete: bool = True

    @property
    def robust(self) -> bool:
        return not self.added

    @property
    def complete(self) -> bool:
        return self.run.search.complete and self.sc_complete

    @property
    def certainty(self) -> str:
        """``exact``; ``at least`` (sc's search was complete: every outcome listed is really added);
        ``unknown`` (sc's was cut: sc may allow some of them too)."""
        return certainty(self.sc_complete, self.run.search.complete)

    def to_json(self) -> dict[str, Any]:
        return {"robust": self.robust, "complete": self.complete, "states": self.run.search.states,
                "added": [{"outcome": a.outcome.to_json(), "delays": [d.to_json() for d in a.delays]}
                          for a in self.added]}


@dataclass
class Robustness:
    subject: Subject
    sc: ModelRun
    models: list[ModelRobustness]

    @property
    def robust(self) -> bool:
        return all(m.robust for m in self.models)

    @property
    def complete(self) -> bool:
        return all(m.complete for m in self.models)

    def to_json(self) -> dict[str, Any]:
        return {"program": self.subject.path, "robust": self.robust, "complete": self.complete,
                "models": {m.model: m.to_json() for m in self.models}}


def added_over_sc(run: ModelRun, sc_outcomes: set[Outcome]) -> list[Added]:
    """The outcomes of ``run`` that sc does not allow, each with its shortest witness and delays."""
    added = ordered(set(run.outcomes) - sc_outcomes)
    if run.model in GRAPH_MODELS:
        return [Added(outcome, run.witness(outcome)) for outcome in added]
    shortest = shortest_witnesses(run.machine, {outcome: run.witness(outcome) for outcome in added},
                                  reduce=run.machine.reduce)
    return [Added(outcome, shortest[outcome], tuple(delays(run.machine, shortest[outcome]))) for outcome in added]


def check_robust(subject: Subject, models: list[str], *, bounds: Bounds | None = None,
                 progress: ProgressFactory | None = None) -> Robustness:
    """``subject.program`` under sc and under each of ``models``: what each adds over sc."""
    def labelled(model: str) -> Any:
        return progress(f"exploring under {model}") if progress else None

    sc = run_model(subject.program, "sc", bounds=bounds, progress=labelled("sc"))
    sc_outcomes = set(sc.outcomes)
    results = []
    for model in models:
        if model == "sc":
            continue
        run = run_model(subject.program, model, bounds=bounds, progress=labelled(model))
        results.append(ModelRobustness(model, run, added_over_sc(run, sc_outcomes), sc.search.complete))
    return Robustness(subject, sc, results)
