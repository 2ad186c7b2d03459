"""Properties of the engine and the passes over generated programs (miscompile.strategies).

The ci hypothesis profile (CI=true) keeps these within CI's budget; the dev
profile (the default) tries five times as many programs.
"""

from __future__ import annotations

from hypothesis import assume, given, note

from miscompile.analysis import run_model
from miscompile.explore import replay
from miscompile.frontend import parse_program
from miscompile.races import find_races
from miscompile.strategies import programs, race_free_programs
from transforms.registry import all_passes

DRF_SAFE = [p for p in all_passes() if p.LEGALITY == "drf-safe"]


#: Every exploration is bounded; a program too big to explore within it is skipped (assume), never
#: judged on a partial outcome set.
MAX_STATES = 30_000


def explored(source: str, model: str):
    run = run_model(parse_program(source, "generated.py"), model, max_states=MAX_STATES)
    assume(run.search.complete)
    return run


def outcomes(source: str, model: str) -> set:
    return set(explored(source, model).outcomes)


@given(race_free_programs(relaxed=True))
def test_race_free_programs_are_race_free(source: str):
    note(source)
    races, search = find_races(parse_program(source, "generated.py"), max_states=MAX_STATES)
    assume(search.complete)
    assert races == []


@given(race_free_programs(relaxed=True))
def test_drf_safe_passes_keep_the_outcomes_of_race_free_programs(source: str):
    note(source)
    for model in ("sc", "tso"):
        before = outcomes(source, model)
        for pass_class in DRF_SAFE:
            after, _ = pass_class.run(source, "generated.py")
            if after != source:
                note(f"after {pass_class.NAME}:\n{after}")
                assert outcomes(after, model) == before, f"{pass_class.NAME} under {model}"


@given(programs())
def test_outcome_sets_nest_sc_tso_pso(source: str):
    note(source)
    sc, tso, pso = (outcomes(source, m) for m in ("sc", "tso", "pso"))
    assert sc <= tso <= pso


@given(race_free_programs(relaxed=False))
def test_race_free_seq_cst_programs_behave_the_same_on_every_model(source: str):
    note(source)
    sc = outcomes(source, "sc")
    assert outcomes(source, "tso") == sc
    assert outcomes(source, "pso") == sc


@given(programs())
def test_every_witness_replays_to_its_outcome(source: str):
    note(source)
    for model in ("sc", "pso"):
        run = explored(source, model)
        for outcome in run.outcomes:
            state = replay(run.machine, run.witness(outcome))
            if outcome.status == "hang":  # the witness leads into the cycle the execution cannot leave
                assert run.machine.hang(state) == outcome
            else:
                assert run.machine.ending(state) == outcome


@given(programs())
def test_exploring_twice_gives_identical_results(source: str):
    program = parse_program(source, "generated.py")
    first = run_model(program, "tso", max_states=MAX_STATES)
    second = run_model(parse_program(source, "generated.py"), "tso", max_states=MAX_STATES)
    assert first.outcomes == second.outcomes
    assert first.search.states == second.search.states
    assert [first.witness(o) for o in first.outcomes] == [second.witness(o) for o in second.outcomes]
