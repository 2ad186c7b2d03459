"""R with fences in both threads: (y, r1) is (1, 0), (1, 1) or (2, 1) under sc, tso and pso.

The second thread's fence is the one tso needs. pso also needs the first
thread's: without it, its store to y could reach memory before its store to x.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0


def t1():
    global x, y
    x = 1
    fence()
    y = 1


def t2():
    global y, r1
    y = 2
    fence()
    r1 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
