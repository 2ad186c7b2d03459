"""The arm model against herd7's ``aarch64.cat`` verdicts on the classic litmus shapes.

Each test is a litmus shape written in the dialect, with its herd7 verdict for
ARMv8 (Pulte et al., "Simplifying ARM concurrency", POPL 2018, and the herdtools7
AArch64 test catalogue): whether the final condition is reachable. Threads keep
what they read in locals (registers, so a dependency is a register's) and print
them at the end; ``cond`` is the litmus test's final condition over the printed
registers (``t0:a`` is thread t0's ``a``) and the final memory.

The dialect's forms of ARM's constructs: ``fence()`` is DMB SY,
``fence("write")`` DMB ST, ``fence("read")`` DMB LD; an acquire load is LDAR, a
release store STLR; ``x[a - a]`` reads ``x[0]`` with an address dependency on
``a``; ``y = a - a + 1`` stores 1 with a data dependency; ``if a == 7: pass``
before a store is a control dependency.
"""

from __future__ import annotations

import re

import pytest

from miscompile.bounds import Bounds
from miscompile.frontend import parse_program
from miscompile.graphs import explore_graphs

HEAD = "import threading\nfrom miscompile.atomics import Atomic, fence\n"


def program(shared: str, *bodies: str) -> str:
    """Threads t0, t1, ... running ``bodies``; the variables ``shared`` declares are global in
    each; each thread prints its locals (a, b, c) at the end."""
    text = HEAD + shared
    names = ", ".join(line.split("=")[0].strip() for line in shared.splitlines() if "=" in line)
    for i, body in enumerate(bodies):
        locals_ = sorted(set(re.findall(r"\b([abc])\b\s*=(?!=)", body)))
        text += f"def t{i}():\n    global {names}\n" + "".join(f"    {line}\n" for line in body.split("\n"))
        text += f"    print({', '.join(locals_)})\n" if locals_ else ""
    threads = range(len(bodies))
    text += "".join(f"h{i} = threading.Thread(target=t{i})\n" for i in threads)
    text += "".join(f"h{i}.start()\n" for i in threads) + "".join(f"h{i}.join()\n" for i in threads)
    return text


def observed(source: str, model: str = "arm") -> list[dict[str, object]]:
    """Every outcome as one dict: ``"t0:a"`` for registers, the variable's name for final memory."""
    result = explore_graphs(parse_program(source, "litmus.py"), model, bounds=Bounds(max_states=300_000))
    assert result.complete
    found = []
    for outcome in result.outcomes:
        assert outcome.status == "ok", outcome
        values: dict[str, object] = dict(outcome.values())
        for thread, lines in outcome.output:
            locals_ = re.findall(r"\b([abc])\b\s*=(?!=)", source.split(f"def {thread}():")[1].split("\ndef ")[0])
            for name, value in zip(sorted(set(locals_)), lines[0].split()):
                values[f"{thread}:{name}"] = int(value)
        found.append(values)
    return found


def reachable(source: str, cond: dict[str, object], model: str = "arm") -> bool:
    return any(all(o.get(k) == v for k, v in cond.items()) for o in observed(source, model))


# --------------------------------------------------------------------------- message passing

MP = "x = [0]\ny = 0\n"
MP_COND = {"t1:a": 1, "t1:b": 0}


@pytest.mark.parametrize("name, writer, reader, allowed", [
    ("MP", "x[0] = 1\ny = 1", "a = y\nb = x[0]", True),
    ("MP+dmb.sys", "x[0] = 1\nfence()\ny = 1", "a = y\nfence()\nb = x[0]", False),
    ("MP+dmb.st+dmb.ld", 'x[0] = 1\nfence("write")\ny = 1', 'a = y\nfence("read")\nb = x[0]', False),
    ("MP+dmb.st+po", 'x[0] = 1\nfence("write")\ny = 1', "a = y\nb = x[0]", True),
    ("MP+po+dmb.ld", "x[0] = 1\ny = 1", 'a = y\nfence("read")\nb = x[0]', True),
    ("MP+dmb.sy+addr", "x[0] = 1\nfence()\ny = 1", "a = y\nb = x[a - a]", False),
    ("MP+dmb.st+addr", 'x[0] = 1\nfence("write")\ny = 1', "a = y\nb = x[a - a]", False),
    ("MP+dmb.sy+ctrl", "x[0] = 1\nfence()\ny = 1", "a = y\nif a == 7:\n    pass\nb = x[0]", True),
    ("MP+po+addr", "x[0] = 1\ny = 1", "a = y\nb = x[a - a]", True),
])
def test_message_passing(name, writer, reader, allowed):
    """Seed 001's lesson on ARM: the reader's loads may be satisfied out of order, so the
    writer's store fence alone does not publish; a read fence or an address dependency
    on the reader's side is needed too."""
    assert reachable(program(MP, writer, reader), MP_COND) == allowed, name


ATOMIC_MP = "x = 0\ny = Atomic(0)\n"


@pytest.mark.parametrize("name, writer, reader, allowed", [
    ("MP+popl+poap", 'x = 1\ny.store(1, order="release")', 'a = y.load(order="acquire")\nb = x', False),
    ("MP+popl+po", 'x = 1\ny.store(1, order="release")', 'a = y.load(order="relaxed")\nb = x', True),
    ("MP+po+poap", 'x = 1\ny.store(1, order="relaxed")', 'a = y.load(order="acquire")\nb = x', True),
])
def test_release_acquire(name, writer, reader, allowed):
    """STLR orders everything before it; LDAR everything after it; both are needed."""
    assert reachable(program(ATOMIC_MP, writer, reader), MP_COND) == allowed, name


# --------------------------------------------------------------------------- store buffering

SB = "x = 0\ny = 0\n"


@pytest.mark.parametrize("name, left, right, allowed", [
    ("SB", "x = 1\na = y", "y = 1\na = x", True),
    ("SB+dmb.sys", "x = 1\nfence()\na = y", "y = 1\nfence()\na = x", False),
    ("SB+dmb.sts", 'x = 1\nfence("write")\na = y', 'y = 1\nfence("write")\na = x', True),
    ("SB+dmb.lds", 'x = 1\nfence("read")\na = y', 'y = 1\nfence("read")\na = x', True),
])
def test_store_buffering(name, left, right, allowed):
    assert reachable(program(SB, left, right), {"t0:a": 0, "t1:a": 0}) == allowed, name


def test_store_buffering_with_release_stores_and_acquire_loads_is_forbidden():
    """SB+popl-poap: [L]; po; [A] keeps an STLR before a later LDAR (which makes seq_cst SC)."""
    source = program("x = Atomic(0)\ny = Atomic(0)\n",
                     'x.store(1, order="release")\na = y.load(order="acquire")',
                     'y.store(1, order="release")\na = x.load(order="acquire")')
    assert not reachable(source, {"t0:a": 0, "t1:a": 0})


# --------------------------------------------------------------------------- load buffering

LB = "x = 0\ny = 0\n"
LB_COND = {"t0:a": 1, "t1:a": 1}


@pytest.mark.parametrize("name, left, right, allowed", [
    ("LB", "a = x\ny = 1", "a = y\nx = 1", True),
    ("LB+datas", "a = x\ny = a - a + 1", "a = y\nx = a - a + 1", False),
    ("LB+data+po", "a = x\ny = a - a + 1", "a = y\nx = 1", True),
    ("LB+ctrls", "a = x\nif a == 7:\n    pass\ny = 1", "a = y\nif a == 7:\n    pass\nx = 1", False),
    ("LB+dmb.sys", "a = x\nfence()\ny = 1", "a = y\nfence()\nx = 1", False),
    ("LB+dmb.lds", 'a = x\nfence("read")\ny = 1', 'a = y\nfence("read")\nx = 1', False),
    ("LB+dmb.sts", 'a = x\nfence("write")\ny = 1', 'a = y\nfence("write")\nx = 1', True),
])
def test_load_buffering(name, left, right, allowed):
    """ARM may let a load be satisfied after a later store of its thread became visible,
    unless a dependency or a barrier keeps them in order."""
    assert reachable(program(LB, left, right), LB_COND) == allowed, name


def test_load_buffering_with_address_dependencies_is_forbidden():
    """LB+addrs: each store's address depends on the load before it."""
    source = program("x = [0]\ny = [0]\n", "a = x[0]\ny[a - a] = 1", "a = y[0]\nx[a - a] = 1")
    assert not reachable(source, LB_COND)


def test_no_value_out_of_thin_air():
    """LB+datas copying the value read: 42 appears nowhere in the program, so no execution
    may read it (a write that justifies its own value is a dependency cycle)."""
    source = program(LB, "a = x\ny = a", "a = y\nx = a")
    assert {(o["t0:a"], o["t1:a"]) for o in observed(source)} == {(0, 0)}


# --------------------------------------------------------------------------- multi-copy atomicity

def test_wrc_with_dependencies_is_forbidden():
    """WRC+data+addr: ARMv8 is other-multi-copy-atomic, so once T1 saw x=1 and passed it on
    (data), T2, which saw T1's store, sees x=1 too (addr)."""
    source = program("x = [0]\ny = 0\n", "x[0] = 1", "a = x[0]\ny = a - a + 1", "a = y\nb = x[a - a]")
    assert not reachable(source, {"t1:a": 1, "t2:a": 1, "t2:b": 0})
    plain = program("x = [0]\ny = 0\n", "x[0] = 1", "a = x[0]\ny = 1", "a = y\nb = x[0]")
    assert reachable(plain, {"t1:a": 1, "t2:a": 1, "t2:b": 0})  # WRC+pos: allowed


def test_iriw():
    """IRIW+addrs is forbidden (the two writes reach both readers in one order); IRIW+pos is
    allowed (the readers' loads may be satisfied out of order)."""
    shared = "x = [0]\ny = [0]\n"
    cond = {"t1:a": 1, "t1:b": 0, "t3:a": 1, "t3:b": 0}
    with_deps = program(shared, "x[0] = 1", "a = x[0]\nb = y[a - a]", "y[0] = 1", "a = y[0]\nb = x[a - a]")
    assert not reachable(with_deps, cond)
    plain = program(shared, "x[0] = 1", "a = x[0]\nb = y[0]", "y[0] = 1", "a = y[0]\nb = x[0]")
    assert reachable(plain, cond)


# --------------------------------------------------------------------------- write-write shapes

@pytest.mark.parametrize("name, left, right, allowed", [
    ("2+2W", "x = 1\ny = 2", "y = 1\nx = 2", True),
    ("2+2W+dmb.sts", 'x = 1\nfence("write")\ny = 2', 'y = 1\nfence("write")\nx = 2', False),
])
def test_two_plus_two_writes(name, left, right, allowed):
    """Both first stores last in coherence order: each thread's stores left out of order."""
    assert reachable(program("x = 0\ny = 0\n", left, right), {"x": 1, "y": 1}) == allowed, name


@pytest.mark.parametrize("name, left, right, allowed", [
    ("S", "x = 2\ny = 1", "a = y\nx = 1", True),
    ("S+dmb.st+data", 'x = 2\nfence("write")\ny = 1', "a = y\nx = a - a + 1", False),
    ("S+dmb.st+po", 'x = 2\nfence("write")\ny = 1', "a = y\nx = 1", True),
])
def test_s(name, left, right, allowed):
    assert reachable(program("x = 0\ny = 0\n", left, right), {"t1:a": 1, "x": 2}) == allowed, name


@pytest.mark.parametrize("name, left, right, allowed", [
    ("R", "x = 1\ny = 1", "y = 2\na = x", True),
    ("R+dmb.sys", "x = 1\nfence()\ny = 1", "y = 2\nfence()\na = x", False),
    ("R+dmb.st+dmb.sy", 'x = 1\nfence("write")\ny = 1', "y = 2\nfence()\na = x", False),
])
def test_r(name, left, right, allowed):
    assert reachable(program("x = 0\ny = 0\n", left, right), {"y": 2, "t1:a": 0}) == allowed, name


def test_coherence_of_reads():
    """CoRR: two reads of one location by one thread never see its writes in reverse order."""
    source = program("x = 0\n", "x = 1", "a = x\nb = x")
    assert not reachable(source, {"t1:a": 1, "t1:b": 0})


def test_isa2_and_rwc():
    """ISA2+dmb.sy+data+addr and RWC+dmb.sys: forbidden by the barriers and dependencies."""
    isa2 = program("x = [0]\ny = 0\nz = 0\n", "x[0] = 1\nfence()\ny = 1", "a = y\nz = a - a + 1",
                   "a = z\nb = x[a - a]")
    assert not reachable(isa2, {"t1:a": 1, "t2:a": 1, "t2:b": 0})
    rwc = program("x = 0\ny = 0\n", "x = 1", "a = x\nfence()\nb = y", "y = 1\nfence()\na = x")
    assert not reachable(rwc, {"t1:a": 1, "t1:b": 0, "t2:a": 0})


# --------------------------------------------------------------------------- against every candidate execution

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from miscompile.graphs.system import GraphSystem  # noqa: E402

from candidates import outcomes as candidate_outcomes  # noqa: E402

ATOMICS = "x = [0]\ny = [0]\nz = Atomic(0)\n"


@st.composite
def litmus_thread(draw) -> str:
    """A load, then one or two statements: loads into locals, stores of constants or of a local (data),
    stores at an address computed from a local (addr) or under a test of one (ctrl), fences,
    and relaxed, acquire, release and seq_cst accesses and exchanges of an atomic."""
    first = draw(st.sampled_from(["x", "y"]))
    lines: list[str] = [f"a = {first}[0]"]  # most shapes begin with a load (MP's reader, LB, ...)
    local_names: list[str] = ["a"]
    for _ in range(draw(st.integers(1, 2))):
        var = draw(st.sampled_from(["x", "y"]))
        dep = draw(st.sampled_from(local_names)) if local_names else None
        kind = draw(st.sampled_from(["load", "store", "store", "data", "addr", "ctrl", "fence", "atomic"]))
        if kind == "load" and len(local_names) < 3:
            name = "abc"[len(local_names)]
            index = f"{dep} - {dep}" if dep and draw(st.booleans()) else "0"
            lines.append(f"{name} = {var}[{index}]")
            local_names.append(name)
        elif kind == "data" and dep:
            lines.append(f"{var}[0] = {dep}")
        elif kind == "addr" and dep:
            lines.append(f"{var}[{dep} - {dep}] = {draw(st.integers(1, 2))}")
        elif kind == "ctrl" and dep:
            lines.append(f"if {dep} == 1:\n    {var}[0] = 2")
        elif kind == "fence":
            lines.append(draw(st.sampled_from(["fence()", 'fence("write")', 'fence("read")'])))
        elif kind == "atomic" and len(local_names) < 3 and draw(st.booleans()):
            name = "abc"[len(local_names)]
            if draw(st.booleans()):  # a read-modify-write: revisits must keep its chain in coherence order
                order = draw(st.sampled_from(["relaxed", "acquire", "release", "acq_rel", "seq_cst"]))
                lines.append(f'{name} = z.exchange({draw(st.integers(1, 2))}, order="{order}")')
            else:
                order = draw(st.sampled_from(["relaxed", "acquire", "seq_cst"]))
                lines.append(f'{name} = z.load(order="{order}")')
            local_names.append(name)
        elif kind == "atomic":
            order = draw(st.sampled_from(["relaxed", "release", "seq_cst"]))
            lines.append(f'z.store({draw(st.integers(1, 2))}, order="{order}")')
        else:
            lines.append(f"{var}[0] = {draw(st.integers(1, 2))}")
    return "\n".join(lines)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(litmus_thread(), min_size=2, max_size=3))
def test_arm_finds_every_candidate_execution_the_axioms_accept(threads):
    """The engine (forward steps, revisits, replay) and the brute-force enumeration of every
    candidate execution give the same outcomes: no execution lost to the revisit rule, none
    made up by replay."""
    source = program(ATOMICS, *threads)
    parsed = parse_program(source, "generated.py")
    engine = explore_graphs(parsed, "arm", bounds=Bounds(max_states=200_000))
    assert engine.complete
    assert set(engine.outcomes) == candidate_outcomes(GraphSystem(parsed, "arm")), source


def test_an_acq_rel_exclusive_is_not_a_full_barrier():
    """SB with a seq_cst fetch_add (LDAXR/STLXR) between each store and load, on locations
    of their own: the store may still pass the load (the acquire half orders what follows
    the exclusive, the release half what precedes it, but nothing orders the store before
    the load). With both on one location the exclusives read each other, which orders them."""
    shared = "x = 0\ny = 0\nu = Atomic(0)\nv = Atomic(0)\n"
    apart = program(shared, "x = 1\nu.fetch_add(1)\na = y", "y = 1\nv.fetch_add(1)\na = x")
    assert reachable(apart, {"t0:a": 0, "t1:a": 0})
    together = program(shared, "x = 1\nu.fetch_add(1)\na = y", "y = 1\nu.fetch_add(1)\na = x")
    assert not reachable(together, {"t0:a": 0, "t1:a": 0})
