"""Seed 002's Peterson entry with relaxed exchanges: the hardware forbids what RC11 allows.

As peterson_acq_rel.py, but `victim.exchange(..., order="relaxed")`.

- sc, tso, pso: (r1, r3) is never (False, False). tso and pso compile any
  exchange to a locked instruction, which drains the buffer whatever order
  the program asked for.
- rc11: (False, False) happens. One exchange still reads the other's value,
  but a relaxed read-modify-write synchronises with nothing, so neither
  thread's flag store need happen before the other's flag load, and both may
  read the initial False. A test on x86 would never show the bug.
No data race: the flags and `victim` are atomics.
"""

import threading

from miscompile.atomics import Atomic

zero_wants = Atomic(False)
one_wants = Atomic(False)
victim = Atomic(0)
r1 = True
r3 = True


def t0():
    global r1
    zero_wants.store(True, order="relaxed")
    victim.exchange(0, order="relaxed")
    r1 = one_wants.load(order="acquire")


def t1():
    global r3
    one_wants.store(True, order="relaxed")
    victim.exchange(1, order="relaxed")
    r3 = zero_wants.load(order="acquire")


a = threading.Thread(target=t0)
b = threading.Thread(target=t1)
a.start()
b.start()
a.join()
b.join()
