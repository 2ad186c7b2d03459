"""Seed 002's Peterson entry with weak atomics: relaxed flag stores, acq_rel exchanges of `victim`.

Each thread raises its flag (relaxed), exchanges `victim` (acq_rel), then reads
the other's flag (acquire). Both threads would enter the critical section if
both read False: (r1, r3) == (False, False).

- sc, tso, pso: never. An exchange is a locked instruction that drains the
  buffer, so each flag is in memory before its thread reads the other's.
- rc11: never either, but for a language reason: the two exchanges are
  read-modify-writes of one location, so one of them reads the other's value
  (atomicity: a read-modify-write reads the write just before it in
  modification order). That read synchronises with the other exchange (acq_rel),
  so the other thread's flag store happens before this thread's flag load.
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
    victim.exchange(0, order="acq_rel")
    r1 = one_wants.load(order="acquire")


def t1():
    global r3
    one_wants.store(True, order="relaxed")
    victim.exchange(1, order="acq_rel")
    r3 = zero_wants.load(order="acquire")


a = threading.Thread(target=t0)
b = threading.Thread(target=t1)
a.start()
b.start()
a.join()
b.join()
