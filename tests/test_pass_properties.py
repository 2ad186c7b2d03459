"""Every pass keeps single-thread meaning, checked on generated one-worker programs.

A worker thread runs alone (main only starts and joins it), so each program
has exactly one outcome under sc. Every pass, applied to it, must produce a
program with that same outcome, must be idempotent, and must stay in the
dialect. The generator covers what the passes act on: loops that read
locations they never write (hoist), plain stores (scratch-store, fuse),
byte fields (widen), conditional stores (speculate), neighbouring accesses
(reorder), guarded loads (hoist-load), locals copied from shared memory
(rematerialize) and loops that update shared memory around a lock or a
helper call (promote).
"""

from __future__ import annotations

from hypothesis import given, note
from hypothesis import strategies as st

from miscompile.analysis import run_model
from miscompile.frontend import parse_program
from transforms.registry import all_passes

PASSES = all_passes()

HEADER = '''import ctypes
import threading

from miscompile.atomics import Atomic, fence


class Flags(ctypes.Structure):
    _fields_ = [("b1", ctypes.c_uint8), ("b2", ctypes.c_uint8)]


x = 0
y = 1
z = 2
a = [3, 4]
w0 = 0
w1 = 0
flags = Flags()
n = Atomic(0)
lock = threading.Lock()


def bump(by):
    global z
    z += by
    return z


def work():
    global x, y, z, w0, w1
    r0 = 0
    r1 = 1
'''
FOOTER = '''    print(r0, r1)


t = threading.Thread(target=work)
t.start()
t.join()
'''

SHARED = ["x", "y", "z", "a[0]", "a[1]", "flags.b1", "flags.b2"]
LOCALS = ["r0", "r1"]


def expressions() -> st.SearchStrategy[str]:
    leaf = st.one_of(st.integers(0, 3).map(str), st.sampled_from(LOCALS + SHARED), st.just("n.load()"))
    return st.recursive(
        leaf,
        lambda inner: st.tuples(inner, st.sampled_from(["+", "-", "*", "&", "<", "==", "!="]), inner)
        .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        max_leaves=3,
    )


def simple_statements() -> st.SearchStrategy[str]:
    target = st.sampled_from(LOCALS + SHARED)
    return st.one_of(
        st.tuples(target, expressions()).map(lambda t: f"{t[0]} = {t[1]}"),
        st.tuples(target, st.sampled_from(["+=", "-="]), st.integers(1, 2)).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(st.sampled_from(LOCALS), st.sampled_from(SHARED)).map(lambda t: f"{t[0]} = {t[1]}"),
        st.sampled_from(["n.fetch_add(1)", "fence()", "n.store(r0)", "print(x, r1)", "bump(1)", "r1 = bump(r0)"]),
    )


def indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


@st.composite
def blocks(draw, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["simple", "simple", "if", "for", "with", "while"] if depth < 2 else ["simple"]))
        if kind == "simple":
            lines.append(draw(simple_statements()))
        elif kind == "if":
            lines.append(f"if {draw(expressions())}:")
            lines += indent(draw(blocks(depth + 1)))
            if draw(st.booleans()):
                lines.append("else:")
                lines += indent(draw(blocks(depth + 1)))
        elif kind == "for":
            lines.append(f"for i{depth} in range({draw(st.integers(0, 2))}):")
            lines += indent(draw(blocks(depth + 1)))
        elif kind == "with":
            lines.append("with lock:")
            lines += indent(draw(blocks(depth + 1)))
        else:  # a loop that always ends: its own shared counter, which nothing else writes
            var = f"w{depth}"
            lines.append(f"{var} = 0")
            lines.append(f"while {var} < {draw(st.integers(0, 2))}:")
            lines += indent([*draw(blocks(depth + 1)), f"{var} += 1"])
    return lines


@st.composite
def one_worker_programs(draw) -> str:
    return HEADER + "\n".join(indent(draw(blocks()))) + "\n" + FOOTER


def only_outcome(source: str):
    run = run_model(parse_program(source, "generated.py"), "sc")
    assert run.search.complete
    (outcome,) = run.outcomes  # one thread: deterministic
    return outcome


@given(one_worker_programs())
def test_every_pass_keeps_single_thread_meaning(source: str):
    note(source)
    expected = only_outcome(source)
    for pass_class in PASSES:
        after, _ = pass_class.run(source, "generated.py")
        note(f"after {pass_class.NAME}:\n{after}")
        assert only_outcome(after) == expected, pass_class.NAME
        again, _ = pass_class.run(after, "generated.py")
        assert again == after, f"{pass_class.NAME} is not idempotent"
