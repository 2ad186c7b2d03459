"""SB with both stores as xchg (seq_cst atomic stores): (r1, r2) = (0, 0) is forbidden.

An xchg drains the buffer and writes memory at once, so each thread's store is
visible before its load: (0, 1), (1, 0) or (1, 1) under sc, tso and pso. Only
atomics are shared, so there is no data race.
"""

import threading

from miscompile.atomics import Atomic

x = Atomic(0)
y = Atomic(0)
r1 = 0
r2 = 0


def t1():
    global r1
    x.store(1)
    r1 = y.load()


def t2():
    global r2
    y.store(1)
    r2 = x.load()


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
