"""The memory inspector: witnesses replayed step by step, with buffers and memory after each step."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT

from miscompile.errors import UsageError
from miscompile.frontend import read_source
from miscompile.trace import trace_program


def trace_of(name: str, model: str, **kwargs):
    path = str(EXAMPLES / name)
    return trace_program(path, read_source(path), model, **kwargs)


def position(steps, thread: str, text: str) -> int:
    return next(i for i, s in enumerate(steps) if s.thread == thread and text in (s.text + " ".join(s.accesses)))


def test_pso_broken_flag_witness_shows_ready_overtaking_data():
    trace = trace_of("broken_flag.py", "pso")  # by default: the first outcome pso adds over sc
    assert dict(trace.outcome.output) == {"reader": ("0",)}
    steps = trace.steps
    ready_flushed = position(steps, "writer", "flush ready=True")
    reader_sees_ready = position(steps, "reader", "read ready=True (memory)")
    reader_reads_old_data = position(steps, "reader", "read data=0 (memory)")
    data_flushed = position(steps, "writer", "flush data=42")
    assert ready_flushed < reader_sees_ready < reader_reads_old_data < data_flushed
    # while ready has reached memory, data is still in the writer's buffer
    after = steps[ready_flushed].after
    assert dict(after.buffers)["writer"] == ("data=42",)
    assert dict(after.memory) == {"data": "data=0", "ready": "ready=True"}
    assert steps[ready_flushed].changed == frozenset({"ready"})


def test_the_last_snapshot_is_the_outcome():
    trace = trace_of("litmus/sb.py", "tso", match="r1=0,r2=0")
    final = dict(trace.steps[-1].after.memory)
    assert final == {name: f"{name}={value}" for name, value in trace.outcome.final}
    assert all(entries == () for _, entries in trace.steps[-1].after.buffers)


def test_trace_after_a_pass_marks_the_lines_it_wrote():
    trace = trace_of("broken_flag.py", "sc", passes=["hoist"])
    assert trace.outcome.status == "hang"
    source = read_source(str(EXAMPLES / "broken_flag.py"))
    hoisted = next(s for s in trace.steps if s.text == "_ready = ready")
    assert hoisted.line in trace.changed_lines
    assert hoisted.accesses == ("read ready=False (memory)",)
    assert "_ready = ready" not in source


def test_lock_holders_are_part_of_each_snapshot():
    trace = trace_of("locked_counter.py", "sc", number=1)
    described = {text for step in trace.steps for name, text in step.after.objects if name == "lock"}
    assert described & {"held by A", "held by B"}, "some step shows a thread holding the lock"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"match": "nope=1"}, "--match names nope"),
    ({"match": "r1=7"}, "no outcome matches"),
    ({"match": "r1"}, "location=value pairs"),
    ({"number": 99}, "out of range"),
])
def test_bad_selections_are_usage_errors(kwargs, message):
    with pytest.raises(UsageError, match=message):
        trace_of("litmus/sb.py", "tso", **kwargs)


def test_trace_cli_prints_plain_text_in_a_pipe():
    done = subprocess.run([sys.executable, "-m", "miscompile", "trace", str(EXAMPLES / "broken_flag.py"),
                           "--model", "pso", "--match", "@reader=0"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout
    assert "flush ready=True" in done.stdout and "read data=0 (memory)" in done.stdout
    assert "buffer: data=42" in done.stdout
