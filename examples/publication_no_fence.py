"""Publication with no fence: the consumer may see ready == 1 and still read x == 0.

The producer builds the value (x = 1) and then publishes it (ready = 1); the
consumer reads x only after it saw ready == 1. `seen` is what it read (-1 when
it did not see the flag).

- sc and tso: -1 or 1. x86 keeps stores in order and loads in order.
- pso: also 0: ready = 1 may reach memory before x = 1.
- arm: also 0, for two reasons: the stores may become visible out of order,
  and the consumer's load of x may be satisfied before its load of ready (a
  branch orders later stores, not later loads).
"""

import threading

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
        seen = x


p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
p.start()
c.start()
p.join()
c.join()
print(seen)
