"""LB with fences between each load and store: (0, 0), (0, 1) or (1, 0) under sc, tso and pso.

The fences change nothing here, since these models already forbid (1, 1);
on ARM or POWER they are what forbids it.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0
r2 = 0


def t1():
    global y, r1
    r1 = x
    fence()
    y = 1


def t2():
    global x, r2
    r2 = y
    fence()
    x = 1


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
