"""The command line: the JSON contract, exit statuses, determinism, --max-states."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import Done, EXAMPLES, ROOT, invoke


def run(*args: str, env: dict[str, str] | None = None) -> Done:
    """The command, in this process (``conftest.invoke``)."""
    return invoke(*args, env=env)


def test_python_m_miscompile_runs_in_a_real_process():
    """The other tests run the commands in-process; this one goes through the interpreter's entry."""
    done = subprocess.run([sys.executable, "-m", "miscompile", "explore", str(EXAMPLES / "broken_flag.py"), "-m",
                           "sc,pso"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "pso allows 1 outcome(s) that sc does not" in done.stdout


def test_explore_json_follows_the_contract():
    done = run("explore", str(EXAMPLES / "litmus" / "sb.py"), "--model", "tso", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"schema", "program", "model", "complete", "states", "outcomes", "races"}
    assert (data["schema"], data["model"], data["complete"]) == (2, "tso", True)
    assert data["states"] > 0
    finals = [(o["final"]["r1"], o["final"]["r2"]) for o in data["outcomes"]]
    assert sorted(finals) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert all(set(o) == {"status", "final", "output"} for o in data["outcomes"])
    lines = (EXAMPLES / "litmus" / "sb.py").read_text().splitlines()
    line = {text: lines.index(f"    {text}") + 1 for text in ("x = 1", "r1 = y", "y = 1", "r2 = x")}
    assert data["races"] == [
        {"location": "x", "accesses": [{"thread": "t1", "line": line["x = 1"], "kind": "write"},
                                       {"thread": "t2", "line": line["r2 = x"], "kind": "read"}]},
        {"location": "y", "accesses": [{"thread": "t1", "line": line["r1 = y"], "kind": "read"},
                                       {"thread": "t2", "line": line["y = 1"], "kind": "write"}]},
    ]


def test_deadlock_outcomes_carry_stuck_and_no_final():
    data = json.loads(run("explore", str(EXAMPLES / "lock_order_deadlock.py"), "--model", "sc", "--json").stdout)
    deadlock = [o for o in data["outcomes"] if o["status"] == "deadlock"]
    assert deadlock == [{"status": "deadlock", "output": {}, "stuck": ["main", "left", "right"]}]


def test_same_run_prints_the_same_bytes():
    args = ("explore", str(EXAMPLES / "double_checked.py"), "--model", "pso", "--json")
    assert run(*args).stdout == run(*args).stdout


def test_races_exit_status_and_json():
    racy = run("races", str(EXAMPLES / "broken_flag.py"), "--json")
    assert racy.returncode == 1
    assert [r["location"] for r in json.loads(racy.stdout)["races"]] == ["data", "ready"]
    clean = run("races", str(EXAMPLES / "broken_flag_atomic.py"), "--json")
    assert clean.returncode == 0 and json.loads(clean.stdout)["races"] == []


def test_table_shows_one_column_per_model_and_what_pso_adds():
    done = run("explore", str(EXAMPLES / "broken_flag.py"))
    assert done.returncode == 0
    header = next(line for line in done.stdout.splitlines() if "status" in line)
    assert header.split()[-3:] == ["sc", "tso", "pso"]
    assert "pso allows 1 outcome(s) that sc does not" in done.stdout
    assert "tso allows nothing beyond sc" in done.stdout
    assert all(len(line) <= 80 for line in done.stdout.splitlines())


def test_usage_errors_exit_2():
    assert run("explore", str(EXAMPLES / "broken_flag.py"), "--model", "power").returncode == 2
    assert run("frobnicate").returncode == 2


def test_help_explains_the_commands():
    done = run("--help")
    assert done.returncode == 0
    assert "explore" in done.stdout and "races" in done.stdout


def test_every_command_takes_four_workers_a_counter_object_and_try_finally():
    """The idioms issue's acceptance program: explore's outcomes are pinned in expected.toml; here
    races, compare --pass promote, trace and fix run on it and say what its semantics imply."""
    path = str(EXAMPLES / "idioms" / "four_workers_class_counter.py")
    races = json.loads(run("races", path, "--json").stdout)
    assert [r["location"] for r in races["races"]] == ["counter.value"]
    compared = run("compare", path, "--pass", "promote", "--json")
    assert compared.returncode == 0, compared.stderr
    assert all(json.loads(compared.stdout)["models"][m]["gained"] == [] for m in ("sc", "tso", "pso"))
    traced = run("trace", path, "--match", "@main=3 6")
    assert traced.returncode == 0, traced.stderr
    outcome_line = next(line for line in traced.stdout.splitlines() if line.startswith("outcome:"))
    assert "printed main: 3 6" in outcome_line  # the title above it wraps where the clone's path is long
    fixed = run("fix", path, "--print")
    assert fixed.returncode == 0, fixed.stderr
    assert "self.value = Atomic(0)" in fixed.stdout and "peek = counter.value.load()" in fixed.stdout


def test_explore_batch_prints_one_json_line_per_file_and_model_as_single_runs_do(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("x = (\n")
    files = [str(EXAMPLES / "litmus" / "sb.py"), str(bad), str(EXAMPLES / "broken_flag.py")]
    for jobs in ("1", "2"):
        done = run("explore", *files, "--model", "tso", "--json", "--jobs", jobs)
        assert done.returncode == 2  # the bad file
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        assert [line["program"] for line in lines] == files
        assert "invalid Python syntax" in lines[1]["error"]
        single = json.loads(run("explore", files[0], "--model", "tso", "--json").stdout)
        assert lines[0] == single
    assert run("explore", *files[::2], "--model", "sc").returncode == 2  # several files need --json


def test_a_cut_search_names_the_long_loop(tmp_path):
    """The classic lost-update demonstration loops 100,000 times: the search is cut (exit 3)
    and the partial result names the loop and what to write instead."""
    program = tmp_path / "classic.py"
    program.write_text("import threading\ncounter = 0\ndef increment():\n    global counter\n"
                       "    for _ in range(100000):\n        counter += 1\n"
                       "t1 = threading.Thread(target=increment)\nt2 = threading.Thread(target=increment)\n"
                       "t1.start()\nt2.start()\nt1.join()\nt2.join()\nprint(counter)\n")
    done = run("explore", str(program), "--model", "sc", "--max-states", "2000")
    assert done.returncode == 3, done.stderr
    text = " ".join(done.stdout.split())
    assert "hint: the loop at line 5 runs 100,000 times" in text
    assert "try range(2)" in text


def test_inspect_help_explains_the_keys():
    done = invoke("inspect", "--help", width=100)
    assert done.returncode == 0
    for key in ("1-9, Enter", "undo the last step", "pick an outcome to aim at", "play the rest", "reset", "quit"):
        assert key in done.stdout


def test_inspect_html_writes_the_page_and_the_terminal_app_needs_a_terminal(tmp_path):
    page = tmp_path / "flag.html"
    done = invoke("inspect", "examples/broken_flag.py", "--model", "pso", "--html", str(page))
    assert done.returncode == 0, done.stderr
    assert f"wrote the page to {page}" in done.stderr
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and '"schema":"miscompile-inspect/1"' in text
    done = invoke("inspect", "examples/broken_flag.py")  # the runner's stdout is not a terminal
    assert done.returncode == 2 and "--html" in done.stderr


def test_inspect_refuses_graph_models_and_bad_outcomes():
    done = invoke("inspect", "examples/broken_flag.py", "--model", "arm")
    assert done.returncode == 2
    done = invoke("inspect", "examples/broken_flag.py", "--model", "pso", "--outcome", "7", "--html", "x.html")
    assert done.returncode == 2 and "out of range" in done.stderr
