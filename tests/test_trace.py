"""The memory inspector: witnesses replayed step by step, with buffers and memory after each step."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT

from miscompile.errors import UsageError
from miscompile.frontend import read_source
from miscompile.app.tracing import trace_program


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


# ------------------------------------------------------------------ execution graphs (arm, rc11)

LB = (EXAMPLES / "litmus" / "lb.py").read_text()  # r1 = x; y = 1 || r2 = y; x = 1


def test_a_graph_trace_shows_load_buffering_as_a_cycle(tmp_path):
    """LB's r1 = r2 = 1 under arm: each read reads the other thread's later write (rf), so no
    sequential order exists; the trace names the events and the edges."""
    from miscompile.app.tracing import trace_graph

    trace = trace_graph("lb.py", LB, "arm")
    assert trace.outcome.values()["r1"] == 1 and trace.outcome.values()["r2"] == 1
    labels = {node.name: node.label for thread in trace.nodes for node in thread}
    rf = {(labels[write], labels[read]) for write, read, _ in trace.rf if write != "init"}
    assert rf == {("W x=1", "R x=1"), ("W y=1", "R y=1")}
    assert trace.sequential is None


def test_a_graph_trace_of_an_sc_outcome_has_a_sequential_order():
    from miscompile.app.tracing import trace_graph

    trace = trace_graph("lb.py", LB, "arm", match="r1=0,r2=0")
    assert trace.sequential is not None
    names = [node.name for thread in trace.nodes for node in thread]
    assert sorted(trace.sequential) == sorted(names)
    for thread in trace.nodes:  # program order is kept
        positions = [trace.sequential.index(node.name) for node in thread]
        assert positions == sorted(positions)


def test_the_trace_command_draws_the_graph_as_svg(tmp_path):
    import xml.etree.ElementTree as ElementTree

    program = tmp_path / "lb.py"
    program.write_text(LB)
    drawing = tmp_path / "lb.svg"
    done = subprocess.run([sys.executable, "-m", "miscompile", "trace", str(program), "--model", "arm", "--svg",
                           str(drawing)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "No sequential order" in " ".join(done.stdout.split())
    root = ElementTree.parse(drawing).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    events = len(root.findall(f"{ns}rect"))
    assert events == 13  # main: 2 starts, 2 joins, end; each thread: 2 reads or writes, a store, end
    rf_arrows = [p for p in root.findall(f"{ns}path") if p.get("marker-end") == "url(#rf)"]
    assert len(rf_arrows) == 2  # each read reads the other thread's write (reads of init have no arrow)


def test_a_graph_trace_after_a_pass_traces_what_the_pass_adds_and_marks_its_lines():
    """speculate on no_sc_write.py under arm: the original can only end with x = y = False;
    the trace shows an outcome only the optimised program has, and the events of the lines
    the pass wrote are marked."""
    from miscompile.app.tracing import trace_graph

    path = EXAMPLES / "no_sc_write.py"
    trace = trace_graph(str(path), path.read_text(), "arm", passes=["speculate"])
    values = trace.outcome.values()
    assert (values["x"], values["y"]) != (False, False)
    assert trace.passes == ["speculate"] and trace.changed_lines
    assert any(node.line in trace.changed_lines for thread in trace.nodes for node in thread)
