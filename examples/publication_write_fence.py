"""Publication with a write fence in the producer only.

The write fence keeps x = 1 before ready = 1, so pso no longer shows 0: sc, tso
and pso give -1 or 1. On a machine that satisfies loads out of order (arm) the
consumer can still read x before ready and see 0: the write fence alone is not
enough.
"""

import threading

from miscompile.atomics import fence

x = 0
ready = 0
seen = -1


def producer():
    global x, ready
    x = 1
    fence("write")
    ready = 1


def consumer():
    global seen
    if ready == 1:
        seen = x


p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
p.start()
c.start()
p.join()
c.join()
print(seen)
