"""Happens-before through a Queue: `put(item)` happens-before the `get()` that returns it.

The consumer prints "42 1" under sc, tso and pso, and there is no data race.
"""

import queue
import threading

data = 0
q = queue.Queue()


def producer():
    global data
    data = 42
    q.put(1)


def consumer():
    item = q.get()
    print(data, item)


p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
c.start()
p.start()
p.join()
c.join()
