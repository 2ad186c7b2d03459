"""Publication with a read fence in the consumer only.

The read fence keeps the consumer's load of x after its load of ready, but the
producer's stores may still reach memory out of order: pso still gives 0 (as
well as -1 and 1); sc and tso give -1 or 1. Loads are never reordered under
tso and pso, so the read fence changes nothing there. Under arm 0 stays too:
the producer's stores may still become visible out of order.
"""

import threading

from miscompile.atomics import fence

x = 0
ready = 0
seen = -1


def producer():
    global x, ready
    x = 1
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
