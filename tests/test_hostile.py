"""The program's own errors are outcomes, never the tool's; bad or huge input never crashes.

Each program raising an exception is also run by CPython: the outcome's message must be the
last line of CPython's traceback, word for word.
"""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from rich.console import Console

from miscompile.analysis import explore_program, run_model
from miscompile.bounds import Bounds
from miscompile.errors import MiscompileError, SourceError, UsageError
from miscompile.frontend import parse_program
from miscompile.views.explore_view import ExplorationView
from transforms.pipeline import transform
from transforms.registry import pass_names

from conftest import EXAMPLES, ROOT, program

RAISING = {
    "none_plus_one": "r = None\nr = r + 1\n",
    "tuple_arithmetic": "r = (1, 2)\nr = r + 1\n",
    "negative_shift": "r = 1\nr = r << -1\n",
    "int_of_a_tuple": "r = (1, 2)\nr = int(r)\n",
    "bad_format_spec": "r = 5\nprint(f'{r:zz}')\n",
    "min_of_one_int": "r = 5\nr = min(r)\n",
    "printing_a_5000_digit_int": "r = 10\nprint(r ** 5000)\n",
    "comparing_none": "r = None\nr = r < 1\n",
    "subscripting_an_int": "r = 3\nr = r[0]\n",
    "tuple_index_out_of_range": "r = (1, 2)\nr = r[5]\n",
    "modulo_by_zero": "r = 0\nr = 7 % r\n",
    "rlock_released_by_a_non_owner": "import threading\nlock = threading.RLock()\nlock.release()\n",
    "bounded_semaphore_released_too_often": "import threading\ns = threading.BoundedSemaphore(1)\ns.release()\n",
    "condition_wait_without_the_lock": "import threading\nc = threading.Condition()\nc.wait()\n",
    "condition_notify_without_the_lock": "import threading\nc = threading.Condition()\nc.notify()\n",
    "sleeping_a_negative_time": "import time\nr = -1\ntime.sleep(r)\n",
    "list_index_of_a_tuple": "a = [0, 0]\nr = (1,)\nr = a[r]\n",
    "list_index_out_of_range": "a = [0, 0]\nr = 2\nr = a[r]\n",
}


def cpython_error(tmp_path, source: str) -> str:
    path = tmp_path / "p.py"
    path.write_text(source)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode != 0
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("name", sorted(RAISING))
def test_the_programs_own_errors_are_error_outcomes_with_cpythons_message(tmp_path, name: str):
    source = "x = 0\n" + RAISING[name]
    (outcome,) = run_model(program(source), "sc").outcomes
    assert outcome.status == "error"
    (failure,) = outcome.failures
    assert failure.message == cpython_error(tmp_path, source)


def test_printed_markup_is_shown_literally():
    source = "x = 0\nprint('[/]', '[bold]hi')\nassert x == 1, '[/] oops [red]'\n"
    exploration = explore_program(program(source), ["sc"], with_races=False)
    console = Console(record=True, width=100)
    console.print(ExplorationView(exploration))
    text = console.export_text()
    assert "[/] [bold]hi" in text and "[/] oops [red]" in text


def test_unencodable_output_is_replaced():
    (outcome,) = run_model(program("x = 0\nprint('a\\ud800b')\n"), "sc").outcomes
    (line,) = dict(outcome.output)["main"]
    assert line == "a\\ud800b"
    line.encode("utf-8")  # what stdout and JSON need


@pytest.mark.parametrize("source, cut", [
    ("x = 2\nr = x\nx = r ** 1000000000\n", "value size"),
    ("x = 1\nr = x\nx = r << 1000000000\n", "value size"),
    ("x = 1\nr = x\nprint(f'{r:>1000000000}')\n", "value size"),
])
def test_values_too_big_to_hold_make_the_search_partial(source: str, cut: str):
    run = run_model(program(source), "sc")
    assert run.search.cut == cut and run.outcomes == []


def test_deep_nesting_is_a_source_error_with_a_position():
    with pytest.raises(SourceError) as error:
        parse_program("x = 0\ny = " + "-" * 10000 + "1\n", "deep.py")
    assert (error.value.line, error.value.col) == (2, 1) and "nested too deeply" in error.value.message


def test_helpers_calling_helpers_many_times_stop_with_a_clear_error_not_exponential_time():
    lines = ["import threading", "x = 0", "def f0(v):", "    return v + 1"]
    for i in range(1, 21):
        lines += [f"def f{i}(v):", f"    return f{i - 1}(v) + f{i - 1}(v)"]
    lines += ["def w():", "    global x", "    x = f20(1)", "t = threading.Thread(target=w)", "t.start()", "t.join()"]
    with pytest.raises(SourceError) as error:
        parse_program("\n".join(lines) + "\n", "helpers.py")
    assert "grows past" in error.value.message and error.value.line > 0


def test_a_100000_digit_literal_is_rejected_as_cpython_rejects_it():
    with pytest.raises(SourceError) as error:
        parse_program("x = " + "7" * 100_000 + "\nprint(x)\n", "digits.py")
    assert error.value.line == 1 and "Exceeds the limit (4300 digits)" in error.value.message


def test_a_20000_statement_function_is_explored():
    body = "\n".join(f"    x = {i}" for i in range(20_000))
    source = f"import threading\nx = 0\ndef w():\n    global x\n{body}\nt = threading.Thread(target=w)\n" \
             "t.start()\nt.join()\n"
    (outcome,) = run_model(program(source), "sc").outcomes
    assert outcome.values() == {"x": 19_999}


# ------------------------------------------------------------------ mutation fuzzing

MUTANTS_PER_EXAMPLE = 6
SNIPPETS = ["None + 1", "(1, 2) * 3", "1 << -1", "10 ** 100000", "'[/]'", "x[0]", "min(1)", "int((1,))",
            "f'{1:zz}'", "-" * 50 + "1", "(", "lock.release()", "t0.start()", "10 ** 10 ** 10"]


def mutate(source: str, rng: random.Random) -> str:
    lines = source.splitlines()
    i = rng.randrange(len(lines))
    kind = rng.randrange(5)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif kind == 2:
        line = lines[i]
        j = rng.randrange(len(line) + 1)
        lines[i] = line[:j] + rng.choice(SNIPPETS) + line[j:]
    elif kind == 3:
        lines[i] = "".join(str(rng.choice([0, 7, 10 ** 6, -1])) if c.isdigit() else c for c in lines[i])
    else:
        indent = len(lines[i]) - len(lines[i].lstrip())
        lines.insert(i, " " * indent + f"print({rng.choice(SNIPPETS)})")
    return "\n".join(lines) + "\n"


PASSES = pass_names()
EXAMPLE_FILES = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.py"))


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_mutated_examples_never_crash_the_tool(name: str):
    rng = random.Random(name)
    original = (EXAMPLES / name).read_text()
    for _ in range(MUTANTS_PER_EXAMPLE):
        source = mutate(original, rng)
        try:
            parsed = parse_program(source, name)
        except MiscompileError:
            continue  # a file:line:col message: exactly what bad input should get
        exploration = explore_program(parsed, ["sc", "pso"], bounds=Bounds(max_states=3000, max_seconds=2))
        console = Console(record=True, width=80)
        console.print(ExplorationView(exploration))
        assert "Outcomes of" in console.export_text()
        pass_name = rng.choice(PASSES)
        try:
            result = transform(source, name, [pass_name])
        except UsageError:
            continue  # not a pass bug: e.g. the program is outside what the pass can read
        parse_program(result.after, name)  # the pass's output stays in the dialect


def test_a_loop_over_a_billion_items_ends_partial_within_its_bounds():
    local = "import threading\ndef w():\n    s = 0\n    for i in range(10**9):\n        s += i\n" \
            "t = threading.Thread(target=w)\nt.start()\nt.join()\n"
    run = run_model(program(local), "sc", bounds=Bounds(max_local_steps=50_000))
    assert run.search.cut == "local steps"
    shared = local.replace("        s += i", "        x = i").replace("def w():", "x = 0\ndef w():\n    global x")
    run = run_model(program(shared), "sc", bounds=Bounds(max_states=5_000))
    assert run.search.cut == "states"


def test_two_hundred_threads_end_partial_at_the_time_bound():
    starts = "".join(f"t{i} = threading.Thread(target=w)\n" for i in range(200)) + \
        "".join(f"t{i}.start()\n" for i in range(200))
    source = "import threading\nx = 0\ndef w():\n    global x\n    x += 1\n" + starts
    run = run_model(program(source), "tso", bounds=Bounds(max_seconds=1.5))
    assert run.search.cut in ("seconds", "states") and run.search.seconds < 10
