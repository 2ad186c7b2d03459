"""SB with three threads in a ring: each stores its variable, then loads the next one's.

sc: every combination of (r1, r2, r3) but (0, 0, 0): the first store to reach
memory is seen by the thread before it in the ring, which loads it later.
tso and pso: all eight, (0, 0, 0) by store buffering.
"""

import threading

x = 0
y = 0
z = 0
r1 = 0
r2 = 0
r3 = 0


def t1():
    global x, r1
    x = 1
    r1 = y


def t2():
    global y, r2
    y = 1
    r2 = z


def t3():
    global z, r3
    z = 1
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
