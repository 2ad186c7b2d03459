"""The no-SC-write pair with relaxed atomics: a compiler may not speculate these stores.

As in no_sc_write.py, each thread stores only after seeing the other's store,
so no execution stores anything: x == y == False under sc, tso and pso. Here
`x` and `y` are relaxed atomics. They order nothing, but they are atomic, and
a compiler must not invent stores to an atomic: the `speculate` pass declines,
and x == y == True cannot appear.
"""

import threading

from miscompile.atomics import Atomic

x = Atomic(False)
y = Atomic(False)


def first():
    if x.load(order="relaxed"):
        y.store(True, order="relaxed")


def second():
    if y.load(order="relaxed"):
        x.store(True, order="relaxed")


t1 = threading.Thread(target=first)
t2 = threading.Thread(target=second)
t1.start()
t2.start()
t1.join()
t2.join()
