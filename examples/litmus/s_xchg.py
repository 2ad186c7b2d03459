"""S with the first thread's second store an xchg (a seq_cst atomic store).

An x86 xchg waits for the store buffer to drain, so x = 2 is in memory before
y = 1: (r1, x) = (1, 2) is forbidden under sc, tso and pso; (0, 1), (0, 2) and
(1, 1) remain.
"""

import threading

from miscompile.atomics import Atomic

x = 0
y = Atomic(0)
r1 = 0


def t1():
    global x
    x = 2
    y.store(1)


def t2():
    global x, r1
    r1 = y.load()
    x = 1


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
