"""RWC with a fence between the third thread's store and load: (1, 0, 0) is forbidden
under sc, tso and pso.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0
r2 = 0
r3 = 0


def t1():
    global x
    x = 1


def t2():
    global r1, r2
    r1 = x
    r2 = y


def t3():
    global y, r3
    y = 1
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
