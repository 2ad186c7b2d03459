"""Every example's outcome set under every model, against examples/expected.toml.

The expected sets come from reasoning about each program (its docstring says
why) and from published x86-TSO litmus results, not from the tool's output.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from miscompile.analysis import run_model
from miscompile.explore import replay
from miscompile.frontend import load_program
from miscompile.outcomes import Outcome
from miscompile.races import find_races

from conftest import EXAMPLES, ROOT

EXPECTED = tomllib.loads((EXAMPLES / "expected.toml").read_text())
MODELS = ("sc", "tso", "pso")


def observe(outcome: Outcome, fields: list[str]) -> str:
    values = outcome.values()
    output = dict(outcome.output)
    parts = []
    for field in fields:
        if field == "status":
            parts.append(outcome.status)
        elif field == "stuck":
            parts.append("+".join(outcome.stuck) if outcome.stuck is not None else "-")
        elif field.startswith("@"):
            parts.append(" / ".join(output.get(field[1:], ())))
        else:
            parts.append(str(values[field]) if outcome.final is not None else "-")
    return ", ".join(parts)


def expected_set(entry: dict, model: str) -> set[str]:
    value = entry[model]
    while isinstance(value, str):
        value = entry[value]
    return set(value)


def test_every_example_has_expectations():
    files = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.py")}
    assert files == set(EXPECTED), "examples/expected.toml and examples/ list different files"


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outcomes(name: str, model: str):
    entry = EXPECTED[name]
    run = run_model(load_program(EXAMPLES / name), model)
    assert run.search.complete
    seen = {observe(o, entry["observe"]) for o in run.outcomes}
    assert seen == expected_set(entry, model)


@pytest.mark.parametrize("name", sorted(name for name, entry in EXPECTED.items() if "rc11" in entry))
def test_rc11_outcomes_or_undefined_behaviour(name: str):
    """Under RC11 a racy program is undefined, and its races are the ones the sc detector finds (only
    fence_publication.py synchronises through fences alone, and is race-free under RC11); a
    race-free one has the listed outcomes."""
    entry = EXPECTED[name]
    run = run_model(load_program(EXAMPLES / name), "rc11")
    assert run.search.complete
    if entry["rc11"] == "undefined":
        assert [race.location for race in run.undefined] == entry["races"]
    else:
        assert not run.undefined
        assert {observe(o, entry["observe"]) for o in run.outcomes} == expected_set(entry, "rc11")


@pytest.mark.parametrize("name", sorted(name for name, entry in EXPECTED.items() if "arm" in entry))
def test_arm_outcomes(name: str):
    """ARMv8 (herd7's aarch64.cat) on the execution-graph engine: the reasoned outcomes, and
    never fewer than pso's (arm keeps less in order than a store-buffer machine)."""
    entry = EXPECTED[name]
    run = run_model(load_program(EXAMPLES / name), "arm")
    assert run.search.complete
    seen = {observe(o, entry["observe"]) for o in run.outcomes}
    assert seen == expected_set(entry, "arm")
    assert expected_set(entry, "pso") <= seen


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_races(name: str):
    races, search = find_races(load_program(EXAMPLES / name))
    assert search.complete
    assert [r.location for r in races] == EXPECTED[name]["races"]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name", ["broken_flag.py", "peterson.py", "litmus/sb.py", "lock_order_deadlock.py",
                                  "double_checked.py"])
def test_witnesses_replay_to_their_outcome(name: str, model: str):
    run = run_model(load_program(EXAMPLES / name), model)
    for outcome in run.outcomes:
        state = replay(run.machine, run.witness(outcome))
        assert run.machine.enabled(state) == []
        assert run.machine.ending(state) == outcome


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if not e.get("cpython_may_hang")))
def test_examples_run_under_cpython(name: str):
    """The dialect is plain Python: each example runs under CPython with the real atomics runtime."""
    done = subprocess.run([sys.executable, str(EXAMPLES / name)], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_the_readme_lists_every_idiom_example():
    readme = (ROOT / "README.md").read_text()
    missing = [p.name for p in sorted((EXAMPLES / "idioms").glob("*.py")) if f"`{p.name}`" not in readme]
    assert missing == []
    assert len(list((EXAMPLES / "idioms").glob("*.py"))) >= 40


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.startswith("idioms/")))
def test_every_idiom_outcome_is_json(name: str):
    """Lists, dicts, objects and futures in final memory all have a JSON form (the contract's
    machine-readable interface)."""
    import json

    run = run_model(load_program(EXAMPLES / name), "sc")
    for outcome in run.outcomes:
        data = json.loads(json.dumps(outcome.to_json()))
        assert data["status"] == outcome.status
        if outcome.final is not None:
            assert set(data["final"]) == {n for n, _ in outcome.final}
