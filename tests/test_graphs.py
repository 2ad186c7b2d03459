"""The execution-graph engine: sc, tso and pso as axioms over graphs agree with the machines.

Two independent definitions of each model (store buffers stepped by the machine; acyclicity
conditions over execution graphs, as herd7's cat files state them) must give the same outcomes on
every litmus program and on seed 001's publication programs. Hand-built graphs check single
axioms against the textbook verdicts.
"""

from __future__ import annotations

import pytest

from miscompile.analysis import run_model
from miscompile.bounds import Bounds
from miscompile.frontend import load_program, parse_program
from miscompile.graphs import explore_graphs
from miscompile.graphs.axioms import MODELS
from miscompile.graphs.execution import INIT, Event, Graph

from conftest import EXAMPLES

#: Every example: every synchronisation kind, dicts included.
PROGRAMS = sorted(EXAMPLES.rglob("*.py"))


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_the_axiomatic_models_give_the_machines_outcomes(path):
    """Spin loops included (cut as GenMC's spin-assume cuts them), their hangs, locks and semaphores.
    A loop that is not a pure spin (one that sleeps, or takes a lock) runs into the engine's event
    bound, and the largest programs into the state bound kept small here: then what the engine
    found must still be real."""
    program = load_program(path)
    for model in ("sc", "tso", "pso"):
        graphs = explore_graphs(program, model, bounds=Bounds(max_states=5_000, reduce=False))
        machine = run_model(program, model)
        assert machine.search.complete
        if graphs.complete:
            assert set(graphs.outcomes) == set(machine.outcomes), model
        else:
            assert set(graphs.outcomes) <= set(machine.outcomes), model


def test_a_spin_that_can_never_leave_is_a_hang():
    program = parse_program("import threading\nready = 0\ndef spin():\n    while not ready:\n        pass\n"
                            "t = threading.Thread(target=spin)\nt.start()\nt.join()\n")
    for model in ("sc", "tso", "pso"):
        result = explore_graphs(program, model)
        assert result.complete and [o.status for o in result.outcomes] == ["hang"]


def _sb(fenced: bool) -> Graph:
    """SB with both loads reading the initial values: x=0 (location 0), y=0 (location 1)."""
    def thread(store: int, load: int) -> tuple[Event, ...]:
        fence = (Event("F", order="seq_cst"),) if fenced else ()
        return (Event("W", store, 1), *fence, Event("R", load, 0, (INIT, load)))
    events = (thread(0, 1), thread(1, 0))
    return Graph(events, (((INIT, 0), (0, 0)), ((INIT, 1), (1, 0))))  # each store is its thread's first event


def test_store_buffering_is_forbidden_by_sc_allowed_by_tso_and_pso_and_forbidden_with_fences():
    initial = (0, 0)
    assert not MODELS["sc"](_sb(False), initial)
    assert MODELS["tso"](_sb(False), initial) and MODELS["pso"](_sb(False), initial)
    assert not MODELS["tso"](_sb(True), initial) and not MODELS["pso"](_sb(True), initial)


def test_message_passing_out_of_order_is_forbidden_by_tso_and_allowed_by_pso():
    """Writer: x = 1; y = 1. Reader: reads y = 1 (the writer's), then x = 0 (the initial value)."""
    writer = (Event("W", 0, 1), Event("W", 1, 1))
    reader = (Event("R", 1, 1, (0, 1)), Event("R", 0, 0, (INIT, 0)))
    graph = Graph((writer, reader), (((INIT, 0), (0, 0)), ((INIT, 1), (0, 1))))
    assert not MODELS["sc"](graph, (0, 0)) and not MODELS["tso"](graph, (0, 0))
    assert MODELS["pso"](graph, (0, 0))


def test_a_read_modify_write_must_follow_the_write_it_read_in_coherence_order():
    """Two fetch_adds both reading the initial 0: whichever comes second in coherence order did not
    read its predecessor, which every model forbids (the lost update of atomics)."""
    first, second = Event("U", 0, 1, (INIT, 0), "seq_cst"), Event("U", 0, 1, (INIT, 0), "seq_cst")
    graph = Graph(((first,), (second,)), (((INIT, 0), (0, 0), (1, 0)),))
    assert not any(MODELS[name](graph, (0,)) for name in MODELS)


EVENT_PUBLICATION = ("import threading\nimport queue\ndata = 0\nseen = -1\ndone = threading.Event()\n"
                     "def writer():\n    global data\n    data = 42\n    done.{publish}\n"
                     "def reader():\n    global seen\n    {learn}\n    seen = data\n"
                     "a = threading.Thread(target=writer)\nb = threading.Thread(target=reader)\n"
                     "a.start()\nb.start()\na.join()\nb.join()\n")


@pytest.mark.parametrize("model", ["rc11", "arm"])
def test_an_event_publishes_under_the_graph_models(model):
    """``set()`` releases and a ``wait()`` that returns acquires (CPython runs both under the
    Event's lock): the reader sees 42, and under rc11 nothing races. ``is_set()`` in a plain
    ``if`` acquires only when it returns True."""
    from miscompile.analysis import run_model as run

    waiting = run(parse_program(EVENT_PUBLICATION.format(publish="set()", learn="done.wait()"), "e.py"), model)
    assert waiting.search.complete
    assert {o.values()["seen"] for o in waiting.outcomes} == {42}
    assert not waiting.undefined
    polling = run(parse_program(EVENT_PUBLICATION.format(publish="set()", learn="if done.is_set():\n        pass"),
                                "e.py"), model)
    assert {o.values()["seen"] for o in polling.outcomes} == {0, 42}  # may read before the set
    if model == "rc11":
        assert [race.location for race in polling.undefined] == ["data"]


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_arm_allows_everything_pso_allows(path):
    """ARMv8 keeps less in order than a store-buffer machine (loads too may be satisfied out of
    order; an exclusive is no full barrier), so every pso outcome is an arm outcome."""
    program = load_program(path)
    arm = explore_graphs(program, "arm", bounds=Bounds(max_states=5_000))
    pso = run_model(program, "pso")
    assert pso.search.complete
    if arm.complete:
        assert set(pso.outcomes) <= set(arm.outcomes)


# ------------------------------------------------------------------ generated programs

import os  # noqa: E402

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

STATEMENTS = ["x = {v}", "y = {v}", "r = x", "r = y", "x += 1", "a[{i}] = r", "r = a[{i}]", "print(r)",
              "fence()", 'fence("write")', "n.fetch_add(1)", "r = n.load()", 'n.store({v}, order="release")',
              'r = n.load(order="acquire")', "if r:\n    y = {v}", "assert r != 2, 'r was 2'"]


@st.composite
def straight_programs(draw) -> str:
    """Two or three threads of a few loads, stores, fences and atomics, branches on what they read."""
    lines = ["import threading", "from miscompile.atomics import Atomic, fence", "",
             "x = 0", "y = 0", "a = [0, 0]", "n = Atomic(0)", ""]
    count = draw(st.integers(2, 3))
    for t in range(count):
        lines += [f"def t{t}():", "    global x, y", "    r = 0"]
        for _ in range(draw(st.integers(1, 3))):
            statement = draw(st.sampled_from(STATEMENTS)).format(v=draw(st.integers(1, 2)), i=draw(st.integers(0, 1)))
            lines += ["    " + line for line in statement.split("\n")]
        lines.append("")
    lines += [f"h{t} = threading.Thread(target=t{t})" for t in range(count)]
    lines += [f"h{t}.start()" for t in range(count)] + [f"h{t}.join()" for t in range(count)]
    return "\n".join(lines) + "\n"


PROFILE = os.environ.get("MISCOMPILE_PROFILE", "ci")


@settings(max_examples={"ci": 40, "thorough": 600}.get(PROFILE, 40), deadline=None,
          suppress_health_check=list(HealthCheck), derandomize=PROFILE == "ci")
@given(straight_programs())
def test_generated_programs_get_the_same_outcomes_from_axioms_and_machines(source):
    """The two definitions of sc, tso and pso agree, and their outcome sets nest sc ⊆ tso ⊆ pso ⊆ arm."""
    program = parse_program(source, "generated.py")
    found = {}
    for model in ("sc", "tso", "pso"):
        graphs = explore_graphs(program, model, bounds=Bounds(max_states=20_000, reduce=False))
        machine = run_model(program, model, bounds=Bounds(max_states=20_000))
        assume(graphs.complete and machine.search.complete)
        assert set(graphs.outcomes) == set(machine.outcomes), model
        found[model] = set(machine.outcomes)
    arm = explore_graphs(program, "arm", bounds=Bounds(max_states=20_000))
    assume(arm.complete)
    assert found["sc"] <= found["tso"] <= found["pso"] <= set(arm.outcomes)
