"""Outcomes compare by meaning: failures of an optimised program count at the original's lines."""

from __future__ import annotations

from miscompile.app.comparison import compare_program
from miscompile.linemap import LineMap
from miscompile.outcomes import Failure, Outcome

from conftest import EXAMPLES

# Peterson's lock with an assertion in the critical section (both threads inside: count == 2)
PETERSON_ASSERT = (EXAMPLES / "peterson.py").read_text().replace(
    "    count += 1  # critical section\n",
    "    count += 1  # critical section\n    assert count == 1, \"both threads in the critical section\"\n"
    "    count -= 1\n")


def test_unchanged_lines_map_to_themselves_inserted_and_rewritten_lines_are_written():
    before = "a = 1\nb = 2\nc = 3\n"
    after = "a = 1\nnew = 0\nb = 2\nc = 4\n"
    lines = LineMap.between(before, after)
    assert [lines.original(n) for n in (1, 2, 3, 4)] == [1, 2, 2, 3]
    assert lines.written == {2, 4}


def test_a_moved_line_maps_to_where_it_was_and_is_not_written():
    lines = LineMap.between("x = 1\ny = 2\nassert x\n", "y = 2\nx = 1\nassert x\n")
    assert lines.original(1) == 2 and lines.original(2) == 1 and lines.written == frozenset()


def test_failures_move_back_and_identity_ignores_the_optimised_line():
    lines = LineMap.between("assert x\n", "r = x\nassert r\n")
    outcome = Outcome("assertion", (("x", 0),), failures=(Failure("T", 2, "boom", "assertion"),))
    mapped = lines.outcome(outcome)
    assert mapped.failures[0].line == 1 and mapped.failures[0].optimised_line == 2
    assert mapped == Outcome("assertion", (("x", 0),), failures=(Failure("T", 1, "boom", "assertion"),))


def test_hoisting_above_an_assert_gains_only_the_hang():
    """Peterson with an assert in the critical section: under tso both threads can get in, before
    and after hoisting. Hoisting inserts lines above the assert; the one real change is the hang
    (a thread reads the flags once, sees the other inside, and spins on registers forever)."""
    comparison = compare_program("peterson_assert.py", PETERSON_ASSERT, ["hoist"], ["tso"], with_races=False)
    tso = comparison.models["tso"]
    assert comparison.transformation.line_map.written  # the pass did insert lines
    assert any(o.status == "assertion" for o in tso.before.outcomes)
    assert [o.status for o in tso.gained] == ["hang"]
    assert tso.lost == []


def test_a_failure_at_a_line_the_pass_wrote_is_shown_as_such():
    source = (EXAMPLES / "bounds_check.py").read_text()
    comparison = compare_program("bounds_check.py", source, ["rematerialize"], ["sc"], with_races=False)
    (gained,) = comparison.models["sc"].gained
    (failure,) = gained.failures
    assert failure.optimised_line is not None and failure.message.startswith("IndexError")


def test_the_table_says_the_failing_line_was_written_by_the_passes():
    from rich.console import Console

    from miscompile.views.explore_view import result_text

    failure = Failure("reader", 22, "IndexError: list index out of range", optimised_line=24)
    text = result_text(Outcome("error", (("i", 5),), failures=(failure,)))
    assert text.startswith("reader line 22 (line 24 as rewritten): IndexError")
    console = Console(record=True, width=100)
    console.print(text)
    assert "line 24 as rewritten" in console.export_text()


def test_objects_made_at_run_time_are_named_by_the_original_line_of_their_site():
    from miscompile.evaluate import Instance
    from miscompile.linemap import LineMap
    from miscompile.outcomes import Outcome

    before = "a = 1\nc = Config()\n"
    after = "a = 1\nc = 42\nc = Config()\n"  # a pass wrote line 2: the site moved to line 3
    lines = LineMap.between(before, after)
    seen = Outcome("ok", (("c", Instance("Config@3", "Config")), ("Config@3.value", 5)))
    mapped = lines.outcome(seen)
    assert mapped.final == (("c", Instance("Config@2", "Config")), ("Config@2.value", 5))
