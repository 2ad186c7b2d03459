"""Publication with a write fence in the producer and a read fence in the consumer.

Both orders are kept: the consumer never sees ready == 1 with x == 0. sc, tso,
pso and arm give -1 or 1: on arm (herd7's MP+dmb.st+dmb.ld) both fences are
needed, and together they are enough.
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
        fence("read")
        seen = x


p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
p.start()
c.start()
p.join()
c.join()
print(seen)
