"""Many programs in one process: ``miscompile explore A.py B.py ... --json``.

A suite of litmus tests or examples pays the interpreter's start-up once, and
with ``jobs`` above 1 independent files run in that many processes. Each file
gives one JSON object per model, in the documented single-model form (its
races in every one of them), or, for a file outside the dialect, one object
``{"program", "error"}`` saying why; objects come in the order the files were
given, whatever order the processes finish in.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from .bounds import Bounds


def explore_file(path: str, models: list[str], bounds: Bounds, with_races: bool) -> list[dict[str, Any]]:
    """One file explored under every model: one JSON object per model, or one error object."""
    from .analysis import SCHEMA, explore_program
    from .errors import MiscompileError
    from .frontend import load_program

    try:
        exploration = explore_program(load_program(path), models, bounds=bounds, with_races=with_races)
    except MiscompileError as error:
        return [{"schema": SCHEMA, "program": path, "error": str(error)}]
    races = exploration.races
    race_json = [r.to_json() for r in races.races] if races else []
    return [{"schema": SCHEMA, "program": path, "model": run.model,
             "complete": run.search.complete and (races is None or races.search.complete),
             "states": run.search.states, "outcomes": [o.to_json() for o in run.outcomes], "races": race_json}
            for run in exploration.runs.values()]


def explore_files(paths: list[str], models: list[str], bounds: Bounds, *, with_races: bool = True,
                  jobs: int = 1) -> Iterator[dict[str, Any]]:
    """Every file's objects, in the order of ``paths``; ``jobs`` processes when above 1."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield from explore_file(path, models, bounds, with_races)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for objects in pool.map(explore_file, paths, [models] * len(paths), [bounds] * len(paths),
                                [with_races] * len(paths)):
            yield from objects
