"""MP with a locked increment between the writer's stores: it drains x = 1 before y = 1
is stored, so (r1, r2) = (1, 0) is forbidden under pso too.
"""

import threading

from miscompile.atomics import Atomic

x = 0
y = 0
z = Atomic(0)
r1 = 0
r2 = 0


def writer():
    global x, y
    x = 1
    z.fetch_add(1)
    y = 1


def reader():
    global r1, r2
    r1 = y
    r2 = x


a = threading.Thread(target=writer)
b = threading.Thread(target=reader)
a.start()
b.start()
a.join()
b.join()
