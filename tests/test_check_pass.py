"""check-pass: race-introducing passes are caught with a shrunk, race-free counterexample."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from miscompile.analysis import run_model
from miscompile.check_pass import check_pass
from miscompile.frontend import parse_program
from miscompile.races import find_races


@pytest.mark.parametrize("name", ["widen", "speculate", "promote"])
def test_race_introducing_passes_are_caught(name: str):
    check = check_pass(name, examples=200, seed=0, shrink_seconds=5)
    assert check.consistent and check.counterexample is not None
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
    def run(*args):
        return subprocess.run([sys.executable, "-m", "miscompile", "check-pass", *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=600, check=False)

    found = run("widen", "--examples", "40", "--shrink-seconds", "3", "--json")
    assert found.returncode == 1
    data = json.loads(found.stdout)
    assert data["consistent"] and data["counterexample"]["race_free_evidence"]["races"] == []
    assert "store_word" in data["counterexample"]["after"]

    shown = run("widen", "--examples", "40", "--shrink-seconds", "3")
    assert shown.returncode == 1
    assert "found no data race" in shown.stdout
    assert "Data races before: none; after: flags." in shown.stdout
    assert "Witness of counterexample.py under sc after widen" in shown.stdout

    safe = run("fuse", "--examples", "15")
    assert safe.returncode == 0
    assert "no race-free program among 15 changed its outcomes under sc" in safe.stdout

    assert run("--examples", "3").returncode == 2  # neither a name nor --all
