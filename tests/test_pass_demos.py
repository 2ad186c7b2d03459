"""What each pass does to the examples: the miscompilation it causes, and that the fixes hold.

The expected outcomes come from reasoning about each program after the
rewrite (the example's docstring explains it), not from the tool's output.
"""

from __future__ import annotations

import tomllib

import pytest
from conftest import EXAMPLES

from miscompile.analysis import run_model
from miscompile.frontend import parse_program, read_source
from miscompile.linemap import LineMap
from miscompile.outcomes import Outcome
from miscompile.races import find_races
from transforms.pipeline import transform
from transforms.base import Rewrite
from transforms.registry import all_passes


def outcomes_before_after(name: str, passes: list[str], model: str) -> tuple[set[Outcome], set[Outcome]]:
    path = str(EXAMPLES / name)
    result = transform(read_source(path), path, passes)
    assert result.changed, f"{passes} should rewrite {name}"
    before = run_model(parse_program(result.before, path), model)
    after = run_model(parse_program(result.after, path), model)
    assert before.search.complete and after.search.complete
    return set(before.outcomes), set(after.outcomes)


def gained(name: str, passes: list[str], model: str = "sc") -> set[Outcome]:
    before, after = outcomes_before_after(name, passes, model)
    return after - before


# ----------------------------------------------------------------- the three card demonstrations


def test_hoist_lets_the_broken_flag_reader_spin_forever():
    new = gained("broken_flag.py", ["hoist"])
    # the reader read `ready` once, saw False, and loops on its register; main waits for it
    assert any(o.status == "hang" and "reader" in o.stuck for o in new)


def test_scratch_store_lets_thread_42_in_while_the_owner_is_inside():
    new = gained("recursive_lock.py", ["scratch-store"])
    # T1 owns the lock and is inside; its `owner = 42` scratch store makes T42's unlocked
    # check `owner == me` succeed, so T42 enters too and the assertion fails
    assert any(o.status == "assertion" and o.failures[0].message == "two threads inside the critical section" for o in new)


def test_widen_loses_one_of_the_two_field_stores():
    new = gained("byte_fields.py", ["widen"])
    lost_fields = {(o.values()["flags.b1"], o.values()["flags.b2"]) for o in new if o.status == "assertion"}
    # each thread's word store can overwrite the other's byte with the 0 it loaded
    assert lost_fields == {(0, 1), (1, 0)}


@pytest.mark.parametrize("model", ["sc", "tso", "pso"])
@pytest.mark.parametrize(("name", "pass_name"), [
    ("broken_flag_atomic.py", "hoist"), ("broken_flag_lock.py", "hoist"),
    ("recursive_lock_atomic.py", "scratch-store"), ("byte_fields_locked.py", "widen"),
])
def test_the_fixed_twins_gain_nothing(name: str, pass_name: str, model: str):
    path = str(EXAMPLES / name)
    result = transform(read_source(path), path, [pass_name])
    before = set(run_model(parse_program(result.before, path), model).outcomes)
    after = set(run_model(parse_program(result.after, path), model).outcomes)
    assert after - before == set()


def test_atomics_make_the_passes_decline_with_a_reason():
    path = str(EXAMPLES / "broken_flag_atomic.py")
    result = transform(read_source(path), path, ["hoist"])
    assert not result.changed
    assert [d.reason for d in result.declines] == ["`ready` is atomic"]


# ----------------------------------------------------------------- the other passes on their examples


def test_speculate_makes_values_appear_out_of_nothing():
    new = gained("no_sc_write.py", ["speculate"])
    assert any(o.values() == {"x": True, "y": True} for o in new)


def test_speculate_and_widen_add_races_to_race_free_programs():
    for name, pass_name in (("no_sc_write.py", "speculate"), ("byte_fields.py", "widen"),
                            ("conditional_lock.py", "promote")):
        path = str(EXAMPLES / name)
        result = transform(read_source(path), path, [pass_name])
        assert find_races(parse_program(result.before, path))[0] == []
        assert find_races(parse_program(result.after, path))[0] != []


def test_reorder_makes_the_broken_flag_print_0_even_under_sc():
    new = gained("broken_flag.py", ["reorder"])
    assert {o.output for o in new} == {(("reader", ("0",)),)}


def test_reorder_breaks_double_checked_initialisation_under_sc():
    new = gained("double_checked.py", ["reorder"])
    printed = {dict(o.output)[t] for o in new for t in ("A", "B")}
    assert ("0",) in printed


def test_hoist_load_lets_the_consumer_see_ready_without_x_under_sc():
    new = gained("publication.py", ["hoist-load"])
    assert {o.values()["r"] for o in new} == {0}


def test_rematerialize_breaks_the_bounds_check():
    new = gained("bounds_check.py", ["rematerialize"])
    assert [o.status for o in new] == ["error"]
    assert "out of range" in next(iter(new)).failures[0].message


def test_promote_loses_increments_under_conditional_locking():
    new = gained("conditional_lock.py", ["promote"])
    assert new and all(o.values()["counter"] < 4 for o in new)


# ----------------------------------------------------------------- drf-safe passes on race-free examples

EXPECTED = tomllib.loads((EXAMPLES / "expected.toml").read_text())
RACE_FREE = sorted(name for name, entry in EXPECTED.items() if entry["races"] == [])
DRF_SAFE = [p.NAME for p in all_passes() if p.LEGALITY == "drf-safe"]


def _race_free_programs() -> list[tuple[str, str, str]]:
    """(name, path, source): the race-free examples, and the passes' own rewrite examples that
    are race free (the programs each pass is written to change)."""
    programs = [(name, str(EXAMPLES / name), read_source(str(EXAMPLES / name))) for name in RACE_FREE]
    for pass_class in all_passes():
        for i, example in enumerate(pass_class.EXAMPLES):
            if isinstance(example, Rewrite) and find_races(parse_program(example.before, "example.py"))[0] == []:
                programs.append((f"{pass_class.NAME} example {i}", "example.py", example.before))
    return programs


RACE_FREE_PROGRAMS = _race_free_programs()


@pytest.mark.parametrize("model", ["sc", "tso"])
@pytest.mark.parametrize("pass_name", DRF_SAFE)
def test_drf_safe_passes_keep_race_free_examples_exactly(pass_name: str, model: str):
    """Every race-free example the pass rewrites keeps exactly its outcomes (failures compared at
    the original's lines); the pass must find something to rewrite among them."""
    changed = []
    for name, path, source in RACE_FREE_PROGRAMS:
        result = transform(source, path, [pass_name])
        if not result.changed:
            continue
        changed.append(name)
        before = set(run_model(parse_program(result.before, path), model).outcomes)
        lines = LineMap.between(result.before, result.after)
        after = {lines.outcome(o) for o in run_model(parse_program(result.after, path), model).outcomes}
        assert after == before, f"{pass_name} changes the outcomes of {name} under {model}"
    assert changed, f"{pass_name} rewrites none of the race-free examples"
