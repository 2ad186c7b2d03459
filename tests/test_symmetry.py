"""Symmetry reduction: threads running the same code are stored once, and nothing is lost.

The differential tests of test_reduction.py (every example, generated programs with identical
threads) compare the reduced search, symmetry included, with the full one. Here: which threads
form a group, that outcomes which only differ by who did what are all reported with witnesses
that replay, and that every synchronisation kind renames the threads its state names.
"""

from __future__ import annotations

import ast
import inspect
import itertools

import pytest

from miscompile.analysis import run_model
from miscompile.bounds import Bounds
from miscompile.evaluate import Fault
from miscompile.explore import replay
from miscompile.frontend import parse_program
from miscompile.outcomes import Outcome
from miscompile.races import find_races
from miscompile.symmetry import find_groups
from miscompile.sync import KINDS
from miscompile.sync.pool import FutureRef

FULL = Bounds(reduce=False)


def program(body: str, starts: str) -> str:
    return "import threading\nx = 0\n" + body + starts


WORK = "def work(k):\n    global x\n    r = x\n    x = r + 1\n    print(r)\n"
POOL = "threads = [threading.Thread(target=work, args=(0,)) for _ in range(3)]\n"


def test_threads_made_in_one_comprehension_and_started_in_one_loop_form_a_group():
    groups = find_groups(parse_program(program(WORK, POOL + "for t in threads:\n    t.start()\n"
                                               "for t in threads:\n    t.join()\n")))
    assert [(g.members, g.parent, len(g.starts), len(g.joins)) for g in groups] == [((1, 2, 3), 0, 3, 3)]


@pytest.mark.parametrize("starts", [
    # different arguments: different code
    "threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]\n"
    "for t in threads:\n    t.start()\n",
    # the parent stores between two starts: the first thread may see what the second cannot
    "a = threading.Thread(target=work, args=(0,))\nb = threading.Thread(target=work, args=(0,))\n"
    "a.start()\nx = 5\nb.start()\n",
    # joined one by one with work between the joins
    "a = threading.Thread(target=work, args=(0,))\nb = threading.Thread(target=work, args=(0,))\n"
    "a.start()\nb.start()\na.join()\nx = 5\nb.join()\n",
    # started in a loop that goes round more than once
    "a = threading.Thread(target=work, args=(0,))\nb = threading.Thread(target=work, args=(0,))\n"
    "for _ in range(1):\n    a.start()\n    b.start()\n",
])
def test_threads_the_parent_tells_apart_form_no_group(starts):
    assert find_groups(parse_program(program(WORK, starts))) == ()


def test_outcomes_that_differ_only_by_which_identical_thread_did_what_are_all_reported():
    """Two threads each read x, write x + 1 and print what they read. Under sc: one reads 0 and
    the other 1 (either way round, x ends 2), or both read 0 (x ends 1)."""
    source = program(WORK, "threads = [threading.Thread(target=work, args=(0,)) for _ in range(2)]\n"
                           "for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\n")
    prog = parse_program(source)
    reduced = run_model(prog, "sc")
    expected = {Outcome("ok", (("x", 2),), (("work", ("0",)), ("work#2", ("1",)))),
                Outcome("ok", (("x", 2),), (("work", ("1",)), ("work#2", ("0",)))),
                Outcome("ok", (("x", 1),), (("work", ("0",)), ("work#2", ("0",))))}
    assert set(reduced.outcomes) == expected
    assert reduced.machine.symmetry is not None
    for outcome in expected:
        state = replay(reduced.machine, reduced.witness(outcome))
        assert reduced.machine.enabled(state) == [] and reduced.machine.ending(state) == outcome


def test_identical_counters_store_fewer_states_and_keep_every_outcome_and_race():
    """Three threads x two increments of a shared counter: the symmetric search stores fewer
    states than the reduced search without symmetry would allow for three distinct threads, and
    finds the counter's outcomes 2..6 (lost updates down to two) under every model."""
    source = ("import threading\ncounter = 0\ndef work():\n    global counter\n    for _ in range(2):\n"
              "        counter += 1\nthreads = [threading.Thread(target=work) for _ in range(3)]\n"
              "for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\n")
    prog = parse_program(source)
    for model in ("sc", "tso", "pso"):
        reduced, full = run_model(prog, model), run_model(prog, model, bounds=FULL)
        assert {o.values()["counter"] for o in reduced.outcomes} == {2, 3, 4, 5, 6}
        assert set(reduced.outcomes) == set(full.outcomes)
        assert reduced.search.states * 3 < full.search.states
    races, _ = find_races(prog)
    assert {(a.thread, a.kind) for a in races[0].accesses} == \
        {(t, k) for t in ("work", "work#2", "work#3") for k in ("read", "write")}


def test_a_deadlock_names_each_identical_thread_that_can_be_the_stuck_one():
    """Two identical threads take the lock; the first to get it fails an assert without releasing
    it (acquire() with no with), so the other waits forever, and either can be that one."""
    source = ("import threading\nlock = threading.Lock()\ndone = 0\ndef work():\n    global done\n"
              "    lock.acquire()\n    done += 1\n    assert done == 2, 'first'\n    lock.release()\n"
              "threads = [threading.Thread(target=work) for _ in range(2)]\n"
              "for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\n")
    prog = parse_program(source)
    reduced, full = run_model(prog, "sc"), run_model(prog, "sc", bounds=FULL)
    assert set(reduced.outcomes) == set(full.outcomes)
    stuck = {frozenset(o.stuck) for o in reduced.outcomes if o.stuck}
    assert stuck == {frozenset({"main", "work"}), frozenset({"main", "work#2"})}
    for outcome in reduced.outcomes:
        assert replay(reduced.machine, reduced.witness(outcome)) is not None


# ------------------------------------------------------------------ every kind renames its threads

CONSTRUCTED = {"semaphore": "S(2)", "bounded_semaphore": "S(2)", "barrier": "B(3)", "queue": "Q(2)"}
ARGUMENTS = {"n": 1, "value": 7, "site": 0, "args": (), "future": FutureRef(0), "raised": ("error", "E")}


def _perform(kind, action, state, thread):
    """(new state, result, edge), or ("fault", what was raised) when the action raises, or
    ("waits",) when it cannot run now. The arguments are made up, so an action may not apply
    to a state at all (a future that was never submitted): that raises too, and renaming must
    not change that either."""
    names = list(inspect.signature(action.perform).parameters)[2:]
    arguments = [ARGUMENTS[n] for n in names]
    try:
        if action.ready is not None and not action.ready(state, thread, *(arguments if action.ready_uses_arguments
                                                                         else ())):
            return ("waits",)
        return action.perform(state, thread, *arguments)
    except Fault as fault:
        return ("fault", str(fault))
    except (IndexError, TypeError) as error:
        return ("fault", type(error).__name__)


def _reachable(kind, depth=3):
    """The kind's states after up to ``depth`` actions by threads 1..3."""
    if kind.name in CONSTRUCTED:
        states = {kind.create(ast.parse(CONSTRUCTED[kind.name]).body[0].value, SyntaxError)}
    else:
        states = {kind.initial()}
    frontier = set(states)
    for _ in range(depth):
        later = set()
        for state, (name, action), thread in itertools.product(frontier, kind.actions.items(), (1, 2, 3)):
            done = _perform(kind, action, state, thread)
            if done[0] not in ("fault", "waits"):
                later.add(done[0])
        frontier = later - states
        states |= later
    return states


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_renames_the_threads_its_state_names(name):
    """Acting as thread t on a state, then renaming, equals acting as the renamed t on the renamed
    state: what symmetry reduction needs of every kind (swapping 1 and 2; 3 stays)."""
    kind = KINDS[name]
    swap = {1: 2, 2: 1, 3: 3, 0: 0}.__getitem__
    checked = 0
    for state in _reachable(kind):
        for (action_name, action), thread in itertools.product(kind.actions.items(), (1, 2, 3)):
            before = _perform(kind, action, state, thread)
            after = _perform(kind, action, kind.rename_threads(state, swap), swap(thread))
            if before[0] in ("fault", "waits"):
                assert after == before
            else:
                assert after[0] == kind.rename_threads(before[0], swap) and after[1:] == before[1:]
            checked += 1
    assert checked > 0
