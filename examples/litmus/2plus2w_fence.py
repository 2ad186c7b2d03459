"""2+2W with a fence between each thread's two stores: (1, 2), (2, 1) or (2, 2) under sc, tso and pso."""

import threading

from miscompile.atomics import fence

x = 0
y = 0


def t1():
    global x, y
    x = 1
    fence()
    y = 2


def t2():
    global x, y
    y = 1
    fence()
    x = 2


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
