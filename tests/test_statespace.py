"""The kept state graph: the same outcomes as the explorer, exact reachable sets, shortest witnesses."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
from conftest import EXAMPLES, program

from miscompile.analysis import run_model
from miscompile.app.tracing import trace_program
from miscompile.bounds import Bounds
from miscompile.explore import replay
from miscompile.frontend import load_program
from miscompile.machine import Machine
from miscompile.models import get_model
from miscompile.statespace import explore_space, shortest_witness

ALL_EXAMPLES = sorted([*EXAMPLES.glob("*.py"), *EXAMPLES.glob("*/*.py")])


def space_of(path: Path | str, model: str, **options):
    loaded = load_program(str(path)) if isinstance(path, Path) else program(path)
    return explore_space(Machine(loaded, get_model(model), reduce=False), **options), loaded


def distances(space) -> list[int]:
    """Breadth-first distance of every state from the initial one, computed over the edges alone."""
    far = [-1] * len(space.states)
    far[0] = 0
    queue = deque([0])
    while queue:
        state = queue.popleft()
        for _, successor in space.edges[state]:
            if far[successor] < 0:
                far[successor] = far[state] + 1
                queue.append(successor)
    return far


def test_every_example_is_checked():
    assert len(ALL_EXAMPLES) > 100


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_the_kept_graph_has_the_explorers_outcomes_under_every_machine(path: Path):
    """Two searches, one reduced and depth first, one full and breadth first, must agree."""
    for model in ("sc", "tso", "pso"):
        space, loaded = space_of(path, model, bounds=Bounds(max_states=300_000))
        reference = run_model(loaded, model)
        assert space.complete and reference.search.complete
        assert set(space.outcomes) == set(reference.outcomes), model
        assert space.reachable(0) == list(range(len(space.outcomes)))


@pytest.mark.parametrize("name", ["broken_flag.py", "peterson.py", "lock_order_deadlock.py", "litmus/sb.py"])
def test_reachable_sets_are_exact_and_witnesses_shortest(name: str):
    for model in ("sc", "tso", "pso"):
        space, _ = space_of(EXAMPLES / name, model)
        far = distances(space)
        for state, edges in enumerate(space.edges):
            expected = 0
            if state in space.ends:
                expected |= 1 << space.ends[state]
            for _, successor in edges:
                expected |= space.reach[successor]
                assert space.reach[successor] & ~space.reach[state] == 0  # what a successor reaches, so does its state
            # a state reaches exactly its own end plus what its successors reach
            assert space.reach[state] == expected
        for index, outcome in enumerate(space.outcomes):
            witness = space.result.outcomes[outcome]
            nearest = min(far[s] for s, o in space.ends.items() if o == index)
            assert len(witness) == nearest, (model, outcome)
            end = replay(space.system, witness)
            assert space.system.ending(end) == outcome or outcome.status == "hang"


def test_a_route_follows_edges_to_the_outcome_and_refuses_an_unreachable_one():
    space, _ = space_of(EXAMPLES / "broken_flag.py", "pso")
    zero = next(i for i, o in enumerate(space.outcomes) if o.output == (("reader", ("0",)),))
    state = 0
    for choice, successor in space.route(0, zero):
        assert (choice, successor) in space.edges[state]
        state = successor
    assert space.ends[state] == zero
    gone = [s for s in range(len(space.states)) if not space.reach[s] >> zero & 1]
    assert gone  # the executions that printed 42, at least
    with pytest.raises(ValueError):
        space.route(gone[0], zero)


def test_a_hang_is_a_bottom_component_with_its_own_witness():
    space, _ = space_of("""
        import threading
        flag = False
        def spin():
            while not flag:
                pass
        t = threading.Thread(target=spin)
        t.start()
        t.join()
    """, "sc")
    assert [o.status for o in space.outcomes] == ["hang"]
    assert space.reachable(0) == [0]


def test_a_cut_graph_says_so():
    space, _ = space_of(EXAMPLES / "peterson.py", "pso", bounds=Bounds(max_states=50))
    assert not space.complete and space.result.cut == "states"
    assert len(space.states) == 50


def test_trace_follows_a_shortest_witness():
    """The broken flag under pso, reader printing 0: every step of it is needed (main's 2 starts, 2
    joins and its end; the writer's 2 stores and its end; both flushes; the reader's loop test, print
    and end), so the shortest witness has exactly 13 steps."""
    source = (EXAMPLES / "broken_flag.py").read_text()
    trace = trace_program("broken_flag.py", source, "pso", match="@reader=0")
    assert len(trace.steps) == 13
    assert [step.action for step in trace.steps].count("flush") == 2


@pytest.mark.parametrize("name", ["double_checked.py", "idioms/lazy_init_is_none.py",
                                  "idioms/condition_producer_consumer.py"])
def test_a_shortened_witness_is_as_short_as_the_full_graph_allows(name: str):
    loaded = load_program(str(EXAMPLES / name))
    for model in ("sc", "tso"):
        run = run_model(loaded, model)
        space = explore_space(run.machine)  # the same (reducing) machine, every choice kept
        far = distances(space)
        for outcome in run.outcomes:
            if outcome.status == "hang":
                continue
            short = shortest_witness(run.machine, outcome, run.witness(outcome))
            reduced = shortest_witness(run.machine, outcome, run.witness(outcome), reduce=True)
            index = space.outcomes.index(outcome)
            assert len(short) == len(reduced) == min(far[s] for s, o in space.ends.items() if o == index)
            assert len(short) <= len(run.witness(outcome))
            assert run.machine.ending(replay(run.machine, short)) == outcome
