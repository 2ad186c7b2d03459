"""LB (load buffering): each thread loads one variable, then stores to the other.

(r1, r2) is (0, 0), (0, 1) or (1, 0) under sc, tso and pso: a store never
overtakes an earlier load on these machines, so (1, 1) needs a value read
before anyone wrote it. (ARM and POWER do allow it.)
"""

import threading

x = 0
y = 0
r1 = 0
r2 = 0


def t1():
    global y, r1
    r1 = x
    y = 1


def t2():
    global x, r2
    r2 = y
    x = 1


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
