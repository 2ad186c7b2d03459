"""SB with a fence in the first thread only: (r1, r2) = (0, 0) stays allowed under tso and pso.

The second thread's store can still wait in its buffer while it loads x before
the first thread's store reaches memory; then the first thread drains, loads
y and sees 0. Both threads need the fence.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0
r2 = 0


def t1():
    global x, r1
    x = 1
    fence()
    r1 = y


def t2():
    global y, r2
    y = 1
    r2 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
