"""RC11 on the execution-graph engine: the verdicts of the RC11 paper (Lahav et al., PLDI 2017) and
of the C11 literature on the classic shapes, data races as undefined behaviour, and DRF-SC."""

from __future__ import annotations

import pytest

from miscompile.analysis import run_model
from miscompile.bounds import Bounds
from miscompile.errors import SourceError
from miscompile.frontend import load_program, parse_program
from miscompile.graphs import explore_graphs

from conftest import EXAMPLES

HEAD = "import threading\nfrom miscompile.atomics import Atomic, fence\n"


def program(shared: str, *bodies: str) -> str:
    """Threads t0, t1, ... with the given bodies (each line indented once), started and joined;
    every variable ``shared`` declares is global in each thread."""
    text = HEAD + shared
    names = ", ".join(line.split("=")[0].strip() for line in shared.splitlines() if "=" in line)
    for i, body in enumerate(bodies):
        text += f"def t{i}():\n    global {names}\n" + "".join(f"    {line}\n" for line in body.split("\n"))
    names = range(len(bodies))
    text += "".join(f"h{i} = threading.Thread(target=t{i})\n" for i in names)
    text += "".join(f"h{i}.start()\n" for i in names) + "".join(f"h{i}.join()\n" for i in names)
    return text


def rc11(source: str):
    result = explore_graphs(parse_program(source, "t.py"), "rc11", bounds=Bounds(max_states=200_000, reduce=False))
    assert result.complete
    return result


def registers(result, *names):
    return {tuple(o.values()[n] for n in names) for o in result.outcomes}


SB = "x = Atomic(0)\ny = Atomic(0)\nr0 = 0\nr1 = 0\n"


@pytest.mark.parametrize("store, load, fenced, both_zero", [
    ('"relaxed"', '"relaxed"', False, True),    # relaxed SB: allowed
    ('"release"', '"acquire"', False, True),    # release/acquire does not forbid SB
    ('"seq_cst"', '"seq_cst"', False, False),   # seq_cst SB: forbidden (SC axiom)
    ('"relaxed"', '"relaxed"', True, False),    # relaxed accesses between seq_cst fences: forbidden (psc_F)
])
def test_store_buffering(store, load, fenced, both_zero):
    fence_line = "fence()\n" if fenced else ""
    result = rc11(program(SB, f"x.store(1, order={store})\n{fence_line}r0 = y.load(order={load})",
                          f"y.store(1, order={store})\n{fence_line}r1 = x.load(order={load})"))
    assert ((0, 0) in registers(result, "r0", "r1")) == both_zero
    assert not result.notes  # atomics and registers written by one thread: no race


MP = "data = 0\nflag = Atomic(0)\nr0 = 0\nr1 = -1\n"


def test_message_passing_with_release_and_acquire_publishes_plain_data_without_a_race():
    result = rc11(program(MP, 'data = 42\nflag.store(1, order="release")',
                          'if flag.load(order="acquire") == 1:\n    r1 = data'))
    assert registers(result, "r1") == {(-1,), (42,)} and not result.notes


def test_message_passing_with_a_relaxed_flag_races_on_the_data():
    result = rc11(program(MP, 'data = 42\nflag.store(1, order="relaxed")',
                          'if flag.load(order="relaxed") == 1:\n    r1 = data'))
    assert {pair.location for pair in result.notes} == {"data"}


def test_a_relaxed_flag_between_a_release_fence_and_an_acquire_fence_publishes_without_a_race():
    """Fence-to-fence synchronisation, which today's sc race detector does not know."""
    result = rc11(program(MP, 'data = 42\nfence("release")\nflag.store(1, order="relaxed")',
                          'if flag.load(order="relaxed") == 1:\n    fence("acquire")\n    r1 = data'))
    assert registers(result, "r1") == {(-1,), (42,)} and not result.notes


def test_load_buffering_is_forbidden_even_relaxed():
    """RC11's no-thin-air axiom (po | rf acyclic) forbids r0 = r1 = 1, which C11 allowed."""
    result = rc11(program("x = Atomic(0)\ny = Atomic(0)\nr0 = 0\nr1 = 0\n",
                          'r0 = x.load(order="relaxed")\ny.store(1, order="relaxed")',
                          'r1 = y.load(order="relaxed")\nx.store(1, order="relaxed")'))
    assert (1, 1) not in registers(result, "r0", "r1")
    assert registers(result, "r0", "r1") == {(0, 0), (0, 1), (1, 0)}


def test_coherence_of_two_relaxed_reads():
    result = rc11(program("x = Atomic(0)\nr0 = 0\nr1 = 0\n", 'x.store(1, order="relaxed")',
                          'r0 = x.load(order="relaxed")\nr1 = x.load(order="relaxed")'))
    assert registers(result, "r0", "r1") == {(0, 0), (0, 1), (1, 1)}


@pytest.mark.parametrize("order, disagree", [('"acquire"', True), ('"seq_cst"', False)])
def test_iriw_readers_may_disagree_unless_everything_is_seq_cst(order, disagree):
    store = '"release"' if order == '"acquire"' else '"seq_cst"'
    shared = "x = Atomic(0)\ny = Atomic(0)\nr2 = 0\nr3 = 0\nr4 = 0\nr5 = 0\n"
    source = program(shared, f"x.store(1, order={store})", f"y.store(1, order={store})",
                     f"r2 = x.load(order={order})\nr4 = y.load(order={order})",
                     f"r3 = y.load(order={order})\nr5 = x.load(order={order})")
    result = rc11(source)
    assert ((1, 0, 1, 0) in registers(result, "r2", "r4", "r3", "r5")) == disagree


def test_the_out_of_thin_air_program_never_prints_42():
    result = explore_graphs(load_program(EXAMPLES / "out_of_thin_air.py"), "rc11", bounds=Bounds(reduce=False))
    assert result.complete and all(42 not in o.values().values() for o in result.outcomes)


TWO_PLUS_TWO_W = program("x = Atomic(0)\ny = Atomic(0)\n", "x.store(1)\ny.store(2)", "y.store(1)\nx.store(2)")
DRF_SC = {"sb_xchg": (EXAMPLES / "litmus" / "sb_xchg.py").read_text(), "2+2W seq_cst": TWO_PLUS_TWO_W,
          "SB seq_cst": program(SB, "x.store(1)\nr0 = y.load()", "y.store(1)\nr1 = x.load()")}


@pytest.mark.parametrize("name", DRF_SC)
def test_race_free_programs_with_seq_cst_atomics_have_their_sc_outcomes(name):
    """DRF-SC: only seq_cst atomics, no race, so RC11 gives exactly the interleavings' outcomes."""
    prog = parse_program(DRF_SC[name], f"{name}.py")
    result = explore_graphs(prog, "rc11", bounds=Bounds(reduce=False))
    assert result.complete and not result.notes
    assert set(result.outcomes) == set(run_model(prog, "sc").outcomes)


def test_hardware_fences_are_not_c11_fences():
    source = program("x = 0\nr0 = 0\n", 'x = 1\nfence("write")')
    with pytest.raises(SourceError, match=r'fence\("write"\) is a hardware fence'):
        explore_graphs(parse_program(source, "t.py"), "rc11")


def test_explore_under_rc11_reports_undefined_behaviour_instead_of_outcomes():
    import json
    import subprocess
    import sys

    def explore(name):
        done = subprocess.run([sys.executable, "-m", "miscompile", "explore", str(EXAMPLES / "litmus" / name),
                               "--model", "rc11", "--json", "--no-races"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    racy = explore("mp_release_acquire.py")  # the reader loads x whatever flag it saw
    assert [race["location"] for race in racy["undefined"]] == ["x"]
    clean = explore("sb_xchg.py")
    assert clean["undefined"] == [] and {tuple(o["final"][r] for r in ("r1", "r2")) for o in clean["outcomes"]} == \
        {(0, 1), (1, 0), (1, 1)}


# ------------------------------------------------------------------ DRF-SC on generated programs

import os  # noqa: E402

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SEQ_CST = ["x.store({v})", "y.store({v})", "r = x.load()", "r = y.load()", "x.fetch_add(1)", "r = y.exchange({v})",
           "fence()", "print(r)", "if r:\n    x.store({v})", "ok, r = x.compare_exchange({v}, 2)"]


@st.composite
def seq_cst_programs(draw) -> str:
    lines = [HEAD.rstrip("\n"), "x = Atomic(0)", "y = Atomic(0)", ""]
    count = draw(st.integers(2, 3))
    for t in range(count):
        lines += [f"def t{t}():", "    r = 0"]
        for _ in range(draw(st.integers(1, 3))):
            statement = draw(st.sampled_from(SEQ_CST)).format(v=draw(st.integers(1, 2)))
            lines += ["    " + line for line in statement.split("\n")]
        lines.append("")
    lines += [f"h{t} = threading.Thread(target=t{t})" for t in range(count)]
    lines += [f"h{t}.start()" for t in range(count)] + [f"h{t}.join()" for t in range(count)]
    return "\n".join(lines) + "\n"


@settings(max_examples={"ci": 30, "thorough": 400}.get(os.environ.get("MISCOMPILE_PROFILE", "ci"), 30),
          deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=os.environ.get("MISCOMPILE_PROFILE", "ci") == "ci")
@given(seq_cst_programs())
def test_generated_seq_cst_programs_have_their_sc_outcomes_under_rc11(source):
    """DRF-SC: programs whose only shared accesses are seq_cst atomics (and seq_cst fences)."""
    program = parse_program(source, "generated.py")
    result = explore_graphs(program, "rc11", bounds=Bounds(max_states=20_000, reduce=False))
    machine = run_model(program, "sc", bounds=Bounds(max_states=20_000))
    assume(result.complete and machine.search.complete)
    assert not result.notes
    assert set(result.outcomes) == set(machine.outcomes)


def test_the_races_command_uses_rc11s_happens_before_when_asked():
    """fence_publication.py: a race for the sc detector (fences order nothing there), none for RC11."""
    import subprocess
    import sys

    path = str(EXAMPLES / "fence_publication.py")
    sc = subprocess.run([sys.executable, "-m", "miscompile", "races", path, "--json"], capture_output=True, text=True)
    rc = subprocess.run([sys.executable, "-m", "miscompile", "races", path, "--model", "rc11", "--json"],
                        capture_output=True, text=True)
    assert (sc.returncode, rc.returncode) == (1, 0), (sc.stderr, rc.stderr)
    assert "data" in sc.stdout and '"races": []' in rc.stdout


def test_explore_under_rc11_alone_reports_rc11s_races():
    """fence_publication.py: the sc detector would report data; under rc11 explore reports none."""
    from miscompile.analysis import explore_program

    exploration = explore_program(load_program(EXAMPLES / "fence_publication.py"), ["rc11"])
    assert exploration.races is not None and exploration.races.races == []
    assert {o.values()["seen"] for o in exploration.runs["rc11"].outcomes} == {-1, 42}


def test_compare_under_rc11_says_when_the_passes_make_a_program_undefined():
    """speculate on no_sc_write.py (plain x, y written only under conditions no execution meets):
    the optimised program stores unconditionally, a data race, so under rc11 it is undefined."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "miscompile", "compare", str(EXAMPLES / "no_sc_write.py"),
                           "--pass", "speculate", "-m", "sc,rc11", "--no-races"], capture_output=True, text=True)
    text = " ".join(done.stdout.split())
    assert "sc: the optimised program gains" in text
    assert "rc11: the passes make the program undefined (data races on x, y)" in text
