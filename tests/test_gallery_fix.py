"""The gallery's demonstrations (each one a test), the `fix` codemod and `compare --atomic`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import Done, EXAMPLES, ROOT, finals, invoke, outcomes

from miscompile.frontend import parse_program, read_source
from miscompile.app.gallery import DEMONSTRATIONS, run_demonstration
from miscompile.races import find_races
from transforms.fix import fix_source


def run(*args: str, env: dict[str, str] | None = None) -> Done:
    """The command, in this process (``conftest.invoke``)."""
    return invoke(*args, env=env)


GAINING = [d for d in DEMONSTRATIONS if not d.never and d.expect != "undefined"]


@pytest.mark.parametrize("demo", GAINING, ids=lambda d: f"{d.title}-{d.model}")
def test_demonstration_holds(demo):
    result = run_demonstration(demo)
    assert result.gained, "the racy version gains something"
    assert result.shows_lesson, f"one gained outcome shows {demo.expect}"
    assert result.twin_gained == [], "the fixed twin gains nothing"


def test_seed_001_on_arm_needs_both_fences():
    lesson = next(d for d in DEMONSTRATIONS if d.example == "publication_write_fence.py")
    result = run_demonstration(lesson)
    assert [o.values()["seen"] for o in result.gained] == [0] and result.holds


def test_out_of_thin_air_never_happens_under_rc11_nor_arm():
    lessons = [d for d in DEMONSTRATIONS if d.never]
    assert {d.model for d in lessons} == {"rc11", "arm"}
    for lesson in lessons:
        result = run_demonstration(lesson)
        assert result.seen == [] and result.holds, lesson.model


def test_plain_peterson_is_undefined_under_rc11_and_its_atomic_twin_is_not():
    lesson = next(d for d in DEMONSTRATIONS if d.expect == "undefined")
    result = run_demonstration(lesson)
    assert "turn" in result.undefined and result.twin_undefined == [] and result.holds


def test_a_never_lesson_fails_when_the_outcome_happens():
    """The same check on a program where 42 does appear: the lesson must not hold."""
    from miscompile.app.gallery import Demonstration

    result = run_demonstration(Demonstration("litmus/sb.py", (), "arm", "r1=0,r2=0", "SB happens", never=True))
    assert result.seen and not result.holds


def test_hardware_lessons_are_skipped_under_sc_not_failed():
    sb = next(d for d in DEMONSTRATIONS if d.example == "litmus/sb.py")
    result = run_demonstration(sb, "sc")
    assert result.skipped and result.holds


def test_gallery_cli_json_and_exit_status():
    done = run("gallery", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == len(DEMONSTRATIONS)
    assert all(row["holds"] and row["twin_gained"] == [] for row in rows)
    assert {row["model"] for row in rows} >= {"sc", "tso", "pso", "arm", "rc11"}
    hoist = next(r for r in rows if r["passes"] == ["hoist"])
    assert [o["status"] for o in hoist["gained"]] == ["hang"]


# ----------------------------------------------------------------- fix


@pytest.mark.parametrize("name", ["broken_flag.py", "recursive_lock.py", "racy_counter.py", "publication.py",
                                  "double_checked.py", "bounds_check.py", "litmus/sb.py", "litmus/iriw.py",
                                  "peterson.py", "idioms/object_check_then_act.py", "idioms/object_publication.py",
                                  "idioms/lazy_init_is_none.py", "idioms/thread_subclass_lost_update.py"])
def test_fix_leaves_no_race_and_keeps_running(name, tmp_path):
    path = str(EXAMPLES / name)
    fixed = fix_source(read_source(path), path)
    assert fixed.made_atomic and fixed.remaining == ()
    assert find_races(parse_program(fixed.after, path))[0] == []
    target = tmp_path / "fixed.py"
    target.write_text(fixed.after)
    done = subprocess.run([sys.executable, str(target)], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_fix_rewrites_each_kind_of_access_and_keeps_comments():
    source = (EXAMPLES / "racy_counter.py").read_text().replace(
        "        counter += 1", "        counter += 1  # the racy increment")
    fixed = fix_source(source, "racy_counter.py")
    assert "counter = Atomic(0)" in fixed.after
    assert "        counter.fetch_add(1)  # the racy increment" in fixed.after
    assert "print(counter.load())" in fixed.after
    assert fixed.after.count('"""') == source.count('"""')  # the docstring is untouched
    # an atomic increment cannot be lost: the count is always 4 (2 threads x 2)
    assert finals(fixed.after, "sc", "counter") == {(4,)}


def test_fix_orders():
    path = str(EXAMPLES / "broken_flag.py")
    fixed = fix_source(read_source(path), path, "acquire-release")
    assert 'ready.store(True, order="release")' in fixed.after
    assert 'while not ready.load(order="acquire"):' in fixed.after


def test_fix_makes_a_racing_list_a_list_of_atomics():
    """Peterson's flags: every element races, so the list becomes one Atomic per element, and the
    fixed program keeps mutual exclusion under every model (count is always 2)."""
    done = run("fix", str(EXAMPLES / "peterson.py"), "--print")
    assert done.returncode == 0, done.stderr
    assert "flag = [Atomic(False), Atomic(False)]" in done.stdout
    assert "flag[me].store(True)" in done.stdout and "while flag[other].load() and turn.load() == other:" \
        in done.stdout
    for model in ("sc", "tso", "pso"):
        assert {v[0] for v in finals(done.stdout, model, "count")} == {2}


def test_fix_sizes_a_list_of_atomics_one_per_element():
    source = ("import threading\nN = 2\nslots = [0] * N\ndef f(i):\n    slots[0] += i\n"
              "a = threading.Thread(target=f, args=(1,))\nb = threading.Thread(target=f, args=(2,), name=\"g\")\n"
              "a.start()\nb.start()\na.join()\nb.join()\nprint(slots[0])\n")
    fixed = fix_source(source, "slots.py")
    assert "slots = [Atomic(0) for _ in range(N)]" in fixed.after
    assert "slots[0].fetch_add(i)" in fixed.after and "print(slots[0].load())" in fixed.after
    assert finals(fixed.after, "sc", "slots[0]") == {(3,)}  # the increments can no longer be lost


def test_fix_makes_a_racing_attribute_atomic_in_init_and_at_every_use():
    path = str(EXAMPLES / "idioms" / "object_check_then_act.py")
    fixed = fix_source(read_source(path), path)
    assert fixed.made_atomic == ("account.balance",)
    assert "self.balance = Atomic(balance)" in fixed.after
    assert "if self.balance.load() >= amount:" in fixed.after and "self.balance.fetch_sub(amount)" in fixed.after


def test_fix_reports_dataclass_fields_and_dict_keys_it_cannot_make_atomic():
    done = run("fix", str(EXAMPLES / "idioms" / "dataclass_account_racy.py"), "--print")
    assert done.returncode == 1 and "is a field of the @dataclass Account" in done.stderr
    done = run("fix", str(EXAMPLES / "idioms" / "dict_word_count_racy.py"), "--print")
    assert done.returncode == 1 and "still racing: counts['a']" in done.stderr


def test_compare_atomic_shows_the_twin_gains_nothing():
    done = run("compare", str(EXAMPLES / "publication.py"), "--pass", "hoist-load", "--model", "sc", "--atomic",
               "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert any(o["final"]["r"] == 0 for o in data["gained"])
    assert data["atomic"]["made_atomic"] == ["x", "ready"]
    assert data["atomic"]["gained"] == []


def test_under_another_model_lessons_it_already_shows_are_skipped():
    reorder = next(d for d in DEMONSTRATIONS if d.passes == ("reorder",) and d.example == "broken_flag.py")
    result = run_demonstration(reorder, "pso")  # pso prints 0 with or without the pass
    assert result.skipped == "pso allows this without the pass" and result.holds
    hoist = next(d for d in DEMONSTRATIONS if d.passes == ("hoist",))
    assert not run_demonstration(hoist, "pso").skipped  # the hang is new under every model


TUPLES = """import threading

x, y = 1, 2
a = b = 0


def swap():
    global x, y
    x, y = y, x


def bump():
    global a, b
    a = b = x + 1
    r: int = y
    print(r)


t1 = threading.Thread(target=swap)
t2 = threading.Thread(target=bump)
t1.start()
t2.start()
t1.join()
t2.join()
print(x, y, a, b)
"""


def test_fix_rewrites_tuple_chained_and_annotated_assignments_into_valid_python(tmp_path):
    fixed = fix_source(TUPLES, "tuples.py")
    assert fixed.problems == () and set(fixed.made_atomic) == {"x", "y"}
    assert "x = Atomic(1)\ny = Atomic(2)\n" in fixed.after
    assert "x_value, y_value = y.load(), x.load()" in fixed.after  # the right side first, as Python does
    assert find_races(parse_program(fixed.after, "tuples.py"))[0] == []
    # one interleaving CPython can run: the swap, then bump, then main prints; both agree
    target = tmp_path / "fixed.py"
    target.write_text(fixed.after)
    done = subprocess.run([sys.executable, str(target)], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    printed = {dict(o.output)["main"][0] for o in outcomes(fixed.after, "sc")}
    assert done.stdout.strip().splitlines()[-1] in printed
    # the swap keeps its meaning: the final pair is always (2, 1)
    assert finals(fixed.after, "sc", "x", "y") == {(2, 1)}


def test_fix_says_which_statement_it_cannot_rewrite_and_writes_nothing(tmp_path):
    source = ("import threading\ni = 0\ndef f():\n    global i\n    for i in range(3):\n        pass\n"
              "def g():\n    print(i)\nt1 = threading.Thread(target=f)\nt2 = threading.Thread(target=g)\n"
              "t1.start()\nt2.start()\nt1.join()\nt2.join()\n")
    path = tmp_path / "loop.py"
    path.write_text(source)
    out = tmp_path / "out.py"
    done = run("fix", str(path), "-o", str(out))
    assert done.returncode == 1
    assert f"{path}:5: cannot rewrite this statement" in done.stderr and "for i in" in done.stderr
    assert not out.exists()


BANK = """import threading

balance = 100


def withdraw(amount):
    global balance
    if balance >= amount:
        balance -= amount
    assert balance >= 0, "overdrawn"


a = threading.Thread(target=withdraw, args=(80,), name="A")
b = threading.Thread(target=withdraw, args=(80,), name="B")
a.start()
b.start()
a.join()
b.join()
"""


def test_fix_reports_an_atomicity_bug_that_survives_and_a_verified_lock(tmp_path):
    """Both threads can pass the check before either withdraws (every model): no race is left
    after the fix, but the balance goes to -60 and the assert at line 10 fails. One lock around
    the check and the act makes each withdrawal whole: the second sees 20 and skips."""
    path = tmp_path / "bank.py"
    path.write_text(BANK)
    done = run("fix", str(path))
    assert done.returncode == 1
    text = " ".join(done.stdout.split())
    assert "No data races remain, but the assertion at line 10 still fails (overdrawn)" in text
    assert "A lock around lines 8–10 (withdraw) removes it (checked under sc, tso, pso" in text
    from miscompile.app.fixing import check_fix

    check = check_fix(fix_source(BANK, "bank.py"), ["sc"])
    assert [(f.line, f.message) for f in check.failures] == [(10, "overdrawn")]
    assert check.remedy is not None and check.remedy.holds
    assert finals(check.remedy.suggestion.after, "sc", "balance") == {(20,)}


def test_fix_of_a_program_that_is_then_correct_exits_0():
    done = run("fix", str(EXAMPLES / "racy_counter.py"), "--model", "sc")
    assert done.returncode == 0, done.stdout
    assert "still fails" not in done.stdout


def test_fix_makes_racing_byte_fields_atomics_keeping_the_low_byte(tmp_path):
    """A ctypes.Structure cannot hold Atomics: the instance becomes an object of a plain class with
    one Atomic per field, and stores keep c_uint8's low byte, so the outcomes stay those of the
    original (here a lost update of b1, which is an atomicity bug, not a race)."""
    source = ("import ctypes\nimport threading\n\n\nclass Flags(ctypes.Structure):\n"
              "    _fields_ = [(\"b1\", ctypes.c_uint8), (\"b2\", ctypes.c_uint8)]\n\n\nflags = Flags()\n\n\n"
              "def bump():\n    flags.b1 += 200\n    flags.b2 = 300\n\n\n"
              "t1 = threading.Thread(target=bump)\nt2 = threading.Thread(target=bump)\n"
              "t1.start()\nt2.start()\nt1.join()\nt2.join()\nprint(flags.b1, flags.b2)\n")
    fixed = fix_source(source, "flags.py")
    assert fixed.remaining == () and set(fixed.made_atomic) == {"flags.b1", "flags.b2"}
    assert "flags = FlagsAtomics()" in fixed.after and "self.b1 = Atomic(0)" in fixed.after
    assert "flags.b2.store((300) & 0xFF)" in fixed.after
    # 200 + 200 wraps to 144; one add lost leaves 200; b2 keeps 300's low byte, 44
    assert finals(fixed.after, "sc", "flags.b1", "flags.b2") == {(144, 44), (200, 44)}
    target = tmp_path / "fixed.py"
    target.write_text(fixed.after)
    done = subprocess.run([sys.executable, str(target)], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
