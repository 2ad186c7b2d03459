"""2+2W with a locked increment between each thread's stores: the first store is
drained before the second is made, so (x, y) = (1, 1) is forbidden under pso
too; (1, 2), (2, 1) and (2, 2) remain.
"""

import threading

from miscompile.atomics import Atomic

x = 0
y = 0
z = Atomic(0)


def t1():
    global x, y
    x = 1
    z.fetch_add(1)
    y = 2


def t2():
    global x, y
    y = 1
    z.fetch_add(1)
    x = 2


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
