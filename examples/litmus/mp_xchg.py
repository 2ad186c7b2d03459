"""MP with the flag written by an xchg (a seq_cst atomic store) and read atomically.

The xchg drains the writer's buffer first, so x = 1 is in memory before the
flag: (r1, r2) = (1, 0) is forbidden under sc, tso and pso. x still races: a
reader that sees the flag 0 loads x while the writer may be storing it.
"""

import threading

from miscompile.atomics import Atomic

x = 0
y = Atomic(0)
r1 = 0
r2 = 0


def writer():
    global x
    x = 1
    y.store(1)


def reader():
    global r1, r2
    r1 = y.load()
    r2 = x


a = threading.Thread(target=writer)
b = threading.Thread(target=reader)
a.start()
b.start()
a.join()
b.join()
