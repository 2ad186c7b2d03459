"""Bounds and partial results: every answer is exact, or says how it is partial (and exits 3)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from miscompile.analysis import run_model
from miscompile.bounds import Bounds
from miscompile.outcomes import certainty

from conftest import EXAMPLES, ROOT, outcomes, program

# the dialect's spelling of four workers (until list comprehensions of threads land)
COUNTERS = "import threading\ncounter = 0\ndef work():\n    global counter\n    for i in range(3):\n" \
           "        counter += 1\n" + "".join(f"t{i} = threading.Thread(target=work)\n" for i in range(4)) \
           + "".join(f"t{i}.start()\n" for i in range(4)) + "".join(f"t{i}.join()\n" for i in range(4))


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "miscompile", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def write(tmp_path, source: str, name: str = "p.py") -> str:
    path = tmp_path / name
    path.write_text(source)
    return str(path)


def test_a_state_bound_gives_a_partial_result_marked_on_stdout_and_exit_3(tmp_path):
    done = run("explore", write(tmp_path, COUNTERS), "--max-states", "2000", "--no-races")
    assert done.returncode == 3, done.stderr
    header = next(line for line in done.stdout.splitlines() if "status" in line)
    assert header.split()[-3:] == ["sc*", "tso*", "pso*"]
    assert "partial: the tso search stopped at its state bound" in done.stdout
    # sc's partial set and tso's partial set differ, but nothing may be called "beyond sc" as a fact
    assert "that sc does not" not in done.stdout.replace("\n", " ").split("unknown")[0]
    assert "tso: unknown whether it allows more than sc" in done.stdout


def test_explore_json_of_a_partial_search_says_so_and_still_prints(tmp_path):
    done = run("explore", str(EXAMPLES / "peterson.py"), "--model", "tso", "--json", "--max-states", "50")
    assert done.returncode == 3
    data = json.loads(done.stdout)
    assert data["complete"] is False and data["states"] <= 50
    assert "partial" in done.stderr and "--max-states" in done.stderr


def test_compare_json_carries_complete_per_side_and_exits_3():
    done = run("compare", str(EXAMPLES / "peterson.py"), "--pass", "hoist", "--model", "tso", "--json",
               "--max-states", "60")
    assert done.returncode == 3, done.stderr
    data = json.loads(done.stdout)
    assert data["complete"] == {"before": False, "after": False}
    whole = run("compare", str(EXAMPLES / "broken_flag.py"), "--pass", "hoist", "--model", "sc", "--json")
    assert whole.returncode == 0 and json.loads(whole.stdout)["complete"] == {"before": True, "after": True}


def test_compare_never_states_a_gain_as_fact_when_a_side_is_partial():
    done = run("compare", str(EXAMPLES / "peterson.py"), "--pass", "hoist", "--model", "tso", "--max-states",
               "60", "--no-races")
    assert done.returncode == 3
    assert "gains" not in done.stdout and "unknown what the passes change" in done.stdout


def test_the_wording_follows_which_side_was_cut():
    assert certainty(True, True) == "exact"
    assert certainty(True, False) == "at least"  # each difference found is real; more may exist
    assert certainty(False, True) == "unknown"  # the baseline may hold them too


def test_a_time_bound_cuts_the_search(tmp_path):
    done = run("explore", write(tmp_path, COUNTERS), "--model", "tso", "--max-seconds", "0.2", "--no-races",
               "--json")
    assert done.returncode == 3
    assert json.loads(done.stdout)["complete"] is False
    assert "time bound" in done.stderr


def test_a_memory_bound_cuts_the_search():
    run_ = run_model(program(COUNTERS), "tso", bounds=Bounds(max_memory_mb=1))
    assert run_.search.cut == "memory" and not run_.search.complete


def test_a_long_but_finite_local_loop_finishes_as_in_cpython(tmp_path):
    source = textwrap.dedent("""\
        import threading
        total = 0
        def work():
            global total
            s = 0
            for i in range(6000):
                s += i
            total = s
        t = threading.Thread(target=work)
        t.start()
        t.join()
        print(total)
        """)
    (outcome,) = outcomes(source)
    expected = subprocess.run([sys.executable, write(tmp_path, source)], capture_output=True, text=True).stdout
    assert outcome.status == "ok" and dict(outcome.output)["main"] == (expected.strip(),)


def test_a_local_loop_that_repeats_its_state_is_an_exact_hang_and_one_that_never_repeats_is_partial():
    repeats = "import threading\ndef f():\n    i = 0\n    while True:\n        i = (i + 1) % 7\n" \
              "t = threading.Thread(target=f)\nt.start()\nt.join()\n"
    found = run_model(program(repeats), "sc")
    assert found.search.complete and [o.status for o in found.outcomes] == ["hang"]
    grows = repeats.replace("i = (i + 1) % 7", "i = i + 1")
    cut = run_model(program(grows), "sc", bounds=Bounds(max_local_steps=20_000))
    assert cut.search.cut == "local steps"
    assert all(o.status != "hang" for o in cut.outcomes)  # never a hang invented from a budget


def test_an_unbounded_counter_until_a_stop_flag_ends_partial_not_never(tmp_path):
    source = textwrap.dedent("""\
        import threading
        stop = False
        count = 0
        def counter():
            global count
            while not stop:
                count += 1
        def stopper():
            global stop
            stop = True
        a = threading.Thread(target=counter)
        b = threading.Thread(target=stopper)
        a.start()
        b.start()
        a.join()
        b.join()
        """)
    done = run("explore", write(tmp_path, source), "--max-states", "20000", "--json", "--model", "tso")
    assert done.returncode == 3
    data = json.loads(done.stdout)
    assert data["complete"] is False and data["states"] <= 20000  # stopped at the bound, said so


def test_races_exit_1_for_a_race_even_when_cut_and_3_when_none_found_yet():
    racy = run("races", str(EXAMPLES / "broken_flag.py"), "--max-states", "30")
    assert racy.returncode in (1, 3)
    if racy.returncode == 3:
        assert "partial" in racy.stdout and "No data race found so far" in racy.stdout
    clean = run("races", str(EXAMPLES / "broken_flag_atomic.py"), "--max-states", "5")
    assert clean.returncode == 3 and "No data race found so far" in clean.stdout


def test_help_documents_the_bounds_and_exit_status_3():
    done = run("explore", "--help")
    assert "--max-seconds" in done.stdout and "--max-memory" in done.stdout and "exits 3" in done.stdout
    top = run("--help")
    assert "3 a search cut short" in " ".join(top.stdout.split())
