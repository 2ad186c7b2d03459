"""R with the second thread's store an xchg: it writes y = 2 to memory before loading x.

(y, r1) = (2, 0) is forbidden under sc and tso: y ends 2 only if the first
thread's y = 1 came first, and x = 1 was in memory before that. pso allows it:
the first thread's x = 1 may still wait in its buffer after y = 1 is out.
"""

import threading

from miscompile.atomics import Atomic

x = 0
y = Atomic(0)
r1 = 0


def t1():
    global x
    x = 1
    y.store(1, order="relaxed")


def t2():
    global r1
    y.store(2)
    r1 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
