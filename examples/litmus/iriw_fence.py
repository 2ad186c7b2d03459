"""IRIW with a fence between each reader's two loads.

As without fences: sc, tso and pso forbid (r1, r2, r3, r4) = (1, 0, 1, 0) and
allow the other 15 combinations. (On POWER the fences are needed.)
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0
r2 = 0
r3 = 0
r4 = 0


def write_x():
    global x
    x = 1


def write_y():
    global y
    y = 1


def read_xy():
    global r1, r2
    r1 = x
    fence()
    r2 = y


def read_yx():
    global r3, r4
    r3 = y
    fence()
    r4 = x


w1 = threading.Thread(target=write_x)
w2 = threading.Thread(target=write_y)
q1 = threading.Thread(target=read_xy)
q2 = threading.Thread(target=read_yx)
for t in [w1, w2, q1, q2]:
    t.start()
for t in [w1, w2, q1, q2]:
    t.join()
