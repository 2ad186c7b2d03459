"""Every pass keeps single-thread meaning, checked on generated one-worker programs.

A worker thread runs alone (main only starts and joins it), so each program
has exactly one outcome under sc. Every pass, applied to it, must produce a
program with that same outcome, must be idempotent, and must stay in the
dialect. The programs come from ``miscompile.strategies``, which covers what
every pass acts on.
"""

from __future__ import annotations

from hypothesis import assume, example, given, note

from miscompile.analysis import run_model
from miscompile.frontend import parse_program
from miscompile.strategies import single_thread_programs
from transforms.registry import all_passes

PASSES = all_passes()


def only_outcome(source: str):
    run = run_model(parse_program(source, "generated.py"), "sc", max_states=10_000)
    assume(run.search.complete)
    (outcome,) = run.outcomes  # one thread: deterministic
    return outcome


@given(single_thread_programs())
@example(
    source='import ctypes\nimport threading\n\nfrom miscompile.atomics import Atomic, fence\n\n\nclass Flags(ctypes.Structure):\n    _fields_ = [("b1", ctypes.c_uint8), ("b2", ctypes.c_uint8)]\n\n\np0 = 0\np1 = 0\np2 = 0\ng = 0\nh = 0\nro = 0\nro2 = 0\nflags = Flags()\na = Atomic(0)\nlock = threading.Lock()\n\n\ndef twice(v):\n    return v + v\n\n\ndef t0():\n    global p0\n    for i0 in range(1):\n        flags.b2 -= 1\n        p0 = 0 + flags.b2\n\n\nth0 = threading.Thread(target=t0)\nth0.start()\nth0.join()\n',
).via("a byte field promoted to a register did not wrap at 256")
def test_every_pass_keeps_single_thread_meaning(source: str):
    note(source)
    expected = only_outcome(source)
    for pass_class in PASSES:
        after, _ = pass_class.run(source, "generated.py")
        note(f"after {pass_class.NAME}:\n{after}")
        assert only_outcome(after) == expected, pass_class.NAME
        again, _ = pass_class.run(after, "generated.py")
        assert again == after, f"{pass_class.NAME} is not idempotent"
