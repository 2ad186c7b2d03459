"""ISA2 with a fence between the first thread's stores: (1, 1, 0) is forbidden under pso too.
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
    global x, y
    x = 1
    fence()
    y = 1


def t2():
    global z, r1
    r1 = y
    z = 1


def t3():
    global r2, r3
    r2 = z
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
