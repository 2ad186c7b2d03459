"""What the commands ask for: a program explored under models, its races, as data.

These functions sit between the engine (machine, explorer, race detector) and
the views: they return plain result objects that the rich views and the JSON
writer both read, so what the terminal shows and what ``--json`` prints come
from one computation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .bounds import Bounds, as_bounds
from .explore import Progress, Result, explore
from .ir import Program
from .machine import Machine
from .models import GRAPH_MODELS, LANGUAGE_MODELS, MODELS, get_model
from .outcomes import Outcome, ordered
from .races import Race, RaceSystem, find_races, races_of

SCHEMA = 2


@dataclass
class ModelRun:
    """One program explored under one memory model."""

    model: str
    search: Result
    machine: Machine

    @property
    def outcomes(self) -> list[Outcome]:
        return ordered(self.search.outcomes)

    @property
    def undefined(self) -> list[Race]:
        """Under a language model (rc11): the data races that make the program's behaviour undefined,
        grouped by location (the outcomes then mean nothing). Empty for the machines."""
        if self.model not in LANGUAGE_MODELS:
            return []
        return races_of(self.search, self.machine.program)

    def witness(self, outcome: Outcome) -> tuple:
        return self.search.outcomes[outcome]


@dataclass
class RaceRun:
    races: list[Race]
    search: Result


@dataclass
class Exploration:
    """A program under one or more models, plus its data races."""

    program: Program
    runs: dict[str, ModelRun] = field(default_factory=dict)
    races: RaceRun | None = None

    @property
    def complete(self) -> bool:
        return all(r.search.complete for r in self.runs.values()) and (self.races is None or self.races.search.complete)

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's form for one model; for several, one entry per model under ``models``."""
        races = [r.to_json() for r in self.races.races] if self.races else []
        if len(self.runs) == 1:
            (run,) = self.runs.values()
            data = {"schema": SCHEMA, "program": self.program.path, "model": run.model,
                    "complete": run.search.complete and (self.races is None or self.races.search.complete),
                    "states": run.search.states, "outcomes": [o.to_json() for o in run.outcomes], "races": races}
            if run.model in LANGUAGE_MODELS:  # a language model: a race makes the behaviour undefined
                data["undefined"] = [r.to_json() for r in run.undefined]
            return data
        return {"schema": SCHEMA, "program": self.program.path, "complete": self.complete,
                "models": {name: {"complete": run.search.complete, "states": run.search.states,
                                  "outcomes": [o.to_json() for o in run.outcomes]} for name, run in self.runs.items()},
                "races": races}


ProgressFactory = Callable[[str], Progress | None]




def model_names(choice: str) -> list[str]:
    """``"all"`` (the three machines), one model, or several separated by commas (``"sc,arm"``)."""
    names: list[str] = []
    for part in choice.split(","):
        part = part.strip()
        found = list(MODELS) if part == "all" else [part] if part in GRAPH_MODELS else [get_model(part).name]
        names += [name for name in found if name not in names]
    return names


def run_model(program: Program, model: str, *, bounds: Bounds | None = None, max_states: int | None = None,
              progress: Progress | None = None) -> ModelRun:
    """``program`` explored under ``model`` within ``bounds`` (or the defaults with ``max_states``)."""
    bounds = as_bounds(bounds, max_states)
    if model in GRAPH_MODELS:
        from .graphs import GraphSystem

        system = GraphSystem(program, model)
        return ModelRun(model, explore(system, bounds=bounds, progress=progress), system.machine)
    machine = Machine(program, get_model(model), max_local_steps=bounds.max_local_steps, reduce=bounds.reduce)
    return ModelRun(model, explore(machine, bounds=bounds, progress=progress), machine)


def explore_program(program: Program, models: list[str], *, bounds: Bounds | None = None,
                    with_races: bool = True, progress: ProgressFactory | None = None) -> Exploration:
    """``program`` under ``models``, and its races. The race detector explores the sc executions
    anyway, so when sc is asked for too, one search gives both its outcomes and the races."""
    bounds = as_bounds(bounds)
    exploration = Exploration(program)
    for model in models:
        if with_races and model == "sc":
            system = RaceSystem(program, bounds.max_local_steps, reduce=bounds.reduce)
            search = explore(system, bounds=bounds,
                             progress=progress("exploring under sc, looking for data races") if progress else None)
            exploration.runs[model] = ModelRun(model, search, system.machine)
            exploration.races = RaceRun(races_of(search, program), search)
            continue
        exploration.runs[model] = run_model(program, model, bounds=bounds,
                                            progress=progress(f"exploring under {model}") if progress else None)
    if with_races and exploration.races is None and models == ["rc11"]:  # the language's own races
        run = exploration.runs["rc11"]
        exploration.races = RaceRun(run.undefined, run.search)
    if with_races and exploration.races is None:
        races, search = find_races(program, bounds=bounds,
                                   progress=progress("looking for data races") if progress else None)
        exploration.races = RaceRun(races, search)
    return exploration
