"""SB with a write fence between each thread's store and load: (r1, r2) = (0, 0) stays.

A write fence orders a thread's stores among themselves (ARM's DMB ST); it does
not keep a later load behind an earlier store, which is all SB needs. tso and
pso still allow (0, 0); only a full fence (fence()) forbids it.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0
r2 = 0


def t1():
    global x, r1
    x = 1
    fence("write")
    r1 = y


def t2():
    global y, r2
    y = 1
    fence("write")
    r2 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
