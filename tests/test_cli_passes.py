"""The pass commands: passes, transform and compare, their output, exports and exit statuses."""

from __future__ import annotations

import json

import pytest
from conftest import Done, EXAMPLES, ROOT, invoke

from transforms.registry import BUILTIN


def run(*args: str, env: dict[str, str] | None = None) -> Done:
    """The command, in this process (``conftest.invoke``)."""
    return invoke(*args, env=env)


def test_passes_lists_every_pass_with_its_legality():
    done = run("passes")
    assert done.returncode == 0
    for name in BUILTIN:
        assert name in done.stdout
    rows = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines() if line.split()
            and line.split()[0] in BUILTIN}
    assert rows["hoist"] == "drf-safe" and rows["widen"] == "race-introducing"
    assert rows["speculate"] == rows["promote"] == "race-introducing"


def test_passes_explains_one_pass():
    done = run("passes", "scratch-store")
    assert done.returncode == 0
    assert "Preconditions" in done.stdout and "value=42" in done.stdout


def test_transform_print_writes_only_the_new_source():
    done = run("transform", str(EXAMPLES / "broken_flag.py"), "--pass", "hoist", "--print")
    assert done.returncode == 0, done.stderr
    original = (EXAMPLES / "broken_flag.py").read_text()
    assert done.stdout == original.replace("    while not ready:", "    _ready = ready\n    while not _ready:")


def test_transform_options_reach_the_pass():
    done = run("transform", str(EXAMPLES / "recursive_lock.py"), "--pass", "scratch-store:value=7", "--print")
    assert done.returncode == 0, done.stderr
    assert "        owner = 7\n        owner = me\n" in done.stdout
    assert "declined: `count += 1` reads `count`" in done.stderr


def test_transform_shows_both_versions_the_change_and_the_declines(tmp_path):
    out = tmp_path / "hoisted.py"
    done = run("transform", str(EXAMPLES / "broken_flag_atomic.py"), "--pass", "hoist", "-o", str(out))
    assert done.returncode == 0
    assert "No change" in done.stdout
    assert "`ready` is atomic" in done.stdout
    assert out.read_text() == (EXAMPLES / "broken_flag_atomic.py").read_text()

    done = run("transform", str(EXAMPLES / "broken_flag.py"), "--pass", "hoist", env={"COLUMNS": "100"})
    lines = done.stdout.splitlines()
    changed = [line for line in lines if "_ready" in line]
    assert any("-     while not ready:" in line and "+     while not _ready:" in line for line in changed)
    assert any("+     _ready = ready" in line for line in changed)


def test_transform_unified_diff():
    done = run("transform", str(EXAMPLES / "byte_fields.py"), "--pass", "widen", "--diff", "unified")
    assert done.returncode == 0
    assert "-    flags.b1 = 1" in done.stdout
    assert "+    _word = load_word(flags)" in done.stdout
    assert "+from miscompile.words import load_word, store_word" in done.stdout


def test_exports_write_svg_and_html(tmp_path):
    svg, html = tmp_path / "t.svg", tmp_path / "t.html"
    done = run("transform", str(EXAMPLES / "broken_flag.py"), "--pass", "hoist", "--svg", str(svg),
               "--html", str(html))
    assert done.returncode == 0, done.stderr
    assert svg.read_text().lstrip().startswith("<svg") and "_ready" in svg.read_text().replace("&#160;", " ")
    assert "<html" in html.read_text() and "_ready" in html.read_text()


def test_compare_json_follows_the_contract():
    done = run("compare", str(EXAMPLES / "broken_flag.py"), "--pass", "hoist", "--model", "sc", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"passes", "model", "complete", "before", "after", "gained", "lost"}
    assert data["passes"] == ["hoist"] and data["model"] == "sc"
    assert data["before"] == [{"status": "ok", "final": {"data": 42, "ready": True}, "output": {"reader": ["42"]}}]
    assert data["gained"] == [{"status": "hang", "output": {}, "stuck": ["main", "reader"]}]
    assert data["lost"] == []
    assert sorted(map(json.dumps, data["after"])) == sorted(map(json.dumps, data["before"] + data["gained"]))


def test_compare_table_marks_gained_outcomes_and_races():
    done = run("compare", str(EXAMPLES / "byte_fields.py"), "--pass", "widen", "--model", "sc")
    assert done.returncode == 0, done.stderr
    gained_rows = [line for line in done.stdout.splitlines() if line.rstrip().endswith("new")]
    assert len(gained_rows) == 2 and all("assertion" in row for row in gained_rows)
    assert "Data races before: none; after: flags." in done.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["transform", "examples/broken_flag.py", "--pass", "nope"], "unknown pass 'nope'"),
    (["transform", "examples/broken_flag.py", "--pass", "hoist:value=3"], "hoist has no option 'value=3'"),
    (["transform", "examples/broken_flag.py", "--pass", "scratch-store:value=x"], "takes an integer"),
    (["compare", "examples/nowhere.py", "--pass", "hoist"], "examples/nowhere.py:1:1: cannot read the file"),
    (["passes", "nope"], "unknown pass 'nope'"),
])
def test_bad_usage_exits_2_with_one_line(args: list[str], message: str):
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_transform_rejects_programs_outside_the_dialect(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n")
    done = run("transform", str(bad), "--pass", "hoist")
    assert done.returncode == 2
    assert done.stderr.startswith(f"{bad}:1:1: import of os is not supported here")


@pytest.mark.parametrize("args", [
    ["explore", "examples/litmus/sb.py", "--model", "tso"],
    ["trace", "examples/broken_flag.py", "--model", "pso"],
    ["gallery", "--model", "sc"],
    ["fix", "examples/broken_flag.py"],
])
def test_every_view_exports_svg(args, tmp_path):
    svg = tmp_path / "view.svg"
    done = run(*args, "--svg", str(svg))
    assert done.returncode == 0, done.stderr
    text = svg.read_text()
    assert text.lstrip().startswith("<svg") and "</svg>" in text
    assert f"wrote SVG to {svg}" in done.stderr
