"""Partial-order reduction loses nothing: the reduced search finds exactly the outcomes, hangs
and races of the full one, and every witness it keeps replays.

Checked on every example and idiom program, and on generated programs built to hit the known
traps of such reductions: asserts that end a thread, prints before a thread's first shared
access, spin loops that may hang, locks, Events, arrays, atomics and identical threads.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from miscompile.analysis import run_model
from miscompile.bounds import Bounds
from miscompile.explore import replay
from miscompile.frontend import load_program, parse_program
from miscompile.races import RaceSystem, find_races

from conftest import EXAMPLES

MODELS = ("sc", "tso", "pso")
FULL = Bounds(max_states=60_000, reduce=False)
REDUCED = Bounds(max_states=60_000, reduce=True)


def same_results(program, require=None, models=MODELS) -> None:
    """``require`` (an assert, or hypothesis's assume for generated programs) the searches were complete."""
    require = require or _complete
    for model in models:
        full = run_model(program, model, bounds=FULL)
        reduced = run_model(program, model, bounds=REDUCED)
        require(full.search.complete and reduced.search.complete)
        assert set(reduced.outcomes) == set(full.outcomes), model
        assert reduced.search.states <= full.search.states
        for outcome in reduced.outcomes:
            state = replay(reduced.machine, reduced.witness(outcome))
            if reduced.machine.enabled(state) == []:
                assert reduced.machine.ending(state) == outcome
            else:  # a hang (also after a failure): the witness reaches the component it never leaves
                assert outcome.final is None and outcome.stuck
    full_races, full_search = find_races(program, bounds=FULL)
    reduced_races, reduced_search = find_races(program, bounds=REDUCED)
    require(full_search.complete and reduced_search.complete)
    assert {(r.location, a) for r in full_races for a in r.accesses} == \
        {(r.location, a) for r in reduced_races for a in r.accesses}
    system = RaceSystem(program, reduce=True)
    for pair, witness in reduced_search.notes.items():  # each racing pair's witness commits it last
        state = replay(system, witness[:-1])
        assert pair in system.transition(state, witness[-1])[1]


def _complete(condition: bool) -> None:
    assert condition, "a search was cut short"


EVERY_EXAMPLE = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.py"))


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_every_example_keeps_its_outcomes_and_races_when_reduced(name):
    same_results(load_program(EXAMPLES / name))


# ------------------------------------------------------------------ generated programs

STATEMENTS = [
    "x = {v}", "y = {v}", "r = x", "r = y", "x += 1", "a[{i}] = {v}", "r = a[{i}]",
    "print(r)", "print({v})", "assert r != {v}, 'r was {v}'",
    "with lock:\n    x += 1", "with lock:\n    r = y",
    "done.set()", "done.wait()", "r = int(done.is_set())",
    "n.fetch_add(1)", "r = n.load()", "fence()",
    "while not stop:\n    pass", "stop = True",
    "while x and y == 0:\n    pass", "while x or a[1]:\n    pass", "while n.load() == 0 and not stop:\n    pass",
    "if r:\n    y = {v}",
]


@st.composite
def threaded_programs(draw) -> str:
    """Two or three threads (sometimes two running the same function), each opening with local
    work (a print), then a few shared statements."""
    functions = draw(st.integers(1, 2))
    lines = ["import threading", "from miscompile.atomics import Atomic, fence", "",
             "x = 0", "y = 0", "stop = False", "a = [0, 0]", "n = Atomic(0)",
             "lock = threading.Lock()", "done = threading.Event()", ""]
    for f in range(functions):
        lines += [f"def t{f}(k):", "    global x, y, stop", "    r = k"]
        if draw(st.booleans()):
            lines.append(f"    print('start', k)")  # a thread's opening code prints
        for _ in range(draw(st.integers(1, 3))):
            statement = draw(st.sampled_from(STATEMENTS)).format(v=draw(st.integers(0, 1)), i=draw(st.integers(0, 1)))
            lines += ["    " + line for line in statement.split("\n")]
        lines.append("")
    count = draw(st.integers(2, 3))
    targets = [draw(st.integers(0, functions - 1)) for _ in range(count)]
    same_args = draw(st.booleans())  # identical threads: the same function with the same argument
    lines += [f"h{i} = threading.Thread(target=t{f}, args=({0 if same_args else i},), name='h{i}')"
              for i, f in enumerate(targets)]
    lines += [f"h{i}.start()" for i in range(count)] + [f"h{i}.join()" for i in range(count)]
    if draw(st.booleans()):
        lines.append("print(x, y, a[0], n.load())")
    return "\n".join(lines) + "\n"


PROFILE = os.environ.get("MISCOMPILE_PROFILE", "ci")
EXAMPLES_RUN = {"ci": 60, "thorough": 1500}.get(PROFILE, 60)


@settings(max_examples=EXAMPLES_RUN, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=PROFILE == "ci")
@given(threaded_programs())
def test_generated_programs_keep_their_outcomes_and_races_when_reduced(source):
    same_results(parse_program(source, "generated.py"), assume)


def _benchmark_cases() -> dict[str, str]:
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.CASES


BENCHMARKS = _benchmark_cases()


@pytest.mark.parametrize("case", ["counter_2x2", "counter_2x3", "counter_3x2", "sb_ring_2", "sb_ring_3", "sb_ring_4",
                                  "peterson_1"])
def test_benchmark_shapes_keep_their_outcomes_when_reduced(case):
    """Counters are where a load its own buffer answers meets other threads' flushes of the same
    variable: a reduction that ignores the own buffer's flush loses an outcome there."""
    same_results(parse_program(BENCHMARKS[case], f"{case}.py"))


def test_a_loop_that_reads_two_places_can_leave_on_values_that_never_were_in_memory_together():
    """`while not (a == 1 and b == 0)` can exit having read a == 1 before another thread set a = 0
    and b == 0 after it: memory never held a == 1 and b == 0 at once. A search that lets the
    spinning thread wait until one moment's values would let it out would miss that exit."""
    source = ("import threading\na = 0\nb = 1\nleft = 0\n"
              "def spin():\n    global left\n    while not (a == 1 and b == 0):\n        pass\n    left = 1\n"
              "def flip():\n    global a, b\n    a = 1\n    a = 0\n    b = 0\n"
              "s = threading.Thread(target=spin)\nf = threading.Thread(target=flip)\n"
              "s.start()\nf.start()\ns.join()\nf.join()\n")
    program = parse_program(source, "mixed.py")
    same_results(program)
    assert any(o.status == "ok" for o in run_model(program, "sc", bounds=REDUCED).outcomes)


def test_registers_in_sees_every_part_of_an_expression():
    """The spin-loop check asks which registers a branch reads: an f-string's values and a builtin's
    arguments count as much as a plain register (missing one would let a loop wait unsoundly)."""
    from miscompile import ir

    formatted = ir.Format(("n=", (ir.Builtin("len", (ir.Reg(3, "x"),)), "", "")))
    assert ir.registers_in(formatted) == {3}
    assert ir.registers_in(ir.Binary("+", ir.Item(ir.Reg(1, "a"), ir.Const(0)), ir.RawReg(2))) == {1, 2}
    assert ir.registers_in(ir.IfExp(ir.Const(True), ir.Unary("-", ir.Reg(4, "b")), ir.Const(0))) == {4}


def _dead_at_loads(source: str, thread: int = 1) -> list[set[str]]:
    """For each Load of the thread, the names of the registers dead there."""
    from miscompile import ir
    from miscompile.liveness import dead_registers

    code = parse_program(source, "live.py").threads[thread]
    dead = dead_registers(code)
    return [{code.registers[r] for r in dead[pc]} for pc, instr in enumerate(code.code) if isinstance(instr, ir.Load)]


def test_a_register_is_dead_where_no_path_reads_it_before_writing_it():
    source = ("import threading\nx = 0\ny = 0\ndef t():\n    global y\n    r = x\n    y = r + 1\n    s = x\n"
              "h = threading.Thread(target=t)\nh.start()\nh.join()\n")
    first, second = _dead_at_loads(source)
    assert "s" in first and "r" in first  # both are written before anything reads them
    assert "r" in second  # the store of y was r's last use


def test_a_value_an_except_clause_reads_stays_live_at_every_instruction_that_may_raise():
    source = ("import threading\na = [0]\ndef t(i):\n    r = 1\n    try:\n        v = a[i]\n        r = 2\n"
              "        w = a[0]\n    except IndexError:\n        print(r)\n"
              "h = threading.Thread(target=t, args=(3,))\nh.start()\nh.join()\n")
    first, second = _dead_at_loads(source)
    assert "r" not in first and "r" not in second
    assert "w" in first  # never read at all


def test_spent_temporaries_do_not_split_states():
    """Peterson's lock with two entries per thread under tso: the values a round of the spin loop
    read, and the count a thread loaded for `count += 1`, are dead once used. A reduced search
    that forgets them finds the same outcomes as one that keeps every register, in under 60% of
    the states."""
    from miscompile.explore import explore
    from miscompile.machine import Machine
    from miscompile.models import get_model

    program = parse_program(BENCHMARKS["peterson_2"], "peterson.py")
    forgetting = Machine(program, get_model("tso"))
    keeping = Machine(program, get_model("tso"))
    keeping.dead, keeping.canonical = None, None  # every register kept, states stored as they are
    assert forgetting.symmetry is None  # the two threads differ (their argument): no symmetry here
    forgot, kept = explore(forgetting, bounds=REDUCED), explore(keeping, bounds=REDUCED)
    assert forgot.complete and kept.complete
    assert set(forgot.outcomes) == set(kept.outcomes)
    assert forgot.states < 0.6 * kept.states
