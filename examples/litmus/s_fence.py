"""S with a fence between the first thread's stores: (r1, x) = (1, 2) is gone under pso too.

sc, tso and pso: (0, 1), (0, 2) or (1, 1). The second thread needs no fence:
none of these machines lets a store overtake an earlier load.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0


def t1():
    global x, y
    x = 2
    fence()
    y = 1


def t2():
    global x, r1
    r1 = y
    x = 1


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
