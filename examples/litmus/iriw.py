"""IRIW (independent reads of independent writes): do two readers agree on the order of two writes?

One thread writes x, another writes y; one reader loads x then y, the other
y then x. The outcome (r1, r2, r3, r4) = (1, 0, 1, 0) would mean the readers
saw the writes in opposite orders. sc, tso and pso all forbid it (a store
reaches every other thread at once) and allow the other 15 combinations.
"""

import threading

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
    r2 = y


def read_yx():
    global r3, r4
    r3 = y
    r4 = x


w1 = threading.Thread(target=write_x)
w2 = threading.Thread(target=write_y)
q1 = threading.Thread(target=read_xy)
q2 = threading.Thread(target=read_yx)
for t in [w1, w2, q1, q2]:
    t.start()
for t in [w1, w2, q1, q2]:
    t.join()
