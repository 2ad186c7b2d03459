"""check-pass: race-introducing passes are caught with a shrunk, race-free counterexample."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from miscompile.analysis import run_model
from miscompile.app.check_pass import check_pass
from miscompile.frontend import parse_program
from miscompile.races import find_races


@pytest.mark.parametrize("name", ["widen", "speculate", "promote"])
def test_race_introducing_passes_are_caught(name: str):
    check = check_pass(name, examples=200, seed=0, shrink_steps=60)
    assert check.consistent and check.verdict == "confirmed" and check.counterexample is not None
    example = check.counterexample
    before = parse_program(example.before, "c.py")
    assert find_races(before)[0] == []  # the evidence: the original is race-free
    assert find_races(parse_program(example.after, "c.py"))[0] != []  # the pass added a race
    gained = set(run_model(parse_program(example.after, "c.py"), "sc").outcomes) - \
        set(run_model(before, "sc").outcomes)
    assert gained and set(example.gained) == gained


def test_a_drf_safe_pass_reports_how_many_programs_it_checked():
    check = check_pass("hoist", examples=30, seed=1)
    assert check.counterexample is None and check.programs == 30 and check.consistent


def test_check_pass_cli_exit_statuses():
    def run(*args):  # a real process: check-pass's hypothesis search runs faster outside pytest's
        return subprocess.run([sys.executable, "-m", "miscompile", "check-pass", *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=600, check=False)

    found = run("widen", "--examples", "60", "--seed", "1", "--shrink-steps", "40", "--json")
    assert found.returncode == 1
    data = json.loads(found.stdout)
    assert data["consistent"] and data["counterexample"]["race_free_evidence"]["races"] == []
    assert "store_word" in data["counterexample"]["after"]

    shown = run("widen", "--examples", "60", "--seed", "1", "--shrink-steps", "40")
    assert shown.returncode == 1
    assert "found no data race" in shown.stdout
    assert "Data races before: none; after: flags." in shown.stdout
    assert "Witness of counterexample.py under sc after widen" in shown.stdout

    safe = run("fuse", "--examples", "15")
    assert safe.returncode == 0
    assert "no race-free program among 15 changed its outcomes under sc" in safe.stdout

    assert run("--examples", "3").returncode == 2  # neither a name nor --all


def test_a_race_introducing_pass_without_counterexample_is_not_confirmed_not_contradicting():
    check = check_pass("promote", examples=1, seed=3)
    if check.counterexample is None:  # one program rarely holds one
        assert check.verdict == "not confirmed" and check.consistent
    else:
        assert check.verdict == "confirmed"
    from miscompile.app.check_pass import PassCheck
    from miscompile.views.check_pass_view import PassCheckTable

    checks = [PassCheck("speculate", "race-introducing", "sc", 20, None),
              PassCheck("hoist", "drf-safe", "sc", 20, None)]
    assert [c.verdict for c in checks] == ["not confirmed", "holds"] and all(c.consistent for c in checks)
    from rich.console import Console

    console = Console(record=True, width=100)
    console.print(PassCheckTable(checks))
    text = console.export_text()
    assert "not confirmed among 20" in text and "Contradicting" not in text


def test_only_a_counterexample_to_a_drf_safe_claim_contradicts():
    from miscompile.app.check_pass import Counterexample, PassCheck

    example = Counterexample("before", "after", [], [], 10)
    assert PassCheck("hoist", "drf-safe", "sc", 5, example).verdict == "contradicted"
    assert not PassCheck("hoist", "drf-safe", "sc", 5, example).consistent
    assert PassCheck("widen", "race-introducing", "sc", 5, example).verdict == "confirmed"


def test_the_same_seed_gives_the_same_counterexample():
    first = check_pass("widen", examples=60, seed=1, shrink_steps=30)
    second = check_pass("widen", examples=60, seed=1, shrink_steps=30)
    assert first.counterexample is not None
    assert first.counterexample.before == second.counterexample.before


def test_under_rc11_a_pass_that_makes_a_race_free_program_racy_changes_it():
    """speculate stores unconditionally: under C11 that introduces a data race, so the optimised
    program is undefined. rc11 says so long before sc finds a changed outcome (sc needs a lucky
    interleaving, rc11 only the race), and the verdict is per model."""
    check = check_pass("speculate", examples=20, model="rc11", shrink_steps=5)
    assert check.model == "rc11" and check.verdict == "confirmed"
    example = check.counterexample
    assert example is not None and example.undefined
    assert all(name in example.after for name in example.undefined)


def test_under_rc11_a_drf_safe_pass_keeps_race_free_programs_defined():
    check = check_pass("hoist", examples=15, model="rc11", shrink_steps=5)
    assert check.verdict == "holds" and check.programs >= 1
