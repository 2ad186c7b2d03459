"""Shared test helpers and the hypothesis profiles (``ci`` is chosen when CI=true)."""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings

from miscompile.analysis import run_model
from miscompile.frontend import parse_program
from miscompile.ir import Program
from miscompile.outcomes import Outcome

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# ci keeps the suite within CI's budget; dev (the default) tries more programs; thorough is for a long
# local run before changing a pass (HYPOTHESIS_PROFILE=thorough python -m pytest).
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def program(source: str, path: str = "test.py") -> Program:
    return parse_program(textwrap.dedent(source), path)


def outcomes(source: str, model: str = "sc") -> set[Outcome]:
    return set(run_model(program(source), model).search.outcomes)


def finals(source: str, model: str = "sc", *names: str) -> set[tuple]:
    """The set of final values of ``names`` over every outcome that has final memory."""
    return {tuple(o.values()[n] for n in names) for o in outcomes(source, model) if o.final is not None}


@dataclass
class Done:
    """What a command printed and its exit status (the fields of ``subprocess.CompletedProcess``)."""

    stdout: str
    stderr: str
    returncode: int


def invoke(*args: str, env: dict[str, str] | None = None, width: int = 80) -> Done:
    """Run ``miscompile ARGS`` in this process, as in a pipe ``width`` columns wide.

    In-process, so a view test costs its computation only, not a new interpreter; the end-to-end
    tests that need a real process (the pipe, ``python -m``) still start one."""
    from click.testing import CliRunner

    from miscompile.cli import main

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, list(args), env={"COLUMNS": str(width), **(env or {})},
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    return Done(result.stdout, result.stderr, result.exit_code)


def render(renderable: object, width: int = 80) -> str:
    """A view as plain text at a fixed width, recorded in this process."""
    import io

    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), color_system=None, force_terminal=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]
