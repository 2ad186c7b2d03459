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

from .explore import Progress, Result, explore
from .ir import Program
from .machine import Machine
from .models import MODELS, get_model
from .outcomes import Outcome, ordered
from .races import Race, find_races

SCHEMA = 2
DEFAULT_MAX_STATES = 1_000_000


@dataclass
class ModelRun:
    """One program explored under one memory model."""

    model: str
    search: Result
    machine: Machine

    @property
    def outcomes(self) -> list[Outcome]:
        return ordered(self.search.outcomes)

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
            return {"schema": SCHEMA, "program": self.program.path, "model": run.model,
                    "complete": run.search.complete and (self.races is None or self.races.search.complete),
                    "states": run.search.states, "outcomes": [o.to_json() for o in run.outcomes], "races": races}
        return {"schema": SCHEMA, "program": self.program.path, "complete": self.complete,
                "models": {name: {"complete": run.search.complete, "states": run.search.states,
                                  "outcomes": [o.to_json() for o in run.outcomes]} for name, run in self.runs.items()},
                "races": races}


ProgressFactory = Callable[[str], Progress | None]


def model_names(choice: str) -> list[str]:
    return list(MODELS) if choice == "all" else [get_model(choice).name]


def run_model(program: Program, model: str, *, max_states: int | None = DEFAULT_MAX_STATES,
              progress: Progress | None = None) -> ModelRun:
    machine = Machine(program, get_model(model))
    return ModelRun(model, explore(machine, max_states=max_states, progress=progress), machine)


def explore_program(program: Program, models: list[str], *, max_states: int | None = DEFAULT_MAX_STATES,
                    with_races: bool = True, progress: ProgressFactory | None = None) -> Exploration:
    exploration = Exploration(program)
    for model in models:
        exploration.runs[model] = run_model(program, model, max_states=max_states,
                                            progress=progress(f"exploring under {model}") if progress else None)
    if with_races:
        races, search = find_races(program, max_states=max_states,
                                   progress=progress("looking for data races") if progress else None)
        exploration.races = RaceRun(races, search)
    return exploration
