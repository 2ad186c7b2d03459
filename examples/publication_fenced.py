"""Publication with a write fence in the producer and a read fence in the consumer.

The producer's fence keeps `x = 1` ahead of `ready = 1` in memory, so every
model (sc, tso, pso) gives r = -1 or r = 1, never 0. The reader's fence is
what relaxed hardware such as ARM needs to stop the two loads from being
satisfied out of order; these three models never reorder loads.

The program still has data races on `x` and `ready`: a fence orders one
thread's accesses on one machine but creates no happens-before edge, so a
compiler may still break it. Atomics or a lock are the portable fix.
"""

import threading

from miscompile.atomics import fence

x = 0
ready = 0
r = -1


def producer():
    global x, ready
    x = 1
    fence()
    ready = 1


def consumer():
    global r
    if ready == 1:
        fence()
        r = x


t1 = threading.Thread(target=producer)
t2 = threading.Thread(target=consumer)
t1.start()
t2.start()
t1.join()
t2.join()
