"""2+2W with each thread's second store an xchg: final (x, y) = (1, 1) is forbidden
under pso too.

Each xchg drains the thread's first store before it writes, so the stores reach
memory in program order, as under sc: (1, 2), (2, 1) or (2, 2).
"""

import threading

from miscompile.atomics import Atomic

x = Atomic(0)
y = Atomic(0)


def t1():
    x.store(1, order="relaxed")
    y.store(2)


def t2():
    y.store(1, order="relaxed")
    x.store(2)


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()
