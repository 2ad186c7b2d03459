"""SB with a locked increment of another variable between each store and load.

A locked instruction (here fetch_add on an atomic) drains the store buffer like
a fence, so (r1, r2) = (0, 0) is forbidden under sc, tso and pso.
"""

import threading

from miscompile.atomics import Atomic

x = 0
y = 0
z = Atomic(0)
r1 = 0
r2 = 0


def t1():
    global x, r1
    x = 1
    z.fetch_add(1)
    r1 = y


def t2():
    global y, r2
    y = 1
    z.fetch_add(1)
    r2 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
