"""MP with a fence between the writer's stores and between the reader's loads.

(0, 0), (0, 1) or (1, 1) under sc, tso and pso: the writer's fence stops pso
from reordering the stores. The reader's fence is for machines that reorder
loads (ARM, POWER); none of these three does.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0
r2 = 0


def writer():
    global x, y
    x = 1
    fence()
    y = 1


def reader():
    global r1, r2
    r1 = y
    fence()
    r2 = x


a = threading.Thread(target=writer)
b = threading.Thread(target=reader)
a.start()
b.start()
a.join()
b.join()
