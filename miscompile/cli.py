"""The ``miscompile`` command line. Thin: it parses options, calls the analysis, picks a view.

Heavy modules (rich, the explorer) are imported inside the commands so that
``miscompile --help`` starts fast.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from typing import Any, Callable

import click

from .models import MODELS

MODEL_CHOICES = [*MODELS, "all"]
EXIT_FINDING, EXIT_BAD_INPUT = 1, 2


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the tool's own errors into one ``file:line:col: message`` line and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import MiscompileError, SourceError

        try:
            return command(*args, **kwargs)
        except MiscompileError as error:
            click.echo(str(error) if isinstance(error, SourceError) else f"miscompile: {error}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except RecursionError:
            click.echo("miscompile: the program is nested too deeply to analyse", err=True)
            sys.exit(EXIT_BAD_INPUT)
    return wrapper


def console(**kwargs: Any) -> Any:
    from rich.console import Console

    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return Console(width=width, **kwargs)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def warn_incomplete(exploration: Any) -> None:
    from .views.explore_view import incomplete_warnings

    for warning in incomplete_warnings(exploration):
        click.echo(warning.plain, err=True)


max_states_option = click.option(
    "--max-states", type=click.IntRange(min=1), default=None, metavar="N",
    help="Stop each search after N states and report it as incomplete (default 1,000,000).")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="miscompile")
def main() -> None:
    """See how optimisations that are legal for single-threaded code change what a racy
    threaded Python program can do, on SC, x86-TSO and PSO store-buffer machines.

    Programs are ordinary Python modules using threading, queue, ctypes byte fields and
    miscompile.atomics; they are interpreted, never imported or run.

    Exit status: 0 done, 1 a finding (a race for `races`), 2 bad input or usage.
    """


@main.command()
@click.argument("file")
@click.option("--model", "-m", type=click.Choice(MODEL_CHOICES), default="all", show_default=True,
              help="Memory model: sc (interleaving), tso (x86 FIFO store buffers), pso (per-location "
                   "buffers), or all three side by side.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the documented schema).")
@click.option("--no-races", is_flag=True, help="Skip the data-race search.")
@max_states_option
@reports_errors
def explore(file: str, model: str, as_json: bool, no_races: bool, max_states: int | None) -> None:
    """Explore every execution of FILE and list the possible outcomes.

    Each row is one outcome (final memory, printed lines, or stuck threads); each column a
    model. Rows that store buffers add over sequential consistency are highlighted.
    """
    from .analysis import DEFAULT_MAX_STATES, explore_program, model_names
    from .frontend import load_program

    program = load_program(file)
    progress = None if as_json else _progress()
    try:
        exploration = explore_program(program, model_names(model), with_races=not no_races,
                                      max_states=max_states or DEFAULT_MAX_STATES, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if as_json:
        emit_json(exploration.to_json())
        warn_incomplete(exploration)
        return
    from .views.explore_view import ExplorationView

    console().print(ExplorationView(exploration))


@main.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the documented schema).")
@max_states_option
@reports_errors
def races(file: str, as_json: bool, max_states: int | None) -> None:
    """Find the data races of FILE: conflicting accesses from two threads, at least one
    a plain write, that happens-before leaves unordered in some sequentially consistent
    execution. Exits with status 1 when there is a race.
    """
    from .analysis import DEFAULT_MAX_STATES, describe_schedule
    from .frontend import load_program
    from .machine import Machine
    from .models import get_model
    from .races import find_races

    program = load_program(file)
    progress = None if as_json else _progress()
    try:
        found, search = find_races(program, max_states=max_states or DEFAULT_MAX_STATES,
                                   progress=progress("looking for data races") if progress else None)
    finally:
        if progress is not None:
            progress.close()
    if as_json:
        emit_json({"program": program.path, "races": [r.to_json() for r in found]})
        if not search.complete:
            click.echo("warning: the race search stopped early; races may be missing (raise --max-states)", err=True)
    else:
        from .views.races_view import RaceReport

        machine = Machine(program, get_model("sc"))
        witnesses = [describe_schedule(machine, race.witness) for race in found]
        console().print(RaceReport(program, found, witnesses, search.complete))
    sys.exit(EXIT_FINDING if found else 0)


def _progress() -> Any:
    from .views.progress import ProgressFactory

    return ProgressFactory()


if __name__ == "__main__":  # pragma: no cover
    main()
