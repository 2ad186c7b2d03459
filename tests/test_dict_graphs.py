"""Dicts on the execution-graph engine: a dict operation is one step that makes several events.

Three independent checks of ``graphs.dicts``: under sc, tso and pso the graphs must give the
operational machine's outcomes (which runs a dict operation as one indivisible instruction);
under arm the engine, with its revisits into dict operations, must find every candidate
execution that herd-style brute force finds; and a few outcomes reasoned by hand.
"""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from miscompile.analysis import run_model
from miscompile.bounds import Bounds
from miscompile.frontend import parse_program
from miscompile.graphs import explore_graphs
from miscompile.graphs.system import GraphSystem

from candidates import outcomes as candidate_outcomes
from test_arm import observed, program

SHARED = 'x = [0]\nd = {"b": 0}\n'

#: Each dict operation the dialect has, and plain accesses of ``x`` to order them against.
STATEMENTS = [
    'd["a"] = 1', 'd["a"] = 2', 'd["b"] = 1',
    '{r} = d.get("a", 0)', '{r} = d.setdefault("a", 3)', '{r} = d.pop("a", 0)', '{r} = d.pop("b", 5)',
    'del d["b"]', '{r} = len(d)', '{r} = list(d.items())',
    'x[0] = 1', '{r} = x[0]',
]


@st.composite
def dict_thread(draw, statements: int = 3) -> str:
    lines: list[str] = []
    registers = iter("abc")
    for _ in range(draw(st.integers(1, statements))):
        statement = draw(st.sampled_from(STATEMENTS))
        lines.append(statement.format(r=next(registers)) if "{r}" in statement else statement)
    return "\n".join(lines)


@given(st.lists(dict_thread(), min_size=2, max_size=2))
def test_the_axioms_give_the_machines_outcomes_for_dict_operations(threads):
    """Under tso and pso a key's value is buffered while the dict's insertion order is not, so
    ``print(d)`` can show a key whose value another thread does not see yet (a ``KeyError``
    where CPython's GIL would not raise one): the graphs must agree, outcome for outcome."""
    source = program(SHARED, *threads)
    parsed = parse_program(source, "generated.py")
    for model in ("sc", "tso", "pso"):
        graphs = explore_graphs(parsed, model, bounds=Bounds(max_states=100_000, reduce=False))
        machine = run_model(parsed, model)
        assert graphs.complete and machine.search.complete
        assert set(graphs.outcomes) == set(machine.outcomes), (model, source)


@given(st.lists(dict_thread(statements=2), min_size=2, max_size=2))  # the brute force grows fast
def test_arm_finds_every_candidate_execution_with_dict_operations(threads):
    """The revisits that reach into a dict operation (its step is run again reading the new
    write, or, when later events stay, does less) lose no execution and make none up. A
    revisit the engine does not model makes the search partial, and what it found is real."""
    source = program(SHARED, *threads)
    parsed = parse_program(source, "generated.py")
    engine = explore_graphs(parsed, "arm", bounds=Bounds(max_states=20_000))
    candidates = candidate_outcomes(GraphSystem(parsed, "arm"))
    assert set(engine.outcomes) <= candidates, source
    assume(engine.complete)
    assert set(engine.outcomes) == candidates, source


def test_a_flag_in_a_dict_publishes_nothing_on_arm():
    """MP with the flag a dict key: the key's value is a plain store, so ARM may make it visible
    before ``x`` (and the reader may read ``x`` early): the reader sees the key and then x = 0.
    Under tso stores leave in order and loads are not reordered, so it cannot."""
    source = program(SHARED, 'x[0] = 1\nd["a"] = 1', 'a = d.get("a", 0)\nb = x[0]')
    assert (1, 0) in {(o["t1:a"], o["t1:b"]) for o in observed(source, "arm")}
    assert (1, 0) not in {(o["t1:a"], o["t1:b"]) for o in observed(source, "tso")}


def test_two_setdefaults_of_one_key_agree_under_sc_and_rc11_flags_the_race():
    """Under sc each setdefault is indivisible: the second finds the first's value, so both
    threads return the same one. The values are plain memory, so rc11 calls the program racy."""
    source = program(SHARED, 'a = d.setdefault("a", 1)', 'a = d.setdefault("a", 2)')
    assert {(o["t0:a"], o["t1:a"]) for o in observed(source, "sc")} == {(1, 1), (2, 2)}
    rc11 = run_model(parse_program(source, "generated.py"), "rc11")
    assert [race.location for race in rc11.undefined] == ["d['a']"]
