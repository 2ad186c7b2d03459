"""SB with a fence between each thread's store and load (x86 `mfence`).

The fence waits for the store buffer to drain, so (r1, r2) = (0, 0) is gone:
(0, 1), (1, 0) or (1, 1) under sc, tso and pso.
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
    fence()
    r1 = y


def t2():
    global y, r2
    y = 1
    fence()
    r2 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
