"""The inspector's stepping model: choices, reachable outcomes, undo, aim and play."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES

from miscompile.analysis import run_model
from miscompile.app.inspector import Inspector, inspect_program
from miscompile.app.subject import study
from miscompile.bounds import Bounds
from miscompile.errors import UsageError
from miscompile.views.page import page_data

ALL_EXAMPLES = sorted([*EXAMPLES.glob("*.py"), *EXAMPLES.glob("*/*.py")])


def inspector(name: str, model: str, passes: tuple[str, ...] = (), **options) -> Inspector:
    path = str(EXAMPLES / name)
    return inspect_program(study(path, Path(path).read_text(), passes), model, **options)


def take(inspect: Inspector, label: str) -> None:
    """Take the choice whose label is ``label``, or starts with it and goes on with what the step
    reads and writes (it must be enabled)."""
    labels = [step.label for step in inspect.steps()]
    found = [i for i, text in enumerate(labels, 1) if text == label or text.startswith(label + ": ")]
    assert found, f"{label!r} is not among {labels}"
    inspect.pick(found[0])


def printed(inspect: Inspector) -> dict[str, bool]:
    """Reachable now, by what the reader prints."""
    return {row.outcome.output[0][1][0]: row.reachable for row in inspect.outcomes()}


def test_the_broken_flag_under_pso_step_by_step():
    """ready=True can reach memory before data=42 under pso, so the reader may print 0 (and sc
    cannot: that outcome is marked as added). Once data=42 is in memory the 0 is gone."""
    inspect = inspector("broken_flag.py", "pso")
    assert {row.outcome.output[0][1][0]: row.added for row in inspect.outcomes()} == {"0": True, "42": False}
    assert printed(inspect) == {"0": True, "42": True}
    take(inspect, "main runs `t2.start()`")
    take(inspect, "main runs `t1.start()`")
    assert [step.label for step in inspect.steps()][0] == "writer runs `data = 42`: write data=42 (buffered)"
    take(inspect, "writer runs `data = 42`")
    writer = next(t for t in inspect.threads() if t.name == "writer")
    assert writer.buffer == (("data", "data=42"),)
    assert dict(inspect.memory())["data"] == "data=0"  # buffered, not in memory
    take(inspect, "writer runs `ready = True`")
    assert printed(inspect) == {"0": True, "42": True}
    take(inspect, "flush data=42 from writer's buffer to memory")
    assert dict(inspect.memory())["data"] == "data=42"
    assert printed(inspect) == {"0": False, "42": True}
    assert inspect.undo() is not None
    take(inspect, "flush ready=True from writer's buffer to memory")
    assert dict(inspect.memory()) == {"data": "data=0", "ready": "ready=True"}
    take(inspect, "reader runs `while not ready:`")
    assert "reader runs `print(data)`: read data=0 (memory)" in [step.label for step in inspect.steps()]
    take(inspect, "reader runs `print(data)`")
    assert printed(inspect) == {"0": True, "42": False}
    assert [t.output for t in inspect.threads() if t.name == "reader"] == [("0",)]
    assert len(inspect.log()) == 7 and inspect.log()[0] == "1. main runs `t2.start()`"
    inspect.reset()
    assert inspect.current == 0 and inspect.log() == []


def test_under_sc_the_reader_always_prints_42_and_nothing_is_added():
    inspect = inspector("broken_flag.py", "sc")
    assert printed(inspect) == {"42": True}
    assert not any(row.added for row in inspect.outcomes())


def test_aiming_marks_the_choices_that_keep_an_outcome_and_play_reaches_it():
    inspect = inspector("broken_flag.py", "pso")
    zero = next(row.number for row in inspect.outcomes() if row.outcome.output == (("reader", ("0",)),))
    inspect.aim(zero)
    for label in ("main runs `t2.start()`", "main runs `t1.start()`", "writer runs `data = 42`",
                  "writer runs `ready = True`"):
        take(inspect, label)
    keeps = {step.label.split(":")[0]: step.keeps for step in inspect.steps()}
    assert keeps["flush data=42 from writer's buffer to memory"] is False
    assert keeps["flush ready=True from writer's buffer to memory"] is True
    played = inspect.play()
    assert played and inspect.ended() == inspect.space.outcomes[zero - 1]
    take_back = len(inspect.history)
    inspect.undo()
    assert len(inspect.history) == take_back - 1 and inspect.ended() is None
    inspect.reset()
    take(inspect, "main runs `t2.start()`")
    take(inspect, "main runs `t1.start()`")
    take(inspect, "writer runs `data = 42`")
    take(inspect, "flush data=42 from writer's buffer to memory")
    with pytest.raises(UsageError, match="can no longer happen"):
        inspect.play()


def test_match_and_outcome_start_at_the_end_of_that_outcomes_witness():
    by_match = inspector("broken_flag.py", "pso", match="@reader=0")
    assert by_match.ended().output == (("reader", ("0",)),)
    assert len(by_match.history) == 13  # the shortest witness (see test_statespace)
    by_number = inspector("broken_flag.py", "pso", number=2)
    assert by_number.ended() == by_number.space.outcomes[1]
    with pytest.raises(UsageError):
        inspector("broken_flag.py", "pso", number=3)


def test_after_a_pass_the_written_lines_are_marked_and_the_hang_it_adds():
    """hoist reads the flag once before the loop: the reader can spin forever on a stale value."""
    inspect = inspector("broken_flag.py", "sc", passes=("hoist",))
    assert inspect.baseline == "the original program"
    assert inspect.written
    added = [row.outcome.status for row in inspect.outcomes() if row.added]
    assert added == ["hang"]
    source = inspect.source_lines()
    assert any("_ready" in source[line - 1] for line in inspect.written)


def test_registers_locks_and_per_location_buffers():
    inspect = inspector("locked_counter.py", "sc")
    while not any(holds.startswith("held by") for _, _, holds in inspect.objects()):
        inspect.pick(len(inspect.steps()))  # the last choice: the worker that goes on
    holder = next(holds for _, _, holds in inspect.objects() if holds.startswith("held by"))
    assert holder.removeprefix("held by ") in {t.name for t in inspect.threads()}
    peterson = inspector("peterson.py", "pso")
    for _ in range(4):
        peterson.pick(1)
    t0 = next(t for t in peterson.threads() if t.name == "T0")
    assert ("me", "0") in t0.registers
    while not any(len({loc for loc, _ in t.buffer}) > 1 for t in peterson.threads()):
        runs = [i for i, s in enumerate(peterson.steps(), 1) if s.kind == "run"]
        peterson.pick(runs[0])
    assert any(len(t.buffer) > 1 for t in peterson.threads())


def test_graph_models_are_refused_with_what_to_use_instead():
    with pytest.raises(UsageError, match="trace --model arm"):
        inspector("broken_flag.py", "arm")


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_can_be_inspected_under_tso(path: Path):
    inspect = inspect_program(study(str(path), path.read_text()), "tso", bounds=Bounds(max_states=300_000))
    assert inspect.complete
    assert {row.outcome for row in inspect.outcomes()} == set(run_model(inspect.subject.program, "tso").outcomes)
    steps = inspect.steps()
    assert steps and all(step.label for step in steps)
    assert len(inspect.threads()) == len(inspect.subject.program.threads)
    data = json.loads(json.dumps(page_data(inspect)))  # the page's JSON, as the browser reads it
    assert len(data["outcomes"]) == len(inspect.outcomes())
    assert data["states"][0]["reach"] == list(range(len(data["outcomes"])))
