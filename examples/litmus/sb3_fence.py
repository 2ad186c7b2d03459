"""SB with three threads in a ring, each fenced between its store and load: (0, 0, 0)
is forbidden under sc, tso and pso; the other seven combinations happen.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
z = 0
r1 = 0
r2 = 0
r3 = 0


def t1():
    global x, r1
    x = 1
    fence()
    r1 = y


def t2():
    global y, r2
    y = 1
    fence()
    r2 = z


def t3():
    global z, r3
    z = 1
    fence()
    r3 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
c = threading.Thread(target=t3)
a.start()
b.start()
c.start()
a.join()
b.join()
c.join()
