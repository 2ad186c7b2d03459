"""robust and fences: verdicts pinned from reasoning and the published x86-TSO/PSO results."""

from __future__ import annotations

import itertools
import json
import tomllib

import pytest
from conftest import EXAMPLES, invoke

from miscompile.analysis import run_model
from miscompile.app.fencing import find_fences
from miscompile.app.robustness import check_robust
from miscompile.app.subject import study
from miscompile.frontend import parse_program
from miscompile.linemap import LineMap
from miscompile.trace import matches, parse_match
from transforms.fences import Placement, fence_points, insert_fences

EXPECTED = tomllib.loads((EXAMPLES / "expected.toml").read_text())
LITMUS = sorted(name for name in EXPECTED if name.startswith("litmus/"))


def expected_set(entry: dict, model: str) -> set[str]:
    value = entry[model]
    while isinstance(value, str):
        value = entry[value]
    return set(value)


def search(name: str, model: str, **options):
    path = EXAMPLES / name
    return find_fences(f"examples/{name}", path.read_text(), model, **options)


def unwanted_left(source: str, model: str, sc_source: str, forbid: list[str] | None = None) -> list:
    """The outcomes of ``source`` under ``model`` that sc (of the original) does not allow, or that
    match ``forbid`` - explored here, independently of the search."""
    sc = set(run_model(parse_program(sc_source, "p.py"), "sc").outcomes)
    outcomes = run_model(parse_program(source, "p.py"), model).outcomes
    if forbid:
        return [o for o in outcomes if any(matches(o, parse_match(f)) for f in forbid)]
    return [o for o in outcomes if o not in sc]


@pytest.mark.parametrize("name, model, robust", [
    ("litmus/sb.py", "tso", False), ("litmus/sb.py", "pso", False),
    ("litmus/mp.py", "tso", True), ("litmus/mp.py", "pso", False),
    ("litmus/iriw.py", "tso", True), ("litmus/iriw.py", "pso", True),
    ("broken_flag.py", "tso", True), ("broken_flag.py", "pso", False),
    ("peterson.py", "tso", False), ("peterson_fence.py", "tso", True),
])
def test_robustness_verdicts(name: str, model: str, robust: bool):
    """x86-TSO keeps store order (MP, the broken flag and IRIW are robust; SB is not: a load
    overtakes the thread's buffered store); PSO also lets stores to different locations leave out
    of order, which breaks MP and the flag. IRIW stays robust under both: stores reach all readers
    at once from one memory."""
    path = EXAMPLES / name
    result = check_robust(study(str(path), path.read_text()), [model])
    assert result.complete and result.models[0].robust is robust


@pytest.mark.parametrize("name", LITMUS)
def test_robustness_of_every_litmus_example_matches_its_expected_rows(name: str):
    entry = EXPECTED[name]
    path = EXAMPLES / name
    result = check_robust(study(str(path), path.read_text()), ["tso", "pso"])
    for model in result.models:
        assert model.robust == (expected_set(entry, model.model) <= expected_set(entry, "sc")), model.model


def test_a_non_sc_witness_names_the_buffered_store_and_the_load():
    path = EXAMPLES / "litmus" / "sb.py"
    (model,) = check_robust(study(str(path), path.read_text()), ["tso"]).models
    (added,) = model.added
    assert added.outcome.values()["r1"] == 0 and added.outcome.values()["r2"] == 0
    delay = added.delays[0]
    assert delay.kind == "store-load" and delay.store.endswith("=1") and delay.later.endswith("=0")
    mp = EXAMPLES / "litmus" / "mp.py"
    (model,) = check_robust(study(str(mp), mp.read_text()), ["pso"]).models
    # the writer's y = 1 overtakes its x = 1 (the reader's own result stores may wait too: r1, r2)
    assert [(d.thread, d.store, d.later) for d in model.added[0].delays if d.kind == "store-store"] == \
        [("writer", "x=1", "y=1")]


@pytest.mark.parametrize("name, model, count, cost", [
    ("litmus/sb.py", "tso", 2, 2),  # one full fence per thread, between its store and its load
    ("litmus/mp.py", "tso", 0, 0),  # robust: nothing to do
    ("litmus/mp.py", "pso", 1, 1),  # one write fence between the writer's two stores
    ("litmus/iriw.py", "tso", 0, 0),
    ("litmus/iriw.py", "pso", 0, 0),
    ("peterson.py", "tso", 1, 1),  # one full fence in worker (each thread runs it) before it reads
    # pso: flag before turn (write), both before the loads (full), and the critical section's store
    # before the exit store flag[me] = False (write), or the other thread enters and reads a stale count
    ("peterson.py", "pso", 3, 4),
    ("broken_flag.py", "tso", 0, 0),
    ("broken_flag.py", "pso", 1, 1),  # data before ready
])
def test_fewest_fences(name: str, model: str, count: int, cost: int):
    found = search(name, model)
    assert found.found and found.complete
    assert len(found.placements) == count and found.cost == cost
    original = (EXAMPLES / name).read_text()
    assert unwanted_left(found.after, model, original) == []  # verified here too, by a fresh exploration
    if count:
        assert found.attempts and not found.attempts[-1].remaining


@pytest.mark.parametrize("name, model", [("litmus/sb.py", "tso"), ("litmus/mp.py", "pso"), ("peterson.py", "tso"),
                                         ("peterson.py", "pso"), ("broken_flag.py", "pso")])
def test_removing_any_one_fence_brings_an_outcome_back(name: str, model: str):
    found = search(name, model)
    original = (EXAMPLES / name).read_text()
    for dropped in found.placements:
        fewer = insert_fences(original, [p for p in found.placements if p != dropped])
        assert unwanted_left(fewer, model, original), f"{dropped} is not needed"


@pytest.mark.parametrize("name, model, count", [("litmus/sb.py", "tso", 2), ("peterson.py", "pso", 3)])
def test_no_smaller_set_of_any_placements_works(name: str, model: str, count: int):
    """An exhaustive check, independent of the search: every set of count - 1 placements (any point,
    a full fence: the strongest kind) leaves an outcome sc does not allow."""
    original = (EXAMPLES / name).read_text()
    points = fence_points(original)
    for chosen in itertools.combinations(points, count - 1):
        fenced = insert_fences(original, [Placement(point, "full") for point in chosen])
        assert unwanted_left(fenced, model, original), chosen


def test_forbid_removes_only_the_named_outcome_and_the_fences_keep_comments():
    found = search("litmus/sb.py", "tso", forbid=["r1=0,r2=0"])
    assert len(found.placements) == 2
    peterson = search("peterson.py", "tso")
    assert "count += 1  # critical section" in peterson.after
    assert "from miscompile.atomics import fence" in peterson.after
    only_write = search("broken_flag.py", "pso", kinds=["full"])
    assert [p.kind for p in only_write.placements] == ["full"] and only_write.cost == 2


def test_fence_points_are_between_statements_inside_functions():
    source = (EXAMPLES / "peterson.py").read_text()
    points = fence_points(source)
    lines = source.splitlines()
    assert points and all(p.function == "worker" for p in points)
    assert not any(lines[p.line - 1].strip().startswith("global") for p in points if not p.after)
    # every point accepts a fence and the result is still in the dialect
    for point in points:
        parse_program(insert_fences(source, [Placement(point, "full")]), "p.py")


def test_robust_and_fences_commands():
    done = invoke("robust", "examples/litmus/mp.py", "--model", "tso")
    assert done.returncode == 0 and "tso: robust" in done.stdout
    done = invoke("robust", "examples/litmus/mp.py", "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 1 and data["models"]["tso"]["robust"] and not data["models"]["pso"]["robust"]
    assert data["models"]["pso"]["added"][0]["delays"][0]["kind"] == "store-store"
    done = invoke("fences", "examples/litmus/sb.py", "--model", "tso", "--print")
    assert done.returncode == 0 and done.stdout.count("fence()") == 2
    done = invoke("fences", "examples/litmus/sb.py", "--model", "tso")
    assert "2 fence(s) remove" in done.stdout and "candidate set(s) verified" in done.stdout
    data = json.loads(invoke("fences", "examples/litmus/mp.py", "--model", "pso", "--json").stdout)
    assert [(f["kind"], f["function"]) for f in data["fences"]] == [("write", "writer")]
    assert data["candidate_sets_verified"] >= 1 and len(data["removed"]) == 1
    done = invoke("fences", "examples/litmus/sb.py", "--model", "pso", "--kinds", "read")
    assert done.returncode == 2


def test_fix_strategy_fences_writes_the_fenced_program_and_says_races_remain(tmp_path):
    out = tmp_path / "sb_fenced.py"
    done = invoke("fix", "examples/litmus/sb.py", "--strategy", "fences", "--model", "tso", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text().count("fence()") == 2
    assert "still race" in done.stdout
    assert unwanted_left(out.read_text(), "tso", (EXAMPLES / "litmus" / "sb.py").read_text()) == []
    done = invoke("fix", "examples/litmus/sb.py", "--strategy", "fences", "--model", "sc")
    assert done.returncode == 2 and "tso and pso" in done.stderr


def test_fix_strategy_lock_wraps_the_racing_accesses_and_verifies():
    done = invoke("fix", "examples/racy_counter.py", "--strategy", "lock", "--print")
    assert done.returncode == 0
    assert "with fix_lock:" in done.stdout and "fix_lock = threading.Lock()" in done.stdout
    locked = parse_program(done.stdout, "locked.py")
    # the lost updates are gone under every machine: the count is always 4 (2 threads x 2 increments)
    for model in ("sc", "tso", "pso"):
        assert {o.values()["counter"] for o in run_model(locked, model).outcomes} == {4}


def test_compare_fenced_shows_fences_do_not_stop_a_compiler_pass():
    """hoist-load reads the published value before the flag: a fence between the consumer's loads in
    the source orders nothing once the compiler moved the load above it, so the fenced twin still
    gains the outcome under sc, where the atomic twin gains nothing."""
    done = invoke("compare", "examples/publication.py", "--pass", "hoist-load", "--model", "sc,pso", "--fenced",
                  "--json")
    data = json.loads(done.stdout)
    assert data["fenced"]["fence_model"] == "pso" and data["fenced"]["fences"]
    assert data["fenced"]["models"]["sc"]["gained"]
    atomic = json.loads(invoke("compare", "examples/publication.py", "--pass", "hoist-load", "--model", "sc",
                               "--atomic", "--json").stdout)
    assert atomic["atomic"]["gained"] == []


def test_a_fences_lesson_fails_when_the_count_is_wrong():
    from miscompile.app.gallery import Demonstration, run_demonstration

    wrong = Demonstration("litmus/sb.py", (), "tso", "r1=0,r2=0", "SB needs one fence (it does not)", fences=1)
    result = run_demonstration(wrong)
    assert result.complete and not result.holds and len(result.fences_found) == 2


def test_robust_under_arm_lists_what_arm_adds():
    """seed 001: with only the producer's write fence, arm still lets the consumer's loads be
    satisfied out of order (seen = 0), which sc never shows."""
    path = EXAMPLES / "publication_write_fence.py"
    (model,) = check_robust(study(str(path), path.read_text()), ["arm"]).models
    assert not model.robust and any(a.outcome.values()["seen"] == 0 for a in model.added)
    both = EXAMPLES / "publication_both_fences.py"
    assert check_robust(study(str(both), both.read_text()), ["arm"]).models[0].robust


def test_seed_001_on_arm_needs_a_write_fence_in_the_producer_and_a_read_fence_in_the_consumer():
    found = search("publication_no_fence.py", "arm")
    assert found.found and found.complete
    assert [(p.kind, p.point.function) for p in found.placements] == [("write", "producer"), ("read", "consumer")]
    assert found.cost == 2
    original = (EXAMPLES / "publication_no_fence.py").read_text()
    assert unwanted_left(found.after, "arm", original) == []
    for dropped in found.placements:  # either one alone leaves seen = 0
        fewer = insert_fences(original, [p for p in found.placements if p != dropped])
        assert unwanted_left(fewer, "arm", original)


def test_forbid_naming_what_the_outcomes_lack_is_a_usage_error():
    done = invoke("fences", "examples/litmus/sb.py", "--model", "tso", "--forbid", "q=1")
    assert done.returncode == 2 and "names q" in done.stderr


def test_the_views_read_well_at_80_columns():
    from conftest import render

    from miscompile.views.fences_view import FencesView
    from miscompile.views.robust_view import RobustnessView

    path = EXAMPLES / "peterson.py"
    text = render(RobustnessView(check_robust(study(str(path), path.read_text()), ["tso"])), width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "tso: not robust" in text
    assert "while its stores flag[0]=True (line 24) and turn=1 (line 25) were still in its buffer" in \
        " ".join(text.split())
    text = render(FencesView(search("peterson.py", "tso")), width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "fence() before line 26 (in worker)" in text and "+     fence()" in text


ALL_EXAMPLES = sorted([*EXAMPLES.glob("*.py"), *EXAMPLES.glob("*/*.py")])


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_a_fence_at_every_point_keeps_the_program_in_the_dialect_and_its_sc_outcomes(path):
    """Fences are no-ops under sc: every point takes one, and the sc outcomes stay the same."""
    source = path.read_text()
    fenced = insert_fences(source, [Placement(point, "full") for point in fence_points(source)])
    program = parse_program(fenced, str(path))
    original = run_model(parse_program(source, str(path)), "sc")
    after = run_model(program, "sc")
    assert original.search.complete and after.search.complete
    line_map = LineMap.between(source, fenced)
    assert {line_map.outcome(o) for o in after.outcomes} == set(original.outcomes)


def test_a_reordering_inside_one_statement_cannot_be_fenced_and_the_tool_says_so():
    """object_made_at_run_time: `config = Config(21)` stores the attribute (in __init__) and then the
    global in one statement; pso lets the global overtake it, and no point between statements lies
    between the two stores."""
    found = search("idioms/object_made_at_run_time.py", "pso")
    assert not found.found and found.impossible is not None and found.impossible.status == "error"
    done = invoke("fences", "examples/idioms/object_made_at_run_time.py", "--model", "pso")
    assert done.returncode == 1 and "Split the statement" in " ".join(done.stdout.split())


def test_sb_under_pso_needs_the_same_two_full_fences():
    """pso keeps tso's store-to-load reordering: SB needs a full fence per thread there too. The first
    witness also reorders a thread's result store, which a write fence would cut; the search must then
    strengthen that write fence to a full one, not give up."""
    found = search("litmus/sb.py", "pso")
    assert found.found and [p.kind for p in found.placements] == ["full", "full"] and found.cost == 4
