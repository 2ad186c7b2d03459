"""MP with a release store of the flag and an acquire load of it.

A release store is not a fence (it may wait in the buffer), but under pso it
stays behind the stores before it, so x = 1 reaches memory first: (r1, r2) =
(1, 0) is forbidden under sc, tso and pso. x races only when the reader sees
the flag 0 and loads x anyway.
"""

import threading

from miscompile.atomics import Atomic

x = 0
y = Atomic(0)
r1 = 0
r2 = 0


def writer():
    global x
    x = 1
    y.store(1, order="release")


def reader():
    global r1, r2
    r1 = y.load(order="acquire")
    r2 = x


a = threading.Thread(target=writer)
b = threading.Thread(target=reader)
a.start()
b.start()
a.join()
b.join()
